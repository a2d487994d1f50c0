"""Demonstration data: one account per role and customers in different situations.

Idempotent: every record is found by its email or reference before it is created, so
``flask demo load`` can run at every ``make run``. Dates are relative to ``today`` so
"review due soon" and "review overdue" stay true whenever the demo is loaded. Development
only: production refuses to start while any demo account exists.
"""

import datetime as dt

from sqlalchemy import exc, select

from portal.auth.passwords import hash_password
from portal.dates import add_months, add_working_days
from portal.extensions import db
from portal.models import (
    AdvocateAuthority,
    Appeal,
    Case,
    Customer,
    Incident,
    InformalStep,
    Letter,
    NeedsConsideration,
    ReconsiderationRequest,
    Referral,
    Restriction,
    RestrictionMeasure,
    User,
    UserRole,
)
from portal.models.cases import IncidentBehaviour
from portal.models.types import utcnow
from portal.models.vocab import (
    AdvocateRelationship,
    BehaviourType,
    ChallengeStatus,
    ContactChannel,
    InformalStepKind,
    LetterFormat,
    LetterKind,
    QuotaPeriod,
    ReconsiderationGround,
    ReferralKind,
    RestrictionOption,
    RestrictionStatus,
    ReviewFrequency,
    Role,
)

DEMO_PASSWORD = "demo-portal-2026"  # noqa: S105 - published in the README on purpose

# (email, display name, roles) — the README's table lists these.
DEMO_ACCOUNTS = (
    ("jordan.ellis@example.com", "Jordan Ellis", (Role.CUSTOMER,)),
    ("marek.kowalski@example.com", "Marek Kowalski", (Role.CUSTOMER,)),
    ("sian.morgan@example.com", "Siân Morgan", (Role.CUSTOMER,)),
    ("tom.baker@example.com", "Tom Baker", (Role.CUSTOMER,)),
    ("priya.shah@example.com", "Priya Shah", (Role.ADVOCATE,)),
    ("officer@example.com", "Olivia Carter", (Role.CASE_OFFICER,)),
    ("reviews@example.com", "Ravi Mehta", (Role.REVIEW_MANAGER,)),
    ("director@example.com", "Helen Price", (Role.APPEALS_DIRECTOR,)),
    ("safety@example.com", "Daniel Okafor", (Role.COMMUNITY_SAFETY,)),
    ("leadership@example.com", "Grace Lewis", (Role.LEADERSHIP,)),
    ("admin@example.com", "Alex Morgan", (Role.ADMIN,)),
    ("sam.patel@example.com", "Sam Patel", (Role.CASE_OFFICER, Role.COMMUNITY_SAFETY)),
)


class DemoDataRefused(RuntimeError):
    pass


class _Loader:
    def __init__(self, today: dt.date):
        self.today = today
        self.now = utcnow()
        self.created = 0
        self.password_hash = hash_password(DEMO_PASSWORD)  # one hash: argon2 is slow on purpose

    def _add(self, obj):
        db.session.add(obj)
        self.created += 1
        return obj

    def days_ago(self, days: int) -> dt.datetime:
        return self.now - dt.timedelta(days=days)

    def user(self, email, name, roles) -> User:
        user = db.session.scalar(select(User).where(User.email == email))
        if user is None:
            user = self._add(
                User(email=email, display_name=name, password_hash=self.password_hash, is_demo=True)
            )
            user.role_grants = [UserRole(role=role) for role in roles]
        return user

    def customer(self, reference, **fields) -> Customer:
        customer = db.session.scalar(select(Customer).where(Customer.reference == reference))
        return customer or self._add(Customer(reference=reference, **fields))

    def case(self, reference, **fields) -> tuple[Case, bool]:
        case = db.session.scalar(select(Case).where(Case.reference == reference))
        if case is not None:
            return case, False
        return self._add(Case(reference=reference, **fields)), True

    def incident(self, case, days_ago, channel, behaviours, description, logged_by) -> Incident:
        incident = self._add(
            Incident(
                case=case,
                occurred_at=self.days_ago(days_ago),
                channel=channel,
                description=description,
                reported_by="Customer Services",
                logged_by_id=logged_by.id,
                logged_at=self.days_ago(days_ago),
            )
        )
        incident.behaviour_rows = [IncidentBehaviour(behaviour=b) for b in behaviours]
        return incident

    def needs(self, case, officer, summary, **fields) -> NeedsConsideration:
        return self._add(
            NeedsConsideration(
                case=case,
                recorded_by_id=officer.id,
                needs_summary=summary,
                recorded_at=self.days_ago(40),
                **fields,
            )
        )

    def restriction(
        self,
        case,
        *,
        starts_on,
        frequency,
        status,
        reason,
        proposer,
        approver,
        needs,
        incidents,
        measures,
    ) -> Restriction:
        months = 3 if frequency == ReviewFrequency.QUARTERLY else 6
        restriction = self._add(
            Restriction(
                case=case,
                status=status,
                starts_on=starts_on,
                ends_on=add_months(starts_on, 6),
                review_frequency=frequency,
                next_review_on=add_months(starts_on, months),
                reason=reason,
                proposed_by_id=proposer.id,
                proposed_at=self.days_ago(1),
                approved_by_id=approver.id if approver else None,
                approved_at=self.now if approver else None,
                needs_consideration=needs,
                incidents=incidents,
            )
        )
        restriction.measures = measures
        return restriction


