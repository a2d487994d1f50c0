"""The synthetic data set (issue 18 item 1) and what it proves (item 3): every list,
dashboard and detail page runs the same number of SQL statements with a hundred rows
behind it as with ten thousand. Both databases.
"""

import sqlalchemy as sa
from click.testing import CliRunner
from sqlalchemy import event

from portal.clock import today
from portal.demo import load_demo_data
from portal.demo.synthetic import DemoStaffMissing, generate
from portal.extensions import db
from portal.models import Case, ContactLogEntry, Customer, KeptReportFigures, Restriction, User
from portal.models.vocab import RestrictionStatus
from tests.helpers import csrf_token, sign_in

OFFICER, SAM = "officer@example.com", "sam.patel@example.com"
# Who reads which pages: every list, dashboard and detail page of each role's day.
PAGES = {
    OFFICER: ["/staff/cases", "/staff/cases?page=2", "/staff/customers", "/staff/letters/post"],
    SAM: ["/staff/cases", "/staff/community-safety"],
    "reviews@example.com": ["/staff/reviews", "/staff/reports"],
    "director@example.com": ["/staff/appeals", "/staff/appeals/decided"],
    "leadership@example.com": [
        "/staff/reports/annual?start=2025-04-01&end=2026-03-31",
        "/staff/reports/equality?start=2025-04-01&end=2026-03-31",
    ],
    "jordan.ellis@example.com": ["/my/", "/my/needs", "/my/advocates", "/accessibility"],
    "priya.shah@example.com": ["/advocate/"],
}


def _statements(client, page: str, form: dict | None = None) -> int:
    count = []

    def record(*_args):
        count.append(1)

    data = {"csrf_token": csrf_token(client, page), **form} if form else None
    event.listen(db.engine, "before_cursor_execute", record)
    try:
        response = client.post(page, data=data) if form else client.get(page)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert response.status_code == 200, (page, response.status_code)
    return len(count)


def _first_generated(model, *where):
    return db.session.scalar(sa.select(model.id).where(*where).order_by(model.id).limit(1))


def _counts(clients: dict, details: dict) -> dict:
    # The annual report's closed periods are kept once worked out (reports/annual/kept.py):
    # forget them, so both sizes count the statements that work the figures out.
    db.session.execute(sa.delete(KeptReportFigures))
    db.session.commit()
    counts = {
        (email, page): _statements(clients[email], page)
        for email, pages in PAGES.items()
        for page in pages
    }
    for page in details.values():
        counts[(OFFICER, page)] = _statements(clients[OFFICER], page)
    search = {"q": "Nowak"}  # a name the generator uses: matches grow with the data
    counts[(OFFICER, "search")] = _statements(clients[OFFICER], "/staff/customers", search)
    return counts


def test_every_page_runs_as_many_statements_at_ten_thousand_rows_as_at_a_hundred(app):
    load_demo_data(today(), allowed=True)
    small = generate(100, 20, today=today(), contacts_per_restriction=5)
    assert small["customers"] == 100 and small["cases"] == 20
    officer_id = db.session.scalar(sa.select(User.id).where(User.email == OFFICER))
    case_id = _first_generated(
        Case, Case.reference.like("SYN-%"), Case.case_officer_id == officer_id
    )
    restriction_id = _first_generated(
        Restriction,
        Restriction.case_id.in_(
            sa.select(Case.id).where(
                Case.reference.like("SYN-%"), Case.case_officer_id == officer_id
            )
        ),
    )
    customer_id = db.session.scalar(sa.select(Case.customer_id).where(Case.id == case_id))
    details = {
        "case": f"/staff/cases/{case_id}",
        "customer": f"/staff/customers/{customer_id}",
        "restriction": f"/staff/restrictions/{restriction_id}",
    }
    clients = {}
    for email in PAGES:
        clients[email] = app.test_client()
        sign_in(clients[email], email, "demo-portal-2026")
    few = _counts(clients, details)

    more = generate(2_000, 400, today=today(), contacts_per_restriction=25, seed=2)
    assert sum(more.values()) > 10_000
    many = _counts(clients, details)

    assert many == few
    # The customer home loads the restrictions once, for the page and for the layout's
    # ways to reach us, with their single point of contact (issue 18: it was 13).
    assert few[("jordan.ellis@example.com", "/my/")] <= 9, few  # 8, and SQLite's BEGIN
    # A page of its own with nothing to load: the session with the user, their roles and
    # customer record, then the restrictions in force with their measures, for the layout.
    assert few[("jordan.ellis@example.com", "/accessibility")] <= 3, few
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ContactLogEntry)) > 3_000


def test_the_generated_set_is_worked_by_the_demo_staff_and_hangs_together(app):
    load_demo_data(today(), allowed=True)
    counts = generate(300, 60, today=today(), contacts_per_restriction=10)
    assert counts["customers"] == 300 and counts["cases"] == 60
    restrictions = counts["restrictions"]
    assert counts["contact_log_entries"] == restrictions * 10
    officers = set(
        db.session.scalars(
            sa.select(User.email)
            .join(Case, Case.case_officer_id == User.id)
            .where(Case.reference.like("SYN-%"))
        )
    )
    assert officers == {OFFICER, SAM}
    active = db.session.scalar(
        sa.select(sa.func.count(Restriction.id)).where(
            Restriction.status == RestrictionStatus.ACTIVE
        )
    )
    assert active > 0
    # Run again: numbering continues, nothing collides.
    again = generate(50, 10, today=today(), contacts_per_restriction=1, seed=3)
    assert again["customers"] == 50
    assert (
        db.session.scalar(
            sa.select(sa.func.count(Customer.id)).where(Customer.reference.like("SYN-%"))
        )
        == 350
    )


def test_without_the_demo_staff_it_says_to_load_them_first(app):
    import pytest

    with pytest.raises(DemoStaffMissing, match="flask demo load"):
        generate(10, 2, today=today())


def test_the_command_loads_the_demo_data_and_reports_what_it_added(app):
    result = CliRunner().invoke(
        app.cli,
        [
            "demo",
            "generate",
            "--customers",
            "40",
            "--cases",
            "8",
            "--contacts-per-restriction",
            "2",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "customers: 40 rows added" in result.output
    refused = CliRunner().invoke(app.cli, ["demo", "generate", "--customers", "4", "--cases", "8"])
    assert refused.exit_code == 2 and "more cases than customers" in refused.output
