"""One fact, one home (issue 12): how to reach the landlord and the Housing Ombudsman is
configuration, and every page that says it takes it from there, in every language."""

import lxml.html
from flask import url_for

from tests.conftest import make_test_app


def _texts(response, selector):
    page = lxml.html.fromstring(response.get_data(as_text=True))
    return [" ".join(e.text_content().split()) for e in page.cssselect(selector)]


def test_pages_say_the_configured_phone_email_and_ombudsman(databases, tmp_path):
    url = databases.new_sqlite()
    app = make_test_app(
        url,
        tmp_path,
        LANDLORD_PHONE="0111 496 0000",
        LANDLORD_EMAIL="help@landlord.example",
        OMBUDSMAN_PHONE="0111 496 9999",
    )
    client = app.test_client()
    with app.test_request_context():
        sign_in, ombudsman = url_for("auth.sign_in"), url_for("public.housing_ombudsman")
    for language in ("en", "pl", "ar"):
        footer = " ".join(_texts(client.get(f"{sign_in}?lang={language}"), "footer"))
        assert "0111 496 0000" in footer and "help@landlord.example" in footer, language
        assert "03000 120 120" not in footer
    values = _texts(client.get(ombudsman), ".govuk-summary-list__value")
    assert "0111 496 9999" in values
