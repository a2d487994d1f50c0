"""Issue 15 item 9: lists that can grow say how much there is, a page at a time
(GOV.UK pagination), with a choice of order where people expect one."""

import datetime as dt

from portal.clock import today
from portal.customer_records.services import SEARCH_LIMIT
from portal.extensions import db
from portal.models import Customer
from portal.models.vocab import Role
from portal.pagination import PER_PAGE
from tests.factories import make_active_restriction, make_customer, make_ready_case, make_user
from tests.helpers import csrf_token, parse, sign_in, text_of, texts, url

TODAY = today()


def search_for(client, query: str):
    search = url("customer_records.search")
    return client.post(search, data={"csrf_token": csrf_token(client, search), "q": query})


def add_customers(number: int, surname: str) -> None:
    db.session.add_all(
        Customer(reference=f"T-8{n:05d}", full_name=f"Alex {surname} {n:03d}", postcode="BS1 4DJ")
        for n in range(number)
    )
    db.session.commit()


def test_a_search_that_finds_more_than_it_shows_says_so(app, client):
    add_customers(SEARCH_LIMIT + 7, "Kowal")
    sign_in(client, make_user(Role.CASE_OFFICER).email)
    response = search_for(client, "kowal")
    assert texts(response, "main h2") == [f"{SEARCH_LIMIT + 7} customers found"]
    assert len(texts(response, "tbody td a")) == SEARCH_LIMIT
    [note] = texts(response, ".portal-search-cut")
    assert note.startswith(f"Showing the first {SEARCH_LIMIT}, in order of name.")
    assert "Add more of the name" in note


def test_a_search_counts_its_matches_only_so_far(app, client, monkeypatch):
    """A common surname matches thousands at a large landlord: the matches are counted up
    to a bound, and the page says "more than" (issue 18)."""
    from portal.customer_records import services

    monkeypatch.setattr(services, "COUNTED_AT_MOST", SEARCH_LIMIT + 2)
    add_customers(SEARCH_LIMIT + 4, "Kowal")
    sign_in(client, make_user(Role.CASE_OFFICER).email)
    response = search_for(client, "kowal")
    assert texts(response, "main h2") == [f"More than {SEARCH_LIMIT + 2} customers found"]
    assert len(texts(response, "tbody td a")) == SEARCH_LIMIT
    assert texts(response, ".portal-search-cut")[0].startswith("Showing the first")


def test_a_search_that_shows_everything_adds_no_note(app, client):
    add_customers(3, "Nowicki")
    sign_in(client, make_user(Role.CASE_OFFICER).email)
    response = search_for(client, "nowicki")
    assert texts(response, "main h2") == ["3 customers found"]
    assert texts(response, ".portal-search-cut") == []


def caseload(officer, number):
    """``number`` open cases, opened a day apart; case i reviewed i days from now."""
    manager = make_user(Role.REVIEW_MANAGER)
    references = []
    for n in range(number):
        case = make_ready_case(make_customer(), officer)
        case.reference = f"MB-P-{n:03d}"
        case.opened_at = case.opened_at - dt.timedelta(days=number - n)  # later n, newer
        db.session.commit()
        make_active_restriction(
            case,
            officer,
            manager,
            starts_on=TODAY - dt.timedelta(days=10),
            next_review_on=TODAY + dt.timedelta(days=n + 1),
        )
        references.append(case.reference)
    return references


def case_references(response) -> list[str]:
    return [text_of(a) for a in parse(response).cssselect("main table tbody tr td:first-child a")]


def test_the_case_list_is_paged_with_gov_uk_pagination(app, client):
    officer = make_user(Role.CASE_OFFICER)
    references = caseload(officer, PER_PAGE + 3)
    sign_in(client, officer.email)
    first = client.get(url("staff.cases"))
    assert case_references(first) == references[:PER_PAGE]  # soonest review first
    assert texts(first, ".portal-page-summary") == [f"Showing 1 to {PER_PAGE} of {PER_PAGE + 3}"]
    nav = parse(first).cssselect("nav.govuk-pagination")[0]
    pages = nav.cssselect(".govuk-pagination__item a")
    assert [(text_of(a), a.get("aria-current")) for a in pages] == [("1", "page"), ("2", None)]
    [next_link] = nav.cssselect('a[rel="next"]')
    assert next_link.get("href") == url("staff.cases", page=2)
    second = client.get(next_link.get("href"))
    assert case_references(second) == references[PER_PAGE:]
    assert parse(second).cssselect('nav.govuk-pagination a[rel="prev"]')[0].get("href") == url(
        "staff.cases"
    )
    # A page past the end shows the last page; nonsense shows the first.
    assert case_references(client.get(url("staff.cases", page=99))) == references[PER_PAGE:]
    assert case_references(client.get(url("staff.cases", page="x"))) == references[:PER_PAGE]


