"""The data steward's customer import pages (issue 13 item 1): upload → checking (a job;
full page and htmx fragment) → preview → confirm → progress (full page and htmx fragment)
→ summary; every bad file refused with a clear message and nothing written; a customer
added and corrected by hand with the same rules."""

import io

import lxml.html
import sqlalchemy as sa
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from portal.customer_imports import files
from portal.extensions import db
from portal.jobs.worker import work
from portal.models import AuditEvent, Customer, ImportFileChunk, ImportRun
from portal.models.vocab import Role
from tests.factories import make_customer
from tests.helpers import asks_again_after, banners, check_page, csrf_token, texts, url
from tests.import_files import export, line


def _imports() -> str:
    return url("customer_imports.index")


def _run_url(run_url: str, endpoint: str) -> str:
    """The ``endpoint`` (confirm, abandon) of the run whose page is at ``run_url``."""
    run_id = int(run_url.rsplit("/", 1)[1])
    assert run_url == url("customer_imports.run", run_id=run_id)
    return url(endpoint, run_id=run_id)


def _is_progress_block(response) -> bool:
    """The response is the progress block alone (an htmx fragment), not a page."""
    fragment = _page(response)
    return (fragment.tag, fragment.get("id")) == ("div", "import-progress")


def _page(response):
    return lxml.html.fromstring(response.get_data(as_text=True))


def _text(element) -> str:
    return " ".join(element.text_content().split())


def _errors(response) -> list[str]:
    return [_text(a) for a in _page(response).cssselect(".govuk-error-summary__list a")]


def _counts(response) -> dict[str, str]:
    page = _page(response)
    return {
        name: _text(page.get_element_by_id(f"count-{name}"))
        for name in ("added", "updated", "unchanged", "refused", "former")
    }


def _multipart(client, data: bytes, name: str):
    """Encoded here, in memory: the test client spools large bodies to a temporary file
    it never closes."""
    token = csrf_token(client, _imports())
    values = {"csrf_token": token, "file": FileStorage(io.BytesIO(data), name)}
    boundary, body = encode_multipart(values)
    return client.post(
        _imports(), data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )


def _upload(client, data: bytes, name="customers.csv"):
    return _multipart(client, data, name)


def _checked(client, data: bytes) -> str:
    """Upload, and a worker checks the file; the run page's URL."""
    response = _upload(client, data)
    assert response.status_code == 303
    work(burst=True)
    return response.headers["Location"]


def _post(client, post_url, page_url, data=None):
    return client.post(post_url, data={"csrf_token": csrf_token(client, page_url), **(data or {})})


def test_upload_preview_confirm_progress_summary(app, client, login_as):
    login_as(Role.DATA_STEWARD)
    make_customer(reference="T-000002", full_name="Old Name")
    home = client.get(url("gdpr.index"))
    links = [a.get("href") for a in _page(home).cssselect("#customer-records ~ ul a")]
    assert _imports() in links
    index = client.get(_imports())
    assert index.status_code == 200
    check_page(index.get_data(as_text=True))

    rows = [
        line("T-000001", "New Person"),
        line("T-000002", "New Name"),
        line("T-000003", '=HYPERLINK("http://evil")'),
    ]
    data = export(rows)
    uploaded = _upload(client, data)
    assert uploaded.status_code == 303
    run_url = uploaded.headers["Location"]
    checking = client.get(run_url)
    check_page(checking.get_data(as_text=True))
    block = _page(checking).get_element_by_id("import-progress")
    assert _text(block.cssselect("h2")[0]) == "Being checked"
    assert asks_again_after(block, 0.75, 1.25)
    assert _page(checking).cssselect("progress")[0].get("max") == str(len(data))
    assert _text(_page(checking).cssselect("label[for=import-progress-bar]")[0]) == (
        "0% of the file checked"
    )
    assert "Check progress" in [_text(a) for a in block.cssselect("a")]
    assert "Waiting for a worker to start." in _text(block)
    assert "Discard this file" in [_text(b) for b in block.cssselect("button")]
    fragment = client.get(run_url, headers={"HX-Request": "true"})
    assert _is_progress_block(fragment)
    assert "HX-Refresh" not in fragment.headers

    work(burst=True)
    # The poll learns the check is over and reloads: the preview is a page of its own.
    polled = client.get(run_url, headers={"HX-Request": "true"})
    assert polled.headers["HX-Refresh"] == "true"
    preview = client.get(run_url)
    check_page(preview.get_data(as_text=True))
    assert _counts(preview) == {
        "added": "1",
        "updated": "1",
        "unchanged": "0",
        "refused": "1",
        "former": "0",
    }
    refused = [
        [_text(td) for td in tr.cssselect("td")]
        for tr in _page(preview).cssselect("table tbody tr")
    ]
    assert refused[0][:2] == ["4", "T-000003"] and "formula" in refused[0][2]
    assert (
        db.session.scalar(sa.select(Customer.full_name).where(Customer.reference == "T-000002"))
        == "Old Name"
    )

    confirmed = _post(client, _run_url(run_url, "customer_imports.confirm"), run_url)
    assert confirmed.status_code == 303
    progress = client.get(run_url)
    check_page(progress.get_data(as_text=True))
    block = _page(progress).get_element_by_id("import-progress")
    assert asks_again_after(block, 0.75, 1.25)
    assert _page(progress).cssselect("progress")[0].get("max") == "2"
    assert "Check progress" in [_text(a) for a in block.cssselect("a")]
    fragment = client.get(run_url, headers={"HX-Request": "true"})
    assert _is_progress_block(fragment)

    work(burst=True)
    summary = client.get(run_url)
    check_page(summary.get_data(as_text=True))
    assert "Import finished" in _text(_page(summary).cssselect(".govuk-panel")[0])
    assert _counts(summary)["added"] == "1" and _counts(summary)["updated"] == "1"
    assert _page(summary).get_element_by_id("import-progress").get("data-hx-trigger") is None
    done = client.get(run_url, headers={"HX-Request": "true"})
    assert _is_progress_block(done)
    assert texts(done, ".govuk-panel__title") == ["Import finished"]


