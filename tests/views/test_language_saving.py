"""Issue 14 item 11b: a GET never writes. ``?lang=`` changes the language shown for the
session; saving it as the person's own language is a POST."""

from sqlalchemy import select

from portal.extensions import db
from portal.models import User
from portal.models.vocab import Role
from tests.factories import make_user
from tests.helpers import csrf_token, sign_in


def saved_language(user_id: int):
    db.session.expire_all()
    return db.session.scalar(select(User.preferred_locale).where(User.id == user_id))


def html_lang(response) -> str:
    html = response.get_data(as_text=True)
    return html[html.index('lang="') + 6 : html.index('"', html.index('lang="') + 6)]


def test_a_get_with_lang_leaves_the_saved_language_unchanged(app, client):
    user = make_user(Role.CUSTOMER, preferred_locale="en")
    sign_in(client, user.email)
    response = client.get("/my/?lang=cy")
    assert response.status_code == 200
    assert html_lang(response) == "cy"  # shown in Welsh
    assert saved_language(user.id) == "en"  # but nothing saved
    # The choice holds for the rest of the session, still without saving anything.
    assert html_lang(client.get("/account")) == "cy"
    assert saved_language(user.id) == "en"


def test_saving_the_language_is_a_post_offered_beside_the_switcher(app, client):
    user = make_user(Role.CUSTOMER, preferred_locale="en")
    sign_in(client, user.email)
    assert 'action="/language"' not in client.get("/my/").get_data(as_text=True)
    page = client.get("/my/?lang=pl").get_data(as_text=True)
    assert 'action="/language"' in page and 'name="lang" value="pl"' in page
    response = client.post(
        "/language", data={"csrf_token": csrf_token(client, "/my/"), "lang": "pl", "next": "/my/"}
    )
    assert response.status_code == 303 and response.headers["Location"] == "/my/"
    assert saved_language(user.id) == "pl"
    assert 'action="/language"' not in client.get("/my/").get_data(as_text=True)


def test_saving_refuses_unknown_languages_and_foreign_redirects(app, client):
    user = make_user(Role.CUSTOMER, preferred_locale="en")
    sign_in(client, user.email)
    token = csrf_token(client, "/my/")
    response = client.post(
        "/language", data={"csrf_token": token, "lang": "xx", "next": "https://evil.example/"}
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/my/"  # home, not the other site
    assert saved_language(user.id) == "en"


def test_saving_needs_the_csrf_token_and_a_signed_in_person(app, client):
    user = make_user(Role.CUSTOMER, preferred_locale="en")
    sign_in(client, user.email)
    assert client.post("/language", data={"lang": "cy"}).status_code == 400
    assert saved_language(user.id) == "en"


def test_at_sign_in_a_saved_language_beats_one_chosen_before(app, client):
    welsh = make_user(Role.CUSTOMER, preferred_locale="cy")
    client.get("/sign-in?lang=en")
    sign_in(client, welsh.email)
    assert html_lang(client.get("/my/")) == "cy"
    # Without a saved language, the choice made before signing in stays.
    other = app.test_client()
    newcomer = make_user(Role.CUSTOMER)
    other.get("/sign-in?lang=pl")
    sign_in(other, newcomer.email)
    assert html_lang(other.get("/my/")) == "pl"
    assert saved_language(newcomer.id) is None
