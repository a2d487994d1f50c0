"""What the propose page states before its form, for this case: the prerequisites the
rules check (s3.2, s3.3 informal step first; s6.1 needs considered), each with a link to
record it when missing, and the six-month limit (s3.5) as the rules compute it (issue 15
item 8). The rules decide; this only gathers their answers for the template."""

import datetime as dt
from dataclasses import dataclass

from flask import url_for
from flask_babel import ngettext

from portal.cases.access import CASE_RECORDERS
from portal.models.vocab import MAX_RESTRICTION_MONTHS
from portal.restrictions import rules, services
from portal.translations import lazy_gettext as _l


@dataclass(frozen=True)
class Prerequisite:
    """One thing the rules need on the case first; ``missing`` is the refusal that would
    follow (None when it is recorded)."""

    title: str
    recorded: str
    missing: rules.PolicyViolation | None
    record_text: str
    record_url: str | None  # None when this viewer cannot record it


@dataclass(frozen=True)
class TimeLimit:
    """s3.5: the longest a restriction may last, and its latest end if it starts today."""

    months: int
    today: dt.date
    latest_end: dt.date


def prerequisites(case, viewer) -> list[Prerequisite]:
    steps = len(case.informal_steps)
    needs = services.latest_needs_consideration(case)
    missing = rules.missing_prerequisites(
        informal_step_count=steps, has_needs_consideration=needs is not None
    )
    by_kind = {type(refusal): refusal for refusal in missing}
    may_record = any(viewer.has_role(role) for role in CASE_RECORDERS)

    def link(endpoint):
        return url_for(endpoint, case_id=case.id) if may_record else None

    return [
        Prerequisite(
            title=_l("Informal step tried first (policy sections 3.2 and 3.3)"),
            recorded=ngettext(
                "%(num)d informal step recorded", "%(num)d informal steps recorded", steps
            ),
            missing=by_kind.get(rules.InformalStepMissing),
            record_text=_l("Record an informal step"),
            record_url=link("cases.new_informal_step"),
        ),
        Prerequisite(
            title=_l("Customer's needs considered (policy section 6.1)"),
            recorded=_l("Needs consideration recorded"),
            missing=by_kind.get(rules.NeedsConsiderationMissing),
            record_text=_l("Record the needs consideration"),
            record_url=link("cases.new_needs_consideration"),
        ),
    ]


def time_limit(today: dt.date) -> TimeLimit:
    return TimeLimit(MAX_RESTRICTION_MONTHS, today, rules.latest_end(today))
