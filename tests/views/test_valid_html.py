"""Valid HTML, by a checker nobody on this project wrote (issue 16 item 1): the W3C Nu HTML
Checker (vnu.jar, installed by `make vnu`) finds no error on any page each demo role can
reach from its home, in English and in Arabic, nor on any htmx fragment (the customer
search's results, the contact check's finding, a report export's status and a customer
import's progress), each wrapped in a page shell as a browser would place it.

The pages are crawled through the test client (the browser crawl in
tests/browser/test_accessibility.py visits the same links with axe); every page is saved and
vnu checks them all in one run of Java.
"""

import io
import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import lxml.html
import pytest
import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from portal.clock import today
from portal.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, load_demo_data
from portal.extensions import db
from portal.models import Case, Restriction
from portal.models.vocab import RestrictionStatus
from tests.figures import tally
from tests.helpers import parse, sign_in, url
from tests.import_files import export, line

VNU_JAR = Path(__file__).parent.parent / "vnu/node_modules/vnu-jar/build/dist/vnu.jar"
PERSONAS = ["anonymous", *[email for email, _name, _roles in DEMO_ACCOUNTS]]
PAGES_PER_PERSONA = 40

# An htmx fragment is checked inside a minimal page, as the browser places it.
FRAGMENT_SHELL = (
    '<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>Fragment</title>'
    "</head><body><main>{fragment}</main></body></html>"
)


def same_site_links(html: str, path: str) -> list[str]:
    """Links a person could follow that stay on the portal: GET pages, not files, and not
    the language switcher (one language per crawl)."""
    links = []
    for anchor in lxml.html.fromstring(html).cssselect("a[href]:not([download])"):
        parts = urlsplit(urljoin(f"http://localhost{path}", anchor.get("href")))
        if parts.netloc != "localhost" or parts.path.startswith("/static/"):
            continue
        if "lang=" not in parts.query:
            links.append(parts._replace(scheme="", netloc="", fragment="").geturl())
    return links


def crawl(client, start: str, language: str):
    """(path, html) for every HTML page reachable from ``start``, in ``language``."""
    seen, queue = set(), [start]
    while queue and len(seen) < PAGES_PER_PERSONA:
        path = queue.pop(0)
        key = urlsplit(path).path
        if key in seen:
            continue
        seen.add(key)
        separator = "&" if "?" in path else "?"
        response = client.get(f"{path}{separator}lang={language}", follow_redirects=True)
        if response.status_code != 200 or response.mimetype != "text/html":
            response.close()
            continue
        html = response.get_data(as_text=True)
        yield path, html
        queue.extend(same_site_links(html, path))