def load_demo_data(today: dt.date, *, allowed: bool) -> int:
    """Create what is missing; returns how many records were created."""
    if not allowed:
        raise DemoDataRefused("Demo data is for development only; it is refused in production.")
    loader = _Loader(today)
    users = {email: loader.user(email, name, roles) for email, name, roles in DEMO_ACCOUNTS}
    db.session.flush()
    officer, manager = users["officer@example.com"], users["reviews@example.com"]

    jordan = loader.customer(
        "T-100231",
        full_name="Jordan Ellis",
        address="14 Clift Road, Bristol",
        postcode="BS3 1RX",
        email="jordan.ellis@example.com",
        phone="07700 900231",
        user=users["jordan.ellis@example.com"],
        preferred_channel=ContactChannel.EMAIL,
    )
    marek = loader.customer(
        "T-100452",
        full_name="Marek Kowalski",
        address="3 Fishponds Road, Bristol",
        postcode="BS5 6SA",
        email="marek.kowalski@example.com",
        preferred_locale="pl",
        preferred_letter_format=LetterFormat.PDF,
        user=users["marek.kowalski@example.com"],
        support_needs="Prefers letters in Polish; an interpreter for meetings.",
    )
    sian = loader.customer(
        "T-100877",
        full_name="Siân Morgan",
        address="Flat 2, 9 Heol y Parc, Cardiff",
        postcode="CF14 3NB",
        email="sian.morgan@example.com",
        preferred_locale="cy",
        preferred_letter_format=LetterFormat.LARGE_PRINT,
        cannot_use_telephone=True,
        support_needs="Deaf: contact by email or text relay, never by telephone.",
        user=users["sian.morgan@example.com"],
    )
    loader.customer(
        "T-101002",
        full_name="Tom Baker",
        address="22 Filwood Broadway, Bristol",
        postcode="BS4 1JN",
        email="tom.baker@example.com",
        user=users["tom.baker@example.com"],
    )
    db.session.flush()

    # Jordan: a restriction in place whose quarterly review is due in a week.
    case, new = loader.case(
        "MB-2026-0001",
        customer=jordan,
        opened_by_id=officer.id,
        case_officer_id=officer.id,
        opened_at=loader.days_ago(120),
        summary="Very frequent calls and emails about the same repair.",
    )
    if new:
        incidents = [
            loader.incident(
                case,
                110,
                ContactChannel.TELEPHONE,
                [BehaviourType.CONTACT_OVERLOAD],
                "Eleven calls in one day about the kitchen repair already booked.",
                officer,
            ),
            loader.incident(
                case,
                95,
                ContactChannel.EMAIL,
                [BehaviourType.UNREASONABLE_PERSISTENCE, BehaviourType.CONTACT_OVERLOAD],
                "Thirty emails in a week repeating the same question.",
                officer,
            ),
        ]
        loader._add(
            InformalStep(
                case=case,
                kind=InformalStepKind.CONVERSATION,
                taken_on=today - dt.timedelta(days=100),
                taken_by_id=officer.id,
                description="Phoned to explain the repair date and agree updates.",
                outcome="Calls continued at the same rate.",
            )
        )
        needs = loader.needs(
            case,
            officer,
            "No communication needs recorded; prefers email.",
            advocate_considered=True,
            advocate_notes="Offered; Jordan did not want an advocate.",
        )
        starts_on = add_months(today + dt.timedelta(days=7), -3)
        restriction = loader.restriction(
            case,
            starts_on=starts_on,
            frequency=ReviewFrequency.QUARTERLY,
            status=RestrictionStatus.ACTIVE,
            proposer=officer,
            approver=manager,
            needs=needs,
            incidents=incidents,
            reason="You contacted us many times a day about the same repair after we answered.",
            measures=[
                RestrictionMeasure(
                    option=RestrictionOption.SINGLE_CHANNEL, permitted_channel=ContactChannel.EMAIL
                ),
                RestrictionMeasure(
                    option=RestrictionOption.SET_TIMES,
                    permitted_weekdays="0,1,2,3,4",
                    permitted_from=dt.time(9),
                    permitted_until=dt.time(17),
                ),
                RestrictionMeasure(
                    option=RestrictionOption.CONTACT_LIMIT,
                    contact_limit=3,
                    limit_period=QuotaPeriod.WEEK,
                ),
                RestrictionMeasure(
                    option=RestrictionOption.SINGLE_POINT_OF_CONTACT,
                    single_point_of_contact_id=officer.id,
                ),
            ],
        )
        _issue_demo_letter(loader, "L-DEMO-0001", jordan, case, restriction, officer)
        loader._add(
            ReconsiderationRequest(
                reference="RC-DEMO01",
                customer=jordan,
                restriction=restriction,
                ground=ReconsiderationGround.CHANGE_IN_CIRCUMSTANCES,
                details="My repair is now finished, so I will not need to chase it any more.",
                submitted_by_id=jordan.user_id,
                submitted_at=loader.days_ago(3),
                answer_due_on=add_working_days(today - dt.timedelta(days=3), 10),
                status=ChallengeStatus.RECEIVED,
            )
        )

    # Marek: verbal abuse (a Community Safety referral), review overdue, an open appeal.
    case, new = loader.case(
        "MB-2026-0002",
        customer=marek,
        opened_by_id=officer.id,
        case_officer_id=officer.id,
        opened_at=loader.days_ago(130),
        summary="Abusive calls to the repairs team.",
    )
    if new:
        incident = loader.incident(
            case,
            125,
            ContactChannel.TELEPHONE,
            [BehaviourType.VERBAL_ABUSE_OR_VIOLENCE],
            "Swore at and threatened a repairs adviser.",
            officer,
        )
        loader._add(
            Referral(
                case=case,
                kind=ReferralKind.COMMUNITY_SAFETY,
                incident=incident,
                reason="Threats made to a repairs adviser on the telephone.",
                created_by_id=officer.id,
                created_at=loader.days_ago(124),
            )
        )
        loader._add(
            InformalStep(
                case=case,
                kind=InformalStepKind.WARNING,
                taken_on=today - dt.timedelta(days=120),
                taken_by_id=officer.id,
                description="Written warning, sent in Polish and English.",
                outcome="A further abusive call eight days later.",
            )
        )
        needs = loader.needs(
            case,
            officer,
            "Polish speaker; uses an interpreter for meetings.",
            multi_agency_needed=False,
            advocate_considered=True,
            advocate_notes="Offered an advocate in the warning letter.",
        )
        restriction = loader.restriction(
            case,
            starts_on=today - dt.timedelta(days=100),
            frequency=ReviewFrequency.QUARTERLY,
            status=RestrictionStatus.ACTIVE,
            proposer=officer,
            approver=manager,
            needs=needs,
            incidents=[incident],
            reason="You threatened a member of our repairs team on the telephone.",
            measures=[
                RestrictionMeasure(
                    option=RestrictionOption.SINGLE_POINT_OF_CONTACT,
                    single_point_of_contact_id=officer.id,
                ),
                RestrictionMeasure(
                    option=RestrictionOption.PREMISES_BARRED,
                    barred_premises="Fishponds community hub",
                ),
            ],
        )
        loader._add(
            Appeal(
                reference="AP-DEMO01",
                customer=marek,
                restriction=restriction,
                grounds="I was upset about my boiler. I apologised the next day.",
                submitted_by_id=marek.user_id,
                submitted_at=loader.days_ago(5),
                status=ChallengeStatus.RECEIVED,
            )
        )

    # Siân: an advocate, and a restriction proposed but not yet approved.
    case, new = loader.case(
        "MB-2026-0003",
        customer=sian,
        opened_by_id=officer.id,
        case_officer_id=users["sam.patel@example.com"].id,
        opened_at=loader.days_ago(30),
        summary="Repeated demands at the office.",
    )
    if new:
        incident = loader.incident(
            case,
            25,
            ContactChannel.IN_PERSON,
            [BehaviourType.UNREASONABLE_DEMANDS],
            "Insisted on seeing the director without an appointment.",
            officer,
        )
        loader._add(
            InformalStep(
                case=case,
                kind=InformalStepKind.SUPPORT_REFERRAL,
                taken_on=today - dt.timedelta(days=20),
                taken_by_id=officer.id,
                description="Referred to the tenancy sustainment team.",
                outcome="Support worker now involved.",
                support_organisation="Tenancy Sustainment Team",
            )
        )
        needs = loader.needs(
            case,
            officer,
            "Deaf; uses email and text relay. Support worker involved.",
            advocate_considered=True,
            advocate_notes="Priya Shah acts for Siân.",
            adjustments_made="No telephone-only option; email is the channel.",
        )
        loader.restriction(
            case,
            starts_on=today + dt.timedelta(days=3),
            frequency=ReviewFrequency.QUARTERLY,
            status=RestrictionStatus.PROPOSED,
            proposer=officer,
            approver=None,
            needs=needs,
            incidents=[incident],
            reason="Repeated demands at our office without an appointment.",
            measures=[
                RestrictionMeasure(
                    option=RestrictionOption.SINGLE_CHANNEL, permitted_channel=ContactChannel.EMAIL
                )
            ],
        )
    if not db.session.scalar(
        select(AdvocateAuthority).where(AdvocateAuthority.customer_id == sian.id)
    ):
        loader._add(
            AdvocateAuthority(
                customer=sian,
                advocate_user=users["priya.shah@example.com"],
                advocate_name="Priya Shah",
                advocate_email="priya.shah@example.com",
                relationship_to_customer=AdvocateRelationship.SUPPORT_WORKER,
                can_view=True,
                can_act=True,
                receives_letter_copies=True,
                expires_on=add_months(today, 12),
                recorded_by_id=officer.id,
                consent_evidence="Signed consent form, scanned to the file.",
            )
        )
    db.session.commit()
    return loader.created


