"""Who counts in a period: the cases where the policy was applied and the restrictions in
force (s5.1). The annual report and equality monitoring (s6.3) count the same people."""

from sqlalchemy import and_, or_

from portal.models import Case, Restriction
from portal.models.vocab import RestrictionStatus
from portal.reports.periods import Period

# Restrictions that were approved and so came into force (whatever happened later).
IN_FORCE_STATUSES = (
    RestrictionStatus.ACTIVE,
    RestrictionStatus.LIFTED,
    RestrictionStatus.EXPIRED,
    RestrictionStatus.OVERTURNED,
    RestrictionStatus.SUPERSEDED,
)


def open_during(period: Period):
    """A case open at some time in the period: "the policy has been applied" (s5.1)."""
    return and_(
        Case.opened_at < period.ends_before,
        or_(Case.closed_at.is_(None), Case.closed_at >= period.starts_at),
    )


def restricted_during(period: Period):
    """An approved restriction whose term overlaps the period."""
    return and_(
        Restriction.status.in_(IN_FORCE_STATUSES),
        Restriction.starts_on <= period.end,
        Restriction.ends_on >= period.start,
    )