def vnu_errors(folder: Path) -> list[str]:
    """Every error vnu reports on the .html files in ``folder``, as "file: message"."""
    java = shutil.which("java")
    assert java, "Java is missing: `make test` installs default-jre-headless"
    assert VNU_JAR.exists(), f"{VNU_JAR} is missing: `make vnu` installs it"
    run = subprocess.run(  # noqa: S603 (fixed arguments, our own files)
        [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", "--skip-non-html"]
        + [str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    messages = json.loads(run.stderr or run.stdout or '{"messages": []}')["messages"]
    return [
        f"{Path(urlsplit(m.get('url', '')).path).name}: {m.get('message')} "
        f"[{m.get('extract', '').strip()[:80]}]"
        for m in messages
        if m.get("type") == "error" or m.get("subType") == "fatal"
    ]


def save(folder: Path, name: str, html: str) -> None:
    safe = "".join(c if c.isalnum() else "_" for c in name).strip("_")[:150] or "root"
    (folder / f"{safe}.html").write_text(html, encoding="utf-8")


@pytest.fixture
def demo(app):
    load_demo_data(today(), allowed=True)
    return app


HTMX = {"HX-Request": "true"}


def form_values(page, action: str) -> MultiDict:
    """What a browser sends from the page's form posting to ``action``, untouched."""
    form = next(
        f for f in page.cssselect("form") if (f.get("action") or "").split("?")[0] == action
    )
    values = []
    for field in form.cssselect("input, select, textarea"):
        name, kind = field.get("name"), (field.get("type") or "").lower()
        if (
            not name
            or kind in {"submit", "file"}
            or (kind in {"radio", "checkbox"} and not field.get("checked"))
        ):
            continue
        if field.tag == "select":
            chosen = field.cssselect("option[selected]") or field.cssselect("option")
            values.append((name, chosen[0].get("value", "") if chosen else ""))
        else:
            values.append((name, field.get("value") or field.text or ""))
    return MultiDict(values)


def _signed_in(app, email: str, language: str):
    client = app.test_client()
    sign_in(client, email, DEMO_PASSWORD)
    client.get("/", query_string={"lang": language})
    return client


def _search_results(app, language: str) -> str:
    client = _signed_in(app, "officer@example.com", language)
    search = client.get(url("customer_records.search"), query_string={"lang": language})
    token = parse(search).cssselect("input[name=csrf_token]")[0].get("value")
    results = client.post(
        url("customer_records.search"),
        data={"csrf_token": token, "q": "Marek"},
        headers=HTMX | {"HX-Target": "search-results"},
    )
    return results.get_data(as_text=True)


def _contact_check(app, language: str) -> str:
    """The finding htmx swaps in while a contact is being logged, for a restricted customer."""
    client = _signed_in(app, "officer@example.com", language)
    customer_id = db.session.scalar(
        sa.select(Restriction.case_id).where(Restriction.status == RestrictionStatus.ACTIVE)
    )
    customer_id = db.session.get(Case, customer_id).customer_id
    page = client.get(url("contacts.log_contact", customer_id=customer_id))
    check = url("contacts.check", customer_id=customer_id)
    values = form_values(parse(page), url("contacts.log_contact", customer_id=customer_id))
    values["occurred_at"], values["channel"] = f"{today().isoformat()}T11:00", "telephone"
    response = client.post(check, data=values, headers=HTMX)
    assert response.status_code == 200
    assert "govuk-inset-text" in response.get_data(as_text=True)  # a finding, not nothing
    return response.get_data(as_text=True)


def _export_status(app, language: str) -> str:
    client = _signed_in(app, "director@example.com", language)
    page = client.get(url("reports.annual"))
    started = client.post(
        url("reports.annual_pdf"), data=form_values(parse(page), url("reports.annual_pdf"))
    )
    assert started.status_code == 303, started.status_code
    response = client.get(started.headers["Location"], headers=HTMX)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _import_progress(app, language: str) -> str:
    client = _signed_in(app, "steward@example.com", language)
    page = parse(client.get(url("customer_imports.index")))
    token = page.cssselect("input[name=csrf_token]")[0].get("value")
    upload = client.post(
        url("customer_imports.index"),
        data={
            "csrf_token": token,
            "file": (io.BytesIO(export([line("T-900001")])), "customers.csv"),
        },
        content_type="multipart/form-data",
    )
    assert upload.status_code == 303, upload.status_code
    response = client.get(upload.headers["Location"], headers=HTMX)  # still being checked
    assert response.status_code == 200
    return response.get_data(as_text=True)


def fragments(app, language: str) -> dict[str, str]:
    """The htmx fragments, fetched as htmx fetches them, wrapped in a page shell."""
    found = {
        "search results": _search_results(app, language),
        "contact check": _contact_check(app, language),
        "export status": _export_status(app, language),
        "import progress": _import_progress(app, language),
    }
    lang = "ar" if language == "ar" else "en-GB"
    for name, html in found.items():
        assert html.strip() and "<html" not in html, f"{name}: not a fragment"
    return {name: FRAGMENT_SHELL.format(lang=lang, fragment=html) for name, html in found.items()}


@pytest.mark.parametrize("language", ["en", "ar"])
def test_every_page_each_role_reaches_is_valid_html(demo, tmp_path, language):
    pages = 0
    for persona in PERSONAS:
        client = demo.test_client()
        start = "/"
        if persona != "anonymous":
            sign_in(client, persona, DEMO_PASSWORD)
            start = client.get("/", follow_redirects=True).request.path
        for path, html in crawl(client, start, language):
            save(tmp_path, f"{persona}-{path}", html)
            pages += 1
    for name, html in fragments(demo, language).items():
        save(tmp_path, f"fragment-{name}", html)
    assert pages >= 100, pages
    errors = vnu_errors(tmp_path)
    assert not errors, f"{len(errors)} errors:\n" + "\n".join(errors)
    tally("9 valid HTML (W3C Nu HTML Checker)", f"pages in {language}", pages)
    tally("9 valid HTML (W3C Nu HTML Checker)", "errors", 0)
