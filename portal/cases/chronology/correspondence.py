"""Chronology events from what was written: letters (s3.2, s6.5) and the contact log."""

from sqlalchemy import select
from sqlalchemy.orm.attributes import set_committed_value

from portal.cases.chronology.entries import (
    NO,
    Event,
    LetterRow,
    Summary,
    person_name,
)
from portal.extensions import db
from portal.formatting import date_and_time, language_name
from portal.models import (
    Case,
    ContactLogEntry,
    Letter,
)
from portal.models.vocab import (
    label,
)
from portal.translations import lazy_gettext as _l


def case_letters(case: Case) -> list[Letter]:
    """Every letter of the case, issued and draft, in one statement, in the order issued.

    Each one's replacement (``superseded_by``, a correction) is found among them rather
    than asked for letter by letter (issue 18: one statement per issued letter): a
    correction is always drafted in its original's case (letters.services.draft_correction).
    """
    letters = db.session.scalars(
        select(Letter).where(Letter.case_id == case.id).order_by(Letter.issued_at, Letter.id)
    ).all()
    replacing = {letter.supersedes_id: letter for letter in letters if letter.supersedes_id}
    for letter in letters:
        set_committed_value(letter, "superseded_by", replacing.get(letter.id))
    return letters


def issued_letters(letters: list[Letter]) -> list[LetterRow]:
    """The issued ones of ``case_letters``, with the languages each was made in."""
    return [LetterRow(letter, letter.languages) for letter in letters if letter.issued_at]


def _posted(letter: Letter):
    if letter.posted_at:
        return date_and_time(letter.posted_at)
    return _l("Waiting to be posted") if letter.needs_post else NO


def letter_event(row: LetterRow) -> Event:
    letter = row.letter
    details = [
        (_l("Reference"), letter.reference),
        (_l("Title"), letter.title_in(letter.locale)),
        (_l("Sent in"), language_name(letter.locale)),
        (
            _l("Also available in"),
            ", ".join(language_name(code) for code in row.languages if code != letter.locale),
        ),
        (_l("Format asked for"), label(letter.requested_format)),
        (_l("Paper copy posted"), _posted(letter)),
        (
            _l("First opened"),
            date_and_time(letter.first_opened_at)
            if letter.first_opened_at
            else _l("Not opened yet"),
        ),
        (_l("Issued by"), person_name(letter.issued_by)),
    ]
    if letter.superseded_by is not None:
        details.append((_l("Replaced by"), letter.superseded_by.reference))
    tags = [label(letter.kind)] + ([_l("Opened")] if letter.first_opened_at else [])
    return Event(
        letter.issued_at,
        _l("Letter issued: %(kind)s", kind=label(letter.kind)),
        details,
        Summary(letter.issued_at, _l("Letter sent"), letter.reference, tags, letter_id=letter.id),
    )


def contacts(case: Case) -> list[Event]:
    return [
        Event(
            entry.occurred_at,
            _l("Contact logged (staff record)"),
            [
                (_l("How"), label(entry.channel)),
                (_l("Finding"), label(entry.finding)),
                (_l("Summary"), entry.summary),
            ],
            Summary(entry.occurred_at, _l("Contact logged"), entry.summary, [label(entry.finding)]),
            staff_only=True,
        )
        for entry in db.session.scalars(
            select(ContactLogEntry).where(ContactLogEntry.case_id == case.id)
        )
    ]
