"""Drafting, issuing, opening and posting letters (s3.2 "in writing", s6.5 formats;
DESIGN.md rule 7 and "Beyond" 3 and 5)."""

import datetime as dt
import hashlib
import json
import uuid
from dataclasses import dataclass

from sqlalchemy import select

from portal import audit, authority
from portal.config import SUPPORTED_LOCALES
from portal.database import lock_row
from portal.extensions import db
from portal.formatting import long_date
from portal.letters import delivery, elements, facts, render_queue, wording
from portal.models import (
    Appeal,
    Case,
    Letter,
    ReconsiderationRequest,
    User,
)
from portal.models.vocab import (
    ChallengeStatus,
    InformalStepKind,
    LetterFormat,
    LetterKind,
    LetterStatus,
    RestrictionStatus,
    label,
)
from portal.policy import versions
from portal.translations import gettext as _

ENDED_STATUSES = (RestrictionStatus.LIFTED, RestrictionStatus.EXPIRED, RestrictionStatus.OVERTURNED)


class LetterIncomplete(Exception):
    def __init__(self, missing):
        super().__init__(", ".join(e.key for e in missing))
        self.missing = missing


class NotADraft(Exception):
    """The letter was already issued (e.g. a second click on "Issue")."""


@dataclass(frozen=True)
class PossibleLetter:
    """A letter the case calls for: its kind and what it is about."""

    kind: LetterKind
    source: str  # "restriction", "review", "appeal", ...
    source_id: int
    about: str  # a short description for staff

    @property
    def kind_label(self) -> str:
        return label(self.kind)

    @property
    def key(self) -> str:
        return f"{self.kind.value}:{self.source}:{self.source_id}"


def _issued_keys(case: Case) -> set[str]:
    keys = set()
    for letter in case.letters:
        for source in (
            "restriction",
            "review",
            "appeal",
            "reconsideration",
            "complaint_refusal",
            "informal_step",
        ):
            source_id = getattr(letter, f"{source}_id")
            if source_id:
                keys.add(f"{letter.kind.value}:{source}:{source_id}")
    return keys


def _warning_letters(case: Case) -> list[PossibleLetter]:
    """s3.2: an informal warning is confirmed in writing."""
    return [
        PossibleLetter(
            LetterKind.INFORMAL_WARNING,
            "informal_step",
            step.id,
            _("Warning given on %(date)s", date=long_date(step.taken_on)),
        )
        for step in case.informal_steps
        if step.kind == InformalStepKind.WARNING
    ]


NOTICE_STATUSES = (RestrictionStatus.ACTIVE, *ENDED_STATUSES, RestrictionStatus.SUPERSEDED)


def _restriction_letters(restriction) -> list[PossibleLetter]:
    """s3.2, s3.4: the notice of a restriction that took effect, its end, its reviews."""
    found = []
    starts_on = long_date(restriction.starts_on)
    if restriction.status in NOTICE_STATUSES:
        found.append(
            PossibleLetter(
                LetterKind.RESTRICTION_NOTICE,
                "restriction",
                restriction.id,
                _("Restriction from %(date)s", date=starts_on),
            )
        )
    if restriction.status in ENDED_STATUSES:
        found.append(
            PossibleLetter(
                LetterKind.RESTRICTION_ENDED,
                "restriction",
                restriction.id,
                _("Restriction from %(date)s ended", date=starts_on),
            )
        )
    found += [
        PossibleLetter(
            LetterKind.REVIEW_OUTCOME,
            "review",
            review.id,
            _("Review held on %(date)s", date=long_date(review.held_on)),
        )
        for review in restriction.reviews
        if review.outcome is not None and review.held_on is not None
    ]
    return found


def _refusal_letters(case: Case) -> list[PossibleLetter]:
    return [
        PossibleLetter(
            LetterKind.COMPLAINT_REFUSAL,
            "complaint_refusal",
            refusal.id,
            _("Complaint %(reference)s", reference=refusal.complaint_reference),
        )
        for refusal in case.complaint_refusals
    ]


