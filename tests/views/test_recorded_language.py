"""Issue 15 item 4: the interface opens in the customer's recorded language (s6.5), with
the switcher to change it; an advocate and staff keep their own."""

from portal.models.vocab import Role
from tests.factories import make_customer, make_user
from tests.helpers import parse, sign_in, url

ENGLISH_BROWSER = {"Accept-Language": "en-GB,en;q=0.9"}


def html_lang(response) -> str:
    return parse(response).get("lang")


def test_a_polish_recorded_customer_opens_in_polish(app, client):
    user = make_user(Role.CUSTOMER)  # nothing saved on the account
    make_customer(user, preferred_locale="pl")
    sign_in(client, user.email)
    home = client.get(url("my.home"), headers=ENGLISH_BROWSER)
    assert home.status_code == 200
    assert html_lang(home) == "pl"
    # The switcher still offers English, and choosing it wins for the session.
    switcher = parse(home).cssselect('.portal-language-switcher a[hreflang="en"]')
    assert [a.get("href") for a in switcher] == [url("my.home", lang="en")]
    assert html_lang(client.get(url("my.home", lang="en"), headers=ENGLISH_BROWSER)) == "en-GB"
    assert html_lang(client.get(url("account.index"), headers=ENGLISH_BROWSER)) == "en-GB"


def test_a_welsh_recorded_customer_opens_in_welsh(app, client):
    user = make_user(Role.CUSTOMER)
    make_customer(user, preferred_locale="cy")
    sign_in(client, user.email)
    assert html_lang(client.get(url("my.home"), headers=ENGLISH_BROWSER)) == "cy"


def test_a_language_chosen_before_signing_in_beats_the_record(app, client):
    """The switch is the person's own choice; the record is what staff last noted."""
    user = make_user(Role.CUSTOMER)
    make_customer(user, preferred_locale="cy")
    client.get(url("auth.sign_in", lang="en"))
    sign_in(client, user.email)
    assert html_lang(client.get(url("my.home"), headers=ENGLISH_BROWSER)) == "en-GB"


def test_the_accounts_saved_language_beats_the_record(app, client):
    user = make_user(Role.CUSTOMER, preferred_locale="en")
    make_customer(user, preferred_locale="pl")
    sign_in(client, user.email)
    assert html_lang(client.get(url("my.home"), headers=ENGLISH_BROWSER)) == "en-GB"


def test_an_english_record_leaves_the_browser_to_choose(app, client):
    """ "en" is the record's default: it cannot be told from "not recorded"."""
    user = make_user(Role.CUSTOMER)
    make_customer(user)
    sign_in(client, user.email)
    welsh_browser = {"Accept-Language": "cy,en;q=0.5"}
    assert html_lang(client.get(url("my.home"), headers=welsh_browser)) == "cy"


def test_a_recorded_customer_is_not_offered_to_save_what_they_already_have(app, client):
    user = make_user(Role.CUSTOMER)
    make_customer(user, preferred_locale="pl")
    sign_in(client, user.email)
    form = f'form[action="{url("auth.save_language")}"]'
    assert parse(client.get(url("my.home"))).cssselect(form) == []
    offered = parse(client.get(url("my.home", lang="en"))).cssselect(form)
    assert [f.cssselect('input[name="lang"]')[0].get("value") for f in offered] == ["en"]


def test_an_advocate_keeps_their_own_language_not_the_customers(app, client):
    advocate = make_user(Role.ADVOCATE)
    make_customer(make_user(Role.CUSTOMER), preferred_locale="pl")
    sign_in(client, advocate.email)
    response = client.get(url("account.index"), headers=ENGLISH_BROWSER)
    assert html_lang(response) == "en-GB"