def test_the_same_file_twice_previews_all_unchanged(app, client, login_as):
    steward = login_as(Role.DATA_STEWARD)
    data = export([line("T-000001", "One"), line("T-000002", "Two")])
    first = _checked(client, data)
    _post(client, _run_url(first, "customer_imports.confirm"), first)
    work(burst=True)
    second = client.get(_checked(client, data))
    assert _counts(second) == {
        "added": "0",
        "updated": "0",
        "unchanged": "2",
        "refused": "0",
        "former": "0",
    }
    actions = db.session.scalars(
        sa.select(AuditEvent.action).where(AuditEvent.actor_user_id == steward.id)
    ).all()
    assert actions.count("customer_import_uploaded") == 2


def _refused_upload(client, data: bytes) -> list[str]:
    response = _upload(client, data)
    assert response.status_code == 400
    check_page(response.get_data(as_text=True))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ImportRun)) == 0
    return _errors(response)


def test_bad_files_are_refused_with_a_clear_message(app, client, login_as):
    login_as(Role.DATA_STEWARD)
    assert _refused_upload(client, export([line("T-1", "Zoë")]).decode().encode("latin-1")) == [
        "The file must be saved as UTF-8 text (CSV UTF-8 in a spreadsheet)"
    ]
    assert _refused_upload(client, b"reference,full_name\nT-1,A\n") == [
        "The file's first line must name the columns. Missing: date_of_birth, address, "
        "postcode, email, phone, preferred_language"
    ]
    garbage = bytes(range(256)) * (10 * 2**20 // 256)
    assert _refused_upload(client, garbage)[0].startswith("The file must be saved as UTF-8")
    empty = client.post(
        _imports(),
        data={"csrf_token": csrf_token(client, _imports())},
        content_type="multipart/form-data",
    )
    assert _errors(empty) == ["Select the CSV file to import"]


def test_a_file_wrong_further_on_is_refused_on_the_run_page(app, client, login_as, monkeypatch):
    login_as(Role.DATA_STEWARD)
    monkeypatch.setattr(files, "CHUNK_BYTES", 256)  # the upload checks only the start
    data = export([line(f"T-{n:06d}", "Fine") for n in range(10)] + [line("T-1", "Zoë")])
    run_url = _checked(client, data.decode().encode("latin-1"))
    page = client.get(run_url)
    check_page(page.get_data(as_text=True))
    block = _page(page).get_element_by_id("import-progress")
    assert block.get("data-hx-trigger") is None
    assert _text(block.cssselect("h2")[0]) == "The file was refused"
    assert _text(block.get_element_by_id("file-refusal")) == (
        "The file must be saved as UTF-8 text (CSV UTF-8 in a spreadsheet)"
    )
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ImportFileChunk)) == 0
    listed = _text(_page(client.get(_imports())).cssselect("table")[0])
    assert "Refused" in listed


