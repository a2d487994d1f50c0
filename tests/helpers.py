"""Helpers for view tests: URLs by endpoint, CSRF tokens, signing in, reading parsed pages,
and checks every page must pass."""

import re
from html.parser import HTMLParser

import lxml.html
from flask import current_app, url_for

from tests.factories import TEST_PASSWORD


def url(endpoint: str, *, app=None, **values) -> str:
    """The path of ``endpoint`` (with ``values``), as the app's own links build it; ``app``
    defaults to the app whose context the test has pushed."""
    with (app or current_app).test_request_context():
        return url_for(endpoint, **values)


def parse(response) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(response.get_data(as_text=True))


def text_of(element) -> str:
    """The element's text as a person reads it: whitespace collapsed."""
    return " ".join(element.text_content().split())


def texts(response, selector: str) -> list[str]:
    """The text of each element the CSS ``selector`` matches, in page order."""
    return [text_of(element) for element in parse(response).cssselect(selector)]


def main_text(response) -> str:
    """The text of the page's main content (or of a fragment, which has no <main>)."""
    page = parse(response)
    main = page.cssselect("main") or [page]
    return text_of(main[0])


def error_summary(response) -> list[str]:
    """The messages listed in the error summary."""
    return texts(response, ".govuk-error-summary__list li")


def field_errors(response) -> list[str]:
    """The error messages shown by the fields, without the visually hidden "Error:"."""
    page = parse(response)
    messages = []
    for element in page.cssselect(".govuk-error-message"):
        for hidden in element.cssselect(".govuk-visually-hidden"):
            hidden.drop_tree()
        messages.append(text_of(element))
    return messages


def banners(response) -> list[str]:
    """The messages of the notification banners (flashed messages) on the page."""
    return texts(response, ".govuk-notification-banner__content")


def summary_list(response, selector: str = "main") -> dict[str, str]:
    """Each summary list row's key and value text, from the summary lists in ``selector``."""
    rows = {}
    for scope in parse(response).cssselect(selector):
        for row in scope.cssselect(".govuk-summary-list__row"):
            key = row.cssselect(".govuk-summary-list__key")[0]
            rows[text_of(key)] = text_of(row.cssselect(".govuk-summary-list__value")[0])
    return rows


def table_rows(response, caption: str) -> list[list[str]]:
    """The text of each body row's cells in the table with this caption."""
    for table in parse(response).cssselect("table"):
        found = table.cssselect("caption")
        if found and text_of(found[0]) == caption:
            return [
                [text_of(cell) for cell in row.cssselect("th, td")]
                for row in table.cssselect("tbody tr")
            ]
    raise AssertionError(f"no table captioned {caption!r}")


def title(response) -> str:
    return " ".join(parse(response).findtext(".//title").split())


def poll_delay_ms(trigger: str | None) -> int | None:
    """The milliseconds an htmx "load delay" trigger waits before asking again, or None."""
    match = re.fullmatch(r"load delay:(\d+)ms", trigger or "")
    return int(match.group(1)) if match else None


def asks_again_after(element, earliest: float, latest: float) -> bool:
    """The block polls once more (htmx "load delay"), between these seconds from now."""
    delay = poll_delay_ms(element.get("data-hx-trigger"))
    return delay is not None and earliest * 1000 <= delay <= latest * 1000


_CSRF = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"'
)


def csrf_token(client, url: str) -> str:
    page = client.get(url).get_data(as_text=True)
    match = _CSRF.search(page)
    assert match, f"no CSRF token on {url}"
    return match.group(1) or match.group(2)


def current_code(email: str) -> str:
    """The code the person's authenticator app shows now. Tests sign the same person in
    many times a minute, so the record of the last code used is cleared first (the replay
    rule has its own tests)."""
    import pyotp

    from portal.extensions import db
    from portal.models import User

    user = db.session.scalar(db.select(User).filter_by(email=email.lower()))
    user.totp_last_step = None
    db.session.commit()
    return pyotp.TOTP(user.totp_secret).now()


def sign_in(client, email: str, password: str = TEST_PASSWORD):
    sign_in_url = url("auth.sign_in", app=client.application)
    code_url = url("auth.second_factor", app=client.application)
    token = csrf_token(client, sign_in_url)
    response = client.post(
        sign_in_url, data={"csrf_token": token, "email": email, "password": password}
    )
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    if response.headers["Location"].startswith(code_url):
        token = csrf_token(client, code_url)
        response = client.post(code_url, data={"csrf_token": token, "code": current_code(email)})
        assert response.status_code == 303, response.get_data(as_text=True)[:500]
    return response


def sign_out(client):
    token = csrf_token(client, url("public.start", app=client.application))
    return client.post(url("auth.sign_out", app=client.application), data={"csrf_token": token})


