"""Letters: every decision is "communicated in writing to the customer" (s3.2)."""

import datetime as dt
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from portal.extensions import db
from portal.models.people import Customer, User
from portal.models.types import UTCDateTime, enum_type, utcnow
from portal.models.vocab import LetterFormat, LetterKind, LetterStatus

if TYPE_CHECKING:
    from portal.models.cases import Case, InformalStep
    from portal.models.challenges import Appeal, ComplaintRefusal, ReconsiderationRequest
    from portal.models.restrictions import Restriction, Review

FROZEN_AFTER_ISSUE = (
    "kind",
    "locale",
    "content",
    "titles",
    "content_sha256",
    "issued_at",
    "customer_id",
    "policy_version_id",
)


def titles_of(content: dict | None) -> dict[str, str]:
    """Each language's title in a letter's content (also used by the migration that added
    ``Letter.titles``, frozen there)."""
    documents = (content or {}).get("documents", {})
    return {code: document.get("title", "") for code, document in documents.items()}


class IssuedLetterChanged(Exception):
    """An issued letter was edited; it may only be superseded by a new one (DESIGN rule 7)."""


class Letter(db.Model):
    """A letter to the customer, frozen once issued (DESIGN rule 7).

    ``content`` holds the wording and data as issued, in ``locale``; every format (s6.5) is
    rendered from it, so a large-print copy says exactly what the web page said. A correction
    is a new letter that supersedes this one.
    """

    __tablename__ = "letters"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The policy version in force when this was decided or issued (issue 17).
    policy_version_id: Mapped[int | None] = mapped_column(sa.ForeignKey("policy_versions.id"))
    reference: Mapped[str] = mapped_column(sa.String(20), unique=True)
    customer_id: Mapped[int] = mapped_column(sa.ForeignKey("customers.id"))
    case_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cases.id"), index=True)
    kind: Mapped[LetterKind] = mapped_column(enum_type(LetterKind, "letter_kind"))
    # Active history: the before_update guard must see the status being left.
    status: Mapped[LetterStatus] = mapped_column(
        enum_type(LetterStatus, "letter_status"), default=LetterStatus.DRAFT, active_history=True
    )
    locale: Mapped[str] = mapped_column(sa.String(10))
    requested_format: Mapped[LetterFormat] = mapped_column(enum_type(LetterFormat, "letter_format"))
    # Loaded only when read: a letter in twelve languages is about 134 KB (issue 18).
    content: Mapped[dict] = mapped_column(sa.JSON, default=dict, deferred=True)
    # Each language's title, taken from ``content`` whenever it is set, so that lists show
    # titles without loading whole letters.
    titles: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    content_sha256: Mapped[str | None] = mapped_column(sa.String(64))
    # What the letter is about.
    restriction_id: Mapped[int | None] = mapped_column(sa.ForeignKey("restrictions.id"), index=True)
    review_id: Mapped[int | None] = mapped_column(sa.ForeignKey("reviews.id"))
    appeal_id: Mapped[int | None] = mapped_column(sa.ForeignKey("appeals.id"))
    reconsideration_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("reconsideration_requests.id")
    )
    complaint_refusal_id: Mapped[int | None] = mapped_column(sa.ForeignKey("complaint_refusals.id"))
    informal_step_id: Mapped[int | None] = mapped_column(sa.ForeignKey("informal_steps.id"))
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    issued_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    first_opened_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    first_opened_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    needs_post: Mapped[bool] = mapped_column(default=False)  # a paper copy must be sent
    posted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)  # printed and posted
    supersedes_id: Mapped[int | None] = mapped_column(sa.ForeignKey("letters.id"), unique=True)

    customer: Mapped[Customer] = relationship()
    case: Mapped["Case | None"] = relationship(back_populates="letters")
    restriction: Mapped["Restriction | None"] = relationship(back_populates="letters")
    review: Mapped["Review | None"] = relationship(back_populates="letters")
    appeal: Mapped["Appeal | None"] = relationship(back_populates="letters")
    reconsideration: Mapped["ReconsiderationRequest | None"] = relationship(
        back_populates="letters"
    )
    complaint_refusal: Mapped["ComplaintRefusal | None"] = relationship(back_populates="letters")
    informal_step: Mapped["InformalStep | None"] = relationship(back_populates="letters")
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    issued_by: Mapped[User | None] = relationship(foreign_keys=[issued_by_id])
    supersedes: Mapped["Letter | None"] = relationship(
        remote_side="Letter.id", back_populates="superseded_by"
    )
    superseded_by: Mapped["Letter | None"] = relationship(back_populates="supersedes")

    @validates("content")
    def _keep_titles(self, _key, content: dict) -> dict:
        self.titles = titles_of(content)
        return content

    def title_in(self, code: str) -> str:
        """The issued letter's title in ``code`` if frozen in it, else in its own language."""
        titles = self.titles or {}
        return titles.get(code) or titles.get(self.locale) or ""

    @property
    def languages(self) -> list[str]:
        """The languages the letter was written in, from ``titles`` (one per document), so
        a list of letters need not load their whole content (issue 18)."""
        return sorted(self.titles or {}) or [self.locale]

    __table_args__ = (
        sa.CheckConstraint(
            "(status = 'draft' AND issued_at IS NULL AND content_sha256 IS NULL)"
            " OR (status IN ('issued', 'superseded')"
            " AND issued_at IS NOT NULL AND content_sha256 IS NOT NULL)",
            name="issued_is_sealed",
        ),
        sa.Index("ix_letters_customer_id_issued_at", "customer_id", "issued_at"),
        sa.Index("ix_letters_needs_post_posted_at", "needs_post", "posted_at"),
    )


@sa.event.listens_for(Letter, "before_update")
def _refuse_edit_after_issue(mapper, connection, letter: Letter) -> None:
    # A JSON column is not change-tracked in place, so reassignment is the only way to edit
    # content through the ORM; refuse it, and any other sealed field, once issued.
    state = sa.inspect(letter)
    status = state.attrs.status.history
    was = (status.deleted or status.unchanged or [letter.status])[0]
    if was == LetterStatus.DRAFT:
        return
    changed = [name for name in FROZEN_AFTER_ISSUE if state.attrs[name].history.has_changes()]
    if changed:
        raise IssuedLetterChanged(f"letter {letter.id} is issued; cannot change {changed}")
