"""Babel end to end (issue 3 item 7): saved preference, then switcher, then Accept-Language."""

from sqlalchemy import select

from portal.auth import accounts
from portal.extensions import db
from portal.models import User
from portal.models.types import utcnow
from portal.models.vocab import Role
from tests.factories import make_customer, make_user
from tests.helpers import check_page, csrf_token, sign_in


def html_lang(response) -> str:
    page = check_page(response.get_data(as_text=True))
    return page.html_attrs["lang"]


def test_english_is_british_by_default(client):
    assert html_lang(client.get("/")) == "en-GB"


def test_accept_language_picks_welsh(client):
    response = client.get("/sign-in", headers={"Accept-Language": "cy-GB,cy;q=0.9,en;q=0.5"})
    assert html_lang(response) == "cy"
    assert "Mewngofnodi" in response.get_data(as_text=True)


def test_the_switcher_is_a_plain_link_and_is_remembered(client):
    html = client.get("/sign-in").get_data(as_text=True)
    assert 'href="/sign-in?lang=cy"' in html and 'hreflang="cy"' in html
    assert html_lang(client.get("/sign-in?lang=cy")) == "cy"
    # Remembered on the next page, even against the browser's Accept-Language.
    assert html_lang(client.get("/accessibility", headers={"Accept-Language": "en"})) == "cy"


def test_an_unsupported_language_falls_back_without_error(client):
    response = client.get("/sign-in?lang=xx")
    assert response.status_code == 200
    assert html_lang(response) == "en-GB"
    response = client.get("/?lang=../../etc", headers={"Accept-Language": "fr"})
    assert response.status_code == 200 and html_lang(response) == "en-GB"


def test_a_signed_in_persons_saved_language_beats_accept_language(client):
    user = make_user(Role.CUSTOMER, preferred_locale="cy")
    sign_in(client, user.email)
    assert html_lang(client.get("/my/", headers={"Accept-Language": "en"})) == "cy"


def test_switching_while_signed_in_saves_the_preference(client):
    user = make_user(Role.CASE_OFFICER)
    sign_in(client, user.email)
    # The switcher's link shows the language; saving it is the POST offered beside it.
    page = client.get("/staff/cases?lang=cy").get_data(as_text=True)
    assert 'action="/language"' in page
    client.post("/language", data={"csrf_token": csrf_token(client, "/"), "lang": "cy"})
    saved = db.session.scalar(select(User.preferred_locale).where(User.id == user.id))
    assert saved == "cy"


def test_welsh_dates_and_error_messages(client):
    response = client.post("/sign-in?lang=cy", data={"email": "", "password": ""})
    # No CSRF token: the translated CSRF page, not an English one.
    assert response.status_code == 400
    assert html_lang(response) == "cy"
    html = response.get_data(as_text=True)
    assert "Your form could not be checked" not in html


def test_the_welsh_sign_in_form_shows_welsh_field_errors(client):
    token = csrf_token(client, "/sign-in?lang=cy")
    response = client.post("/sign-in", data={"csrf_token": token, "email": "", "password": ""})
    html = response.get_data(as_text=True)
    assert html_lang(response) == "cy"
    assert "Enter your email address" not in html
    assert "Gwall:" in html  # the translated, visually hidden error prefix


def test_every_language_renders_with_its_direction_and_the_unreviewed_notice(client):
    """Issue 7: twelve languages, two right to left; each page in a machine-translated,
    unreviewed language says so and links to the English version of the same page."""
    from portal.config import SUPPORTED_LOCALES

    english_title = None
    for code in SUPPORTED_LOCALES:
        response = client.get(f"/your-rights?lang={code}")
        assert response.status_code == 200, code
        page = check_page(response.get_data(as_text=True))
        assert page.html_attrs["lang"].split("-")[0] == code
        assert page.html_attrs["dir"] == ("rtl" if code in {"ar", "ur"} else "ltr"), code
        html = response.get_data(as_text=True)
        if code == "en":
            english_title = page.title
            assert 'href="/your-rights?lang=en"' not in html
        else:
            assert page.title != english_title, f"{code}: the title is not translated"
            assert 'href="/your-rights?lang=en"' in html, code


def test_a_hostile_language_value_is_never_reflected_and_the_saved_one_holds(client):
    user = make_user(Role.CUSTOMER, preferred_locale="pl")
    sign_in(client, user.email)
    response = client.get('/my/?lang="><script>alert(1)</script>')
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<script>alert(1)" not in html
    assert html_lang(response) == "pl"


def test_every_password_field_has_its_show_button_in_the_readers_language(app, client):
    """The reveal button's text comes from the widget, not from each page (sign-in had it;
    the invitation page showed English "Show")."""
    customer = make_customer(email="iwona@example.com")
    token = accounts.invite_customer(customer, actor=None, now=utcnow())
    db.session.commit()
    for path in ("/sign-in", f"/invitation/{token}"):
        page = client.get(path + "?lang=pl").get_data(as_text=True)
        assert 'data-i18n.show-password="Pokaż"' in page, path
        assert "Show" not in page, path