class PageStructure(HTMLParser):
    """Collects what the page checks need: title, headings, ids, labels, form fields."""

    def __init__(self):
        super().__init__()
        self.html_attrs: dict = {}
        self.title = ""
        self._in_title = False
        self.h1_count = 0
        self.ids: list[str] = []
        self.label_for: set[str] = set()
        self.fields: list[dict] = []
        self.inline_scripts = 0
        self.style_attributes = 0
        self.event_handlers = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "html":
            self.html_attrs = attributes
        if tag == "title":
            self._in_title = True
        if tag == "h1":
            self.h1_count += 1
        if "id" in attributes:
            self.ids.append(attributes["id"])
        if tag == "label" and "for" in attributes:
            self.label_for.add(attributes["for"])
        if tag in {"input", "select", "textarea"} and attributes.get("type") not in {
            "hidden",
            "submit",
            "button",
        }:
            self.fields.append(attributes)
        if tag == "script" and "src" not in attributes:
            self.inline_scripts += 1
        if "style" in attributes:
            self.style_attributes += 1
        self.event_handlers += sum(
            1 for name in attributes if name.startswith(("on", "hx-on", "data-hx-on"))
        )

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def check_page(html: str) -> PageStructure:
    """Every page: lang and dir, a title, one h1, unique ids, every field labelled, and
    nothing the CSP would block (inline script, style attributes, inline handlers)."""
    page = PageStructure()
    page.feed(html)
    assert page.html_attrs.get("lang"), "no lang on <html>"
    assert page.html_attrs.get("dir") in {"ltr", "rtl"}, "no dir on <html>"
    assert page.title.strip(), "empty <title>"
    assert "<" not in page.title and "\n" not in page.title.strip(), (
        f"markup in <title>: {page.title!r}"
    )
    assert page.h1_count == 1, f"{page.h1_count} h1 elements"
    duplicates = {i for i in page.ids if page.ids.count(i) > 1}
    assert not duplicates, f"duplicate ids: {duplicates}"
    for field in page.fields:
        assert field.get("id") in page.label_for or field.get("aria-label"), f"unlabelled {field}"
    assert page.inline_scripts == 0, "inline <script>"
    assert page.style_attributes == 0, "style= attribute"
    assert page.event_handlers == 0, "inline event handler"
    return page


def post_form(client, url: str, data: dict, *, form_url: str | None = None):
    """Post ``data`` with the CSRF token from the page at ``form_url`` (default ``url``)."""
    return client.post(url, data={"csrf_token": csrf_token(client, form_url or url), **data})


def emails_to(app, to: str) -> list:
    """The development outbox's emails to ``to``, oldest first."""
    import email
    import email.policy
    from pathlib import Path

    paths = sorted(
        Path(app.config["MAIL_OUTBOX_DIR"]).glob("*.eml"), key=lambda p: p.stat().st_mtime_ns
    )
    messages = [
        email.message_from_bytes(path.read_bytes(), policy=email.policy.default) for path in paths
    ]
    return [m for m in messages if m["To"] == to]


def link_in_newest_email(app, to: str, path_prefix: str) -> str:
    """The path of the link starting ``path_prefix`` in the newest email to ``to``."""
    messages = emails_to(app, to)
    assert messages, f"no email to {to}"
    match = re.search(rf"https?://[^/\s]+({re.escape(path_prefix)}\S+)", messages[-1].get_content())
    assert match, messages[-1].get_content()
    return match.group(1)


# The headers every response carries (SECURITY.md §1 rows 20–22, figure 7).
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; media-src 'self'; "
    "font-src 'self'; connect-src 'self'; manifest-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)


def assert_security_headers(response):
    headers = response.headers
    assert headers["Content-Security-Policy"] == CSP
    assert "unsafe-inline" not in CSP and "unsafe-eval" not in CSP
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"


def token_link_prefix(endpoint: str, *, app=None) -> str:
    """What a link to ``endpoint`` (a route taking a one-time ``token``) starts with: the
    path with the token left empty."""
    return url(endpoint, app=app, token="")


def date_fields(name: str, day) -> dict[str, str]:
    """A date posted as the GOV.UK date input posts it: ``<name>-day``, ``-month``, ``-year``
    (portal.forms.DateInputField)."""
    return {
        f"{name}-day": str(day.day),
        f"{name}-month": str(day.month),
        f"{name}-year": str(day.year),
    }


def letter_file(client, file_url: str, **kwargs):
    """A letter's file as a person gets it: a slow format not yet made is queued (202 and a
    page saying so), a job worker makes it, and asking again gets the file."""
    from portal.jobs.worker import work

    response = client.get(file_url, **kwargs)
    if response.status_code == 202:
        response.close()
        assert work(name="test-worker", burst=True) >= 1
        response = client.get(file_url, **kwargs)
    return response


def statements_while(action) -> list[str]:
    """Every SQL statement ``action()`` runs, in order, whitespace folded: for the tests that
    hold a page's statement count steady or look for a read done twice (issue 18)."""
    from sqlalchemy import event

    from portal.extensions import db

    statements = []

    def record(_connection, _cursor, statement, *_args):
        statements.append(" ".join(statement.split()))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        action()
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    return statements
