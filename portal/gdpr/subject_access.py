"""Everything held about one customer, for a subject access request (UK GDPR Art. 15).

:func:`collect` gathers the customer's record, needs, protected characteristics, cases and
everything in them (incidents, informal steps, needs considered, calls ended, referrals,
escalations, restrictions and their measures, reviews, complaint refusals), appeals,
reconsideration requests, drafts, letters, the contact log, advocate authorities, subject
access and legal-hold history, and who viewed or changed their records when (the audit
trail). Other people's personal data is redacted, and every redaction is listed:

- staff below manager level are named by their role only (the ICO's guidance lets a
  landlord withhold junior staff names where disclosure is not reasonable); managers,
  directors and leadership, who make the decisions, are named;
- other customers' names found in free text (an incident may name a neighbour) are
  replaced, and other customers' ids never leave this module.

Pure reading: no request, no writes. The export (:mod:`portal.gdpr.export`) turns the
result into JSON, a readable PDF and the letters' PDFs.
"""

import datetime as dt
import enum
import re
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy import func, or_, select

from portal.extensions import db
from portal.models import (
    AdvocateAuthority,
    Appeal,
    Attachment,
    AuditEvent,
    Case,
    ChallengeDraft,
    ComplaintRefusal,
    ContactLogEntry,
    Customer,
    Escalation,
    Incident,
    InformalStep,
    LegalHold,
    Letter,
    NeedsConsideration,
    PolicyFeedback,
    ReconsiderationRequest,
    Referral,
    Restriction,
    RestrictionMeasure,
    Review,
    SubjectAccessRequest,
    TerminatedCall,
    User,
)
from portal.models.vocab import Role

# Staff who decide (s3.4, s4, s5.1) are named; colleagues below them are not.
NAMED_ROLES = frozenset({Role.REVIEW_MANAGER, Role.APPEALS_DIRECTOR, Role.LEADERSHIP})
# Columns that are the system's own bookkeeping, not information about the person.
INTERNAL_COLUMNS = frozenset(
    {"password_hash", "storage_key", "token_hash", "invitation_token_hash", "export_zip",
     "previous_hash", "entry_hash", "version_id", "content", "content_sha256",
     "idempotency_key", "chain"}
)  # fmt: skip
REDACTED_NAME = "[another person: redacted]"


@dataclass
class Redaction:
    where: str
    reason: str


@dataclass
class SubjectAccessData:
    customer: Customer
    sections: dict[str, object]
    letters: list[Letter]
    redactions: list[Redaction] = field(default_factory=list)


class _Redactor:
    """Replaces people other than the customer, and remembers what it replaced."""

    def __init__(self, customer: Customer):
        self.customer = customer
        self.redactions: list[Redaction] = []
        self._users: dict[int, User | None] = {}
        self.other_names: set[str] = set()

    def user(self, user_id: int | None, where: str):
        if user_id is None:
            return None
        if user_id not in self._users:
            self._users[user_id] = db.session.get(User, user_id)
        user = self._users[user_id]
        if user is None:
            return None
        if self.customer.user_id == user_id:
            return {"who": "you"}
        if user.has_role(*NAMED_ROLES):
            return {"who": user.display_name, "role": _role_names(user)}
        if self._is_customers_advocate(user_id):
            return {"who": user.display_name, "role": "your advocate"}
        self.redactions.append(Redaction(where, "staff name below manager level"))
        return {"who": "[member of staff: name withheld]", "role": _role_names(user)}

    def _is_customers_advocate(self, user_id: int) -> bool:
        return any(a.advocate_user_id == user_id for a in self.customer.advocate_authorities)

    def text(self, value: str, where: str) -> str:
        for name in self.other_names:
            pattern = re.compile(re.escape(name), re.IGNORECASE)
            if pattern.search(value):
                value = pattern.sub(REDACTED_NAME, value)
                self.redactions.append(Redaction(where, "another customer named"))
        return value


def _role_names(user: User) -> list[str]:
    return sorted(role.value for role in user.roles if role not in (Role.CUSTOMER,))


