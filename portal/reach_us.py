"""How a person may and can reach the landlord (issue 15, items 2 and 3): one answer for
every "how to reach us" line — pages, the Beta banner, the footer, sign-in help, letters.

The ways are the landlord's general channels (configuration, portal.contact_details),
narrowed by the customer's current restrictions (s3.2 "limiting contact to a single form"),
less what their recorded needs rule out (s6.1: "telephone only" is no way at all for a deaf
customer), with their single point of contact and that person's own channel (s3.2).
Emergencies and new complaints always get through whatever the restriction says (s3.2 as
built in portal.contacts.rules.assess_contact), so every customer is told so.

Plain values in and out (``ways_to_reach_us``); ``ways_for_customer`` reads them from the
database, ``ways_for_viewer`` picks whose ways a page shows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from flask import current_app, g, has_request_context
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.bidi import gettext_isolated as _
from portal.extensions import db
from portal.models import Case, Customer, Restriction, RestrictionMeasure, User
from portal.models.vocab import ContactChannel, RestrictionOption, RestrictionStatus, Role

# The landlord's general channels, in the order they are offered. Email first: it reaches
# a named person directly and suits the most needs.
GENERAL_CHANNELS = (ContactChannel.EMAIL, ContactChannel.TELEPHONE, ContactChannel.WRITING)
# Relay UK: a textphone or the Relay UK app reaches any voice number through a relay
# assistant when "18001" is dialled before it.
TEXT_RELAY_PREFIX = "18001"


@dataclass(frozen=True)
class SinglePointOfContact:
    """s3.2: the named member of staff, and the one way this customer reaches them."""

    name: str
    channel: ContactChannel
    email: str | None  # their own address, given when email is the way


@dataclass(frozen=True)
class WaysToReachUs:
    """What a "how to reach us" line may say to this person."""

    channels: tuple[ContactChannel, ...]  # allowed by the restriction and usable by them
    text_relay: bool  # telephone allowed, a voice call not usable: offer Relay UK
    single_point_of_contact: SinglePointOfContact | None
    restricted: bool  # a current restriction narrows how they contact us (say s3.2's line)
    general: bool  # nobody known: every general channel, said neutrally

    @property
    def offers_telephone(self) -> bool:
        return ContactChannel.TELEPHONE in self.channels

    def as_facts(self) -> dict:
        """Language-neutral, for a letter's frozen facts (portal.letters.facts)."""
        spoc = self.single_point_of_contact
        return {
            "channels": [c.value for c in self.channels],
            "text_relay": self.text_relay,
            "restricted": self.restricted,
            "spoc": None
            if spoc is None
            else {"name": spoc.name, "channel": spoc.channel.value, "email": spoc.email},
            "phone": current_app.config["LANDLORD_PHONE"],
            "email": current_app.config["LANDLORD_EMAIL"],
            "address": current_app.config["LANDLORD_ADDRESS"],
        }


GENERAL = WaysToReachUs(GENERAL_CHANNELS, False, None, False, True)


@dataclass(frozen=True)
class StaffContact:
    """The member of staff a single point of contact measure names."""

    name: str
    email: str | None


def ways_to_reach_us(
    permitted_channels: Iterable[ContactChannel | None],
    *,
    cannot_use_telephone: bool = False,
    single_point_of_contact: StaffContact | None = None,
    restricted: bool = False,
) -> WaysToReachUs:
    """s3.2, s6.1: the general channels narrowed to every restriction's permitted channel
    (``None`` entries: a restriction that does not limit the channel), less telephone for
    someone who cannot use it — who is offered text relay when telephone is all that is left."""
    allowed = set(GENERAL_CHANNELS)
    for channel in permitted_channels:
        if channel is not None:
            allowed &= {ContactChannel(channel)}
    usable = allowed - ({ContactChannel.TELEPHONE} if cannot_use_telephone else set())
    channels = tuple(c for c in GENERAL_CHANNELS if c in usable)
    text_relay = cannot_use_telephone and ContactChannel.TELEPHONE in allowed and not channels
    spoc = None
    if single_point_of_contact is not None:
        spoc = _spoc_way(single_point_of_contact, channels or tuple(allowed))
    return WaysToReachUs(channels, text_relay, spoc, restricted, False)


def _spoc_way(person: StaffContact, channels: Sequence[ContactChannel]) -> SinglePointOfContact:
    """Their own email address reaches the person directly; otherwise the customer asks for
    them by name through a channel open to them."""
    if ContactChannel.EMAIL in channels and person.email:
        return SinglePointOfContact(person.name, ContactChannel.EMAIL, person.email)
    way = next((c for c in GENERAL_CHANNELS if c in channels), ContactChannel.WRITING)
    return SinglePointOfContact(person.name, way, None)


