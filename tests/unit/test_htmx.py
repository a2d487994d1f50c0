"""The htmx helper: a swap gets the fragment; boosted, history-restore and plain requests
get the whole page."""

import pytest
from flask import Flask

from portal.htmx import add_vary_header, is_htmx_request, redirect_for_htmx


@pytest.fixture
def bare_app():
    return Flask(__name__)


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({}, False),
        ({"HX-Request": "true"}, True),
        ({"HX-Request": "true", "HX-Boosted": "true"}, False),
        ({"HX-Request": "true", "HX-History-Restore-Request": "true"}, False),
        ({"HX-Request": "false"}, False),
    ],
)
def test_which_requests_are_swaps(bare_app, headers, expected):
    with bare_app.test_request_context(headers=headers):
        assert is_htmx_request() is expected


def test_vary_and_redirect_headers(bare_app):
    response = bare_app.response_class("x")
    add_vary_header(response)
    assert "HX-Request" in response.headers["Vary"]
    redirect_for_htmx(response, "/sign-in")
    assert response.headers["HX-Redirect"] == "/sign-in"
