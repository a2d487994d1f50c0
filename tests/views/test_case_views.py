"""Case management through the real forms: bad input keeps what was typed and saves
nothing; htmx fragments; list pages do not run a query per row (issue 4)."""

import datetime as dt

import sqlalchemy as sa
from sqlalchemy import event

from portal.dates import add_months
from portal.extensions import db
from portal.models import Restriction
from portal.models.vocab import Role
from tests.factories import make_active_restriction, make_customer, make_ready_case, make_user
from tests.helpers import check_page, csrf_token, sign_in

TODAY = dt.date.today()


def test_a_seven_month_restriction_is_refused_with_the_section_and_the_form_kept(app, client):
    officer = make_user(Role.CASE_OFFICER)
    case = make_ready_case(make_customer(), officer)
    sign_in(client, officer.email)
    url = f"/staff/cases/{case.id}/restrictions/new"
    response = client.post(
        url,
        data={
            "csrf_token": csrf_token(client, url),
            "starts_on": TODAY.isoformat(),
            "ends_on": add_months(TODAY, 7).isoformat(),
            "review_frequency": "quarterly",
            "reason": "Thirty calls a day about one repair.",
            "permitted_channel": "email",
            "single_point_of_contact_id": "0",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    check_page(html)
    assert "no more than six months (policy section 3.5)" in html
    assert "Thirty calls a day about one repair." in html  # what was typed survives
    assert db.session.scalar(sa.select(sa.func.count(Restriction.id))) == 0


def test_customer_search_returns_a_fragment_to_htmx_and_a_page_otherwise(app, client):
    make_customer(full_name="Zofia Nowak", postcode="BS5 6SA")
    sign_in(client, make_user(Role.CASE_OFFICER).email)
    page = client.get("/staff/customers?q=nowak")
    fragment = client.get("/staff/customers?q=nowak", headers={"HX-Request": "true"})
    assert "<html" in page.get_data(as_text=True) and "Zofia Nowak" in page.get_data(as_text=True)
    assert "<html" not in fragment.get_data(as_text=True)
    assert "Zofia Nowak" in fragment.get_data(as_text=True)
    assert "HX-Request" in fragment.headers["Vary"]
    assert "Zofia Nowak" in client.get("/staff/customers?q=bs56sa").get_data(as_text=True)


def count_statements(app, client, url) -> int:
    statements = []

    def record(*_args):
        statements.append(1)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    return len(statements)


def add_cases(officer, manager, number):
    for _ in range(number):
        case = make_ready_case(make_customer(), officer)
        make_active_restriction(case, officer, manager, starts_on=TODAY - dt.timedelta(days=80))


def test_list_pages_run_the_same_number_of_queries_for_many_cases(app):
    officer, manager = make_user(Role.CASE_OFFICER), make_user(Role.REVIEW_MANAGER)
    officer_client, manager_client = app.test_client(), app.test_client()
    sign_in(officer_client, officer.email)
    sign_in(manager_client, manager.email)
    pages = [
        (officer_client, "/staff/cases"),
        (manager_client, "/staff/reviews"),
        (officer_client, "/staff/customers?q=customer"),
    ]
    add_cases(officer, manager, 2)
    few = [count_statements(app, c, url) for c, url in pages]
    add_cases(officer, manager, 10)
    many = [count_statements(app, c, url) for c, url in pages]
    assert many == few
