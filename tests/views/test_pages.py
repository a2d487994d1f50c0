"""Every page each demo role can reach passes the page checks, in English and in Welsh."""

import pytest

from portal.clock import today
from portal.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, load_demo_data
from portal.navigation import navigation_for
from tests.helpers import check_page, parse, sign_in, summary_list, table_rows, text_of, texts, url

PUBLIC_PAGES = ["public.start", "public.accessibility", "public.housing_ombudsman", "auth.sign_in"]


@pytest.fixture
def demo(app):
    load_demo_data(today(), allowed=True)
    return app


@pytest.mark.parametrize("language", ["en", "cy"])
def test_public_pages(demo, language):
    client = demo.test_client()
    titles = set()
    for endpoint in PUBLIC_PAGES:
        response = client.get(url(endpoint, lang=language))
        assert response.status_code == 200, endpoint
        titles.add(check_page(response.get_data(as_text=True)).title)
    assert len(titles) == len(PUBLIC_PAGES), "page titles must be unique"


@pytest.mark.parametrize("language", ["en", "cy"])
@pytest.mark.parametrize("email", [account[0] for account in DEMO_ACCOUNTS])
def test_every_page_each_demo_account_can_reach(demo, email, language):
    from portal.extensions import db
    from portal.models import User

    client = demo.test_client()
    client.get(url("auth.sign_in", lang=language))
    sign_in(client, email, DEMO_PASSWORD)
    user = db.session.scalar(db.select(User).where(User.email == email))
    items = navigation_for(user)
    assert items, "every demo account has a home"
    for item in items:
        page_url = url(item.endpoint)
        response = client.get(page_url)
        assert response.status_code == 200, page_url
        page = check_page(response.get_data(as_text=True))
        assert page.html_attrs["lang"] == ("en-GB" if language == "en" else "cy")


def test_the_customer_home_shows_the_restriction_and_a_new_letter(demo):
    client = demo.test_client()
    sign_in(client, "jordan.ellis@example.com", DEMO_PASSWORD)
    home = client.get(url("my.home"))
    [restriction] = parse(home).cssselect("main .govuk-summary-card")
    sentences = " ".join(text_of(li) for li in restriction.cssselect("li"))
    assert "You can contact us by email only." in sentences
    assert "up to 3 times a week (Monday to Sunday)" in sentences
    assert "Monday to Friday, from 09:00 to 17:00" in sentences
    assert summary_list(home, ".govuk-summary-card")["Next review"]
    assert "New" in texts(home, "main td .govuk-tag")  # the unopened letter


def test_the_review_manager_sees_the_overdue_review_and_the_proposal(demo):
    client = demo.test_client()
    sign_in(client, "reviews@example.com", DEMO_PASSWORD)
    reviews = client.get(url("staff.reviews"))
    due = [row[3] for row in table_rows(reviews, "Reviews overdue or due in the next 14 days")]
    assert any(d.endswith(" Overdue") for d in due) and any(d.endswith(" Due soon") for d in due)
    # The proposed restriction waiting for approval.
    waiting = table_rows(reviews, "Restrictions waiting for your approval")
    assert "Siân Morgan" in [row[1] for row in waiting]


def test_the_advocate_sees_only_the_customer_who_authorised_them(demo):
    client = demo.test_client()
    sign_in(client, "priya.shah@example.com", DEMO_PASSWORD)
    home = client.get(url("advocate.home"))
    # One summary card a person, no table to cut off at 390px (issue 15 item 12).
    assert texts(home, "main .govuk-summary-card__title a") == ["Siân Morgan"]
    assert parse(home).cssselect("main table") == []
    page_text = text_of(parse(home))
    assert "Jordan Ellis" not in page_text and "Marek Kowalski" not in page_text


def test_leadership_sees_counts_but_no_names(demo):
    client = demo.test_client()
    sign_in(client, "leadership@example.com", DEMO_PASSWORD)
    reports = client.get(url("staff.reports"))
    assert summary_list(reports)["Restrictions in place"].isdigit()
    page_text = text_of(parse(reports))
    for _email, name, _roles in DEMO_ACCOUNTS:
        if name != "Grace Lewis":
            assert name not in page_text
