"""Where things stand, in the words a customer (or their advocate) reads (issue 15 item 5).
Kept beside the challenge rules it reads (answer-by dates), so the customer's pages and the
appeal pages ask one module and no two areas import each other.

One home for the status wording on the customer's home, the advocate's view of a customer
and the appeal and reconsideration pages: templates show what this module decides and
never choose words from a status themselves.

- A restriction approved to start later is not "In place" yet: it says when it starts.
- A review date in the past is explained: the review is late, and the restriction still
  applies until the Service Delivery Manager reviews it (s3.4: restrictions are reviewed
  quarterly or six-monthly and lifted only at a review), never beyond its end date (s3.5).
- While an appeal (or a request to reconsider) is open, it is not offered again; its
  answer-by date is shown, from the challenge rules (portal.challenges.rules).
- A decided appeal or request says its outcome and what changed (s3.4, s4).
"""

import datetime as dt
from dataclasses import dataclass

from flask_babel import ngettext

from portal.challenges import rules
from portal.clock import day_of
from portal.formatting import long_date
from portal.models.vocab import (
    APPEAL_DECISION_LABELS,
    RECONSIDERATION_DECISION_LABELS,
    AppealDecision,
    ChallengeStatus,
    ReconsiderationDecision,
    RestrictionStatus,
    label,
)
from portal.translations import gettext as _

OPEN = (ChallengeStatus.RECEIVED, ChallengeStatus.BEING_CONSIDERED)


@dataclass(frozen=True)
class Tag:
    """A GOV.UK tag: its words and colour modifier ("" for the default)."""

    text: str
    colour: str = ""

    @property
    def css_class(self) -> str:
        return f"govuk-tag govuk-tag--{self.colour}" if self.colour else "govuk-tag"


@dataclass(frozen=True)
class RestrictionStatusView:
    tag: Tag
    review_on: dt.date | None
    review_late: str | None
    open_appeal: object | None
    open_request: object | None
    is_current: bool

    @property
    def may_appeal(self) -> bool:
        return self.is_current and self.open_appeal is None

    @property
    def may_ask_to_reconsider(self) -> bool:
        return self.is_current and self.open_request is None

    @property
    def open_challenge_sentences(self) -> list[str]:
        sentences = []
        if self.open_appeal is not None:
            sentences.append(
                _(
                    "You have appealed this restriction (appeal %(reference)s). We will answer"
                    " by %(date)s. The restriction stays in place while the appeal is decided.",
                    reference=self.open_appeal.reference,
                    date=long_date(answer_by(self.open_appeal)),
                )
            )
        if self.open_request is not None:
            sentences.append(
                _(
                    "You have asked us to reconsider this restriction (request %(reference)s)."
                    " We will answer by %(date)s.",
                    reference=self.open_request.reference,
                    date=long_date(answer_by(self.open_request)),
                )
            )
        return sentences


def restriction_tag(restriction, today: dt.date) -> Tag:
    """ "Starts on 8 December 2026" before an approved restriction starts, "In place" from
    then on, and the plain label ("Ended", "Lifted", …) once it is over."""
    if restriction.status == RestrictionStatus.ACTIVE:
        if restriction.starts_on > today:
            return Tag(_("Starts on %(date)s", date=long_date(restriction.starts_on)), "blue")
        return Tag(label(restriction.status))
    return Tag(label(restriction.status), "grey")


def late_review_sentence(restriction, today: dt.date) -> str | None:
    """s3.4, s3.5: a late review does not end a restriction; say so, and until when."""
    if restriction.status != RestrictionStatus.ACTIVE or restriction.next_review_on >= today:
        return None
    return _(
        "Your review is late: it was due on %(due)s. The restriction still applies until the"
        " Service Delivery Manager reviews it (policy section 3.4), and it cannot last beyond"
        " %(end)s without a review (section 3.5). We will write to you with the outcome.",
        due=long_date(restriction.next_review_on),
        end=long_date(restriction.ends_on),
    )


