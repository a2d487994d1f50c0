"""Demonstration data: one account per role and customers in different situations.

Idempotent: every record is found by its email or reference before it is created, so
``flask demo load`` can run at every ``make run``. Dates are relative to ``today`` so
"review due soon" and "review overdue" stay true whenever the demo is loaded. Development
only: production refuses to start while any demo account exists.
"""

import datetime as dt

from sqlalchemy import exc, select

from portal.auth.passwords import hash_password
from portal.dates import add_months
from portal.demo import stories
from portal.demo.policy import load_policy_feedback, load_policy_version, stamp_demo_decisions
from portal.extensions import db
from portal.models import (
    Case,
    Customer,
    Incident,
    NeedsConsideration,
    Restriction,
    User,
    UserRole,
)
from portal.models.cases import IncidentBehaviour
from portal.models.types import utcnow
from portal.models.vocab import (
    ContactChannel,
    LetterFormat,
    ReviewFrequency,
    Role,
)

DEMO_PASSWORD = "demo-portal-2026"  # noqa: S105 - published in the README on purpose
# Demo staff share one authenticator secret (development only, printed in the README; add
# it to any authenticator app, or run `flask demo code EMAIL`): staff need a second factor.
DEMO_TOTP_SECRET = "DEMOPORTALSECRETDEMOPORTALSECRET"  # noqa: S105 - published on purpose

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
    ("steward@example.com", "Dana Whitfield", (Role.DATA_STEWARD,)),
    ("sam.patel@example.com", "Sam Patel", (Role.CASE_OFFICER, Role.COMMUNITY_SAFETY)),
)


# The accounts ``make run`` suggests first: one customer, one member of staff.
FIRST_CUSTOMER = "jordan.ellis@example.com"
FIRST_STAFF = "officer@example.com"


def welcome_lines(base_url: str) -> list[str]:
    """What ``flask demo welcome`` prints (development only, in English like every log line)."""
    return [
        "",
        f"The portal is starting at {base_url}/",
        f"  Sign in as the customer {FIRST_CUSTOMER}, password {DEMO_PASSWORD}",
        f"  or as the case officer {FIRST_STAFF} (same password); for the second-factor code",
        f"  run: .venv/bin/flask demo code {FIRST_STAFF}",
        "  Every demo account (one per role) is listed in README.md under 'Demo accounts'.",
        f"  Emails go to instance/outbox/ and link to {base_url}. Stop with Ctrl-C.",
        "",
    ]


class DemoDataRefused(RuntimeError):
    pass


class _Loader:
    def __init__(self, today: dt.date):
        self.today = today
        self.now = utcnow()
        self.created = 0
        self.password_hash = hash_password(DEMO_PASSWORD)  # one hash: argon2 is slow on purpose

    def add(self, obj):
        db.session.add(obj)
        self.created += 1
        return obj

    def days_ago(self, days: int) -> dt.datetime:
        return self.now - dt.timedelta(days=days)

    def user(self, email, name, roles) -> User:
        user = db.session.scalar(select(User).where(User.email == email))
        if user is None:
            user = self.add(
                User(email=email, display_name=name, password_hash=self.password_hash, is_demo=True)
            )
            user.role_grants = [UserRole(role=role) for role in roles]
        if user.is_staff and user.totp_secret is None:
            user.totp_secret = DEMO_TOTP_SECRET
            user.totp_enabled_at = self.now
        return user

    def customer(self, reference, **fields) -> Customer:
        customer = db.session.scalar(select(Customer).where(Customer.reference == reference))
        return customer or self.add(Customer(reference=reference, **fields))

    def case(self, reference, **fields) -> tuple[Case, bool]:
        case = db.session.scalar(select(Case).where(Case.reference == reference))
        if case is not None:
            return case, False
        return self.add(Case(reference=reference, **fields)), True

    def incident(self, case, days_ago, channel, behaviours, description, logged_by) -> Incident:
        incident = self.add(
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
        return self.add(
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
        restriction = self.add(
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
    policy_version = load_policy_version()  # before any decision, which records it
    officer, manager = users["officer@example.com"], users["reviews@example.com"]
    jordan, marek, sian = _customers(loader, users)
    stories.jordan_story(loader, jordan, officer, manager, today)
    stories.marek_story(loader, marek, officer, manager, today)
    stories.sian_story(loader, sian, officer, users, today)
    stories.sian_advocate(loader, sian, officer, users, today)
    stamp_demo_decisions(policy_version)
    load_policy_feedback(policy_version, manager, today)
    db.session.commit()
    return loader.created


def _customers(loader, users) -> tuple[Customer, Customer, Customer]:
    """The five demo customers; returns the three with a case."""
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
    # No portal account yet: she can ask for an invitation (README) or staff can send one.
    loader.customer(
        "T-101145",
        full_name="Amira Haddad",
        address="5 Stapleton Road, Bristol",
        postcode="BS5 0QD",
        email="amira.haddad@example.com",
        date_of_birth=dt.date(1988, 2, 11),
        preferred_locale="ar",
    )
    db.session.flush()
    return jordan, marek, sian


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
