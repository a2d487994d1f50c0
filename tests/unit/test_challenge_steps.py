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


def test_a_steps_answers_come_from_its_validated_form_and_only_its_fields(app):
    """Issue 14 item 6: what a step saves is its form's checked data, never the raw post
    (which once kept answers twice the allowed length, and other steps' fields)."""
    posted = {"reasons": "My repair is finished.", "ground": "factual_error"}
    with app.test_request_context(method="POST", data=posted):
        form = JOURNEYS["appeal"].form_for("reasons", None)
        form.validate()
        answers = JOURNEYS["appeal"].answers(form)
    assert answers == {"reasons": "My repair is finished."}
