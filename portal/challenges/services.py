"""Making and deciding appeals (s3.4) and reconsideration requests (s4).

Drafts live on the server (save and come back). Submitting is idempotent: the appeal's
idempotency key comes from the draft, and the database allows one open challenge per
decision, so a double click or a second tab makes one appeal.
"""

import datetime as dt
import secrets

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal import audit, uploads
from portal.challenges import rules
from portal.challenges.refusals import (
    AnswerInvalid,
    AnswersMissing,
    ChallengeAlreadyOpen,
)
from portal.database import lock_row
from portal.extensions import db
from portal.models import (
    Appeal,
    ChallengeDraft,
    ComplaintRefusal,
    ReconsiderationRequest,
    Restriction,
    User,
)
from portal.models.vocab import (
    OPEN_CHALLENGE_STATUSES,
    LetterKind,
    ReconsiderationGround,
    RestrictionStatus,
    Role,
)
from portal.notices import events as notify
from portal.translations import lazy_gettext as _l

KINDS = ("appeal", "reconsideration")
MODEL = {"appeal": Appeal, "reconsideration": ReconsiderationRequest}
OPEN = OPEN_CHALLENGE_STATUSES
CHALLENGEABLE = (RestrictionStatus.ACTIVE,)


def target_for(target_type: str, target_id: int, customer_ids: set[int]):
    """The restriction or complaint refusal, if it belongs to one of ``customer_ids``."""
    if target_type == "restriction":
        target = db.session.get(Restriction, target_id)
        owner = target.case.customer_id if target else None
        if target is not None and target.status not in CHALLENGEABLE:
            return None
    elif target_type == "complaint-refusal":
        target = db.session.get(ComplaintRefusal, target_id)
        owner = target.case.customer_id if target else None
    else:
        return None
    return target if owner in customer_ids else None


def _target_filter(model, target):
    if isinstance(target, Restriction):
        return model.restriction_id == target.id
    return model.complaint_refusal_id == target.id


def open_challenge(kind: str, target):
    model = MODEL[kind]
    return db.session.scalar(
        select(model).where(_target_filter(model, target), model.status.in_(OPEN))
    )


# Drafts ----------------------------------------------------------------------------------------


def start_draft(kind: str, target, *, author: User, now: dt.datetime) -> ChallengeDraft:
    """Resume this person's draft about this decision, or start one. Refused while an
    appeal (or request) about the same decision is still open: one at a time."""
    # Two tabs starting at once must not make two drafts: lock the decision's row first.
    lock_row(type(target), target.id)
    if open_challenge(kind, target) is not None:
        raise ChallengeAlreadyOpen(
            _l(
                "There is already an open appeal about this decision. You can follow it on "
                "your home page."
            )
            if kind == "appeal"
            else _l(
                "There is already an open request to reconsider this decision. You can "
                "follow it on your home page."
            )
        )
    is_restriction = isinstance(target, Restriction)
    author_id = author.id
    draft = db.session.scalar(
        select(ChallengeDraft).where(
            ChallengeDraft.kind == kind,
            ChallengeDraft.author_id == author_id,
            (
                ChallengeDraft.restriction_id
                if is_restriction
                else ChallengeDraft.complaint_refusal_id
            )
            == target.id,
        )
    )
    if draft is not None:
        return draft
    draft = ChallengeDraft(
        kind=kind,
        customer_id=target.case.customer_id,
        author_id=author_id,
        restriction_id=target.id if is_restriction else None,
        complaint_refusal_id=None if is_restriction else target.id,
        data={},
        created_at=now,
        updated_at=now,
    )
    db.session.add(draft)
    db.session.commit()
    return draft


def save_answers(draft: ChallengeDraft, answers: dict, now: dt.datetime) -> None:
    """Keep what was typed, even when it does not validate yet: nothing typed is lost.

    Read again under the row lock, like :func:`add_evidence`: the evidence list shares the
    JSON, and a stale copy written back would drop files another request just added.
    """
    draft = _locked(draft)
    draft.data = {**draft.data, **answers}  # reassign: JSON is not change-tracked in place
    draft.updated_at = now
    db.session.commit()


def _locked(draft: ChallengeDraft) -> ChallengeDraft:
    """The draft as committed now, its row locked until this transaction ends."""
    db.session.commit()  # end any open transaction: the lock belongs to a new one
    return lock_row(ChallengeDraft, draft.id)


def add_evidence(draft: ChallengeDraft, files: list, *, author: User) -> None:
    """Keep evidence files with a draft (s3.4, s4): at most ``uploads.MAX_FILES`` and
    ``MAX_UPLOAD_BYTES_PER_DRAFT`` for the whole draft, however many requests they come in.

    The draft row is locked (``FOR UPDATE`` on PostgreSQL; SQLite's ``BEGIN IMMEDIATE``
    already holds the write lock) from the count to the commit, so two uploads at once
    cannot both fit under the limit. Raises :class:`uploads.TooManyFiles` or
    :class:`uploads.FilesTooLarge`, with nothing stored.
    """
    locked = _locked(draft)
    held = evidence_of(locked)
    try:
        uploads.check_room(files, held_count=len(held), held_bytes=sum(a.size_bytes for a in held))
    except uploads.UploadRefused:
        db.session.rollback()
        raise
    target = locked.restriction or locked.complaint_refusal
    stored = [uploads.store(f, uploaded_by_id=author.id, case_id=target.case_id) for f in files]
    db.session.add_all(stored)
    try:
        db.session.flush()
        locked.data = {
            **locked.data,
            "attachment_ids": [*locked.data.get("attachment_ids", []), *[a.id for a in stored]],
        }
        db.session.commit()
    except Exception:
        db.session.rollback()  # the files go with their rows
        raise