def test_an_oversize_upload_gets_a_friendly_413(app, client, login_as):
    login_as(Role.DATA_STEWARD)
    app.config["IMPORT_MAX_BYTES"] = 2**20  # 1 MB, so the test sends little
    big = export([line(f"T-{n:06d}", "X" * 100) for n in range(30_000)])
    assert len(big) > 2**20 + 2**20
    response = _multipart(client, big, "b.csv")
    assert response.status_code == 413
    check_page(response.get_data(as_text=True))
    assert texts(response, "h1") == ["The file or form you sent is too large"]
    assert "Send a file smaller than 1 MB." in texts(response, "main p")
    # Over the file maximum but within the form's allowance: refused while reading.
    within = export([line(f"T-{n:06d}", "X" * 100) for n in range(9_000)])
    assert 2**20 < len(within) < 2**20 + 2**19
    assert _refused_upload(client, within) == ["The file must be smaller than 1 MB"]


def test_a_two_gigabyte_upload_is_refused_before_it_is_read(app, client, login_as):
    login_as(Role.DATA_STEWARD)
    token = csrf_token(client, _imports())
    response = client.post(
        _imports(),
        data=b"x" * 100,
        headers={"Content-Type": "multipart/form-data; boundary=x"},
        environ_overrides={"CONTENT_LENGTH": str(2 * 2**30)},
        query_string={"csrf_token": token},
    )
    assert response.status_code == 413


def test_other_pages_keep_the_ordinary_limit(app, client, login_as):
    login_as(Role.DATA_STEWARD)
    response = client.post(
        url("gdpr.index"),
        data=b"x" * 100,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        environ_overrides={"CONTENT_LENGTH": str(60 * 2**20)},
    )
    assert response.status_code == 413


def test_a_customer_added_and_corrected_by_hand(app, client, login_as):
    login_as(Role.DATA_STEWARD)
    new_url = url("customer_imports.add_customer")
    page = client.get(new_url)
    check_page(page.get_data(as_text=True))
    fields = {
        "reference": "t-777777",
        "full_name": "By Hand",
        "date_of_birth": "1/1/1990",
        "address": "2 Low Road",
        "postcode": "bs1 4dj",
        "email": "bad",
        "phone": "",
        "preferred_language": "pl",
        "left_on": "",
    }
    refused = _post(client, new_url, new_url, fields)
    assert refused.status_code == 400
    assert _errors(refused) == ["The email address is not in the right format"]
    check_page(refused.get_data(as_text=True))
    added = _post(client, new_url, new_url, {**fields, "email": "hand@example.org"})
    assert added.status_code == 303
    customer = db.session.scalar(sa.select(Customer).where(Customer.reference == "T-777777"))
    assert (customer.postcode, customer.preferred_locale) == ("BS1 4DJ", "pl")
    again = _post(client, new_url, new_url, {**fields, "email": ""})
    assert _errors(again) == ["A customer with this reference already exists"]

    correct_url = url("customer_imports.correct_customer", customer_id=customer.id)
    form = client.get(correct_url)
    check_page(form.get_data(as_text=True))
    assert _page(form).get_element_by_id("full_name").get("value") == "By Hand"
    details = {k: v for k, v in fields.items() if k != "reference"}
    corrected = _post(
        client, correct_url, correct_url, {**details, "email": "", "full_name": "By Hand Corrected"}
    )
    assert corrected.status_code == 303
    db.session.expire_all()
    assert db.session.get(Customer, customer.id).full_name == "By Hand Corrected"
    event = db.session.scalar(sa.select(AuditEvent).order_by(AuditEvent.id.desc()))
    assert event.action == "customer_corrected_by_hand"
    assert event.details == {"fields": ["email", "full_name"]}


def test_discarding_a_file_while_it_is_checked(app, client, login_as):
    login_as(Role.DATA_STEWARD)
    run_url = _upload(client, export([line("T-000010", "Never")])).headers["Location"]
    discarded = _post(client, _run_url(run_url, "customer_imports.abandon"), run_url)
    assert discarded.status_code == 303
    work(burst=True)  # the queued check finds the run abandoned and does nothing
    page = client.get(run_url)
    check_page(page.get_data(as_text=True))
    assert "Import abandoned" in _text(_page(page).get_element_by_id("import-progress"))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ImportFileChunk)) == 0


def test_abandoning_from_the_progress_page(app, client, login_as):
    login_as(Role.DATA_STEWARD)
    run_url = _checked(client, export([line("T-000009", "Gone Again")]))
    abandon = _run_url(run_url, "customer_imports.abandon")
    _post(client, _run_url(run_url, "customer_imports.confirm"), run_url)
    abandoned = _post(client, abandon, run_url)
    assert abandoned.status_code == 303
    work(burst=True)
    page = client.get(run_url)
    check_page(page.get_data(as_text=True))
    assert "Import abandoned" in _text(_page(page).get_element_by_id("import-progress"))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Customer)) == 0
    again = _post(client, abandon, run_url)
    assert again.status_code == 303
    assert banners(client.get(run_url)) == [
        "This import has finished or been abandoned, so it cannot be abandoned"
    ]
