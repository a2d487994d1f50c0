"""The entries of a case chronology: what the case page shows of each event and what the
evidence pack prints."""

import datetime as dt
from dataclasses import dataclass, field

from portal.clock import LONDON
from portal.models import (
    Letter,
)
from portal.translations import lazy_gettext as _l

YES, NO = _l("Yes"), _l("No")


@dataclass
class Summary:
    """What the case page shows of an event."""

    when: dt.datetime
    heading: object  # translatable
    text: str = ""
    tags: list = field(default_factory=list)
    attachments: list = field(default_factory=list)
    letter_id: int | None = None
    date_only: bool = False  # recorded as a day, with no time: show no "00:00"


@dataclass
class Event:
    """One thing that happened, with the pack's full details and the page's summary."""

    when: dt.datetime
    heading: object
    details: list = field(default_factory=list)  # (label, value) pairs
    summary: Summary | None = None
    is_decision: bool = False
    date_only: bool = False
    staff_only: bool = False
    special_category: bool = False  # health and support notes: portal.special_category
    number: int = 0
    policy_version: str = ""  # the version a decision was made under (issue 17)

    @property
    def anchor(self) -> str:
        return f"entry-{self.number}"


@dataclass
class LetterRow:
    letter: Letter
    languages: list[str]


def day_start(value: dt.date) -> dt.datetime:
    return dt.datetime.combine(value, dt.time(0), tzinfo=LONDON)


def person_name(user) -> str:
    return user.display_name if user is not None else ""


def yes_no(value) -> object:
    return YES if value else NO


POLICY_VERSION = _l("Policy version")


def under_version(event: Event, version_id: int | None) -> Event:
    """Name the policy version a decision was made under, in its details and for the
    evidence pack's list of decisions (issue 17)."""
    from portal.policy.versions import number_of

    event.policy_version = number_of(version_id)
    if event.policy_version:
        event.details.append((POLICY_VERSION, event.policy_version))
    return event
