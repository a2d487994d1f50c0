"""People: accounts, roles, server-side sessions, customers and their advocates."""

import datetime as dt

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.types import UTCDateTime, enum_type, utcnow
from portal.models.vocab import (
    STAFF_ROLES,
    AdvocateRelationship,
    AgeBand,
    ContactChannel,
    LetterFormat,
    Role,
)


class User(UserMixin, db.Model):
    """Anyone who signs in: customers, advocates and staff (a person may hold several roles)."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)  # stored lower-case
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    display_name: Mapped[str] = mapped_column(sa.String(120))
    preferred_locale: Mapped[str | None] = mapped_column(sa.String(10))
    is_enabled: Mapped[bool] = mapped_column(default=True)
    # Demo accounts are marked so that production can refuse to start while any exist.
    is_demo: Mapped[bool] = mapped_column(default=False)
    last_signed_in_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Second factor (issue 13, ASVS 6.5): an authenticator app's shared secret, when it was
    # confirmed, and the last 30-second step accepted so a code cannot be used twice.
    totp_secret: Mapped[str | None] = mapped_column(sa.String(64))
    totp_enabled_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    totp_last_step: Mapped[int | None] = mapped_column(sa.BigInteger)

    role_grants: Mapped[list["UserRole"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )
    customer: Mapped["Customer | None"] = relationship(
        back_populates="user", foreign_keys="Customer.user_id"
    )

    __table_args__ = (sa.CheckConstraint("email = lower(email)", name="email_lower_case"),)

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(grant.role for grant in self.role_grants)

    def has_role(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def is_staff(self) -> bool:
        return bool(self.roles & STAFF_ROLES)

    @property
    def has_second_factor(self) -> bool:
        return self.totp_enabled_at is not None

    @property
    def is_active(self) -> bool:  # Flask-Login refuses sign-in to inactive users
        return self.is_enabled

    def __repr__(self) -> str:
        return f"<User {self.id} {sorted(self.roles)}>"


class UserRole(db.Model):
    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[Role] = mapped_column(enum_type(Role, "role"), primary_key=True)
    granted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(back_populates="role_grants")

    __table_args__ = (sa.Index("ix_user_roles_role", "role"),)


class UserSession(db.Model):
    """A signed-in session, held on the server so that signing out really ends it.

    The browser's cookie carries a random token; only its SHA-256 is stored, so a copy of
    the database does not yield live sessions (SECURITY.md §4, ASVS 7.4.1).
    """

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # Shown in the account's list of recent sign-ins, so a person can spot one that was not them.
    user_agent: Mapped[str] = mapped_column(sa.String(200), default="")
    remote_addr: Mapped[str] = mapped_column(sa.String(45), default="")
    # Password accepted, second-factor code not yet: the session reaches only the code page.
    awaiting_second_factor: Mapped[bool] = mapped_column(default=False)

    user: Mapped[User] = relationship()


class RecoveryCode(db.Model):
    """One of ten single-use codes that stand in for a lost authenticator (issue 13).
    Stored as SHA-256 hashes: each is 50 random bits, so a slow hash adds nothing."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(sa.String(64))
    used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class Customer(db.Model):
    """A tenant or other customer (s1.4), with the communication needs recorded for them.

    The needs follow the NHS Accessible Information Standard's ask–record–flag model and
    feed the needs-conflict check on restrictions (DESIGN.md "Beyond" 2, s6.1).
    """

    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(sa.String(20), unique=True)  # tenancy/customer ref
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), unique=True
    )
    full_name: Mapped[str] = mapped_column(sa.String(120))
    address: Mapped[str] = mapped_column(sa.String(300), default="")
    postcode: Mapped[str] = mapped_column(sa.String(10), index=True)  # normalised: "BS1 4DJ"
    email: Mapped[str | None] = mapped_column(sa.String(254))
    phone: Mapped[str | None] = mapped_column(sa.String(30))
    # Checked, with the reference and postcode, when a customer asks for a portal invitation.
    date_of_birth: Mapped[dt.date | None] = mapped_column(sa.Date)
    # A customer who left the landlord is kept as a former customer, never deleted while a
    # case holds them (the housing management system's export says who left).
    left_on: Mapped[dt.date | None] = mapped_column(sa.Date)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    # Communication needs (s6.1, s6.5).
    preferred_locale: Mapped[str] = mapped_column(sa.String(10), default="en")
    preferred_letter_format: Mapped[LetterFormat] = mapped_column(
        enum_type(LetterFormat, "letter_format"), default=LetterFormat.HTML
    )
    preferred_channel: Mapped[ContactChannel | None] = mapped_column(
        enum_type(ContactChannel, "contact_channel")
    )
    support_needs: Mapped[str] = mapped_column(sa.Text, default="")
    finds_writing_difficult: Mapped[bool] = mapped_column(default=False)
    cannot_use_telephone: Mapped[bool] = mapped_column(default=False)  # e.g. deaf customers
    needs_in_person_access: Mapped[bool] = mapped_column(default=False)
    needs_updated_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    needs_updated_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    user: Mapped[User | None] = relationship(back_populates="customer", foreign_keys=[user_id])
    advocate_authorities: Mapped[list["AdvocateAuthority"]] = relationship(
        back_populates="customer", cascade="all, delete-orphan"
    )
    protected_characteristics: Mapped["ProtectedCharacteristics | None"] = relationship(
        back_populates="customer", cascade="all, delete-orphan"
    )

    @property
    def has_recorded_needs(self) -> bool:
        return bool(self.support_needs) or self.has_communication_needs

    @property
    def has_communication_needs(self) -> bool:
        """How to communicate with the customer, flagged to every member of staff who
        opens their record (unlike their health and support notes: portal.special_category)."""
        return bool(
            self.finds_writing_difficult
            or self.cannot_use_telephone
            or self.needs_in_person_access
            or self.preferred_locale != "en"
            or self.preferred_letter_format != LetterFormat.HTML
        )