def restriction_status(
    restriction, today: dt.date, *, appeals=(), requests=()
) -> RestrictionStatusView:
    """Everything the customer is told about one restriction's status; ``appeals`` and
    ``requests`` are the customer's, already loaded (no statement per restriction)."""
    current = restriction.status == RestrictionStatus.ACTIVE
    return RestrictionStatusView(
        tag=restriction_tag(restriction, today),
        review_on=restriction.next_review_on if current else None,
        review_late=late_review_sentence(restriction, today),
        open_appeal=_open_on(appeals, restriction),
        open_request=_open_on(requests, restriction),
        is_current=current,
    )


def _open_on(challenges, restriction):
    for challenge in challenges:
        if challenge.restriction_id == restriction.id and challenge.status in OPEN:
            return challenge
    return None


def answer_by(challenge) -> dt.date:
    """When we answer an appeal or request to reconsider: the date stored when it was
    received, else the challenge rules' date from the day it was received (s4; the
    appeal standard in portal.challenges.rules)."""
    stored = getattr(challenge, "answer_due_on", None) or getattr(challenge, "due_on", None)
    if stored is not None:
        return stored
    received = day_of(challenge.submitted_at)
    if hasattr(challenge, "answer_due_on"):
        return rules.answer_due_on(received)
    return rules.appeal_due_on(received)


def challenge_tag(challenge) -> Tag:
    """The outcome once decided ("Upheld", "Overturned", …), else where it has got to."""
    if challenge.status == ChallengeStatus.DECIDED and challenge.decision is not None:
        labels = (
            APPEAL_DECISION_LABELS
            if isinstance(challenge.decision, AppealDecision)
            else RECONSIDERATION_DECISION_LABELS
        )
        return Tag(str(labels[challenge.decision]), "green")
    if challenge.status == ChallengeStatus.WITHDRAWN:
        return Tag(label(challenge.status), "grey")
    return Tag(label(challenge.status), "blue")


def what_changed(challenge) -> list[str]:
    """After a decision: what it means for the restriction or the refused complaint, as
    Mastodon's appeal screen tells the person what the decision changed."""
    if challenge.status != ChallengeStatus.DECIDED or challenge.decision is None:
        return []
    restriction = challenge.restriction
    if restriction is None:
        return [_refusal_outcome(challenge)]
    decision = challenge.decision
    if decision == AppealDecision.OVERTURN:
        return [_("The restriction is cancelled. It no longer applies to you.")]
    if decision in (AppealDecision.VARY, ReconsiderationDecision.CHANGE_RESTRICTION):
        return [
            _(
                "The restriction has been changed. It now ends on %(end)s, and its next review"
                " is on %(review)s.",
                end=long_date(restriction.ends_on),
                review=long_date(restriction.next_review_on),
            )
        ]
    if restriction.status != RestrictionStatus.ACTIVE:
        return [_("The restriction stays as it was decided. It has now ended.")]
    return [
        _(
            "The restriction stays as it is. It ends on %(end)s at the latest, and its next"
            " review is on %(review)s.",
            end=long_date(restriction.ends_on),
            review=long_date(restriction.next_review_on),
        )
    ]


def _refusal_outcome(challenge) -> str:
    reference = challenge.complaint_refusal.complaint_reference
    if challenge.decision == AppealDecision.OVERTURN:
        return _(
            "The decision not to consider complaint %(reference)s is cancelled.",
            reference=reference,
        )
    if challenge.decision == ReconsiderationDecision.ROUTE_TO_COMPLAINTS:
        return _(
            "Complaint %(reference)s goes to our complaints process, which will contact you.",
            reference=reference,
        )
    return _(
        "We still will not consider complaint %(reference)s. This does not stop you making a"
        " new complaint about something else.",
        reference=reference,
    )


def unread_letters_sentence(count: int) -> str | None:
    """Nothing when every letter has been opened: "You have 0 letters…" tells nobody anything."""
    if count == 0:
        return None
    return ngettext(
        "You have %(num)d letter you have not opened.",
        "You have %(num)d letters you have not opened.",
        count,
    )


def challenge_line(challenge) -> str:
    """One line for a list of the customer's appeals and requests: where it has got to
    and, while open, when we will answer; once decided, the outcome."""
    tag = challenge_tag(challenge)
    if challenge.status in OPEN:
        return _(
            "%(status)s (answer by %(date)s)",
            status=tag.text,
            date=long_date(answer_by(challenge)),
        )
    return tag.text
