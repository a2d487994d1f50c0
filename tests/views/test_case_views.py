"""Case management through the real forms: bad input keeps what was typed and saves
nothing; htmx fragments; list pages do not run a query per row (issue 4)."""

import datetime as dt
from pathlib import Path

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
    page = search_for(client, "nowak")
    fragment = search_for(client, "nowak", headers={"HX-Request": "true"})
    assert "<html" in page.get_data(as_text=True) and "Zofia Nowak" in page.get_data(as_text=True)
    assert "<html" not in fragment.get_data(as_text=True)
    assert "Zofia Nowak" in fragment.get_data(as_text=True)
    assert "HX-Request" in fragment.headers["Vary"]
    assert "Zofia Nowak" in search_for(client, "bs56sa").get_data(as_text=True)


def search_for(client, query: str, **kwargs):
    """The customer search is a POST (names stay out of URLs and logs)."""
    token = csrf_token(client, "/staff/customers")
    return client.post("/staff/customers", data={"csrf_token": token, "q": query}, **kwargs)


def count_statements(app, client, url, form=None) -> int:
    """Statements run by a GET of ``url`` or, with ``form``, a POST of it."""
    statements = []
    data = {"csrf_token": csrf_token(client, url), **form} if form else None

    def record(*_args):
        statements.append(1)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        response = client.post(url, data=data) if form else client.get(url)
        assert response.status_code == 200
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
        (officer_client, "/staff/cases", None),
        (manager_client, "/staff/reviews", None),
        (officer_client, "/staff/customers", {"q": "customer"}),
    ]
    add_cases(officer, manager, 2)
    few = [count_statements(app, c, url, form) for c, url, form in pages]
    add_cases(officer, manager, 10)
    many = [count_statements(app, c, url, form) for c, url, form in pages]
    assert many == few