# A restriction's measures and the single point of contact they name, in one go; not that
# person's roles, which the ways to reach us never read (issue 18: four statements, now two).
MEASURES_AND_CONTACT = (
    selectinload(Restriction.measures)
    .joinedload(RestrictionMeasure.single_point_of_contact)
    .lazyload(User.role_grants)
)


def in_force(restriction: Restriction, today: dt.date) -> bool:
    """Approved, started and not ended: as current_measures selects."""
    return (
        restriction.status == RestrictionStatus.ACTIVE
        and restriction.starts_on <= today <= restriction.ends_on
    )


def remember_current_restrictions(
    customer_id: int, today: dt.date, restrictions: Sequence[Restriction]
) -> None:
    """A page that has loaded every one of the customer's restrictions (with their
    measures) hands over those in force, so the layout's ways to reach us do not load them
    again (issue 18: the customer home loaded them twice). Kept for this request only."""
    if has_request_context():
        g.setdefault("current_restrictions", {})[(customer_id, today)] = [
            r for r in restrictions if in_force(r, today)
        ]


@dataclass(frozen=True)
class _Contact:
    """What the ways read of a single point of contact (a User's two fields)."""

    display_name: str
    email: str | None


@dataclass(frozen=True)
class _Measure:
    """What the ways read of a restriction measure (ways_for_measures)."""

    option: RestrictionOption
    permitted_channel: ContactChannel | None
    single_point_of_contact: _Contact | None


def current_measures(customer_id: int, today: dt.date) -> list:
    """The measures of the customer's restrictions in force today (approved, started, not
    ended): those a page has loaded already (remember_current_restrictions), or only the
    columns the ways read, in one statement. Every customer page's layout asks this, so it
    reads four columns rather than whole restrictions, measures and users (issue 18)."""
    if has_request_context():
        known = g.get("current_restrictions", {}).get((customer_id, today))
        if known is not None:
            return [m for r in known for m in r.measures]
    rows = db.session.execute(
        select(
            RestrictionMeasure.option,
            RestrictionMeasure.permitted_channel,
            User.display_name,
            User.email,
        )
        .join(Restriction, RestrictionMeasure.restriction_id == Restriction.id)
        .join(Case, Restriction.case_id == Case.id)
        .outerjoin(User, User.id == RestrictionMeasure.single_point_of_contact_id)
        .where(Case.customer_id == customer_id)
        .where(Restriction.status == RestrictionStatus.ACTIVE)
        .where(Restriction.starts_on <= today, Restriction.ends_on >= today)
        .order_by(RestrictionMeasure.id)
    )
    return [
        _Measure(option, channel, _Contact(name, email) if name is not None else None)
        for option, channel, name, email in rows
    ]


def ways_for_measures(
    measures: Iterable[RestrictionMeasure], *, cannot_use_telephone: bool
) -> WaysToReachUs:
    """The ways under these measures (one restriction's, or several restrictions' together)."""
    measures = list(measures)
    channels = [
        m.permitted_channel for m in measures if m.option == RestrictionOption.SINGLE_CHANNEL
    ]
    spoc_user = next(
        (
            m.single_point_of_contact
            for m in measures
            if m.option == RestrictionOption.SINGLE_POINT_OF_CONTACT and m.single_point_of_contact
        ),
        None,
    )
    return ways_to_reach_us(
        channels,
        cannot_use_telephone=cannot_use_telephone,
        single_point_of_contact=(
            StaffContact(spoc_user.display_name, spoc_user.email) if spoc_user else None
        ),
        restricted=bool(measures),
    )


def ways_for_customer(
    customer: Customer,
    today: dt.date,
    *,
    restrictions: Sequence[Restriction] | None = None,
    apply_needs: bool = True,
) -> WaysToReachUs:
    """s3.2, s6.1: this customer's ways under the restrictions given (by default those in
    force today). ``apply_needs`` is false for an advocate, whose own needs are not the
    customer's, but who contacts us within the customer's restriction."""
    if restrictions is None:
        measures = current_measures(customer.id, today)
    else:
        measures = [m for r in restrictions for m in r.measures]
    return ways_for_measures(
        measures, cannot_use_telephone=apply_needs and customer.cannot_use_telephone
    )