def test_the_case_list_sorts_by_date_opened_and_keeps_the_order_across_pages(app, client):
    officer = make_user(Role.CASE_OFFICER)
    references = caseload(officer, PER_PAGE + 2)
    sign_in(client, officer.email)
    page = parse(client.get(url("staff.cases")))
    options = [(o.get("value"), text_of(o)) for o in page.cssselect("form select#sort option")]
    assert options == [
        ("next_review", "Next review date"),
        ("opened_newest", "Date opened, newest first"),
        ("opened_oldest", "Date opened, oldest first"),
    ]
    newest = client.get(url("staff.cases", sort="opened_newest"))
    assert case_references(newest) == list(reversed(references))[:PER_PAGE]
    [next_link] = parse(newest).cssselect('nav.govuk-pagination a[rel="next"]')
    assert next_link.get("href") == url("staff.cases", sort="opened_newest", page=2)
    assert (
        case_references(client.get(next_link.get("href"))) == list(reversed(references))[PER_PAGE:]
    )
    # An order the page does not offer falls back to the default.
    assert (
        case_references(client.get(url("staff.cases", sort="drop table"))) == references[:PER_PAGE]
    )


def test_a_short_case_list_has_no_pagination(app, client):
    officer = make_user(Role.CASE_OFFICER)
    caseload(officer, 2)
    sign_in(client, officer.email)
    response = client.get(url("staff.cases"))
    assert parse(response).cssselect("nav.govuk-pagination") == []
    assert texts(response, ".portal-page-summary") == []


def test_the_audit_page_is_paged_newest_first_and_nothing_is_cut_off(app, client):
    from portal import audit
    from portal.cases.routes import AUDIT_PER_PAGE

    manager = make_user(Role.REVIEW_MANAGER)
    case = make_ready_case(make_customer(), make_user(Role.CASE_OFFICER))
    for n in range(AUDIT_PER_PAGE + 5):
        audit.record(
            "customer_view",
            actor=manager,
            object_type="customer",
            object_id=n,
            customer_id=case.customer_id,
        )
    db.session.commit()
    sign_in(client, manager.email)
    first = client.get(url("cases.audit_history", case_id=case.id))
    rows = parse(first).cssselect("main table tbody tr")
    assert len(rows) == AUDIT_PER_PAGE
    [summary] = texts(first, ".portal-page-summary")
    assert summary.startswith(f"Showing 1 to {AUDIT_PER_PAGE} of ")
    total = int(summary.rsplit(" ", 1)[1])
    assert total >= AUDIT_PER_PAGE + 5
    [next_link] = parse(first).cssselect('nav.govuk-pagination a[rel="next"]')
    assert next_link.get("href") == url("cases.audit_history", case_id=case.id, page=2)
    second = client.get(next_link.get("href"))
    assert len(parse(second).cssselect("main table tbody tr")) == total - AUDIT_PER_PAGE


def test_older_imports_are_paged_not_hidden(app, client):
    from portal.customer_imports.routes import IMPORTS_PER_PAGE
    from portal.models import ImportRun

    steward = make_user(Role.DATA_STEWARD)
    db.session.add_all(
        ImportRun(uploaded_by_id=steward.id, file_name=f"customers-{n:02d}.csv", sha256="0" * 64)
        for n in range(IMPORTS_PER_PAGE + 2)
    )
    db.session.commit()
    sign_in(client, steward.email)
    first = client.get(url("customer_imports.index"))
    files = [text_of(a) for a in parse(first).cssselect("main table tbody td:first-child a")]
    assert files == [f"customers-{n:02d}.csv" for n in range(IMPORTS_PER_PAGE + 1, 1, -1)]
    [next_link] = parse(first).cssselect('nav.govuk-pagination a[rel="next"]')
    second = client.get(next_link.get("href"))
    files = [text_of(a) for a in parse(second).cssselect("main table tbody td:first-child a")]
    assert files == ["customers-01.csv", "customers-00.csv"]


