"""Slow work runs with no transaction open (issue 14 item 10).

On SQLite every transaction takes the write lock at BEGIN IMMEDIATE, so a PDF laid out or
audio recorded inside one made every other user wait for it. Each test replaces the slow
step with a probe that tries to take the write lock from another connection without
waiting: it succeeds only if the request holds no lock while the slow work runs.
"""

import sqlite3

import lxml.html
import pytest

from portal import clock, pdf_ua
from portal.extensions import db
from portal.letters import render
from portal.letters import services as letters
from portal.models.types import utcnow
from portal.models.vocab import LetterKind, Role
from tests.factories import make_user
from tests.helpers import csrf_token, letter_file, sign_in, text_of, url
from tests.letter_fixtures import make_notice_world

PDF = b"%PDF-1.7\n%probe\n"


@pytest.fixture
def lock_probe(app):
    """A function that says whether another connection could take the write lock now."""
    path = db.engine.url.database
    seen = []

    def probe() -> bool:
        other = sqlite3.connect(path, timeout=0, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
            seen.append(True)
        except sqlite3.OperationalError:  # "database is locked": the request holds it
            seen.append(False)
        finally:
            other.close()
        return seen[-1]

    probe.seen = seen
    return probe


def issued_notice():
    case, _restriction, officer, customer = make_notice_world()
    possible = next(
        p for p in letters.possible_letters(case) if p.kind == LetterKind.RESTRICTION_NOTICE
    )
    letter = letters.draft_letter(case, possible, created_by=officer, now=utcnow())
    letters.issue_letter(
        letter, issued_by=officer, locale="en", needs_post=True, now=utcnow(), today=clock.today()
    )
    db.session.commit()
    return case, letter, customer, officer


@pytest.mark.parametrize("fmt", ["pdf", "braille"])  # made by a job worker / in the request
def test_a_first_letter_download_renders_with_no_lock_held(
    app, client, lock_probe, monkeypatch, fmt
):
    _case, letter, customer, _officer = issued_notice()

    def slow_render(document, reference, fmt, locale):
        lock_probe()
        return PDF

    monkeypatch.setattr(render, "render", slow_render)
    sign_in(client, customer.user.email)
    response = letter_file(
        client, url("letters.download", letter_id=letter.id, locale="en", fmt=fmt)
    )
    assert response.status_code == 200 and response.data == PDF
    response.close()  # a file from the cache
    assert lock_probe.seen == [True]


def test_the_print_batch_is_laid_out_with_no_lock_held(app, client, lock_probe, monkeypatch):
    _case, _letter, _customer, officer = issued_notice()

    def slow_batch(pages_html):
        assert len(pages_html) == 1
        lock_probe()
        return PDF

    monkeypatch.setattr(render, "print_batch", slow_batch)
    sign_in(client, officer.email)
    post_queue = url("letters.post_queue")
    asked = client.post(
        url("letters.print_batch"), data={"csrf_token": csrf_token(client, post_queue)}
    )
    assert asked.status_code == 303
    # Laid out by the job worker (issue 18), still with no lock held.
    from portal.jobs.worker import work

    assert work(name="test-worker", burst=True) >= 1  # with the letter's own PDF
    response = client.get(asked.headers["Location"] + "/file")
    assert response.status_code == 200 and response.data == PDF
    assert lock_probe.seen == [True]


def test_the_evidence_pack_is_laid_out_with_no_lock_held(app, client, lock_probe, monkeypatch):
    case, _letter, _customer, _officer = issued_notice()
    manager = make_user(Role.REVIEW_MANAGER)
    case_id, reference = case.id, case.reference

    def slow_pdf(html):
        assert reference in text_of(lxml.html.fromstring(html))
        lock_probe()
        return PDF

    monkeypatch.setattr(pdf_ua, "pdf_from_html", slow_pdf)
    sign_in(client, manager.email)
    form = url("reports.evidence_pack_form", case_id=case_id)
    asked = client.post(
        url("reports.evidence_pack_start", case_id=case_id),
        data={"csrf_token": csrf_token(client, form)},
    )
    assert asked.status_code == 303
    # Laid out by the job worker (issue 18), still with no lock held.
    from portal.jobs.worker import work

    assert work(name="test-worker", burst=True) >= 1
    response = client.get(asked.headers["Location"] + "/file")
    assert response.status_code == 200 and response.data == PDF
    assert lock_probe.seen == [True]


def test_the_probe_sees_a_held_lock(app, lock_probe):
    """The probe itself works: inside an open transaction it reports the lock taken."""
    db.session.execute(db.text("SELECT 1"))  # BEGIN IMMEDIATE
    assert lock_probe() is False
    db.session.rollback()
    assert lock_probe() is True
