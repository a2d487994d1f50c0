"""The restriction form filled in with a restriction as it is, so a decider changing it
(the appeals director on appeal, s3.4) edits what is there rather than starting again."""

import datetime as dt

from portal.models import Restriction
from portal.models.vocab import RestrictionOption as Option


def _measure_data(measure) -> dict:
    """The form fields one measure fills (portal.restrictions.forms.MEASURE_READERS)."""
    option = measure.option
    if option == Option.SINGLE_POINT_OF_CONTACT:
        return {"single_point_of_contact_id": measure.single_point_of_contact_id}
    if option == Option.SINGLE_CHANNEL:
        return {"permitted_channel": measure.permitted_channel.value}
    if option == Option.SET_TIMES:
        return {
            "permitted_weekdays": [d for d in (measure.permitted_weekdays or "").split(",") if d],
            "permitted_from": measure.permitted_from,
            "permitted_until": measure.permitted_until,
        }
    if option == Option.CONTACT_LIMIT:
        period = measure.limit_period
        return {
            "contact_limit": measure.contact_limit,
            "limit_period": period.value if period else "",
        }
    if option == Option.COMPLAINT_DECLINED:
        return {
            "declined_complaint_reference": measure.declined_complaint_reference,
            "declined_complaint_reason": measure.declined_complaint_reason,
        }
    if option == Option.PREMISES_BARRED:
        return {"barred_premises": measure.barred_premises}
    return {}  # an option with no details of its own (an advocate offered): ticked only


def form_data_of(restriction: Restriction, today: dt.date) -> dict:
    """The changed restriction starts today (it cannot start in the past, s3.5) and keeps
    the end date, review frequency, reason, incidents and measures of the one it replaces."""
    data = {
        "starts_on": max(today, restriction.starts_on),
        "ends_on": restriction.ends_on,
        "review_frequency": restriction.review_frequency.value,
        "reason": restriction.reason,
        "incident_ids": [incident.id for incident in restriction.incidents],
        "needs_conflict_justification": restriction.needs_conflict_justification or "",
        "single_point_of_contact_id": 0,
        "measures": [measure.option.value for measure in restriction.measures],
    }
    for measure in restriction.measures:
        data |= _measure_data(measure)
    return data