# Customers in name order, with what the search matches besides the name: the first page of
# a common name's matches is found in the index alone (PostgreSQL; SQLite keeps the name
# and id), then only those rows are read (issue 18: "Nowak", 7,235 matches among 350,000,
# 23 -> 2.4 ms). It also serves every list of customers by name.
sa.Index(
    "ix_customers_by_name",
    Customer.__table__.c.full_name,
    Customer.__table__.c.id,
    postgresql_include=["reference", "postcode"],
)

# Staff find a customer by any part of a name, reference or postcode
# (portal.customer_records.services.search_customers). On PostgreSQL trigram indexes serve
# those LIKE '%…%' matches (issue 18: a scan of every customer before); SQLite, for small
# installations, scans.
for _name, _expression in (
    ("ix_customers_full_name_trgm", sa.func.lower(Customer.__table__.c.full_name)),
    ("ix_customers_reference_trgm", sa.func.lower(Customer.__table__.c.reference)),
    ("ix_customers_postcode_trgm", sa.func.replace(Customer.__table__.c.postcode, " ", "")),
):
    sa.Index(
        _name,
        _expression.label("searched"),
        postgresql_using="gin",
        postgresql_ops={"searched": "gin_trgm_ops"},
    ).ddl_if(dialect="postgresql")


class ProtectedCharacteristics(db.Model):
    """Optional special-category data (s6.3, UK GDPR Art. 9), kept apart from the customer row.

    Every field is optional: ``None`` means "not recorded" and ``prefer_not_to_say`` is kept
    as given. Only equality monitoring reads it, in aggregate (DESIGN.md rule 4).
    """

    __tablename__ = "protected_characteristics"

    customer_id: Mapped[int] = mapped_column(
        sa.ForeignKey("customers.id", ondelete="CASCADE"), primary_key=True
    )
    age_band: Mapped[AgeBand | None] = mapped_column(enum_type(AgeBand, "age_band"))
    disability: Mapped[str | None] = mapped_column(sa.String(40))
    sex: Mapped[str | None] = mapped_column(sa.String(40))
    gender_reassignment: Mapped[str | None] = mapped_column(sa.String(40))
    ethnicity: Mapped[str | None] = mapped_column(sa.String(60))
    religion_or_belief: Mapped[str | None] = mapped_column(sa.String(60))
    sexual_orientation: Mapped[str | None] = mapped_column(sa.String(40))
    marriage_or_civil_partnership: Mapped[str | None] = mapped_column(sa.String(40))
    pregnancy_or_maternity: Mapped[str | None] = mapped_column(sa.String(40))
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    customer: Mapped[Customer] = relationship(back_populates="protected_characteristics")


class AdvocateAuthority(db.Model):
    """A customer's consent for someone to advocate for them (s3.2, s6.1; "Beyond" 6).

    Scoped (view, act, receive copies), optionally expiring, revocable at once. Until the
    advocate accepts the invitation ``advocate_user_id`` is empty.
    """

    __tablename__ = "advocate_authorities"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(
        sa.ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    advocate_user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    advocate_name: Mapped[str] = mapped_column(sa.String(120))
    advocate_email: Mapped[str] = mapped_column(sa.String(254))
    relationship_to_customer: Mapped[AdvocateRelationship] = mapped_column(
        enum_type(AdvocateRelationship, "advocate_relationship")
    )
    can_view: Mapped[bool] = mapped_column(default=True)
    can_act: Mapped[bool] = mapped_column(default=False)
    receives_letter_copies: Mapped[bool] = mapped_column(default=False)
    granted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_on: Mapped[dt.date | None] = mapped_column(sa.Date)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    # Staff may record an authority given outside the portal, with evidence of consent.
    recorded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    consent_evidence: Mapped[str] = mapped_column(sa.Text, default="")
    invitation_token_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)

    customer: Mapped[Customer] = relationship(back_populates="advocate_authorities")
    advocate_user: Mapped[User | None] = relationship(foreign_keys=[advocate_user_id])

    __table_args__ = (
        # Acting or receiving copies without being able to view makes no sense.
        sa.CheckConstraint("can_view OR NOT (can_act OR receives_letter_copies)", name="scope"),
        sa.CheckConstraint(
            "recorded_by_id IS NULL OR consent_evidence <> ''", name="staff_record_has_evidence"
        ),
    )

    def is_valid_on(self, today: dt.date) -> bool:
        """Authority counts only while not revoked and not past its expiry (s6.1)."""
        if self.revoked_at is not None:
            return False
        return self.expires_on is None or today <= self.expires_on