def _value(value):
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def _row(obj, where: str, redactor: _Redactor) -> dict:
    """One record as a dict: people replaced by who they are to the customer, other
    customers' names taken out of free text, bookkeeping columns left out."""
    row = {}
    for column in sa.inspect(obj).mapper.columns:
        name = column.key
        if name in INTERNAL_COLUMNS:
            continue
        value = getattr(obj, name)
        if _is_user_column(column):
            row[name.removesuffix("_id")] = redactor.user(value, f"{where}.{name}")
        elif name == "customer_id" or name.endswith("_customer_id"):
            continue  # always this customer's, by the queries below
        elif isinstance(value, str) and isinstance(column.type, sa.Text | sa.String):
            row[name] = redactor.text(value, f"{where}.{name}")
        else:
            row[name] = _value(value)
    return row


def _is_user_column(column) -> bool:
    return any(fk.column.table.name == "users" for fk in column.foreign_keys)


def _rows(objects, where: str, redactor: _Redactor) -> list[dict]:
    return [_row(obj, f"{where}[{index}]", redactor) for index, obj in enumerate(objects)]


def _all(statement) -> list:
    return list(db.session.scalars(statement))


def _case_sections(case_ids: list[int], redactor: _Redactor) -> dict[str, list[dict]]:
    """Everything recorded in the customer's cases, one list per kind of record."""
    in_cases = {
        "incidents": Incident,
        "informal_steps": InformalStep,
        "needs_considerations": NeedsConsideration,
        "calls_ended_by_staff": TerminatedCall,
        "referrals": Referral,
        "escalations": Escalation,
        "restrictions": Restriction,
        "complaint_refusals": ComplaintRefusal,
        "evidence_files": Attachment,
    }
    sections = {}
    for name, model in in_cases.items():
        objects = _all(select(model).where(model.case_id.in_(case_ids)).order_by(model.id))
        sections[name] = _rows(objects, name, redactor)
        if model is Incident:
            for row, incident in zip(sections[name], objects, strict=True):
                row["behaviours"] = [b.behaviour.value for b in incident.behaviour_rows]
    restriction_ids = select(Restriction.id).where(Restriction.case_id.in_(case_ids))
    for name, model in (("restriction_measures", RestrictionMeasure), ("reviews", Review)):
        objects = _all(
            select(model).where(model.restriction_id.in_(restriction_ids)).order_by(model.id)
        )
        sections[name] = _rows(objects, name, redactor)
    return sections


def _customer_sections(customer: Customer, redactor: _Redactor) -> dict[str, list[dict]]:
    """Records kept against the customer directly rather than a case."""
    by_customer = {
        "appeals": Appeal,
        "reconsideration_requests": ReconsiderationRequest,
        "unsent_drafts": ChallengeDraft,
        "contact_log": ContactLogEntry,
        "advocate_authorities": AdvocateAuthority,
        "legal_holds": LegalHold,
        "subject_access_requests": SubjectAccessRequest,
    }
    sections = {}
    for name, model in by_customer.items():
        objects = _all(select(model).where(model.customer_id == customer.id).order_by(model.id))
        sections[name] = _rows(objects, name, redactor)
    sections["feedback_on_the_policy"] = _rows(_policy_feedback(customer), "feedback", redactor)
    return sections


def _policy_feedback(customer: Customer) -> list:
    """Feedback on the policy (s5.3) given signed in to their account, or leaving their
    email address: theirs too, though not kept against the customer record."""
    given = []
    if customer.user_id:
        given.append(PolicyFeedback.user_id == customer.user_id)
    if customer.email:
        given.append(func.lower(PolicyFeedback.contact_email) == customer.email.lower())
    if not given:
        return []
    return _all(select(PolicyFeedback).where(or_(*given)).order_by(PolicyFeedback.id))