def evidence_of(draft: ChallengeDraft) -> list:
    from portal.models import Attachment

    ids = draft.data.get("attachment_ids", [])
    if not ids:
        return []
    return list(db.session.scalars(select(Attachment).where(Attachment.id.in_(ids))))


def missing_answers(draft: ChallengeDraft) -> list[str]:
    data = draft.data
    needed = ["reasons"] if draft.kind == "appeal" else ["ground", "details"]
    return [name for name in needed if not str(data.get(name, "")).strip()]


def idempotency_key(draft: ChallengeDraft) -> str:
    """The submission's key: the draft's id with its author and the moment it was started.
    The id alone is not enough: SQLite gives a new row the id of a deleted last row, so a
    later draft (another person's) could share a sent draft's id."""
    return f"{_key_prefix(draft.id, draft.author_id)}{draft.created_at:%Y%m%d%H%M%S%f}"


def _key_prefix(draft_id: int, author_id: int) -> str:
    return f"draft-{draft_id}-{author_id}-"


def _submitted_with(key: str):
    for model in MODEL.values():
        found = db.session.scalar(select(model).where(model.idempotency_key == key))
        if found is not None:
            return found
    return None


def submitted_from(draft_id: int, author_id: int):
    """What this person last sent from the draft with this id (a double click on Send)."""
    prefix = _key_prefix(draft_id, author_id)
    found = [
        challenge
        for model in MODEL.values()
        if (
            challenge := db.session.scalar(
                select(model)
                .where(model.idempotency_key.startswith(prefix, autoescape=True))
                .order_by(model.submitted_at.desc())
                .limit(1)
            )
        )
        is not None
    ]
    return max(found, key=lambda c: c.submitted_at, default=None)


def _reference(prefix: str) -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read out on the phone
    return f"{prefix}-" + "".join(secrets.choice(alphabet) for _ in range(6))


def submit(draft: ChallengeDraft, *, submitter: User, now: dt.datetime, today: dt.date):
    """Turn the draft into an appeal or request, with its evidence, in one transaction.
    Every answer is checked again first (s3.4, s4): a refusal, never a half-made appeal."""
    if missing_answers(draft):
        raise AnswersMissing
    invalid = rules.invalid_answer(draft.kind, draft.data)
    if invalid is not None:
        raise AnswerInvalid(invalid)
    data, key = dict(draft.data), idempotency_key(draft)
    target = {
        "restriction_id": draft.restriction_id,
        "complaint_refusal_id": draft.complaint_refusal_id,
    }
    common = {
        "customer_id": draft.customer_id,
        "submitted_by_id": submitter.id,
        "submitted_at": now,
        "idempotency_key": key,
        **target,
    }
    if draft.kind == "appeal":
        challenge = Appeal(
            reference=_reference("AP"),
            grounds=data["reasons"],
            due_on=rules.appeal_due_on(today),
            **common,
        )
        owner = "appeal"
    else:
        challenge = ReconsiderationRequest(
            reference=_reference("RC"),
            ground=ReconsiderationGround(data["ground"]),
            details=data["details"],
            answer_due_on=rules.answer_due_on(today),
            **common,
        )
        owner = "reconsideration"
    attachments = evidence_of(draft)
    db.session.add(challenge)
    try:
        db.session.flush()
        for attachment in attachments:
            setattr(attachment, f"{owner}_id", challenge.id)
        db.session.delete(draft)
        notify.challenge_received(challenge, owner, today)
        audit.save_change(
            f"{owner}_submit",
            challenge,
            actor=submitter,
            object_type=owner,
            customer_id=challenge.customer_id,
            details={"by_advocate": submitter.has_role(Role.ADVOCATE)},
        )
    except IntegrityError:
        # A second click (same draft) or another tab (same decision) got there first.
        db.session.rollback()
        existing = _submitted_with(key)
        if existing is not None:
            return existing
        raise ChallengeAlreadyOpen from None
    return challenge


def challenges_of(customer_id: int):
    appeals = db.session.scalars(
        select(Appeal).where(Appeal.customer_id == customer_id).order_by(Appeal.submitted_at.desc())
    ).all()
    requests = db.session.scalars(
        select(ReconsiderationRequest)
        .where(ReconsiderationRequest.customer_id == customer_id)
        .order_by(ReconsiderationRequest.submitted_at.desc())
    ).all()
    return appeals, requests


def drafts_of(author_id: int, customer_id: int) -> list[ChallengeDraft]:
    return list(
        db.session.scalars(
            select(ChallengeDraft)
            .where(ChallengeDraft.author_id == author_id, ChallengeDraft.customer_id == customer_id)
            .order_by(ChallengeDraft.updated_at.desc())
        )
    )


def decision_letter(challenge):
    """The issued decision letter, once there is one."""
    from portal.models.vocab import LetterStatus

    kinds = (LetterKind.APPEAL_DECISION, LetterKind.RECONSIDERATION_DECISION)
    for letter in challenge.letters:
        if letter.kind in kinds and letter.status == LetterStatus.ISSUED:
            return letter
    return None
