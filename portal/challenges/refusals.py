"""Why an appeal (s3.4) or a reconsideration request (s4), or a decision on one, cannot
go ahead: one exception per rule, as in :mod:`portal.restrictions.rules`."""

from portal.refusals import Refusal
from portal.translations import lazy_gettext as _l


class ChallengeRefused(Refusal):
    """An appeal (s3.4) or reconsideration request (s4), or a decision on one, that cannot
    go ahead. Each rule is its own subclass; views decide which form field shows it."""


class ChallengeAlreadyOpen(ChallengeRefused):
    """One appeal (or request) at a time about the same decision."""

    default_message = _l("There is already an open challenge about this decision.")


class AnswersMissing(ChallengeRefused):
    """Every question of the journey is answered before it is sent."""

    default_message = _l("Answer every question before you send it.")


class AnswerInvalid(ChallengeRefused):
    """Every answer sent obeys its step's rules (length, hidden characters, one of the
    grounds s4 allows), however it reached the draft. ``step`` is the question to fix."""

    default_message = _l("One of your answers cannot be sent as it is. Change it and try again.")

    def __init__(self, step: str, message=None):
        self.step = step
        super().__init__(message)


class NotIndependent(ChallengeRefused):
    """s3.4, DESIGN.md "Beyond" 4: whoever proposed, approved or last reviewed the decision
    does not decide the challenge to it."""


class AlreadyDecided(ChallengeRefused):
    """A decided appeal or request is not decided again."""


class ReasonsMissing(ChallengeRefused):
    """s3.4, s4: every decision gives its reasons."""

    default_message = _l("Enter the reasons for the decision")


class NewEndDateMissing(ChallengeRefused):
    """A varied restriction has a new end date."""

    default_message = _l("Enter the new end date")


class NewEndDateOutOfRange(ChallengeRefused):
    """Varying on appeal only shortens: from today, before the current end date."""

    default_message = _l("The new end date must be from today and before the current end date.")


class RefusalCannotBeVaried(ChallengeRefused):
    """A complaint refusal is upheld or overturned; only a restriction's term can vary."""

    default_message = _l("A complaint refusal can be upheld or overturned, not varied.")


class NoRestrictionToChange(ChallengeRefused):
    """s4: "change the restriction" needs a restriction."""

    default_message = _l("There is no restriction to change: choose another outcome.")


class NotARefusedComplaint(ChallengeRefused):
    """s4: only a refused complaint is routed to the complaints process."""

    default_message = _l("Only a refused complaint can be routed to the complaints process.")


class RestrictionNotInPlace(ChallengeRefused):
    """Only a restriction in place can have its measures changed on appeal (s3.4)."""

    default_message = _l(
        "This restriction is no longer in place, so its measures cannot be changed."
    )