def _record_views(customer: Customer, redactor: _Redactor) -> list[dict]:
    """Who looked at or changed the customer's records, and when (the audit trail)."""
    events = _all(
        select(AuditEvent)
        .where(AuditEvent.customer_id == customer.id)
        .order_by(AuditEvent.occurred_at, AuditEvent.id)
    )
    return [
        {
            "when": _value(event.occurred_at),
            "what": event.action,
            "record": event.object_type,
            "by": redactor.user(event.actor_user_id, f"audit_trail[{index}].by"),
        }
        for index, event in enumerate(events)
    ]


def _other_customer_names(customer: Customer, texts: list[str]) -> set[str]:
    """Names of other customers that appear in this customer's free text. Candidates are
    runs of two to four capitalised words, looked up in one query, so the search does not
    depend on how many customers there are."""
    candidates = set()
    for value in texts:
        words = re.findall(r"[A-ZÀ-Þ][\w'’-]+", value)
        for size in (2, 3, 4):
            for start in range(len(words) - size + 1):
                candidates.add(" ".join(words[start : start + size]))
    if not candidates:
        return set()
    lowered = {c.lower() for c in candidates}
    names = db.session.scalars(
        select(Customer.full_name).where(
            sa.func.lower(Customer.full_name).in_(lowered), Customer.id != customer.id
        )
    )
    return {name for name in names if name.lower() != customer.full_name.lower()}


def _free_text(case_ids: list[int], customer: Customer) -> list[str]:
    texts = []
    for model in (Incident, InformalStep, NeedsConsideration, TerminatedCall, Referral,
                  Escalation, Restriction, ComplaintRefusal):  # fmt: skip
        for obj in _all(select(model).where(model.case_id.in_(case_ids))):
            texts += [v for v in _string_values(obj)]
    for model in (Appeal, ReconsiderationRequest, ContactLogEntry):
        for obj in _all(select(model).where(model.customer_id == customer.id)):
            texts += [v for v in _string_values(obj)]
    cases = _all(select(Case).where(Case.id.in_(case_ids)))
    return texts + [v for case in cases for v in _string_values(case)]


def _string_values(obj) -> list[str]:
    return [
        value
        for column in sa.inspect(obj).mapper.columns
        if isinstance(value := getattr(obj, column.key), str)
    ]


def collect(customer_id: int) -> SubjectAccessData:
    """Everything held about the customer, with other people redacted (UK GDPR Art. 15)."""
    customer = db.session.get(Customer, customer_id)
    redactor = _Redactor(customer)
    cases = _all(select(Case).where(Case.customer_id == customer.id).order_by(Case.id))
    case_ids = [case.id for case in cases]
    redactor.other_names = _other_customer_names(customer, _free_text(case_ids, customer))
    characteristics = customer.protected_characteristics
    sections = {
        "your_record": _row(customer, "your_record", redactor),
        "protected_characteristics": (
            _row(characteristics, "protected_characteristics", redactor)
            if characteristics
            else None
        ),
        "cases": _rows(cases, "cases", redactor),
        **_case_sections(case_ids, redactor),
        **_customer_sections(customer, redactor),
        "letters": [
            {**_row(letter, f"letters[{i}]", redactor), "title": letter.title_in(letter.locale)}
            for i, letter in enumerate(_issued_letters(customer.id))
        ],
        "who_viewed_or_changed_your_records": _record_views(customer, redactor),
    }
    if customer.user_id:
        sections["your_account"] = _account(customer.user_id)
    return SubjectAccessData(
        customer=customer,
        sections=sections,
        letters=_issued_letters(customer.id),
        redactions=redactor.redactions,
    )


def _issued_letters(customer_id: int) -> list[Letter]:
    return _all(
        select(Letter)
        .where(Letter.customer_id == customer_id, Letter.issued_at.is_not(None))
        .order_by(Letter.issued_at, Letter.id)
    )


def _account(user_id: int) -> dict:
    user = db.session.get(User, user_id)
    return {
        "email": user.email,
        "display_name": user.display_name,
        "preferred_language": user.preferred_locale,
        "account_created": _value(user.created_at),
        "last_signed_in": _value(user.last_signed_in_at),
    }
