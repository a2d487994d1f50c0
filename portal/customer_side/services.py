"""What a customer (or their advocate) sees about their own contact restrictions."""

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from portal import audit, authority, reach_us
from portal.challenges import where_it_stands as status
from portal.extensions import db
from portal.models import Case, ComplaintRefusal, Customer, Letter, Restriction
from portal.models.vocab import ContactChannel, LetterFormat, LetterStatus, RestrictionStatus


@dataclass
class CustomerOverview:
    customer: Customer
    current_restrictions: list[Restriction]
    past_restrictions: list[Restriction]
    letters: list[Letter]
    complaint_refusals: list[ComplaintRefusal]
    today: dt.date

    @property
    def unread_letter_count(self) -> int:
        return sum(1 for letter in self.letters if letter.first_opened_at is None)

    @property
    def unread_letters_sentence(self) -> str | None:
        return status.unread_letters_sentence(self.unread_letter_count)

    def status_of(self, restriction: Restriction, challenges=None) -> status.RestrictionStatusView:
        """What the customer is told about ``restriction`` (portal.challenges.where_it_stands);
        ``challenges`` is the customer's (appeals, requests), as the pages already load."""
        appeals, requests = challenges or ((), ())
        return status.restriction_status(
            restriction, self.today, appeals=appeals, requests=requests
        )


def build_customer_overview(customer: Customer, today: dt.date) -> CustomerOverview:
    """Only approved restrictions are shown: a proposal is not a decision until the review
    manager approves it (s3.4). Only issued letters are shown (s3.2 "in writing").

    The customer is told nothing about a proposal, not even a neutral note (issue 15 item
    12): s3.2 communicates "any action taken", in writing, and a proposal is not yet an
    action: it may be rejected, and it cannot be appealed until it is placed (s3.4). The
    customer already knows of the concern from the informal conversation that must come
    first (s3.2), and the approved restriction reaches them as a letter with its appeal
    route."""
    restrictions = db.session.scalars(
        select(Restriction)
        .join(Case, Restriction.case_id == Case.id)
        .where(Case.customer_id == customer.id)
        .where(Restriction.status.not_in([RestrictionStatus.PROPOSED, RestrictionStatus.REJECTED]))
        .options(reach_us.MEASURES_AND_CONTACT)  # the page names the single point of contact
        .order_by(Restriction.starts_on.desc())
    ).all()
    # The layout's ways to reach us need those in force: not loaded a second time.
    reach_us.remember_current_restrictions(customer.id, today, restrictions)
    current = [r for r in restrictions if r.status == RestrictionStatus.ACTIVE]
    past = [r for r in restrictions if r.status != RestrictionStatus.ACTIVE]
    letters = db.session.scalars(
        select(Letter)
        .where(Letter.customer_id == customer.id)
        .where(Letter.status.in_([LetterStatus.ISSUED, LetterStatus.SUPERSEDED]))
        .order_by(Letter.issued_at.desc())
    ).all()
    refusals = db.session.scalars(
        select(ComplaintRefusal)
        .join(Case, ComplaintRefusal.case_id == Case.id)
        .where(Case.customer_id == customer.id)
        .order_by(ComplaintRefusal.decided_on.desc())
    ).all()
    return CustomerOverview(customer, current, past, list(letters), list(refusals), today)


@dataclass
class Needs:
    """What the customer tells us about how to communicate with them (s6.1, s6.5)."""

    locale: str
    letter_format: LetterFormat
    channel: ContactChannel | None
    finds_writing_difficult: bool
    cannot_use_telephone: bool
    needs_in_person_access: bool
    support_needs: str

    @classmethod
    def of(cls, customer: Customer) -> "Needs":
        return cls(
            locale=customer.preferred_locale,
            letter_format=customer.preferred_letter_format,
            channel=customer.preferred_channel,
            finds_writing_difficult=customer.finds_writing_difficult,
            cannot_use_telephone=customer.cannot_use_telephone,
            needs_in_person_access=customer.needs_in_person_access,
            support_needs=customer.support_needs,
        )


class StaleNeedsEdit(Exception):
    """Someone else saved this customer's needs after this form was opened: saving it
    would silently undo their change, so it is refused and the person sees what is saved
    now (SECURITY.md §5, optimistic concurrency)."""


def needs_version(customer: Customer) -> str:
    """What the needs form carries to say which saved needs it was filled in from: when
    they were last changed (every change stamps ``needs_updated_at``)."""
    stamp = customer.needs_updated_at
    return stamp.isoformat() if stamp else ""


def update_needs(
    customer: Customer,
    needs: Needs,
    *,
    actor,
    now: dt.datetime,
    today: dt.date,
    seen_version: str,
) -> list[str]:
    """Save the needs the customer (or their advocate) gave; the change is stamped and
    audited so the case officer sees what changed and when (s6.1: restrictions are tailored
    to these needs, and the needs-conflict check reads them). Returns the changed fields.

    Only the customer or an advocate who may act for them (NotAuthorisedToAct), and only
    from the needs as they are saved now (StaleNeedsEdit)."""
    authority.check_may_act_for(actor, customer.id, today)
    # Read the row again, locked until this transaction ends (PostgreSQL; on SQLite the
    # transaction already holds the write lock), so two saves cannot both pass the check.
    db.session.refresh(customer, with_for_update=True)
    if seen_version != needs_version(customer):
        raise StaleNeedsEdit
    before = Needs.of(customer)
    changed = [name for name in vars(needs) if getattr(needs, name) != getattr(before, name)]
    if not changed:
        return []
    customer.preferred_locale = needs.locale
    customer.preferred_letter_format = needs.letter_format
    customer.preferred_channel = needs.channel
    customer.finds_writing_difficult = needs.finds_writing_difficult
    customer.cannot_use_telephone = needs.cannot_use_telephone
    customer.needs_in_person_access = needs.needs_in_person_access
    customer.support_needs = needs.support_needs.strip()
    customer.needs_updated_at = now
    customer.needs_updated_by_id = actor.id
    audit.save_change(
        "needs_updated",
        customer,
        actor=actor,
        object_type="customer",
        customer_id=customer.id,
        details={"changed": changed},
    )
    return changed