def _issue_demo_letter(loader, reference, customer, case, restriction, officer) -> None:
    """The restriction notice, drafted and issued through the real letter service, so the
    demo customer reads (and downloads) a complete, frozen letter."""
    from portal.letters import services as letters

    if db.session.scalar(select(Letter).where(Letter.restriction_id == restriction.id)):
        return
    db.session.flush()
    possible = letters.PossibleLetter(
        LetterKind.RESTRICTION_NOTICE, "restriction", restriction.id, reference
    )
    draft = letters.draft_letter(case, possible, created_by=officer, now=loader.now)
    letters.issue_letter(
        draft,
        issued_by=officer,
        locale=letters.default_locale(customer),
        needs_post=False,
        now=loader.now,
        today=loader.now.date(),
    )


def refuse_production_with_demo_accounts(app) -> None:
    """Production must not start while a demo account (with a published password) exists."""
    from portal.config import ConfigurationError

    with app.app_context():
        try:
            demo_user = db.session.scalar(select(User.email).where(User.is_demo.is_(True)).limit(1))
        except (exc.OperationalError, exc.ProgrammingError):
            db.session.rollback()
            return  # no schema yet: `flask db upgrade` must be able to run
        finally:
            db.session.remove()
            # Leave no pooled connection behind (gunicorn may fork after this).
            db.engine.dispose()
    if demo_user is not None:
        raise ConfigurationError(
            f"Refusing to start in production: demo account {demo_user} exists. "
            "Remove demo accounts before going live."
        )
