"""The to-do list on each staff home page (issue 15 item 7), read from the parsed page:
the items link where the work is done, and say so when there is nothing to do."""

from portal import clock
from portal.extensions import db
from portal.models.vocab import RestrictionStatus, Role
from tests.factories import make_active_restriction, make_customer, make_ready_case, make_user
from tests.helpers import check_page, parse, text_of, url

TODAY = clock.today()


def to_do_links(response) -> list[tuple[str, str]]:
    section = parse(response).cssselect("section#to-do")[0]
    assert text_of(section.cssselect("h2")[0]) == "To do"
    return [(text_of(a), a.get("href")) for a in section.cssselect("li a")]


def test_the_review_managers_home_lists_proposals_waiting(app, client, login_as):
    officer = make_user(Role.CASE_OFFICER)
    login_as(Role.REVIEW_MANAGER)
    case = make_ready_case(make_customer(), officer)
    restriction = make_active_restriction(
        case, officer, make_user(Role.REVIEW_MANAGER), starts_on=TODAY
    )
    restriction.status = RestrictionStatus.PROPOSED
    restriction.approved_by_id = restriction.approved_at = None
    db.session.commit()
    response = client.get(url("staff.reviews"))
    assert response.status_code == 200
    check_page(response.get_data(as_text=True))
    assert to_do_links(response) == [
        ("1 proposed restriction is waiting for your approval", url("staff.reviews"))
    ]


def test_the_case_officers_home_links_each_letter_to_issue(app, client, login_as):
    officer = login_as(Role.CASE_OFFICER)
    case = make_ready_case(make_customer(), officer)
    make_active_restriction(case, officer, make_user(Role.REVIEW_MANAGER), starts_on=TODAY)
    response = client.get(url("staff.cases"))
    assert to_do_links(response) == [
        (
            f"Issue the letter for the restriction approved on case {case.reference}",
            url("letters.new", case_id=case.id),
        )
    ]


def test_an_empty_list_says_nothing_needs_you(app, client, login_as):
    login_as(Role.COMMUNITY_SAFETY)
    response = client.get(url("staff.community_safety"))
    assert to_do_links(response) == []
    section = parse(response).cssselect("section#to-do")[0]
    assert "Nothing needs you at the moment." in text_of(section)


def test_many_letters_to_issue_lead_to_their_own_page(app, client, login_as):
    """Past the oldest few, the to-do list counts the letters waiting and leads to a page
    listing them all (issue 18); the page is checked like every other."""
    from portal.notices.to_do import LETTERS_NAMED
    from tests.helpers import table_rows

    officer = login_as(Role.CASE_OFFICER)
    manager = make_user(Role.REVIEW_MANAGER)
    cases = [make_ready_case(make_customer(), officer) for _ in range(LETTERS_NAMED + 1)]
    for case in cases:
        make_active_restriction(case, officer, manager, starts_on=TODAY)
    links = to_do_links(client.get(url("staff.cases")))
    assert len(links) == LETTERS_NAMED + 1
    assert links[-1] == (
        "1 more restriction is waiting for its letter",
        url("staff.letters_to_issue"),
    )
    page = client.get(url("staff.letters_to_issue"))
    assert page.status_code == 200
    check_page(page.get_data(as_text=True))
    rows = table_rows(page, "Approved restrictions waiting for their letters, oldest first")
    assert [row[0] for row in rows] == [case.reference for case in cases]
    assert [row[2] for row in rows] == [f"Issue the letter for case {c.reference}" for c in cases]
    issue_links = {a.get("href") for a in parse(page).cssselect("table a")}
    assert {url("letters.new", case_id=case.id) for case in cases} <= issue_links