# (model, source, acknowledgement, decision, title) for appeals (s3.4) and reconsideration
# requests (s4): each is acknowledged, and answered once decided.
_CHALLENGE_LETTERS = (
    (
        Appeal,
        "appeal",
        LetterKind.APPEAL_ACKNOWLEDGEMENT,
        LetterKind.APPEAL_DECISION,
        lambda appeal: _("Appeal %(reference)s", reference=appeal.reference),
    ),
    (
        ReconsiderationRequest,
        "reconsideration",
        LetterKind.RECONSIDERATION_ACKNOWLEDGEMENT,
        LetterKind.RECONSIDERATION_DECISION,
        lambda request: _("Request %(reference)s", reference=request.reference),
    ),
)


def _challenge_letters(case: Case) -> list[PossibleLetter]:
    found = []
    for model, source, acknowledgement, decision, title in _CHALLENGE_LETTERS:
        challenges = db.session.scalars(select(model).where(model.customer_id == case.customer_id))
        for challenge in challenges:
            kinds = [acknowledgement]
            if challenge.status == ChallengeStatus.DECIDED:
                kinds.append(decision)
            found += [
                PossibleLetter(kind, source, challenge.id, title(challenge)) for kind in kinds
            ]
    return found


def possible_letters(case: Case) -> list[PossibleLetter]:
    """Every letter the case's events call for that has no letter yet (draft or issued)."""
    found = _warning_letters(case)
    for restriction in case.restrictions:
        found += _restriction_letters(restriction)
    found += _refusal_letters(case) + _challenge_letters(case)
    done = _issued_keys(case)
    return [p for p in found if p.key not in done]


def default_locale(customer) -> str:
    """The customer's preferred language where the portal has it, else English."""
    return customer.preferred_locale if customer.preferred_locale in SUPPORTED_LOCALES else "en"


def draft_letter(
    case: Case, possible: PossibleLetter, *, created_by: User, now: dt.datetime
) -> Letter:
    letter = Letter(
        reference=f"tmp-{uuid.uuid4().hex[:12]}",
        customer_id=case.customer_id,
        case=case,
        kind=possible.kind,
        locale=default_locale(case.customer),
        requested_format=case.customer.preferred_letter_format,
        created_by_id=created_by.id,
        created_at=now,
        needs_post=not case.customer.email,
        **{f"{possible.source}_id": possible.source_id},
    )
    db.session.add(letter)
    db.session.flush()
    letter.reference = f"L-{now.year}-{letter.id:05d}"
    audit.save_change(
        "letter_draft",
        letter,
        actor=created_by,
        object_type="letter",
        customer_id=case.customer_id,
        details={"kind": possible.kind.value},
    )
    return letter


SOURCES = (
    "restriction",
    "review",
    "appeal",
    "reconsideration",
    "complaint_refusal",
    "informal_step",
)


def draft_correction(original: Letter, *, created_by: User, now: dt.datetime) -> Letter:
    """A correction is a new letter about the same thing that replaces the original when it
    is issued; the original is never edited (DESIGN rule 7)."""
    # Two clicks at once must not both start a correction (supersedes_id is unique).
    lock_row(Letter, original.id)
    if original.status != LetterStatus.ISSUED:
        raise NotADraft
    if original.superseded_by is not None:
        return original.superseded_by
    source = next(name for name in SOURCES if getattr(original, f"{name}_id"))
    possible = PossibleLetter(
        original.kind, source, getattr(original, f"{source}_id"), original.reference
    )
    letter = draft_letter(original.case, possible, created_by=created_by, now=now)
    letter.supersedes_id = original.id
    db.session.commit()
    return letter


def preview(letter: Letter, *, signatory: User, today: dt.date, locale: str | None = None):
    """The draft's facts, checklist and document in one language, as it would be issued."""
    gathered = facts.gather(letter, signatory=signatory, today=today)
    document = wording.build_document(gathered, letter.reference, locale or letter.locale)
    return gathered, elements.checklist(letter.kind, gathered), document


def canonical_sha256(content: dict) -> str:
    return hashlib.sha256(
        json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
    ).hexdigest()


