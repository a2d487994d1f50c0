"""The refusals of the restriction rules (portal.restrictions.rules): one named exception
per rule, each with the policy section it comes from and the message a person reads
(s3.2–s3.5, s6.1). Views map each to the field it concerns."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from portal.models.vocab import (
    RestrictionOption,
)
from portal.refusals import Refusal
from portal.translations import lazy_gettext as _l

if TYPE_CHECKING:
    from portal.restrictions.needs_conflicts import NeedsConflict

# --- Refusals -----------------------------------------------------------------------------


class PolicyViolation(Refusal):
    """A decision the policy does not allow; ``section`` names the policy section it breaks."""

    default_message = _l("This is not allowed by the managed behaviour policy.")


class RestrictionTooLong(PolicyViolation):
    """s3.5: a restriction "will not exceed a period of six months"."""

    section = "s3.5"
    default_message = _l("A restriction can last no more than six months (policy section 3.5).")

    def __init__(self, message=None, *, latest_end: dt.date):
        self.latest_end = latest_end
        super().__init__(message)


class EndNotAfterStart(PolicyViolation):
    """s3.5: a restriction is time limited, so it ends after it starts."""

    section = "s3.5"
    default_message = _l(
        "A restriction must end after the day it starts, as every restriction is time "
        "limited (policy section 3.5)."
    )


class StartInPast(PolicyViolation):
    """s3.2: a restriction is communicated before it applies, so it cannot start in the past."""

    section = "s3.2"
    default_message = _l("A restriction cannot start before today (policy section 3.2).")


class ReviewDateInPast(PolicyViolation):
    """s3.4: a review date already gone by is a review that cannot happen."""

    section = "s3.4"
    default_message = _l("The review date cannot be before today (policy section 3.4).")


class ReviewDateOutsideRestriction(PolicyViolation):
    """s3.4: the review falls while the restriction is in place."""

    section = "s3.4"
    default_message = _l(
        "The review date must fall between the start and end of the restriction "
        "(policy section 3.4)."
    )


class InformalStepMissing(PolicyViolation):
    """s3.2, s3.3: informal resolution is always tried first."""

    section = "s3.2"
    default_message = _l(
        "Record at least one informal step and its outcome before proposing a restriction "
        "(policy sections 3.2 and 3.3)."
    )


class NeedsConsiderationMissing(PolicyViolation):
    """s6.1: restrictions recognise the customer's needs, so those are recorded first."""

    section = "s6.1"
    default_message = _l(
        "Record how the customer's needs and circumstances were considered before proposing "
        "a restriction (policy section 6.1)."
    )


class NoMeasures(PolicyViolation):
    """s3.2: a restriction consists of at least one of the listed options."""

    section = "s3.2"
    default_message = _l(
        "Choose at least one way of managing the customer's contact (policy section 3.2)."
    )


class DuplicateMeasure(PolicyViolation):
    """s3.2: each option appears once in a restriction."""

    section = "s3.2"
    default_message = _l(
        "Each way of managing contact can be chosen only once in a restriction "
        "(policy section 3.2)."
    )

    def __init__(self, message=None, *, option: RestrictionOption):
        self.option = option
        super().__init__(message)


# s3.2: what each option needs to be checkable and to be explained in the letter.
_INCOMPLETE_MESSAGES = {
    RestrictionOption.SINGLE_POINT_OF_CONTACT: _l(
        "Name the member of staff who will be the single point of contact (policy section 3.2)."
    ),
    RestrictionOption.ADVOCATE_OFFERED: _l(
        "Give the date the customer was offered an advocate (policy section 3.2)."
    ),
    RestrictionOption.SINGLE_CHANNEL: _l(
        "Choose the one way the customer can contact us (policy section 3.2)."
    ),
    RestrictionOption.SET_TIMES: _l(
        "Choose the days and a time range, with the start before the end, when the customer "
        "can contact us (policy section 3.2)."
    ),
    RestrictionOption.CONTACT_LIMIT: _l(
        "Choose whether the contact limit is per week or per month (policy section 3.2)."
    ),
    RestrictionOption.COMPLAINT_DECLINED: _l(
        "Give the reference of the complaint no longer being considered and the reason "
        "(policy section 3.2)."
    ),
    RestrictionOption.PREMISES_BARRED: _l(
        "Name the offices, hubs or events the customer must not attend (policy section 3.2)."
    ),
}


class MeasureIncomplete(PolicyViolation):
    """s3.2: an option lacks the details that make it checkable; ``option`` says which."""

    section = "s3.2"
    default_message = _l(
        "Give all the details of each way of managing contact (policy section 3.2)."
    )

    def __init__(self, message=None, *, option: RestrictionOption):
        self.option = option
        if message is None:
            message = _INCOMPLETE_MESSAGES.get(option)
        super().__init__(message)


class ContactLimitInvalid(PolicyViolation):
    """s3.2: "a limited number of times" is a whole number of at least one."""

    section = "s3.2"
    default_message = _l(
        "The contact limit must be a whole number of at least 1 (policy section 3.2)."
    )


class ChannelNotRestrictable(PolicyViolation):
    """s3.2: contact can be limited to "in writing, by e-mail or telephone" only."""

    section = "s3.2"
    default_message = _l(
        "Contact can be limited only to writing, email or telephone (policy section 3.2)."
    )


class NeedsConflictUnjustified(PolicyViolation):
    """s6.1: a measure clashing with a recorded need requires a recorded justification."""

    section = "s6.1"
    default_message = _l(
        "Explain why this restriction is still right although it clashes with the customer's "
        "recorded needs (policy section 6.1)."
    )

    def __init__(self, message=None, *, conflicts: Sequence[NeedsConflict]):
        self.conflicts = list(conflicts)
        super().__init__(message)


class SelfApproval(PolicyViolation):
    """s3.4: the review manager approves a restriction; nobody approves their own proposal."""

    section = "s3.4"
    default_message = _l(
        "The person who proposed a restriction cannot approve it (policy section 3.4)."
    )


class KeepNeedsExplanation(PolicyViolation):
    """s3.4: keeping a restriction needs "an explanation … why … and for how long"."""

    section = "s3.4"
    default_message = _l(
        "Keeping a restriction needs an explanation and a new end date (policy section 3.4)."
    )
