"""Letters against a real database: the completeness gate, freezing on issue, delivery
and first opening (issue 5; s3.2, s3.4, s4, s6.5; DESIGN.md rule 7, "Beyond" 3 and 5)."""

import datetime as dt
import re
from email import message_from_bytes, policy
from pathlib import Path

import pytest
import sqlalchemy as sa

from portal import clock
from portal.config import SUPPORTED_LOCALES
from portal.extensions import db
from portal.letters import services as letters
from portal.models import AuditEvent, Letter, LetterRender
from portal.models.letters import IssuedLetterChanged
from portal.models.types import utcnow
from portal.models.vocab import LetterKind, LetterStatus
from tests.helpers import url
from tests.letter_fixtures import make_notice_world

TODAY = clock.today()


def draft_notice(case, officer):
    possible = next(
        p for p in letters.possible_letters(case) if p.kind == LetterKind.RESTRICTION_NOTICE
    )
    return letters.draft_letter(case, possible, created_by=officer, now=utcnow())


def issue(letter, officer, locale="en"):
    return letters.issue_letter(
        letter, issued_by=officer, locale=locale, needs_post=False, now=utcnow(), today=TODAY
    )


def outbox(app) -> list:
    folder = Path(app.config["MAIL_OUTBOX_DIR"])
    return [message_from_bytes(p.read_bytes(), policy=policy.default) for p in folder.glob("*.eml")]


def test_a_notice_without_an_appeals_route_or_a_reason_cannot_be_issued(app):
    case, _restriction, officer, _customer = make_notice_world(
        with_director=False, with_incident=False
    )
    letter = draft_notice(case, officer)
    with pytest.raises(letters.LetterIncomplete) as refused:
        issue(letter, officer)
    missing = {element.key: element.section for element in refused.value.missing}
    assert missing == {"why": "3.1", "appeal_route": "3.4"}
    db.session.expire_all()
    assert db.session.get(Letter, letter.id).status == LetterStatus.DRAFT
    assert outbox(app) == []


def test_issuing_freezes_the_words_in_every_language_and_nothing_can_edit_them(app):
    case, restriction, officer, _customer = make_notice_world()
    letter = issue(draft_notice(case, officer), officer)
    assert letter.status == LetterStatus.ISSUED and letter.reference.startswith("L-")
    assert set(letter.content["documents"]) == set(SUPPORTED_LOCALES)
    assert letter.content_sha256 == letters.canonical_sha256(letter.content)
    facts = letter.content["facts"]
    assert facts["ends_on"] == restriction.ends_on.isoformat()
    assert letter.content["elements"]["ombudsman"] == "3.4"
    # The case changes later; the letter does not.
    restriction.reason = "A different reason written later."
    db.session.commit()
    db.session.refresh(letter)
    assert "A different reason" not in str(letter.content)
    letter.content = {"documents": {}}
    with pytest.raises(IssuedLetterChanged):
        db.session.commit()
    db.session.rollback()
    with pytest.raises(letters.NotADraft):
        issue(db.session.get(Letter, letter.id), officer)
    actions = db.session.scalars(sa.select(AuditEvent.action)).all()
    assert "letter_draft" in actions and "letter_issue" in actions


def test_the_customer_is_emailed_in_their_language_without_case_details(app):
    case, _restriction, officer, customer = make_notice_world(preferred_locale="cy")
    letter = draft_notice(case, officer)
    assert letter.locale == "cy"  # the customer's preferred language is the default
    issue(letter, officer, locale="cy")
    [mail] = outbox(app)
    assert mail["To"] == "jordan@example.com"
    body = mail.get_content()
    assert url("letters.show", letter_id=letter.id) in body  # a plain-text email
    assert "Eleven calls" not in body  # no case details in a mailbox others may read
    english_subject = "You have a new letter from Alliance Homes"
    assert mail["Subject"] != english_subject  # translated (Welsh)


def test_an_unsupported_preferred_language_falls_back_to_english(app):
    case, _restriction, officer, _customer = make_notice_world(preferred_locale="fr")
    assert draft_notice(case, officer).locale == "en"


