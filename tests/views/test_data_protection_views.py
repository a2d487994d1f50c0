"""The data steward's pages (issue 13 items 6 and 7): the retention schedule with what is
due today, a subject access request made and its ZIP delivered, legal holds placed and
lifted; refusals keep what was typed; only data stewards get in."""

import datetime as dt
import io
import zipfile

import lxml.html
from flask import url_for
from sqlalchemy import select

from portal import clock
from portal.demo.retention_examples import REFERENCE, load_retention_examples
from portal.extensions import db
from portal.jobs.worker import work
from portal.models import Customer, LegalHold, SubjectAccessRequest
from portal.models.vocab import Role
from tests.helpers import check_page, csrf_token, date_fields, sign_in

TODAY = clock.today()


def _page(response):
    return lxml.html.fromstring(response.get_data(as_text=True))


def _text(element) -> str:
    return " ".join(element.text_content().split())


def _error_summary(response) -> list[str]:
    return [_text(a) for a in _page(response).cssselect(".govuk-error-summary__list a")]


def _schedule_rows(response) -> dict[str, list[str]]:
    table = _page(response).cssselect("#retention ~ .portal-table-wrapper table")[0]
    rows = {}
    for row in table.cssselect("tbody tr"):
        rows[_text(row.cssselect("th")[0])] = [_text(cell) for cell in row.cssselect("td")]
    return rows


def _post(client, url, data, form_url=None):
    return client.post(url, data={"csrf_token": csrf_token(client, form_url or url), **data})


def _steward(app, client, login_as):
    load_retention_examples(TODAY)
    login_as(Role.DATA_STEWARD)
    customer = db.session.scalar(select(Customer).where(Customer.reference == REFERENCE))
    with app.test_request_context():
        return customer, url_for("gdpr.index"), url_for("gdpr.customer", customer_id=customer.id)


def test_the_schedule_shows_what_the_dry_run_would_remove(app, client, login_as):
    _steward(app, client, login_as)
    with app.test_request_context():
        index = url_for("gdpr.index")
    response = client.get(index)
    assert response.status_code == 200
    check_page(response.get_data(as_text=True))
    assert _text(_page(response).cssselect("h1")[0]) == "Data protection"
    rows = _schedule_rows(response)
    closed = rows["Closed cases, with their letters and evidence files"]
    assert closed[0] == "6 years" and closed[-2:] == ["1", "0"]
    assert rows["Contact log entries"][0] == "2 years" and rows["Contact log entries"][-2] == "2"
    assert rows["Audit trail"][0] == "7 years"


def test_finding_a_customer_by_reference(app, client, login_as):
    customer, index, customer_url = _steward(app, client, login_as)
    found = _post(client, index, {"reference": REFERENCE.lower()})
    assert found.status_code == 303 and found.headers["Location"].endswith(customer_url)
    missing = _post(client, index, {"reference": "T-000000"})
    assert missing.status_code == 400
    assert _error_summary(missing) == ["No customer has this reference"]


def test_a_subject_access_request_is_made_and_delivered(app, client, login_as):
    customer, _index, customer_url = _steward(app, client, login_as)
    with app.test_request_context():
        new = url_for("gdpr.new_subject_access", customer_id=customer.id)
    future = TODAY + dt.timedelta(days=3)
    refused = _post(client, new, date_fields("sar-received_on", future), customer_url)
    assert refused.status_code == 400
    assert _error_summary(refused) == ["The date cannot be in the future"]
    made = _post(client, new, date_fields("sar-received_on", TODAY), customer_url)
    assert made.status_code == 303
    # The export is slow work: a job worker makes it, not the request.
    waiting = client.get(customer_url)
    assert not _page(waiting).cssselect("a[href*='subject-access']")
    assert "Being made" in _text(_page(waiting).cssselect("#main-content")[0])
    assert work(name="test-worker", burst=True) == 1
    page = client.get(customer_url)
    check_page(page.get_data(as_text=True))
    links = _page(page).cssselect("a[href*='subject-access']")
    assert [_text(link) for link in links] == ["Download the export (ZIP)"]
    download = client.get(links[0].get("href"))
    assert download.status_code == 200 and download.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(download.data))
    assert f"subject-access-{REFERENCE}.json" in archive.namelist()
    request = db.session.scalar(select(SubjectAccessRequest))
    assert request.delivered_at is not None


def test_a_legal_hold_is_placed_and_lifted_with_reasons(app, client, login_as):
    customer, _index, customer_url = _steward(app, client, login_as)
    with app.test_request_context():
        place = url_for("gdpr.place_hold", customer_id=customer.id)
    refused = _post(client, place, {"hold-case_id": "", "hold-reason": ""}, customer_url)
    assert refused.status_code == 400
    assert _error_summary(refused) == ["Say why the hold is needed"]
    placed = _post(
        client, place, {"hold-case_id": "", "hold-reason": "Ombudsman enquiry"}, customer_url
    )
    assert placed.status_code == 303
    hold = db.session.scalar(select(LegalHold))
    assert hold.reason == "Ombudsman enquiry" and hold.lifted_at is None
    with app.test_request_context():
        lift = url_for("gdpr.lift_hold", hold_id=hold.id)
    lifted = _post(client, lift, {"lift-lift_reason": "Enquiry closed"}, customer_url)
    assert lifted.status_code == 303
    db.session.refresh(hold)
    assert hold.lifted_at is not None and hold.lift_reason == "Enquiry closed"


def test_only_data_stewards_get_in(app, client):
    from tests.factories import make_user

    with app.test_request_context():
        index = url_for("gdpr.index")
    for role in (Role.ADMIN, Role.CASE_OFFICER, Role.REVIEW_MANAGER, Role.LEADERSHIP):
        other = app.test_client()
        sign_in(other, make_user(role).email)
        assert other.get(index).status_code == 403, role