def issue_letter(
    letter: Letter,
    *,
    issued_by: User,
    locale: str,
    needs_post: bool,
    now: dt.datetime,
    today: dt.date,
) -> Letter:
    """Freeze and issue (DESIGN rule 7). Refused while any required element is missing
    ("Beyond" 3). The wording is frozen in every supported language at once, so the
    customer can read the same letter in English or their own language for ever after."""
    if letter.status != LetterStatus.DRAFT:
        raise NotADraft
    if locale not in SUPPORTED_LOCALES:
        raise ValueError(locale)
    gathered = facts.gather(letter, signatory=issued_by, today=today)
    missing = elements.missing(letter.kind, gathered)
    if missing:
        raise LetterIncomplete(missing)
    content = {
        "facts": gathered,
        "elements": {e.key: e.section for e in elements.REQUIRED[letter.kind]},
        "documents": {
            code: wording.build_document(gathered, letter.reference, code)
            for code in SUPPORTED_LOCALES
        },
    }
    issuer_id = issued_by.id
    version_id = versions.id_in_force(today)  # read before the letter is half-changed
    replaced = letter.supersedes
    if replaced is not None and replaced.status == LetterStatus.ISSUED:
        replaced.status = LetterStatus.SUPERSEDED  # only its status: its words stay as sent
    letter.locale = locale
    letter.needs_post = needs_post
    letter.content = content
    letter.content_sha256 = canonical_sha256(content)
    letter.policy_version_id = version_id  # before it is frozen
    letter.status = LetterStatus.ISSUED
    letter.issued_by_id = issuer_id
    letter.issued_at = now
    audit.save_change(
        "letter_issue",
        letter,
        actor=issued_by,
        object_type="letter",
        customer_id=letter.customer_id,
        details={"kind": letter.kind.value, "locale": locale, "sha256": letter.content_sha256},
    )
    delivery.notify(letter)
    render_queue.prepare_usual_files(letter)
    return letter


def record_opened(letter: Letter, reader: User, now: dt.datetime) -> bool:
    """The first time the customer or their advocate opens a letter ends its "new" marker
    and is recorded (issue 5: delivery; the Ombudsman pack shows it)."""
    if letter.first_opened_at is not None:
        return False
    reader_id = reader.id
    letter.first_opened_at = now
    letter.first_opened_by_id = reader_id
    audit.save_change(
        "letter_open", letter, actor=reader, object_type="letter", customer_id=letter.customer_id
    )
    return True


def remember_choice(
    customer, *, locale: str, letter_format: LetterFormat, actor: User, today: dt.date
) -> None:
    """The customer's chosen language and format apply to every later letter and email
    (DESIGN.md "Beyond" 5: ask, record, flag, share, act). Only the customer, or an
    advocate who may act for them, may change it: raises NotAuthorisedToAct (s6.1)."""
    authority.check_may_act_for(actor, customer.id, today)
    customer.preferred_locale = locale
    customer.preferred_letter_format = letter_format
    customer.needs_updated_at = dt.datetime.now(dt.UTC)
    customer.needs_updated_by_id = actor.id
    audit.save_change(
        "letter_preference",
        customer,
        actor=actor,
        object_type="customer",
        customer_id=customer.id,
        details={"locale": locale, "format": letter_format.value},
    )


def awaiting_post() -> list[Letter]:
    return list(
        db.session.scalars(
            select(Letter)
            .where(
                Letter.status == LetterStatus.ISSUED,
                Letter.needs_post.is_(True),
                Letter.posted_at.is_(None),
            )
            .order_by(Letter.issued_at)
        )
    )


def mark_posted(letter_ids: list[int], *, actor: User, now: dt.datetime) -> int:
    letters = [letter for letter in awaiting_post() if letter.id in set(letter_ids)]
    for letter in letters:
        letter.posted_at = now
        audit.record(
            "letter_post",
            actor=actor,
            object_type="letter",
            object_id=letter.id,
            customer_id=letter.customer_id,
            commit=False,
        )
    db.session.commit()
    return len(letters)