def route_contacts(officer, number: int) -> None:
    from portal.models import ContactLogEntry
    from portal.models.types import utcnow
    from portal.models.vocab import ContactChannel, ContactFinding

    customer = make_customer(full_name="Routed Person")
    for n in range(number):
        db.session.add(
            ContactLogEntry(
                customer_id=customer.id,
                occurred_at=utcnow() - dt.timedelta(hours=n),
                channel=ContactChannel.TELEPHONE,
                finding=ContactFinding.NO_RESTRICTION,
                summary=f"Call {n}",
                logged_by_id=officer.id,
                routed_to_user_id=officer.id,
            )
        )
    db.session.commit()


def test_the_routed_contacts_page_on_their_own_beside_the_cases(app, client):
    officer = make_user(Role.CASE_OFFICER)
    references = caseload(officer, PER_PAGE + 1)
    route_contacts(officer, PER_PAGE + 1)
    sign_in(client, officer.email)
    page = parse(client.get(url("staff.cases", page=2)))
    navs = page.cssselect("nav.govuk-pagination")
    assert len(navs) == 2
    contacts_next = navs[1].cssselect('a[rel="next"]')[0].get("href")
    assert contacts_next == url("staff.cases", page=2, contacts_page=2)
    both = client.get(contacts_next)
    assert case_references(both) == references[PER_PAGE:]  # the cases stay on page 2
    assert (
        texts(both, ".portal-page-summary")[1]
        == f"Showing {PER_PAGE + 1} to {PER_PAGE + 1} of {PER_PAGE + 1}"
    )


def test_routed_contacts_are_counted_only_up_to_a_limit_and_say_there_are_more(
    app, client, monkeypatch
):
    """Counting every contact ever routed to someone took 300 ms at a large landlord's
    scale (issue 18): the list offers the latest ones and says so."""
    from portal.staff import routes

    monkeypatch.setattr(routes, "ROUTED_SHOWN", PER_PAGE + 1)
    officer = make_user(Role.CASE_OFFICER)
    route_contacts(officer, PER_PAGE + 5)
    sign_in(client, officer.email)
    first = client.get(url("staff.cases"))
    assert texts(first, ".portal-page-summary") == [
        f"Showing 1 to {PER_PAGE} of the latest {PER_PAGE + 1}"
    ]
    last = client.get(url("staff.cases", contacts_page=99))  # past the end: the last page
    shown = PER_PAGE + 1
    assert texts(last, ".portal-page-summary") == [
        f"Showing {shown} to {shown} of the latest {shown}"
    ]


def test_the_reviews_due_queue_is_paged_and_keeps_the_other_queues_page(app, client):
    """A fortnight's reviews due run to hundreds at a large landlord (issue 18): the review
    manager's queue is paged, most overdue first, by its own address argument."""
    officer, manager = make_user(Role.CASE_OFFICER), make_user(Role.REVIEW_MANAGER)
    number = PER_PAGE + 2
    references = []
    for n in range(number):
        case = make_ready_case(make_customer(), officer)
        case.reference = f"MB-R-{n:03d}"
        db.session.commit()
        make_active_restriction(
            case,
            officer,
            manager,
            starts_on=TODAY - dt.timedelta(days=60),
            ends_on=TODAY + dt.timedelta(days=120),
            next_review_on=TODAY - dt.timedelta(days=number - n),  # later n, less overdue
        )
        references.append(case.reference)
    sign_in(client, manager.email)
    first = client.get(url("staff.reviews", ended_page=3))
    assert case_references(first) == references[:PER_PAGE]
    assert texts(first, ".portal-page-summary") == [f"Showing 1 to {PER_PAGE} of {number}"]
    [nav] = parse(first).cssselect("nav.govuk-pagination")
    assert nav.get("aria-label") == "Reviews overdue or due in the next 14 days"
    next_link = nav.cssselect('a[rel="next"]')[0].get("href")
    assert next_link == url("staff.reviews", ended_page=3, due_page=2)
    assert case_references(client.get(next_link)) == references[PER_PAGE:]


def test_two_paged_lists_on_one_page_name_their_navigation_apart(app, client):
    """Two landmarks called "Pages" on one page cannot be told apart by a screen reader's
    landmark list (WCAG 1.3.1, axe landmark-unique): each takes its table's caption."""
    officer = make_user(Role.CASE_OFFICER)
    caseload(officer, PER_PAGE + 1)
    route_contacts(officer, PER_PAGE + 1)
    sign_in(client, officer.email)
    navs = parse(client.get(url("staff.cases"))).cssselect("nav.govuk-pagination")
    assert [nav.get("aria-label") for nav in navs] == [
        "Open cases you hold",
        "Contacts passed to you as single point of contact",
    ]
