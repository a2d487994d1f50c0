"""The policy's versions in the browser's terms (issue 17): the owner drafts, dates the
approval stages, publishes; leadership reads; the review due is on the owner's and
leadership's home pages, impossible to miss when overdue; two versions side by side."""

import datetime as dt

from portal.clock import today
from portal.extensions import db
from portal.models.policy import PolicyVersion
from portal.models.types import utcnow
from portal.models.vocab import Role
from portal.policy import versions
from tests.factories import make_user
from tests.helpers import (
    check_page,
    date_fields,
    error_summary,
    parse,
    post_form,
    sign_in,
    sign_out,
    summary_list,
    table_rows,
    text_of,
    texts,
    url,
)

TODAY = today()


def version_due_on(due: dt.date, *, owner, number="1.0", text="1. Background\nWe listen."):
    """A version in force since a year ago whose review is due on ``due``."""
    started = TODAY - dt.timedelta(days=365)
    draft = versions.draft_next(created_by=owner, today=started)
    versions.save_draft(
        draft,
        saved_by=owner,
        number=number,
        full_text=text,
        eia_completed_on=started - dt.timedelta(days=60),
        eia_reviewed_on=started - dt.timedelta(days=30),
        approved_on=started,
        next_review_on=due,
    )
    return versions.publish(
        draft, in_force_from=started, published_by=owner, now=utcnow(), today=started
    )


def test_the_owner_drafts_dates_the_approvals_and_publishes_a_version(app, client):
    owner = make_user(Role.REVIEW_MANAGER)
    version_due_on(TODAY + dt.timedelta(days=300), owner=owner)
    sign_in(client, owner.email)
    index = client.get(url("policy.index"))
    check_page(index.get_data(as_text=True))
    assert summary_list(index, "#policy-in-force")["In force today"] == "Version 1.0"

    drafted = post_form(client, url("policy.new_draft"), {}, form_url=url("policy.index"))
    assert drafted.status_code == 303
    edit_url = drafted.headers["Location"]
    form = client.get(edit_url)
    check_page(form.get_data(as_text=True))
    [words] = parse(form).cssselect("textarea#full_text")
    assert words.text.strip() == "1. Background\nWe listen."  # the words in force

    # Half-filled: the error says what is missing and what was typed stays.
    refused = post_form(client, edit_url, {"number": "", "full_text": "Changed words"})
    assert refused.status_code == 400
    assert error_summary(refused) == ["Enter the version number"]
    assert parse(refused).cssselect("textarea#full_text")[0].text.strip() == "Changed words"

    fields = {
        "number": "2.0",
        "full_text": "1. Background\nWe listen carefully.",
        "changes": "Clearer about listening.",
        **date_fields("eia_completed_on", TODAY - dt.timedelta(days=40)),
        **date_fields("eia_reviewed_on", TODAY - dt.timedelta(days=20)),
    }
    saved = post_form(client, edit_url, fields)
    assert saved.status_code == 303
    show_url = saved.headers["Location"]

    # Not yet approved by leadership: publishing is refused, plainly.
    publish_url = url("policy.publish", version_id=int(show_url.rsplit("/", 1)[1]))
    refused = post_form(client, publish_url, date_fields("in_force_from", TODAY), form_url=show_url)
    assert refused.status_code == 400
    check_page(refused.get_data(as_text=True))
    assert error_summary(refused) == ["Record the date of every approval stage before publishing."]

    post_form(client, edit_url, {**fields, **date_fields("approved_on", TODAY)})
    published = post_form(
        client, publish_url, date_fields("in_force_from", TODAY), form_url=show_url
    )
    assert published.status_code == 303
    page = client.get(show_url)
    check_page(page.get_data(as_text=True))
    facts = summary_list(page, "#version-facts")
    assert facts["Status"] == "Published"
    assert facts["Approved by the senior leadership team"] == f"{TODAY.day} {TODAY:%B %Y}"
    assert "Edit the draft" not in page.get_data(as_text=True)  # frozen
    # The edit page of a published version sends the person back, saying why.
    assert client.get(edit_url).status_code == 303
    assert versions.in_force_on(TODAY).number == "2.0"


