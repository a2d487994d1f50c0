"""Issue 15 items 4 and 5 in Chromium, in English and in Arabic (right to left):

a customer whose record says Polish signs in and the portal opens in Polish, with the
switcher to change it; a restriction that starts in four days says when it starts, not
"In place"; with an appeal open, the customer sees when we will answer it and is not
offered to appeal again.
"""

import datetime as dt

import pytest
from flask_babel import force_locale
from playwright.sync_api import expect

from portal.challenges import rules
from portal.challenges import where_it_stands as status
from portal.clock import today
from portal.config import BABEL_LOCALE_FOR
from portal.extensions import db
from portal.formatting import long_date
from portal.models import Appeal
from portal.models.types import utcnow
from portal.models.vocab import Role
from tests.browser.helpers import LIVE_APP, axe_violations, sign_in
from tests.factories import (
    TEST_PASSWORD,
    make_active_restriction,
    make_customer,
    make_ready_case,
    make_user,
)

pytestmark = pytest.mark.browser


def in_live_app(make):
    """Run ``make`` against the served portal's database (demo data untouched)."""
    app = LIVE_APP["app"]
    with app.app_context():
        try:
            return make()
        finally:
            db.session.remove()


def customer_with_restriction(email: str, locale: str, starts_in_days: int, with_appeal=False):
    def make():
        officer, manager = make_user(Role.CASE_OFFICER), make_user(Role.REVIEW_MANAGER)
        user = make_user(Role.CUSTOMER, email=email)
        customer = make_customer(user, preferred_locale=locale)
        case = make_ready_case(customer, officer)
        starts_on = today() + dt.timedelta(days=starts_in_days)
        restriction = make_active_restriction(case, officer, manager, starts_on=starts_on)
        if with_appeal:
            db.session.add(
                Appeal(
                    reference="AP-JRNY42",
                    customer_id=customer.id,
                    restriction_id=restriction.id,
                    grounds="The calls were about a leak.",
                    submitted_by_id=user.id,
                    submitted_at=utcnow(),
                    due_on=rules.appeal_due_on(today()),
                )
            )
            db.session.commit()
        return starts_on

    return in_live_app(make)


def words_in(locale: str, make_words):
    """What the served portal says in ``locale`` (translated, or the English source until
    the lead's translators have the new words)."""
    app = LIVE_APP["app"]
    with app.test_request_context(), force_locale(BABEL_LOCALE_FOR.get(locale, locale)):
        return make_words()


def sign_in_as(browser, live_server, email):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, extra_http_headers={"Accept-Language": "en"}
    )
    page = context.new_page()
    sign_in(page, live_server, email, TEST_PASSWORD)
    return context, page


def test_a_polish_customer_sees_polish_and_a_restriction_that_starts_later(browser, live_server):
    starts_on = customer_with_restriction("anna.nowak@example.com", "pl", 4)
    context, page = sign_in_as(browser, live_server, "anna.nowak@example.com")
    try:
        expect(page.locator("html")).to_have_attribute("lang", "pl")
        for lang, direction in (("en", "ltr"), ("ar", "rtl")):
            page.goto(f"{live_server}/my/?lang={lang}")
            expect(page.locator("html")).to_have_attribute("dir", direction)
            tag = page.locator("main .govuk-summary-card .govuk-summary-list .govuk-tag")
            starts = words_in(
                lang,
                lambda: status.restriction_tag(_Later(starts_on), today()).text,
            )
            expect(tag).to_have_text(starts)
            if lang == "en":
                assert starts == f"Starts on {long_date_en(starts_on)}"
            assert axe_violations(page) == [], page.url
    finally:
        context.close()


def test_a_customer_with_an_open_appeal_sees_the_answer_by_date(browser, live_server):
    customer_with_restriction("open.appeal@example.com", "en", -20, with_appeal=True)
    due = rules.appeal_due_on(today())
    context, page = sign_in_as(browser, live_server, "open.appeal@example.com")
    try:
        for lang, direction in (("en", "ltr"), ("ar", "rtl")):
            page.goto(f"{live_server}/my/?lang={lang}")
            expect(page.locator("html")).to_have_attribute("dir", direction)
            card = page.locator("main .govuk-summary-card").first
            due_words = words_in(lang, lambda: long_date(due))
            expect(card.locator(".portal-open-challenge")).to_contain_text(due_words)
            expect(card.locator(".portal-open-challenge")).to_contain_text("AP-JRNY42")
            appeal_words = words_in(lang, lambda: str(_appeal_link_words()))
            expect(card.get_by_role("link", name=appeal_words)).to_have_count(0)
            if lang == "en":
                expect(card).to_contain_text(f"We will answer by {long_date_en(due)}")
                expect(card.get_by_role("link", name="Ask us to reconsider it")).to_be_visible()
            assert axe_violations(page) == [], page.url
    finally:
        context.close()


class _Later:
    """Enough of an approved restriction for the status words."""

    def __init__(self, starts_on):
        from portal.models.vocab import RestrictionStatus

        self.status = RestrictionStatus.ACTIVE
        self.starts_on = starts_on


def _appeal_link_words():
    from flask_babel import gettext

    return gettext("Appeal this restriction")


def long_date_en(day: dt.date) -> str:
    return f"{day.day} {day:%B} {day.year}"
