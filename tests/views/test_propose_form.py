"""The propose form states its rules before it is sent (issue 15 item 8): the prerequisites
for this case with links to record what is missing, the six-month limit, each option's
details revealed under its checkbox, and every date asked as day, month and year."""

import sqlalchemy as sa

from portal.clock import today
from portal.dates import add_months
from portal.extensions import db
from portal.formatting import long_date
from portal.models import Restriction
from portal.models.vocab import Role
from tests.factories import make_case, make_customer, make_ready_case, make_user
from tests.helpers import (
    check_page,
    csrf_token,
    date_fields,
    error_summary,
    field_errors,
    parse,
    sign_in,
    text_of,
    url,
)


def open_form(client, case):
    response = client.get(url("restrictions.propose", case_id=case.id))
    assert response.status_code == 200
    check_page(response.get_data(as_text=True))
    return parse(response)


def prerequisite_rows(page):
    return {text_of(row.cssselect("dt")[0]): row for row in page.cssselect("[data-prerequisite]")}


def test_missing_prerequisites_are_shown_with_links_to_record_them(app, client):
    officer = make_user(Role.CASE_OFFICER)
    case = make_case(make_customer(), officer)
    sign_in(client, officer.email)
    page = open_form(client, case)
    rows = prerequisite_rows(page)
    assert [row.get("data-prerequisite") for row in rows.values()] == ["missing", "missing"]
    links = {text_of(a): a.get("href") for a in page.cssselect(".govuk-summary-list__actions a")}
    assert links == {
        "Record an informal step": url("cases.new_informal_step", case_id=case.id),
        "Record the needs consideration": url("cases.new_needs_consideration", case_id=case.id),
    }
    informal = text_of(rows["Informal step tried first (policy sections 3.2 and 3.3)"])
    assert "Record at least one informal step and its outcome" in informal
    # The prerequisites come before the form.
    summary_list = page.cssselect(".govuk-summary-list")[0]
    form = page.cssselect("main form[method=post]")[0]
    assert summary_list.getparent().index(summary_list) < form.getparent().index(form)


def test_recorded_prerequisites_say_so_and_offer_no_link(app, client):
    officer = make_user(Role.CASE_OFFICER)
    case = make_ready_case(make_customer(), officer)
    sign_in(client, officer.email)
    page = open_form(client, case)
    rows = prerequisite_rows(page)
    assert [row.get("data-prerequisite") for row in rows.values()] == ["recorded", "recorded"]
    assert "1 informal step recorded" in text_of(page.cssselect(".govuk-summary-list")[0])
    assert page.cssselect(".govuk-summary-list__actions a") == []


def test_the_six_month_limit_is_stated_with_the_latest_end_date(app, client):
    officer = make_user(Role.CASE_OFFICER)
    case = make_ready_case(make_customer(), officer)
    sign_in(client, officer.email)
    limit = text_of(open_form(client, case).get_element_by_id("time-limit"))
    assert "no more than 6 months (policy section 3.5)" in limit
    assert long_date(add_months(today(), 6)) in limit


def test_each_option_reveals_its_own_details(app, client):
    officer = make_user(Role.CASE_OFFICER)
    case = make_ready_case(make_customer(), officer)
    sign_in(client, officer.email)
    page = open_form(client, case)
    boxes = page.cssselect("input[name=measures]")
    assert len(boxes) == 7
    revealed = {}
    for box in boxes:
        target = box.get("data-aria-controls")
        if target:
            panel = page.get_element_by_id(target)
            assert "govuk-checkboxes__conditional" in panel.get("class")
            revealed[box.get("value")] = {el.get("name") for el in panel.cssselect("[name]")}
    assert revealed["single_channel"] == {"permitted_channel"}
    assert revealed["set_times"] == {"permitted_weekdays", "permitted_from", "permitted_until"}
    assert revealed["contact_limit"] == {"contact_limit", "limit_period"}
    assert "advocate_offered" not in revealed  # nothing more to give


def test_every_date_question_is_a_gov_uk_date_input(app, client):
    officer = make_user(Role.CASE_OFFICER)
    case = make_ready_case(make_customer(), officer)
    sign_in(client, officer.email)
    page = open_form(client, case)
    assert page.cssselect("input[type=date]") == []
    for name, legend in (("starts_on", "Start date"), ("ends_on", "End date")):
        group = page.get_element_by_id(name)
        fieldset = group.getparent()
        while fieldset.tag != "fieldset":
            fieldset = fieldset.getparent()
        assert text_of(fieldset.cssselect("legend")[0]) == legend
        assert "For example, 27 3 2027" in text_of(fieldset.cssselect(".govuk-hint")[0])
        names = [box.get("name") for box in group.cssselect("input")]
        assert names == [f"{name}-day", f"{name}-month", f"{name}-year"]


def test_details_of_an_option_not_chosen_are_ignored(app, client):
    officer = make_user(Role.CASE_OFFICER)
    case = make_ready_case(make_customer(), officer)
    sign_in(client, officer.email)
    propose = url("restrictions.propose", case_id=case.id)
    data = {
        "csrf_token": csrf_token(client, propose),
        **date_fields("starts_on", today()),
        **date_fields("ends_on", add_months(today(), 3)),
        "review_frequency": "quarterly",
        "reason": "Thirty calls a day about one repair.",
        "permitted_channel": "email",
        "single_point_of_contact_id": "0",
    }
    response = client.post(propose, data=data)
    assert response.status_code == 400
    assert any("Choose at least one way" in m for m in error_summary(response))
    response = client.post(propose, data={**data, "measures": "single_channel"})
    assert response.status_code == 303
    restriction = db.session.scalar(sa.select(Restriction))
    assert [m.option.value for m in restriction.measures] == ["single_channel"]


def test_a_bad_start_date_keeps_what_was_typed_and_names_the_part(app, client):
    officer = make_user(Role.CASE_OFFICER)
    case = make_ready_case(make_customer(), officer)
    sign_in(client, officer.email)
    propose = url("restrictions.propose", case_id=case.id)
    response = client.post(
        propose,
        data={
            "csrf_token": csrf_token(client, propose),
            "starts_on-day": "31",
            "starts_on-month": "2",
            "starts_on-year": "2027",
            **date_fields("ends_on", add_months(today(), 3)),
        },
    )
    assert response.status_code == 400
    assert "Start date must be a real date: that month has no day 31" in field_errors(response)
    page = parse(response)
    assert page.get_element_by_id("starts_on-day").get("value") == "31"
    assert "govuk-input--error" in page.get_element_by_id("starts_on-day").get("class")
    assert "govuk-input--error" not in page.get_element_by_id("starts_on-month").get("class")


def test_the_error_summary_leads_to_the_date_part_at_fault(app, client):
    officer = make_user(Role.CASE_OFFICER)
    case = make_ready_case(make_customer(), officer)
    sign_in(client, officer.email)
    propose = url("restrictions.propose", case_id=case.id)
    response = client.post(
        propose,
        data={
            "csrf_token": csrf_token(client, propose),
            **date_fields("starts_on", today()),
            "ends_on-day": "1",
            "ends_on-year": "2027",
        },
    )
    links = {text_of(a): a.get("href") for a in parse(response).cssselect(".govuk-error-summary a")}
    assert links["End date must include a month"] == "#ends_on-month"
    assert links["Enter why the restriction is needed"] == "#reason"
