"""Who may see and record on cases, and loading one case for a page: the one place every
area asks (cases, restrictions, letters, reports)."""

from flask import abort

from portal.cases.chronology import load_case
from portal.models import Case
from portal.models.vocab import Role

# Staff who work on cases; leadership and the admin see no case content.
CASE_VIEWERS = [
    Role.CASE_OFFICER,
    Role.REVIEW_MANAGER,
    Role.APPEALS_DIRECTOR,
    Role.COMMUNITY_SAFETY,
]
CASE_RECORDERS = [Role.CASE_OFFICER]


def case_or_404(case_id: int) -> Case:
    """The case with everything its pages read, or a 404."""
    case = load_case(case_id)
    if case is None:
        abort(404)
    return case