def test_the_first_opening_is_recorded_once(app):
    case, _restriction, officer, customer = make_notice_world()
    letter = issue(draft_notice(case, officer), officer)
    first = utcnow()
    assert letters.record_opened(letter, customer.user, first) is True
    assert letters.record_opened(letter, customer.user, first + dt.timedelta(hours=1)) is False
    db.session.expire_all()
    stored = db.session.get(Letter, letter.id)
    assert stored.first_opened_at == first.replace(microsecond=first.microsecond)
    assert stored.first_opened_by_id == customer.user.id


def test_a_letter_already_written_is_not_offered_again(app):
    case, _restriction, officer, _customer = make_notice_world()
    kinds = [p.kind for p in letters.possible_letters(case)]
    assert LetterKind.RESTRICTION_NOTICE in kinds
    draft_notice(case, officer)
    db.session.expire_all()
    kinds = [p.kind for p in letters.possible_letters(db.session.get(type(case), case.id))]
    assert LetterKind.RESTRICTION_NOTICE not in kinds


def test_a_correction_is_a_new_letter_that_supersedes_the_original(app):
    case, _restriction, officer, _customer = make_notice_world()
    original = issue(draft_notice(case, officer), officer)
    words = original.content
    correction = letters.draft_correction(original, created_by=officer, now=utcnow())
    assert correction.supersedes_id == original.id and correction.status == LetterStatus.DRAFT
    # Asking twice gives the same draft, not a second one.
    assert letters.draft_correction(original, created_by=officer, now=utcnow()).id == correction.id
    issue(correction, officer)
    db.session.expire_all()
    original = db.session.get(Letter, original.id)
    assert original.status == LetterStatus.SUPERSEDED
    assert original.content == words  # the original's words are untouched
    assert original.superseded_by.status == LetterStatus.ISSUED


def test_lists_read_titles_without_loading_the_whole_letter(app):
    """Issue 18: a list shows titles from their own column; the content (every language,
    about 134 KB) is loaded only when a letter itself is shown."""
    case, _restriction, officer, _customer = make_notice_world()
    letter = issue(draft_notice(case, officer), officer, locale="pl")
    documents = letter.content["documents"]
    assert letter.titles == {code: doc["title"] for code, doc in documents.items()}
    db.session.expire_all()
    statements = []

    def record(_connection, _cursor, statement, *_args):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        listed = db.session.scalars(sa.select(Letter).where(Letter.id == letter.id)).one()
        assert listed.title_in("pl") == documents["pl"]["title"]
        assert listed.title_in("xx") == documents["pl"]["title"]  # no such language: its own
        assert "content" in sa.inspect(listed).unloaded
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    assert statements and not any(re.search(r"letters\.content\b", s) for s in statements)


def test_audio_and_braille_are_made_from_the_frozen_words_and_cached_by_their_hash(
    app, monkeypatch
):
    from portal.letters import render

    case, restriction, officer, _customer = make_notice_world()
    letter = issue(draft_notice(case, officer), officer)
    restriction.reason = "A different reason written later."
    db.session.commit()
    db.session.expire_all()
    letter = db.session.get(Letter, letter.id)
    files = {
        slug: render.cached_render(render.LetterSource.of(letter, "en"), render.FORMATS[slug])
        for slug in ("audio", "braille")
    }
    brf = files["braille"].decode("ascii")
    assert ",jordan ,ellis" in brf and "di6]5t" not in brf  # "different" is not in the letter
    assert files["audio"][:3] == b"ID3"
    kept = db.session.scalars(sa.select(LetterRender.content_sha256)).all()
    assert kept == [letter.content_sha256] * 2

    def no_second_render(*_args, **_kwargs):
        raise AssertionError("rendered again")

    monkeypatch.setattr(render, "render", no_second_render)
    assert {
        slug: render.cached_render(render.LetterSource.of(letter, "en"), render.FORMATS[slug])
        for slug in files
    } == files
