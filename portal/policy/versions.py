"""Policy versions: drafted, approved in stages, published from a date, then frozen
(s1.6 owner, s5.4 review within two years, s9 version control and approval dates).

Every decision the portal records, and every letter, keeps the id of the version in force
on the day it was made (:func:`id_in_force`), so a decision can always be read against the
words it was made under.
"""

import datetime as dt
import difflib
from dataclasses import dataclass

from sqlalchemy import func, select

from portal import audit
from portal.dates import add_months
from portal.extensions import db
from portal.models.policy import PolicyVersion, PolicyVersionStatus
from portal.models.vocab import Role
from portal.policy import documents

# s5.4: "reviewed within two years of its approval date or earlier".
REVIEW_WITHIN_MONTHS = 24
# Issue 17: the owner and leadership are reminded this many days before the review is due.
REMINDER_DAYS = (90, 30)


class NotADraft(Exception):
    """A published version cannot be edited or published again."""


class NumberTaken(Exception):
    """Another version already has this number."""


class ApprovalIncomplete(Exception):
    """Publishing needs every s9 approval stage dated: the EIA completed, the EIA reviewed,
    and senior leadership approval. ``missing`` names the stages without a date."""

    def __init__(self, missing: list[str]):
        super().__init__(", ".join(missing))
        self.missing = missing


class BadInForceDate(Exception):
    """In force from before the approval, in the past, or before the version now in force
    began (a version cannot be slipped in under decisions already made)."""


class ReviewTooLate(Exception):
    """s5.4: the next review must be within two years of the approval date, and after the
    version comes into force."""


def in_force_on(day: dt.date) -> PolicyVersion | None:
    """The published version in force on ``day``: the latest to come into force by then."""
    return db.session.scalars(
        select(PolicyVersion)
        .where(
            PolicyVersion.status == PolicyVersionStatus.PUBLISHED,
            PolicyVersion.in_force_from <= day,
        )
        .order_by(PolicyVersion.in_force_from.desc(), PolicyVersion.id.desc())
        .limit(1)
    ).first()


def id_in_force(day: dt.date) -> int | None:
    """The id a decision made on ``day`` records (None before any version is published)."""
    version = in_force_on(day)
    return version.id if version is not None else None


def number_of(version_id: int | None) -> str:
    """A version's number ("" for none), from every version's number read once per
    request: a case's decisions name their versions without a query each."""
    from flask import g

    if version_id is None:
        return ""
    numbers = g.get("policy_version_numbers")
    if numbers is None or version_id not in numbers:
        numbers = dict(db.session.execute(select(PolicyVersion.id, PolicyVersion.number)).all())
        g.policy_version_numbers = numbers
    return numbers.get(version_id, "")


def all_versions() -> list[PolicyVersion]:
    """Newest first: drafts, then published versions by the date they came into force."""
    return list(
        db.session.scalars(
            select(PolicyVersion).order_by(
                PolicyVersion.in_force_from.desc().nulls_first(), PolicyVersion.id.desc()
            )
        )
    )


def _next_number(number: str) -> str:
    """ "1.0" -> "2.0"; anything else gets " (next)" for the owner to change."""
    major, _dot, _minor = number.partition(".")
    return f"{int(major) + 1}.0" if major.isdigit() else f"{number} (next)"


def draft_next(*, created_by, today: dt.date) -> PolicyVersion:
    """A new draft starting from the words of the version in force (or empty). Only one
    draft at a time: an existing draft is returned instead of a second one."""
    existing = db.session.scalars(
        select(PolicyVersion).where(PolicyVersion.status == PolicyVersionStatus.DRAFT)
    ).first()
    if existing is not None:
        return existing
    current = in_force_on(today)
    latest_number = db.session.scalar(
        select(PolicyVersion.number).order_by(PolicyVersion.id.desc()).limit(1)
    )
    draft = PolicyVersion(
        number=_next_number(latest_number) if latest_number else "1.0",
        status=PolicyVersionStatus.DRAFT,
        full_text=current.full_text if current is not None else "",
        owner_role=current.owner_role if current is not None else Role.REVIEW_MANAGER,
        created_by_id=created_by.id,
    )
    db.session.add(draft)
    db.session.flush()
    audit.record(
        "policy_version_draft",
        actor=created_by,
        object_type="policy_version",
        object_id=draft.id,
        details={"number": draft.number},
        commit=False,
    )
    db.session.commit()
    return draft