def ways_for_viewer(viewer, today: dt.date, customer: Customer | None = None) -> WaysToReachUs:
    """Whose ways a page shows: a customer's own; an advocate's for the customer they are
    looking at (restriction yes, needs no); everyone else (anonymous, staff, an advocate
    on their own pages) the general channels."""
    if viewer is None or not getattr(viewer, "is_authenticated", False) or viewer.is_staff:
        return GENERAL
    own = viewer.customer if viewer.has_role(Role.CUSTOMER) else None
    if own is not None and (customer is None or customer.id == own.id):
        return ways_for_customer(own, today)
    if customer is not None and viewer.has_role(Role.ADVOCATE):
        return ways_for_customer(customer, today, apply_needs=False)
    return GENERAL


# Sentences, shared by pages and letters ---------------------------------------------------


def still_get_through() -> str:
    """s3.2 (portal.contacts.rules.assess_contact): what no restriction ever stops."""
    return _(
        "Whatever your restriction says, you can always contact us in any way about an "
        "emergency, such as an urgent repair or a safeguarding concern, or to make a new "
        "complaint."
    )


def way_lines(facts: dict) -> list[str]:
    """One line per way, from ``WaysToReachUs.as_facts()`` (so a frozen letter says the
    same in every language): the channels, text relay, and the single point of contact."""
    lines = []
    landlord = current_app.config["LANDLORD_NAME"]
    for channel in facts["channels"]:
        if channel == ContactChannel.EMAIL:
            lines.append(_("Email: %(email)s", email=facts["email"]))
        elif channel == ContactChannel.TELEPHONE:
            lines.append(_("Telephone: %(phone)s", phone=facts["phone"]))
        elif channel == ContactChannel.WRITING:
            # Letters frozen before the address was kept name the landlord only.
            address = facts.get("address") or landlord
            lines.append(_("In writing: %(address)s", address=address))
    if facts["text_relay"]:
        lines.append(
            _(
                "Text relay (Relay UK): %(number)s",
                number=f"{TEXT_RELAY_PREFIX} {facts['phone']}",
            )
        )
    spoc_line = single_point_of_contact_line(facts)
    if spoc_line:
        lines.append(spoc_line)
    return lines


def single_point_of_contact_line(facts: dict) -> str | None:
    spoc = facts.get("spoc")
    if not spoc:
        return None
    if spoc["channel"] == ContactChannel.EMAIL and spoc.get("email"):
        return _(
            "Your single point of contact is %(name)s: email them at %(email)s.",
            name=spoc["name"],
            email=spoc["email"],
        )
    if spoc["channel"] == ContactChannel.EMAIL:
        return _(
            "Your single point of contact is %(name)s: email %(email)s and ask for them.",
            name=spoc["name"],
            email=facts["email"],
        )
    if spoc["channel"] == ContactChannel.TELEPHONE:
        relay = f"{TEXT_RELAY_PREFIX} " if facts["text_relay"] else ""
        return _(
            "Your single point of contact is %(name)s: call %(phone)s and ask for them.",
            name=spoc["name"],
            phone=relay + facts["phone"],
        )
    return _(
        "Your single point of contact is %(name)s: write to them at %(landlord)s.",
        name=spoc["name"],
        landlord=current_app.config["LANDLORD_NAME"],
    )


# For page templates (Jinja globals set in portal.__init__) ----------------------------------


def page_ways(customer: Customer | None = None) -> dict:
    """The signed-in viewer's ways as facts for a template (cached for the request): the
    layout's banner and footer call it without ``customer``, a page about one customer
    (the advocate's view) with it."""
    from flask import g

    from portal.clock import today
    from portal.navigation import signed_in_user

    viewer = signed_in_user()
    if customer is not None and _is_own(viewer, customer):
        customer = None  # the same ways as the layout's: worked out once (issue 18)
    key = ("reach_us", customer.id if customer is not None else None)
    cache = g.setdefault("reach_us_cache", {})
    if key not in cache:
        cache[key] = ways_for_viewer(viewer, today(), customer).as_facts() | {
            "staff": bool(viewer is not None and viewer.is_staff)
        }
    return cache[key]


def _is_own(viewer, customer: Customer) -> bool:
    """Whether ``customer`` is the signed-in customer's own record."""
    if viewer is None or not viewer.has_role(Role.CUSTOMER):
        return False
    own = viewer.customer
    return own is not None and own.id == customer.id


def general_ways() -> dict:
    """Every general channel, for a page that must not touch the database (minimal layout)."""
    return GENERAL.as_facts() | {"staff": False}
