"""Every page each demo role can reach passes the page checks, in English and in Welsh."""

import pytest
from flask import url_for

from portal.clock import today
from portal.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, load_demo_data
from portal.navigation import navigation_for
from tests.helpers import check_page, sign_in

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
        with demo.test_request_context():
            url = url_for(endpoint, lang=language)
        response = client.get(url)
        assert response.status_code == 200, endpoint
        titles.add(check_page(response.get_data(as_text=True)).title)
    assert len(titles) == len(PUBLIC_PAGES), "page titles must be unique"


@pytest.mark.parametrize("language", ["en", "cy"])
@pytest.mark.parametrize("email", [account[0] for account in DEMO_ACCOUNTS])
def test_every_page_each_demo_account_can_reach(demo, email, language):
    from portal.extensions import db
    from portal.models import User

    client = demo.test_client()
    client.get(f"/sign-in?lang={language}")
    sign_in(client, email, DEMO_PASSWORD)
    user = db.session.scalar(db.select(User).where(User.email == email))
    items = navigation_for(user)
    assert items, "every demo account has a home"
    for item in items:
        with demo.test_request_context():
            url = url_for(item.endpoint)
        response = client.get(url)
        assert response.status_code == 200, url
        page = check_page(response.get_data(as_text=True))
        assert page.html_attrs["lang"] == ("en-GB" if language == "en" else "cy")


def test_the_customer_home_shows_the_restriction_and_a_new_letter(demo):
    client = demo.test_client()
    sign_in(client, "jordan.ellis@example.com", DEMO_PASSWORD)
    html = client.get("/my/").get_data(as_text=True)
    assert "You can contact us by email only." in html
    assert "up to 3 times a week (Monday to Sunday)" in html
    assert "Monday to Friday, from 09:00 to 17:00" in html
    assert "Next review" in html
    assert "New" in html  # the unopened letter


def test_the_review_manager_sees_the_overdue_review_and_the_proposal(demo):
    client = demo.test_client()
    sign_in(client, "reviews@example.com", DEMO_PASSWORD)
    html = client.get("/staff/reviews").get_data(as_text=True)
    assert "Overdue" in html and "Due soon" in html
    assert "Siân Morgan" in html  # the proposed restriction waiting for approval


def test_the_advocate_sees_only_the_customer_who_authorised_them(demo):
    client = demo.test_client()
    sign_in(client, "priya.shah@example.com", DEMO_PASSWORD)
    html = client.get("/advocate/").get_data(as_text=True)
    assert "Siân Morgan" in html
    assert "Jordan Ellis" not in html and "Marek Kowalski" not in html


def test_leadership_sees_counts_but_no_names(demo):
    client = demo.test_client()
    sign_in(client, "leadership@example.com", DEMO_PASSWORD)
    html = client.get("/staff/reports").get_data(as_text=True)
    assert "Restrictions in place" in html
    for _email, name, _roles in DEMO_ACCOUNTS:
        if name != "Grace Lewis":
            assert name not in html
