"""The published policy in every format and language (issue 17 item 4; s6.5): the plain
words in every language the portal supports and the full text in English, as web page,
tagged PDF, large print, easy read, plain text, audio and braille, made by the letter
pipeline from the documents frozen with the version and cached as letters' files are."""

import datetime as dt
import html
import io

import pikepdf
import pytest

from portal.clock import today
from portal.extensions import db
from portal.jobs.worker import work
from portal.letters import render
from portal.models import LetterRender
from portal.models.types import utcnow
from portal.models.vocab import Role
from portal.policy import files, versions
from tests import pdf_ua_rules
from tests.factories import make_user
from tests.helpers import check_page, parse, texts, url

TODAY = today()
PDF_LANG = {"en": "en-GB", "cy": "cy", "ar": "ar"}


@pytest.fixture()
def version(app):
    owner = make_user(Role.REVIEW_MANAGER)
    started = TODAY - dt.timedelta(days=30)
    draft = versions.draft_next(created_by=owner, today=started)
    versions.save_draft(
        draft,
        saved_by=owner,
        full_text="1. Background and objectives\n1.1. We aim to be fair.\n2. Policy Statement",
        eia_completed_on=started,
        eia_reviewed_on=started,
        approved_on=started,
    )
    return versions.publish(
        draft, in_force_from=started, published_by=owner, now=utcnow(), today=started
    )


def _get(client, file_url):
    """The file: a slow one is queued first (303 to its page), made by a worker, then
    served from the cache."""
    response = client.get(file_url)
    if response.status_code == 303:
        status_url = response.headers["Location"]
        page = client.get(status_url)
        check_page(page.get_data(as_text=True))
        assert texts(page, "h1") == ["The policy as a file"] or page.status_code == 200
        assert work(name="test-worker", burst=True) == 1
        response = client.get(file_url)
    assert response.status_code == 200, file_url
    data = response.data
    response.close()
    return response, data


@pytest.mark.parametrize("locale", ["en", "cy", "ar"])
def test_the_plain_words_in_every_format_in_english_welsh_and_arabic(client, version, locale):
    page = client.get(url("public.policy", lang=locale))
    check_page(page.get_data(as_text=True))
    lead = texts(page, "p.govuk-body-l")[0]
    links = parse(page).cssselect("#plain-files a")
    slugs = [fmt.slug for fmt in files.formats_for(locale)]
    assert len(links) == len(slugs) and len(slugs) >= 5
    for fmt, link in zip(slugs, links, strict=True):
        assert link.get("href") == url(
            "public.policy_file", version_id=version.id, kind="plain", locale=locale, fmt=fmt
        )
        response, data = _get(client, link.get("href"))
        if fmt in ("html", "text"):
            assert lead in html.unescape(data.decode("utf-8")), fmt
        if fmt == "html":
            assert f'lang="{PDF_LANG[locale]}"' in data.decode("utf-8")
        if fmt in ("pdf", "large-print", "easy-read"):
            with pikepdf.open(io.BytesIO(data)) as pdf:
                assert "/StructTreeRoot" in pdf.Root and pdf.Root.MarkInfo.Marked
                assert str(pdf.Root.Lang) == PDF_LANG[locale], fmt
            assert pdf_ua_rules.problems(data) == [], fmt
        if fmt == "audio":
            assert data[:3] == b"ID3"
        if fmt == "braille":
            assert data.decode("ascii")
        assert response.headers["Content-Disposition"].startswith("attachment")


def test_the_full_text_in_every_format_and_the_cache_shared_with_letters(client, version):
    page = client.get(url("public.policy"))
    links = [a.get("href") for a in parse(page).cssselect("#full-files a")]
    assert len(links) == len(files.formats_for("en"))
    for link in links:
        _response, data = _get(client, link)
        if link.endswith("/text"):
            assert "1.1. We aim to be fair." in data.decode("utf-8")
    # Made once, kept in the same cache as letters' files, and not made again.
    kept = db.session.scalar(db.select(db.func.count(LetterRender.key)))
    assert kept == len(links)
    again = client.get(links[0])
    assert again.status_code == 200
    assert db.session.scalar(db.select(db.func.count(LetterRender.key))) == kept


def test_a_file_that_does_not_exist_is_404(client, version):
    for kind, locale, fmt in (
        ("full", "cy", "pdf"),
        ("plain", "xx", "pdf"),
        ("plain", "en", "doc"),
    ):
        address = url(
            "public.policy_file", version_id=version.id, kind=kind, locale=locale, fmt=fmt
        )
        assert client.get(address).status_code == 404
    assert render.FORMATS  # the letter pipeline's formats are the policy's