def save_draft(version: PolicyVersion, *, saved_by, **fields) -> PolicyVersion:
    """The owner's edits to a draft: its number, words, what changed and the s9 dates."""
    if version.status != PolicyVersionStatus.DRAFT:
        raise NotADraft
    number = fields.get("number", version.number)
    taken = db.session.scalar(
        select(PolicyVersion.id).where(
            PolicyVersion.number == number, PolicyVersion.id != version.id
        )
    )
    if taken is not None:
        raise NumberTaken
    for name, value in fields.items():
        setattr(version, name, value)
    audit.record(
        "policy_version_save",
        actor=saved_by,
        object_type="policy_version",
        object_id=version.id,
        details={"number": version.number},
        commit=False,
    )
    db.session.commit()
    return version


def missing_approvals(version: PolicyVersion) -> list[str]:
    """The s9 stages still without a date, as field names."""
    stages = ("eia_completed_on", "eia_reviewed_on", "approved_on")
    return [name for name in stages if getattr(version, name) is None]


def publish(version: PolicyVersion, *, in_force_from: dt.date, published_by, now, today):
    """Publish a draft to be in force from a date (today or later, on or after its
    approval and after the version now in force began). It is frozen from then on."""
    if version.status != PolicyVersionStatus.DRAFT:
        raise NotADraft
    missing = missing_approvals(version)
    if missing:
        raise ApprovalIncomplete(missing)
    latest_start = db.session.scalar(
        select(func.max(PolicyVersion.in_force_from)).where(
            PolicyVersion.status == PolicyVersionStatus.PUBLISHED
        )
    )
    if (
        in_force_from < today
        or in_force_from < version.approved_on
        or (latest_start is not None and in_force_from <= latest_start)
    ):
        raise BadInForceDate
    latest_review = add_months(version.approved_on, REVIEW_WITHIN_MONTHS)
    if version.next_review_on is None:
        version.next_review_on = latest_review
    if not in_force_from < version.next_review_on <= latest_review:
        raise ReviewTooLate
    version.in_force_from = in_force_from
    version.documents = documents.build_documents(version)
    version.published_by_id = published_by.id
    version.published_at = now
    version.status = PolicyVersionStatus.PUBLISHED
    audit.record(
        "policy_version_publish",
        actor=published_by,
        object_type="policy_version",
        object_id=version.id,
        details={"number": version.number, "in_force_from": in_force_from.isoformat()},
        commit=False,
    )
    db.session.commit()
    return version


# Comparing two versions ---------------------------------------------------------------


@dataclass(frozen=True)
class DiffRow:
    """One row of a side-by-side comparison: the older line and the newer, and what
    happened to it ("same", "changed", "removed", "added")."""

    kind: str
    old: str
    new: str


def compare(old: PolicyVersion, new: PolicyVersion) -> list[DiffRow]:
    """Paragraph by paragraph (the policy's lines), what changed from ``old`` to ``new``."""
    before = old.full_text.splitlines()
    after = new.full_text.splitlines()
    rows: list[DiffRow] = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            rows.extend(DiffRow("same", line, line) for line in before[i1:i2])
        elif tag == "delete":
            rows.extend(DiffRow("removed", line, "") for line in before[i1:i2])
        elif tag == "insert":
            rows.extend(DiffRow("added", "", line) for line in after[j1:j2])
        else:
            old_lines, new_lines = before[i1:i2], after[j1:j2]
            for n in range(max(len(old_lines), len(new_lines))):
                left = old_lines[n] if n < len(old_lines) else ""
                right = new_lines[n] if n < len(new_lines) else ""
                kind = "changed" if left and right else ("removed" if left else "added")
                rows.append(DiffRow(kind, left, right))
    return [row for row in rows if row.old.strip() or row.new.strip()]


# The review due (s5.4) ------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewDue:
    version: PolicyVersion
    due_on: dt.date
    days_left: int  # negative when overdue

    @property
    def overdue(self) -> bool:
        return self.days_left < 0

    @property
    def soon(self) -> bool:
        return 0 <= self.days_left <= max(REMINDER_DAYS)


def review_due(today: dt.date) -> ReviewDue | None:
    """When the version in force is next to be reviewed (None when none is published)."""
    version = in_force_on(today)
    if version is None or version.next_review_on is None:
        return None
    return ReviewDue(version, version.next_review_on, (version.next_review_on - today).days)
