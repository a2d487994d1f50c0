"""The appeal (s5) and reconsideration (s4) journeys as data: steps, next, back, forms."""

import pytest

from portal.challenges import forms
from portal.challenges.journey import CHECK, JOURNEYS


def test_an_appeal_asks_why_then_for_evidence_then_checks():
    appeal = JOURNEYS["appeal"]
    assert appeal.steps == ("reasons", "evidence", CHECK)
    assert appeal.first == "reasons"
    assert appeal.after("reasons") == "evidence"
    assert appeal.after("evidence") == CHECK
    assert appeal.before("reasons") is None
    assert appeal.before(CHECK) == "evidence"
    assert not appeal.has("ground")


def test_a_reconsideration_asks_for_one_of_the_two_grounds_first():
    request = JOURNEYS["reconsideration"]
    assert request.steps == ("ground", "details", "evidence", CHECK)
    assert request.before("details") == "ground"
    assert request.after("details") == "evidence"


@pytest.mark.parametrize(
    ("step", "form"),
    [
        ("reasons", forms.ReasonsForm),
        ("ground", forms.GroundForm),
        ("details", forms.DetailsForm),
        ("evidence", forms.EvidenceForm),
    ],
)
def test_each_step_has_its_one_question(app, step, form):
    with app.test_request_context():
        assert isinstance(JOURNEYS["reconsideration"].form_for(step, {}), form)


def test_typed_answers_are_kept_only_for_the_steps_fields_and_cut_to_size(app):
    with app.test_request_context():
        form = JOURNEYS["appeal"].form_for("reasons", {})
        posted = {"reasons": "x" * (3 * forms.REASONS_MAX), "ground": "factual_error"}
        typed = JOURNEYS["appeal"].typed_answers(form, posted)
    assert set(typed) == {"reasons"}
    assert len(typed["reasons"]) == 2 * forms.REASONS_MAX
