"""Issue 14 item 11a: the staff customer search keeps customers' names out of the address
bar, the browser's history and the access log (ASVS 14.2.1): a POST, with its CSRF token,
and no hx-push-url; it works without JavaScript."""

import re

from portal.models.vocab import Role
from tests.factories import make_customer, make_user
from tests.helpers import check_page, csrf_token, sign_in


def signed_in_officer(client):
    sign_in(client, make_user(Role.CASE_OFFICER).email)


def test_the_search_form_posts_and_pushes_nothing_into_the_address_bar(app, client):
    signed_in_officer(client)
    html = client.get("/staff/customers").get_data(as_text=True)
    check_page(html)
    form = re.search(r"<form[^>]*role=\"search\"[^>]*>", html).group(0)
    assert 'method="post"' in form and 'hx-post="/staff/customers"' in form
    assert "hx-get" not in form and "hx-push-url" not in form
    assert 'name="csrf_token"' in html[html.index(form) :]


def test_a_search_without_javascript_shows_the_results_page(app, client):
    make_customer(full_name="Zofia Nowak", postcode="BS5 6SA")
    signed_in_officer(client)
    response = client.post(
        "/staff/customers",
        data={"csrf_token": csrf_token(client, "/staff/customers"), "q": "nowak"},
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    check_page(html)
    assert "Zofia Nowak" in html
    assert 'value="nowak"' in html  # the box keeps what was typed


def test_a_name_in_the_url_is_not_searched(app, client):
    make_customer(full_name="Zofia Nowak")
    signed_in_officer(client)
    response = client.get("/staff/customers?q=nowak")
    assert response.status_code == 200
    assert "Zofia Nowak" not in response.get_data(as_text=True)


def test_a_search_without_the_csrf_token_is_refused(app, client):
    make_customer(full_name="Zofia Nowak")
    signed_in_officer(client)
    response = client.post("/staff/customers", data={"q": "nowak"})
    assert response.status_code == 400
    assert "Zofia Nowak" not in response.get_data(as_text=True)
