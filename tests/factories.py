"""Small factories for test data. Each commits, so the data is visible to requests."""

import itertools

from portal import clock
from portal.auth.passwords import hash_password
from portal.extensions import db
from portal.models import Customer, User, UserRole
from portal.models.types import utcnow
from portal.models.vocab import STAFF_ROLES

TEST_PASSWORD = "correct horse battery staple"
# Staff must have a second factor (issue 13): test staff are enrolled with this secret and
# tests.helpers.sign_in types its current code, as a person would from their app.
TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
_sequence = itertools.count(1)


def make_user(*roles, email=None, password=TEST_PASSWORD, second_factor=None, **fields) -> User:
    """``second_factor``: enrolled with TEST_TOTP_SECRET; by default staff are, others not."""
    number = next(_sequence)
    if second_factor is None:
        second_factor = bool(set(roles) & STAFF_ROLES)
    if second_factor:
        fields.setdefault("totp_secret", TEST_TOTP_SECRET)
        fields.setdefault("totp_enabled_at", utcnow())
    user = User(
        email=email or f"user{number}@example.com",
        display_name=fields.pop("display_name", f"Test User {number}"),
        password_hash=hash_password(password),
        **fields,
    )
    user.role_grants = [UserRole(role=role) for role in roles]
    db.session.add(user)
    db.session.commit()
    return user


def make_customer(user: User | None = None, **fields) -> Customer:
    number = next(_sequence)
    customer = Customer(
        reference=fields.pop("reference", f"T-{900000 + number}"),
        full_name=fields.pop("full_name", f"Customer {number}"),
        postcode=fields.pop("postcode", "BS1 4DJ"),
        user=user,
        **fields,
    )
    db.session.add(customer)
    db.session.commit()
    return customer


def make_case(customer: Customer, officer: User, **fields):
    import datetime as dt

    from portal.models import Case
    from portal.models.types import utcnow

    number = next(_sequence)
    case = Case(
        customer_id=customer.id,
        reference=fields.pop("reference", f"MB-T-{number:05d}"),
        opened_at=utcnow() - dt.timedelta(days=30),
        opened_by_id=officer.id,
        case_officer_id=officer.id,
        **fields,
    )
    db.session.add(case)
    db.session.commit()
    return case


def make_ready_case(customer: Customer, officer: User):
    """A case with an informal step and a needs consideration: ready for a proposal."""
    import datetime as dt

    from portal.models import InformalStep, NeedsConsideration
    from portal.models.types import utcnow
    from portal.models.vocab import InformalStepKind

    case = make_case(customer, officer)
    db.session.add(
        InformalStep(
            case=case,
            kind=InformalStepKind.CONVERSATION,
            taken_on=clock.today() - dt.timedelta(days=5),
            taken_by_id=officer.id,
            description="Talked it through.",
            outcome="Behaviour continued.",
        )
    )
    db.session.add(
        NeedsConsideration(
            case=case,
            recorded_by_id=officer.id,
            recorded_at=utcnow(),
            needs_summary="None known.",
            advocate_considered=True,
        )
    )
    db.session.commit()
    return case


def make_active_restriction(
    case,
    proposer: User,
    approver: User,
    *,
    starts_on,
    ends_on=None,
    next_review_on=None,
    measures=None,
):
    from portal.dates import add_months
    from portal.models import NeedsConsideration, Restriction, RestrictionMeasure
    from portal.models.types import utcnow
    from portal.models.vocab import (
        ContactChannel,
        RestrictionOption,
        RestrictionStatus,
        ReviewFrequency,
    )

    needs = db.session.scalar(
        db.select(NeedsConsideration).where(NeedsConsideration.case_id == case.id)
    ) or NeedsConsideration(
        case=case,
        recorded_by_id=proposer.id,
        recorded_at=utcnow(),
        needs_summary="None.",
        advocate_considered=True,
    )
    ends_on = ends_on or add_months(starts_on, 6)
    restriction = Restriction(
        case=case,
        status=RestrictionStatus.ACTIVE,
        starts_on=starts_on,
        ends_on=ends_on,
        review_frequency=ReviewFrequency.QUARTERLY,
        next_review_on=next_review_on or min(add_months(starts_on, 3), ends_on),
        reason="Test reason.",
        proposed_by_id=proposer.id,
        proposed_at=utcnow(),
        approved_by_id=approver.id,
        approved_at=utcnow(),
        needs_consideration=needs,
    )
    restriction.measures = measures or [
        RestrictionMeasure(
            option=RestrictionOption.SINGLE_CHANNEL, permitted_channel=ContactChannel.EMAIL
        )
    ]
    db.session.add(restriction)
    db.session.commit()
    return restriction
