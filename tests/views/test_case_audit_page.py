"""The case's audit page reads as words with named, linked records, not codes such as
"case_view" or "restriction 2" (issue 15 item 12)."""

from portal.models.vocab import Role
from tests.helpers import parse, sign_in, sign_out, text_of, url
from tests.letter_fixtures import make_notice_world


def test_the_audit_page_names_events_and_links_records(app, client):
    case, restriction, officer, _customer = make_notice_world()
    sign_in(client, officer.email)
    client.get(url("cases.show", case_id=case.id))
    client.get(url("restrictions.show", restriction_id=restriction.id))
    sign_out(client)
    manager = restriction.approved_by
    assert Role.REVIEW_MANAGER in {grant.role for grant in manager.role_grants}
    sign_in(client, manager.email)
    page = parse(client.get(url("cases.audit_history", case_id=case.id)))
    rows = [[text_of(cell) for cell in row.cssselect("td")] for row in page.cssselect("tbody tr")]
    whats = {row[2] for row in rows}
    assert {"Case viewed", "Restriction viewed"} <= whats
    assert not any("_" in what for what in whats)
    links = {text_of(a): a.get("href") for a in page.cssselect("tbody a")}
    assert links[case.reference] == url("cases.show", case_id=case.id)
    [restriction_link] = [name for name in links if name.startswith("Restriction from ")]
    assert links[restriction_link] == url("restrictions.show", restriction_id=restriction.id)
    assert f"restriction {restriction.id}" not in text_of(page)