def test_leadership_reads_and_compares_but_cannot_draft(app, client):
    owner = make_user(Role.REVIEW_MANAGER)
    leader = make_user(Role.LEADERSHIP)
    version_due_on(TODAY + dt.timedelta(days=300), owner=owner)
    draft = versions.draft_next(created_by=owner, today=TODAY)
    versions.save_draft(draft, saved_by=owner, full_text="1. Background\nWe listen carefully.")
    sign_in(client, leader.email)
    index = client.get(url("policy.index"))
    assert parse(index).cssselect("form[action='/staff/policy/draft']") == []
    page = client.get(url("policy.compare"))
    check_page(page.get_data(as_text=True))
    assert texts(page, "#compare-summary") == ["1 paragraph differs."]
    rows = table_rows(page, "Version 1.0 beside version 2.0")
    assert rows == [
        ["1. Background", "1. Background"],
        ["Changed: We listen.", "Changed: We listen carefully."],
    ]
    only = client.get(url("policy.compare", changed=1))
    assert table_rows(only, "Version 1.0 beside version 2.0") == rows[1:]
    [removed] = parse(page).cssselect("td del")
    [added] = parse(page).cssselect("td ins")
    assert (text_of(removed), text_of(added)) == (
        "Changed: We listen.",
        "Changed: We listen carefully.",
    )
    assert client.get(url("policy.edit", version_id=draft.id)).status_code == 403


def test_the_review_due_shows_on_the_owners_and_leaderships_home_pages(app, client):
    owner = make_user(Role.REVIEW_MANAGER)
    leader = make_user(Role.LEADERSHIP)
    version = version_due_on(TODAY + dt.timedelta(days=60), owner=owner)
    sign_in(client, leader.email)
    home = client.get(url("staff.reports"))
    [warning] = parse(home).cssselect("#policy-review-due")
    assert "due for review by" in text_of(warning) and "in 60 days" in text_of(warning)

    # Overdue: the owner's home page says so in an alert at the top. (Moved in the table
    # itself: a published version's dates cannot be changed through the portal.)
    sign_out(client)
    sign_in(client, owner.email)
    late = TODAY - dt.timedelta(days=1)
    db.session.execute(
        PolicyVersion.__table__.update()
        .where(PolicyVersion.id == version.id)
        .values(next_review_on=late)
    )
    db.session.commit()
    page = client.get(url("staff.reviews"))
    check_page(page.get_data(as_text=True))
    [alert] = parse(page).cssselect("#policy-review-due")
    assert "govuk-error-summary" in alert.get("class")
    assert "The policy's review is overdue" in text_of(alert)


def test_no_warning_while_the_review_is_far_off(app, client):
    owner = make_user(Role.REVIEW_MANAGER)
    version_due_on(TODAY + dt.timedelta(days=300), owner=owner)
    sign_in(client, owner.email)
    assert parse(client.get(url("staff.reviews"))).cssselect("#policy-review-due") == []


def test_the_documents_the_policy_names_are_linked_where_the_admin_says(app, client):
    admin = make_user(Role.ADMIN)
    sign_in(client, admin.email)
    page_url = url("policy.related_documents")
    form = client.get(page_url)
    check_page(form.get_data(as_text=True))
    refused = post_form(
        client,
        page_url,
        {"complaints_policy": "javascript:alert(1)", "anti_social_behaviour_policy": "https://x"},
    )
    assert refused.status_code == 400
    assert error_summary(refused) == ["Enter a web address that starts with https://"]
    saved = post_form(
        client,
        page_url,
        {
            "complaints_policy": "https://www.alliancehomes.org.uk/complaints-policy",
            "anti_social_behaviour_policy": "https://www.alliancehomes.org.uk/asb",
        },
    )
    assert saved.status_code == 303
    sign_out(client)

    public = client.get(url("public.policy"))
    check_page(public.get_data(as_text=True))
    items = parse(public).cssselect("#related-documents li")
    assert [(text_of(li), [a.get("href") for a in li.cssselect("a")]) for li in items] == [
        ("Complaints Policy", ["https://www.alliancehomes.org.uk/complaints-policy"]),
        ("Complaint Handling Procedure", []),
        ("Bullying and Harassment Policy", []),
        ("Anti-Social Behaviour Policy", ["https://www.alliancehomes.org.uk/asb"]),
    ]


def test_the_public_page_names_the_version_in_force_and_offers_its_full_text(app, client):
    none_yet = client.get(url("public.policy_full_text"))  # none published: say so
    assert none_yet.status_code == 200 and texts(none_yet, "#no-version")
    assert parse(client.get(url("public.policy"))).cssselect("#policy-version") == []
    owner = make_user(Role.REVIEW_MANAGER)
    version = version_due_on(TODAY + dt.timedelta(days=300), owner=owner)
    page = client.get(url("public.policy", lang="cy"))
    check_page(page.get_data(as_text=True))
    [said] = texts(page, "#policy-version")
    assert version.number in said
    full = client.get(url("public.policy_full_text"))
    check_page(full.get_data(as_text=True))
    [text] = parse(full).cssselect("#policy-text")
    assert text.get("lang") == "en"
    assert [text_of(p) for p in text.cssselect("p")] == ["1. Background", "We listen."]
