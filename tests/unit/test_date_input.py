"""The GOV.UK date input every date question uses (portal.forms.DateInputField; issue 15
item 8): day, month and year in three boxes, errors naming the part that is wrong, and
what was typed kept."""

import datetime as dt

import lxml.html
import pytest
from flask import request
from wtforms.validators import InputRequired, Optional

from portal.forms import DateInputField, PortalForm
from tests.helpers import text_of


class Sample(PortalForm):
    class Meta:
        csrf = False

    starts_on = DateInputField("Start date", validators=[InputRequired("Enter the start date")])
    ends_on = DateInputField("End date", validators=[Optional()], description="Six months at most.")


def posted(app, **parts):
    data = {f"starts_on-{name}": value for name, value in parts.items()}
    with app.test_request_context(method="POST", data=data):
        form = Sample()
        form.validate()
        return form, parse_html(form.starts_on())


def parse_html(markup):
    return lxml.html.fromstring(str(markup))


def typed(page) -> dict[str, str]:
    return {
        name: page.cssselect(f"input[name=starts_on-{name}]")[0].get("value") or ""
        for name in ("day", "month", "year")
    }


def wrong(page) -> list[str]:
    return [el.get("name") for el in page.cssselect("input.govuk-input--error")]


def test_a_real_date_is_read_from_its_three_parts(app):
    form, _page = posted(app, day="27", month="3", year="2027")
    assert form.errors == {}
    assert form.starts_on.data == dt.date(2027, 3, 27)


def test_31_february_is_not_a_real_date_and_the_day_is_marked(app):
    form, page = posted(app, day="31", month="2", year="2027")
    assert form.starts_on.data is None
    assert form.errors["starts_on"] == ["Start date must be a real date: that month has no day 31"]
    assert wrong(page) == ["starts_on-day"]
    assert typed(page) == {"day": "31", "month": "2", "year": "2027"}


@pytest.mark.parametrize(
    ("parts", "message", "marked"),
    [
        ({"day": "27", "year": "2027"}, "Start date must include a month", ["month"]),
        ({"month": "3"}, "Start date must include a day and year", ["day", "year"]),
        ({"day": "27", "month": "3"}, "Start date must include a year", ["year"]),
    ],
)
def test_a_missing_part_is_named_and_only_it_is_marked(app, parts, message, marked):
    form, page = posted(app, **parts)
    assert form.errors["starts_on"] == [message]
    assert wrong(page) == [f"starts_on-{name}" for name in marked]


@pytest.mark.parametrize(
    ("parts", "part"),
    [
        ({"day": "2x", "month": "3", "year": "2027"}, "day"),
        ({"day": "27", "month": "March", "year": "2027"}, "month"),
        ({"day": "27", "month": "13", "year": "2027"}, "month"),
        ({"day": "27", "month": "3", "year": "27"}, "year"),
    ],
)
def test_a_part_that_is_not_a_number_is_named_and_kept(app, parts, part):
    form, page = posted(app, **parts)
    assert form.starts_on.data is None
    assert f"the {part} must be" in form.errors["starts_on"][0]
    assert wrong(page) == [f"starts_on-{part}"]
    assert typed(page) == parts


def test_nothing_typed_gives_the_fields_own_message_and_optional_stays_quiet(app):
    form, _page = posted(app)
    assert form.errors == {"starts_on": ["Enter the start date"]}
    assert form.ends_on.data is None


def test_it_renders_the_gov_uk_date_input_with_a_legend_and_example_hint(app):
    with app.test_request_context():
        form = Sample(data={"ends_on": dt.date(2027, 3, 27)})
        page = parse_html(form.ends_on())
    assert text_of(page.cssselect("fieldset legend")[0]) == "End date"
    hint = text_of(page.cssselect(".govuk-hint")[0])
    assert hint == "Six months at most.For example, 27 3 2027"
    fieldset = page.cssselect("fieldset")[0]
    assert "ends_on-hint" in fieldset.get("aria-describedby")
    boxes = page.cssselect("input.govuk-date-input__input")
    assert [(b.get("name"), b.get("value"), b.get("inputmode")) for b in boxes] == [
        ("ends_on-day", "27", "numeric"),
        ("ends_on-month", "3", "numeric"),
        ("ends_on-year", "2027", "numeric"),
    ]
    labels = [text_of(label) for label in page.cssselect("label")]
    assert labels == ["Day", "Month", "Year"]


def test_a_link_may_give_the_date_whole(app):
    with app.test_request_context("/?starts_on=2026-04-01"):
        form = Sample(formdata=request.args)
        form.validate()
    assert form.starts_on.data == dt.date(2026, 4, 1)


@pytest.mark.parametrize("day", ["²", "1" * 5000, "-1", "1.5"])
def test_odd_digits_and_long_runs_are_not_a_day(app, day):
    form, _page = posted(app, day=day, month="3", year="2027")
    assert form.starts_on.data is None
    assert "the day must be a number" in form.errors["starts_on"][0]


def test_arabic_indic_digits_are_read(app):
    form, _page = posted(app, day="٢٧", month="٣", year="٢٠٢٧")
    assert form.starts_on.data == dt.date(2027, 3, 27)
