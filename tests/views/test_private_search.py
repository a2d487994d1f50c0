"""Issue 14 item 11a: the staff customer search keeps customers' names out of the address
bar, the browser's history and the access log (ASVS 14.2.1): a POST, with its CSRF token,
and no hx-push-url; it works without JavaScript."""

from portal.models.vocab import Role
from tests.factories import make_customer, make_user
from tests.helpers import check_page, csrf_token, main_text, parse, sign_in, text_of, url


def signed_in_officer(client):
    sign_in(client, make_user(Role.CASE_OFFICER).email)


def anywhere_on(response) -> str:
    """The page's text and every attribute value: wherever a name could be shown or hidden."""
    page = parse(response)
    return " ".join([text_of(page), *(v for e in page.iter() for v in e.attrib.values())])


def test_the_search_form_posts_and_pushes_nothing_into_the_address_bar(app, client):
    signed_in_officer(client)
    response = client.get(url("customer_records.search"))
    check_page(response.get_data(as_text=True))
    [form] = parse(response).cssselect('form[role="search"]')
    assert form.get("method") == "post"
    assert form.get("data-hx-post") == url("customer_records.search")
    assert "data-hx-get" not in form.attrib and "data-hx-push-url" not in form.attrib
    assert form.cssselect('input[name="csrf_token"]')


def test_a_search_without_javascript_shows_the_results_page(app, client):
    make_customer(full_name="Zofia Nowak", postcode="BS5 6SA")
    signed_in_officer(client)
    search_url = url("customer_records.search")
    response = client.post(
        search_url, data={"csrf_token": csrf_token(client, search_url), "q": "nowak"}
    )
    assert response.status_code == 200
    check_page(response.get_data(as_text=True))
    assert "Zofia Nowak" in main_text(response)
    # The box keeps what was typed.
    assert parse(response).get_element_by_id("q").get("value") == "nowak"


def test_a_name_in_the_url_is_not_searched(app, client):
    make_customer(full_name="Zofia Nowak")
    signed_in_officer(client)
    response = client.get(url("customer_records.search", q="nowak"))
    assert response.status_code == 200
    assert "Zofia Nowak" not in anywhere_on(response)


def test_a_search_without_the_csrf_token_is_refused(app, client):
    make_customer(full_name="Zofia Nowak")
    signed_in_officer(client)
    response = client.post(url("customer_records.search"), data={"q": "nowak"})
    assert response.status_code == 400
    assert "Zofia Nowak" not in anywhere_on(response)
