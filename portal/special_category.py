"""Need to know on a customer's health and support notes (UK GDPR Art. 9 special-category
data; DESIGN.md rule 4; SECURITY.md §6, ASVS 8.2.3 field-level access).

Which fields: the customer's own "support needs" text (health conditions, disability,
support from other services: "Your needs", s6.1) and what a needs consideration records
(the needs summary, medical or support considerations, unmet needs, advocate and
multi-agency notes, the tailoring; s6.1–6.2). Communication needs that anyone contacting
the customer must act on (language, letter format, cannot use the telephone, finds
writing difficult, in person only) are not limited: the Accessible Information Standard
asks that they be flagged to everyone who communicates with the customer, and they say
how to communicate, not why. Protected characteristics are never shown on a page at all
(equality monitoring in aggregate only, s6.3).

Who sees them, for which customer: :func:`may_see_special_category`, the one place the
rule lives. Each page that shows them records a ``special_category_view`` audit event.
"""

from sqlalchemy import exists, or_, select

from portal import audit
from portal.extensions import db
from portal.models import Appeal, Case, Customer, NeedsConsideration, ReconsiderationRequest
from portal.models.vocab import ChallengeStatus, Role

SPECIAL_CATEGORY_VIEW = "special_category_view"
UNDECIDED = (ChallengeStatus.RECEIVED, ChallengeStatus.BEING_CONSIDERED)


def _open_case(customer_id: int, *, officer_id: int | None = None) -> bool:
    query = select(Case.id).where(Case.customer_id == customer_id, Case.closed_at.is_(None))
    if officer_id is not None:
        query = query.where(Case.case_officer_id == officer_id)
    return db.session.scalar(select(exists(query))) or False


def _undecided_challenge(customer_id: int) -> bool:
    appeal = select(Appeal.id).where(
        Appeal.customer_id == customer_id, Appeal.status.in_(UNDECIDED)
    )
    request = select(ReconsiderationRequest.id).where(
        ReconsiderationRequest.customer_id == customer_id,
        ReconsiderationRequest.status.in_(UNDECIDED),
    )
    return db.session.scalar(select(or_(exists(appeal), exists(request)))) or False


def may_see_special_category(user, customer_id: int) -> bool:
    """Whether ``user`` may read this customer's health and support notes now.

    - the case officer assigned to an open case of the customer, who tailors any
      restriction to their needs (s6.1, s6.2);
    - a review manager while the customer has an open case: they approve restrictions
      and hold the reviews, which weigh the same needs (s3.4);
    - the appeals director while the customer has an open case or an undecided appeal or
      reconsideration request, whose grounds may be a change in health (s3.4, s4).

    Nobody else: not Community Safety (referrals for abuse or violence, s3.2, need no
    health notes), not an officer with no open case of the customer's, not leadership
    (aggregates only) or the admin (no case content). The data steward reads them only
    in a subject access export, which is audited itself.
    """
    if not getattr(user, "is_authenticated", False):
        return False
    if user.has_role(Role.CASE_OFFICER) and _open_case(customer_id, officer_id=user.id):
        return True
    if user.has_role(Role.REVIEW_MANAGER, Role.APPEALS_DIRECTOR) and _open_case(customer_id):
        return True
    return user.has_role(Role.APPEALS_DIRECTOR) and _undecided_challenge(customer_id)


def _holds_any(customer: Customer) -> bool:
    needs = select(NeedsConsideration.id).join(Case).where(Case.customer_id == customer.id)
    return bool(customer.support_needs) or bool(db.session.scalar(select(exists(needs))))


def shown_to(user, customer: Customer, *, page: str) -> bool:
    """Whether the page may show ``user`` this customer's health and support notes; when it
    may and there are some, the view is recorded (who, whose, which page, when)."""
    allowed = may_see_special_category(user, customer.id)
    if allowed:
        record_view(user, customer, page=page)
    return allowed


def record_view(user, customer: Customer, *, page: str, commit: bool = True) -> None:
    """Record that ``user`` was shown the customer's notes, when there are some (the
    caller has checked :func:`may_see_special_category`)."""
    if _holds_any(customer):
        audit.record(
            SPECIAL_CATEGORY_VIEW,
            actor=user,
            object_type="customer",
            object_id=customer.id,
            customer_id=customer.id,
            details={"page": page},
            commit=commit,
        )