def incident_form(client, url, files):
    return {
        "csrf_token": csrf_token(client, url),
        "behaviours": ["verbal_abuse_or_violence"],
        "occurred_at": (dt.datetime.now() - dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "channel": "telephone",
        "description": "Shouted threats at the repairs call handler.",
        "reported_by": "Repairs call handler",
        "attachments": files,
    }


def test_an_incident_keeps_its_evidence_files_and_staff_download_them(app, client):
    import io

    from portal.models import Attachment, AuditEvent, Referral

    officer = make_user(Role.CASE_OFFICER)
    case = make_ready_case(make_customer(), officer)
    sign_in(client, officer.email)
    url = f"/staff/cases/{case.id}/incidents/new"
    pdf = b"%PDF-1.7\n%%EOF\n"
    response = client.post(
        url,
        data=incident_form(client, url, [(io.BytesIO(pdf), "call notes.pdf")]),
        content_type="multipart/form-data",
    )
    assert response.status_code == 303
    attachment = db.session.scalar(sa.select(Attachment))
    assert attachment.original_filename == "call notes.pdf" and attachment.incident_id
    assert db.session.scalar(sa.select(sa.func.count(Referral.id))) == 1  # threats: s3.2

    page = client.get(f"/staff/cases/{case.id}").get_data(as_text=True)
    link = f"/staff/cases/{case.id}/attachments/{attachment.id}"
    assert link in page and "Download call notes.pdf" in page
    download = client.get(link)
    assert download.status_code == 200 and download.data == pdf
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    download.close()
    actions = db.session.scalars(sa.select(AuditEvent.action)).all()
    assert "attachment_download" in actions
    # Another case's id in the URL finds nothing.
    other = make_ready_case(make_customer(), officer)
    assert client.get(f"/staff/cases/{other.id}/attachments/{attachment.id}").status_code == 404


def test_a_disguised_program_is_refused_with_the_form_kept_and_nothing_saved(app, client):
    import io

    from portal.models import Attachment, Incident

    officer = make_user(Role.CASE_OFFICER)
    case = make_ready_case(make_customer(), officer)
    sign_in(client, officer.email)
    url = f"/staff/cases/{case.id}/incidents/new"
    response = client.post(
        url,
        data=incident_form(client, url, [(io.BytesIO(b"MZ\x90\x00program"), "photo.jpg")]),
        content_type="multipart/form-data",
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    check_page(html)
    assert "must be a PDF, JPG, PNG or Word (DOCX) file" in html
    assert "Shouted threats at the repairs call handler." in html
    assert db.session.scalar(sa.select(sa.func.count(Incident.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(Attachment.id))) == 0
    assert not [p for p in Path(app.config["UPLOAD_DIR"]).rglob("*") if p.is_file()]


def test_community_safety_accepts_then_closes_a_referral(app, client):
    from portal.cases import services
    from portal.models import Referral
    from portal.models.types import utcnow
    from portal.models.vocab import BehaviourType, ContactChannel, ReferralStatus

    officer = make_user(Role.CASE_OFFICER)
    case = make_ready_case(make_customer(full_name="Ivy Threat"), officer)
    services.log_incident(
        case,
        occurred_at=utcnow() - dt.timedelta(hours=1),
        channel=ContactChannel.IN_PERSON,
        behaviours=[BehaviourType.VERBAL_ABUSE_OR_VIOLENCE],
        description="Threatened the receptionist.",
        reported_by="Reception",
        logged_by=officer,
        now=utcnow(),
    )
    referral_id = db.session.scalar(sa.select(Referral.id))
    team = make_user(Role.COMMUNITY_SAFETY)
    sign_in(client, team.email)
    queue = client.get("/staff/community-safety").get_data(as_text=True)
    assert "Ivy Threat" in queue and "Waiting to be accepted" in queue
    accept = f"/staff/community-safety/referrals/{referral_id}/accept"
    token = csrf_token(client, "/staff/community-safety")
    assert client.post(accept, data={"csrf_token": token}).status_code == 303
    # A second click changes nothing and says so.
    again = client.post(accept, data={"csrf_token": token}, follow_redirects=True)
    assert "already been accepted or closed" in again.get_data(as_text=True)
    referral = db.session.get(Referral, referral_id)
    db.session.refresh(referral)
    assert referral.status == ReferralStatus.ACCEPTED and referral.accepted_by_id == team.id

    close = f"/staff/community-safety/referrals/{referral_id}/close"
    empty = client.post(close, data={"csrf_token": csrf_token(client, close), "outcome": " "})
    assert empty.status_code == 400
    assert "Enter what was done about the referral" in empty.get_data(as_text=True)
    done = client.post(
        close, data={"csrf_token": csrf_token(client, close), "outcome": "Visited; warned."}
    )
    assert done.status_code == 303
    db.session.refresh(referral)
    assert referral.status == ReferralStatus.CLOSED and referral.outcome == "Visited; warned."
    assert "Ivy Threat" not in client.get("/staff/community-safety").get_data(as_text=True)


def test_a_post_from_an_allowed_person_without_a_csrf_token_changes_nothing(app, client):
    from portal.cases import services
    from portal.models import Referral
    from portal.models.types import utcnow
    from portal.models.vocab import BehaviourType, ContactChannel, ReferralStatus

    officer = make_user(Role.CASE_OFFICER)
    case = make_ready_case(make_customer(), officer)
    services.log_incident(
        case,
        occurred_at=utcnow(),
        channel=ContactChannel.TELEPHONE,
        behaviours=[BehaviourType.VERBAL_ABUSE_OR_VIOLENCE],
        description="Threats.",
        reported_by="Call handler",
        logged_by=officer,
        now=utcnow(),
    )
    referral_id = db.session.scalar(sa.select(Referral.id))
    sign_in(client, make_user(Role.COMMUNITY_SAFETY).email)
    response = client.post(f"/staff/community-safety/referrals/{referral_id}/accept")
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(Referral, referral_id).status == ReferralStatus.OPEN
