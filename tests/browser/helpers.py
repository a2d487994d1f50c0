"""What the browser tests do as a person would: sign in with labels, crawl links, run axe."""

import re
import threading
from collections import Counter
from contextlib import contextmanager
from urllib.parse import urljoin, urlsplit

from axe_playwright_python.sync_playwright import Axe

from portal.demo import DEMO_PASSWORD
from portal.extensions import db
from portal.jobs.worker import work
from tests.conftest import make_test_app

# The served portal's app, set by the live_server fixture.
LIVE_APP: dict = {}

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
_axe = Axe()


def current_code(email: str) -> str:
    """What the person's authenticator app shows now (the served portal's database is
    reached through its app; the last-used step is cleared, as tests sign in often)."""
    from tests.helpers import current_code as code_from_database

    with LIVE_APP["app"].app_context():
        return code_from_database(email)


def sign_in(page, base_url: str, email: str, password: str = DEMO_PASSWORD):
    page.goto(f"{base_url}/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    if urlsplit(page.url).path == "/sign-in/code":
        page.get_by_label("Code").fill(current_code(email))
        page.get_by_role("button", name="Continue").click()
        page.wait_for_load_state()


def axe_violations(page) -> list[dict]:
    # Violations only: the passes and inapplicable results nobody reads made each run
    # about 0.5 s instead of 0.3 s, and most of the crawl's time is axe.
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    results = _axe.run(page, options=options)
    return [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]]}
        for v in results.response["violations"]
    ]


def same_site_links(page, base_url: str) -> set[str]:
    """Every link a person could follow on this page that stays on the portal (GET only;
    sign-out is a POST form, so it is never followed). Downloads are files, not pages (a
    ``download`` attribute, or a ``type`` naming the file's media type): the letter tests
    open those."""
    links = set()
    for href in page.eval_on_selector_all(
        "a[href]:not([download]):not([type])", "els => els.map(e => e.getAttribute('href'))"
    ):
        url = urljoin(page.url, href)
        parts = urlsplit(url)
        if (
            url.startswith(base_url)
            and not parts.path.startswith("/static/")
            and not parts.fragment
        ):
            links.add(url.split("#")[0])
    return links


# /staff/cases/12 and /staff/cases/13 are one kind of page.
_ID_IN_PATH = re.compile(r"/\d+(?=/|$)")


def kind_of(url: str) -> str:
    return _ID_IN_PATH.sub("/<id>", urlsplit(url).path)


def crawl(
    page,
    base_url: str,
    start: str,
    language: str,
    limit: int = 40,
    per_kind: int = 1,
    skip=lambda kind: False,
):
    """Visit every page reachable from ``start`` in ``language``; yield each visited URL.

    At most ``per_kind`` pages of each kind (the same path but for ids): an officer's
    twenty case pages are one template in twenty states; the states that matter (an
    error, a decision, a varied restriction) are walked by the journey tests. Kinds for
    which ``skip(kind)`` is true are not visited."""
    seen: set[str] = set()
    kinds: Counter = Counter()
    queue = [f"{base_url}{start}?lang={language}"]
    while queue and len(seen) < limit:
        url = queue.pop(0)
        key = urlsplit(url)._replace(query="").geturl()
        kind = kind_of(key)
        if key in seen or kinds[kind] >= per_kind or (kind != start and skip(kind)):
            continue
        seen.add(key)
        response = page.goto(url)
        landed = urlsplit(page.url)._replace(query="").geturl()
        if landed != key:  # redirected (e.g. /sign-in when signed in): judge where it landed
            if landed in seen:
                continue
            seen.add(landed)
        kinds[kind_of(landed)] += 1
        yield page.url, response
        for link in sorted(same_site_links(page, base_url)):
            if "lang=" in link:  # the switcher: one language per crawl
                continue
            queue.append(link)


# One JavaScript-enabled checking page per browser, kept for the run: a new context for
# each check cost about 1.5 s (its styles fetched again), 41 times in the keyboard journey.
_CHECKERS: dict = {}


def axe_violations_without_javascript(browser, page) -> list[dict]:
    """axe needs JavaScript, which a no-JS journey has switched off (an evaluate would never
    return there). Check the very HTML that page shows, served at its own URL (so styles
    load) in a JavaScript-enabled context that makes no request to the portal for it."""
    html, url = page.content(), page.url
    if id(browser) not in _CHECKERS:
        _CHECKERS[id(browser)] = browser.new_context().new_page()
    checker = _CHECKERS[id(browser)]

    def serve(route):
        route.fulfill(status=200, body=html, content_type="text/html; charset=utf-8")

    checker.route(url, serve)
    try:
        checker.goto(url)
        assert checker.title() == page.title(), f"{url} was not the page checked"
        return axe_violations(checker)
    finally:
        checker.unroute(url, serve)


# What the accessibility suite checked, printed at the end of the run (issue 7).
CHECKED = {"pages": set(), "checks": 0}


def count_check(url: str, checks: int, page: bool = True) -> None:
    if page:
        CHECKED["pages"].add(url.split("?")[0])
    CHECKED["checks"] += checks


def _work_until(database_url: str, tmp_path, stop: threading.Event) -> None:
    app = make_test_app(database_url, tmp_path)
    with app.app_context():
        while not stop.is_set():
            work(name="browser-test", burst=True)
            stop.wait(0.2)
        db.session.remove()
        db.engine.dispose()


@contextmanager
def job_worker_running(database_url: str, tmp_path):
    """A job worker beside the live server while the block runs, as ``make run`` starts
    one; for a test that needs the queue idle at some steps (tests/browser)."""
    stop = threading.Event()
    thread = threading.Thread(target=_work_until, args=(database_url, tmp_path, stop), daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=120)


def fill_date(page, question: str, day, *, labels=("Day", "Month", "Year")) -> None:
    """Type a date into the GOV.UK date input whose legend is ``question``."""
    group = page.get_by_role("group", name=question, exact=True)
    for label, value in zip(labels, (day.day, day.month, day.year), strict=True):
        group.get_by_label(label, exact=True).fill(str(value))


def say(locale: str):
    """The portal's words as it says them in ``locale``, to find things as a reader does."""
    from flask_babel import force_locale, gettext

    def translated(message: str) -> str:
        with LIVE_APP["app"].test_request_context(), force_locale(locale):
            return gettext(message)

    return translated
