"""Who may see and record on cases, and loading one case for a page: the one place every
area asks (cases, restrictions, letters, reports)."""

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.cases.chronology import load_case
from portal.extensions import db
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


def case_record_or_404(case_id: int) -> Case:
    """The case and its customer only, or a 404: for the forms that add to a case, which
    read a few of its records (loaded when asked) rather than its whole chronology."""
    case = db.session.scalar(
        select(Case).where(Case.id == case_id).options(joinedload(Case.customer))
    )
    if case is None:
        abort(404)
    return case
