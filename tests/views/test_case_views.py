"""Case management through the real forms: bad input keeps what was typed and saves
nothing; htmx fragments; list pages do not run a query per row (issue 4)."""

import datetime as dt

import sqlalchemy as sa

from portal import clock
from portal.dates import add_months
from portal.extensions import db
from portal.models import Case, Restriction
from portal.models.vocab import Role
from tests.factories import make_active_restriction, make_customer, make_ready_case, make_user
from tests.helpers import (
    banners,
    check_page,
    csrf_token,
    date_fields,
    error_summary,
    parse,
    sign_in,
    statements_while,
    text_of,
    texts,
    url,
)
from tests.upload_samples import pdf_bytes

TODAY = clock.today()


def test_a_seven_month_restriction_is_refused_with_the_section_and_the_form_kept(app, client):
    officer = make_user(Role.CASE_OFFICER)
    case = make_ready_case(make_customer(), officer)
    sign_in(client, officer.email)
    propose = url("restrictions.propose", case_id=case.id)
    response = client.post(
        propose,
        data={
            "csrf_token": csrf_token(client, propose),
            **date_fields("starts_on", TODAY),
            **date_fields("ends_on", add_months(TODAY, 7)),
            "review_frequency": "quarterly",
            "reason": "Thirty calls a day about one repair.",
            "measures": "single_channel",
            "permitted_channel": "email",
            "single_point_of_contact_id": "0",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    check_page(html)
    assert any("no more than six months (policy section 3.5)" in m for m in error_summary(response))
    # What was typed survives.
    assert (
        parse(response).get_element_by_id("reason").text == "Thirty calls a day about one repair."
    )
    assert db.session.scalar(sa.select(sa.func.count(Restriction.id))) == 0


def test_customer_search_returns_a_fragment_to_htmx_and_a_page_otherwise(app, client):
    make_customer(full_name="Zofia Nowak", postcode="BS5 6SA")
    sign_in(client, make_user(Role.CASE_OFFICER).email)
    page = search_for(client, "nowak")
    fragment = search_for(client, "nowak", headers={"HX-Request": "true"})
    assert parse(page).tag == "html" and texts(page, "tbody td a") == ["Zofia Nowak"]
    assert parse(fragment).tag != "html" and not parse(fragment).cssselect("html, body, main")
    assert texts(fragment, "tbody td a") == ["Zofia Nowak"]
    assert "HX-Request" in fragment.headers["Vary"]
    assert texts(search_for(client, "bs56sa"), "tbody td a") == ["Zofia Nowak"]


def search_for(client, query: str, **kwargs):
    """The customer search is a POST (names stay out of URLs and logs)."""
    search = url("customer_records.search")
    return client.post(
        search, data={"csrf_token": csrf_token(client, search), "q": query}, **kwargs
    )


def count_statements(app, client, page, form=None) -> int:
    """Statements run by a GET of ``page`` or, with ``form``, a POST of it."""
    data = {"csrf_token": csrf_token(client, page), **form} if form else None

    def open_page():
        response = client.post(page, data=data) if form else client.get(page)
        assert response.status_code == 200

    return len(statements_while(open_page))


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
        (officer_client, url("staff.cases"), None),
        (manager_client, url("staff.reviews"), None),
        (officer_client, url("customer_records.search"), {"q": "customer"}),
    ]
    add_cases(officer, manager, 2)
    few = [count_statements(app, c, page, form) for c, page, form in pages]
    add_cases(officer, manager, 10)
    many = [count_statements(app, c, page, form) for c, page, form in pages]
    assert many == few


def incident_form(client, form_url, files):
    return {
        "csrf_token": csrf_token(client, form_url),
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
    new_incident = url("cases.new_incident", case_id=case.id)
    pdf = pdf_bytes()
    response = client.post(
        new_incident,
        data=incident_form(client, new_incident, [(io.BytesIO(pdf), "call notes.pdf")]),
        content_type="multipart/form-data",
    )
    assert response.status_code == 303
    attachment = db.session.scalar(sa.select(Attachment))
    assert attachment.original_filename == "call notes.pdf" and attachment.incident_id
    assert db.session.scalar(sa.select(sa.func.count(Referral.id))) == 1  # threats: s3.2

    page = parse(client.get(url("cases.show", case_id=case.id)))
    link = url("cases.attachment", case_id=case.id, attachment_id=attachment.id)
    assert [text_of(a) for a in page.cssselect(f'a[href="{link}"]')] == ["Download call notes.pdf"]
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
    elsewhere = url("cases.attachment", case_id=other.id, attachment_id=attachment.id)
    assert client.get(elsewhere).status_code == 404


def test_a_disguised_program_is_refused_with_the_form_kept_and_nothing_saved(app, client):
    import io

    from portal.models import Attachment, Incident, StoredFile

    officer = make_user(Role.CASE_OFFICER)
    case = make_ready_case(make_customer(), officer)
    sign_in(client, officer.email)
    new_incident = url("cases.new_incident", case_id=case.id)
    program = [(io.BytesIO(b"MZ\x90\x00program"), "photo.jpg")]
    response = client.post(
        new_incident,
        data=incident_form(client, new_incident, program),
        content_type="multipart/form-data",
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    check_page(html)
    assert error_summary(response) == [
        "photo.jpg: The selected file must be a PDF, JPG, PNG or Word (DOCX) file"
    ]
    description = parse(response).get_element_by_id("description")
    assert description.text == "Shouted threats at the repairs call handler."
    assert db.session.scalar(sa.select(sa.func.count(Incident.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(Attachment.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StoredFile)) == 0


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
    community_safety = url("staff.community_safety")
    [row] = parse(client.get(community_safety)).cssselect("main tbody tr")
    cells = [text_of(cell) for cell in row.cssselect("td")]
    assert cells[1] == "Ivy Threat" and cells[4] == "Waiting to be accepted"
    accept = url("staff.accept_referral", referral_id=referral_id)
    token = csrf_token(client, community_safety)
    assert client.post(accept, data={"csrf_token": token}).status_code == 303
    # A second click changes nothing and says so.
    again = client.post(accept, data={"csrf_token": token}, follow_redirects=True)
    assert "That referral had already been accepted or closed." in banners(again)
    referral = db.session.get(Referral, referral_id)
    db.session.refresh(referral)
    assert referral.status == ReferralStatus.ACCEPTED and referral.accepted_by_id == team.id

    close = url("staff.close_referral", referral_id=referral_id)
    empty = client.post(close, data={"csrf_token": csrf_token(client, close), "outcome": " "})
    assert empty.status_code == 400
    assert error_summary(empty) == ["Enter what was done about the referral"]
    done = client.post(
        close, data={"csrf_token": csrf_token(client, close), "outcome": "Visited; warned."}
    )
    assert done.status_code == 303
    db.session.refresh(referral)
    assert referral.status == ReferralStatus.CLOSED and referral.outcome == "Visited; warned."
    after = client.get(community_safety)
    assert after.status_code == 200 and "Ivy Threat" not in texts(after, "main td")


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
    response = client.post(url("staff.accept_referral", referral_id=referral_id))
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(Referral, referral_id).status == ReferralStatus.OPEN


def test_the_case_page_reads_its_letters_once_however_many_there_are(app, client):
    """Issue 18: each issued letter's replacement was asked for letter by letter, and the
    drafts in a statement of their own; every letter of the case is now read in one, and
    a correction still shows as the original's replacement."""
    from portal.letters import services as letters
    from portal.models.types import utcnow
    from portal.models.vocab import LetterKind
    from tests.letter_fixtures import make_notice_world

    case, _restriction, officer, _customer = make_notice_world()
    case_id = case.id

    def issue(letter):
        letters.issue_letter(
            letter, issued_by=officer, locale="en", needs_post=False, now=utcnow(), today=TODAY
        )
        db.session.commit()
        return letter

    possible = next(
        p for p in letters.possible_letters(case) if p.kind == LetterKind.RESTRICTION_NOTICE
    )
    latest = issue(letters.draft_letter(case, possible, created_by=officer, now=utcnow()))
    sign_in(client, officer.email)
    page = url("cases.show", case_id=case_id)
    one = count_statements(app, client, page)
    for _ in range(3):  # corrected three times, and a fourth correction drafted
        latest = issue(letters.draft_correction(latest, created_by=officer, now=utcnow()))
    draft = letters.draft_correction(latest, created_by=officer, now=utcnow())
    reference = draft.reference
    assert count_statements(app, client, page) == one
    # What the evidence pack prints of each letter names its replacement.
    from portal.cases.chronology import chronology

    replaced = [
        dict((str(name), value) for name, value in event.details).get("Replaced by")
        for event in chronology(db.session.get(Case, case_id)).events
        if event.details and any(str(name) == "Replaced by" for name, _ in event.details)
    ]
    assert replaced[-1] == reference and len(replaced) == 4
