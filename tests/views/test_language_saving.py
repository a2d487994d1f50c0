"""Issue 14 item 11b: a GET never writes. ``?lang=`` changes the language shown for the
session; saving it as the person's own language is a POST."""

from sqlalchemy import select

from portal.extensions import db
from portal.models import User
from portal.models.vocab import Role
from tests.factories import make_user
from tests.helpers import csrf_token, parse, sign_in, text_of, url


def saved_language(user_id: int):
    db.session.expire_all()
    return db.session.scalar(select(User.preferred_locale).where(User.id == user_id))


def html_lang(response) -> str:
    return parse(response).get("lang")


def save_language_offers(response) -> list[tuple[str, str]]:
    """Each form offering to save the language: the language it would save and its button."""
    forms = parse(response).cssselect(f'form[action="{url("auth.save_language")}"]')
    return [
        (form.cssselect('input[name="lang"]')[0].get("value"), text_of(form.cssselect("button")[0]))
        for form in forms
    ]


def test_a_get_with_lang_leaves_the_saved_language_unchanged(app, client):
    user = make_user(Role.CUSTOMER, preferred_locale="en")
    sign_in(client, user.email)
    response = client.get(url("my.home", lang="cy"))
    assert response.status_code == 200
    assert html_lang(response) == "cy"  # shown in Welsh
    assert saved_language(user.id) == "en"  # but nothing saved
    # The choice holds for the rest of the session, still without saving anything.
    assert html_lang(client.get(url("account.index"))) == "cy"
    assert saved_language(user.id) == "en"


def test_saving_the_language_is_a_post_offered_beside_the_switcher(app, client):
    user = make_user(Role.CUSTOMER, preferred_locale="en")
    sign_in(client, user.email)
    home = url("my.home")
    assert save_language_offers(client.get(home)) == []
    offers = save_language_offers(client.get(url("my.home", lang="pl")))
    assert [lang for lang, _button in offers] == ["pl"]
    response = client.post(
        url("auth.save_language"),
        data={"csrf_token": csrf_token(client, home), "lang": "pl", "next": home},
    )
    assert response.status_code == 303 and response.headers["Location"] == home
    assert saved_language(user.id) == "pl"
    assert save_language_offers(client.get(home)) == []


def test_choosing_english_with_nothing_saved_offers_nothing_to_save(app, client):
    """Nothing saved means English (portal.i18n.offer_to_save_language): choosing English
    is nothing new to keep; choosing Polish is."""
    user = make_user(Role.CUSTOMER)
    sign_in(client, user.email)
    assert saved_language(user.id) is None
    english = client.get(url("my.home", lang="en"))
    assert english.status_code == 200 and html_lang(english) == "en-GB"
    assert save_language_offers(english) == []
    assert save_language_offers(client.get(url("my.home"))) == []  # still English, still none
    polish = client.get(url("my.home", lang="pl"))
    assert html_lang(polish) == "pl"
    assert [lang for lang, _button in save_language_offers(polish)] == ["pl"]
    assert saved_language(user.id) is None  # offered, not saved


def test_the_offer_reads_always_use_this_language(app, client):
    user = make_user(Role.CUSTOMER)
    sign_in(client, user.email)
    # With Polish saved, choosing English is a change worth keeping: the offer is in
    # English, so its button's own words can be read.
    client.post(
        url("auth.save_language"),
        data={"csrf_token": csrf_token(client, url("my.home")), "lang": "pl"},
    )
    assert saved_language(user.id) == "pl"
    offers = save_language_offers(client.get(url("my.home", lang="en")))
    assert offers == [("en", "Always use this language")]


def test_saving_refuses_unknown_languages_and_foreign_redirects(app, client):
    user = make_user(Role.CUSTOMER, preferred_locale="en")
    sign_in(client, user.email)
    token = csrf_token(client, url("my.home"))
    response = client.post(
        url("auth.save_language"),
        data={"csrf_token": token, "lang": "xx", "next": "https://evil.example/"},
    )
    assert response.status_code == 303
    assert response.headers["Location"] == url("my.home")  # home, not the other site
    assert saved_language(user.id) == "en"


def test_saving_needs_the_csrf_token_and_a_signed_in_person(app, client):
    user = make_user(Role.CUSTOMER, preferred_locale="en")
    sign_in(client, user.email)
    assert client.post(url("auth.save_language"), data={"lang": "cy"}).status_code == 400
    assert saved_language(user.id) == "en"


def test_at_sign_in_a_saved_language_beats_one_chosen_before(app, client):
    welsh = make_user(Role.CUSTOMER, preferred_locale="cy")
    client.get(url("auth.sign_in", lang="en"))
    sign_in(client, welsh.email)
    assert html_lang(client.get(url("my.home"))) == "cy"
    # Without a saved language, the choice made before signing in stays.
    other = app.test_client()
    newcomer = make_user(Role.CUSTOMER)
    other.get(url("auth.sign_in", lang="pl"))
    sign_in(other, newcomer.email)
    assert html_lang(other.get(url("my.home"))) == "pl"
    assert saved_language(newcomer.id) is None
