"""The people of the demo history (see :mod:`portal.demo.history`): the staff who did the
work, and about 300 customers with protected characteristics (s6.3).

Everything is derived from a customer's number alone (a hash of the number, no random
state), so every run describes the same people and finds them by their reference.
"""

import datetime as dt
import hashlib
from dataclasses import dataclass

from sqlalchemy import select

from portal.cases import references
from portal.extensions import db
from portal.models import Customer, ProtectedCharacteristics, User, UserRole
from portal.models.vocab import AgeBand, Role
from portal.reports.periods import last_financial_year

CUSTOMER_COUNT = 300
PREFER = "prefer_not_to_say"

# (key, email, display name, role). No password: nobody signs in as them.
STAFF = (
    ("officer1", "history.officer1@example.com", "Nadia Hussain", Role.CASE_OFFICER),
    ("officer2", "history.officer2@example.com", "Owen Griffiths", Role.CASE_OFFICER),
    ("officer3", "history.officer3@example.com", "Chloe Bennett", Role.CASE_OFFICER),
    ("manager1", "history.manager1@example.com", "Michael Adeyemi", Role.REVIEW_MANAGER),
    ("manager2", "history.manager2@example.com", "Fiona Walsh", Role.REVIEW_MANAGER),
    ("manager3", "history.manager3@example.com", "Rajesh Kumar", Role.REVIEW_MANAGER),
    ("director1", "history.director1@example.com", "Elizabeth Turner", Role.APPEALS_DIRECTOR),
    ("director2", "history.director2@example.com", "David Osei", Role.APPEALS_DIRECTOR),
    ("safety1", "history.safety1@example.com", "Kerry Jones", Role.COMMUNITY_SAFETY),
)

FIRST_NAMES = (
    "Aaron Abdi Agnieszka Aisha Alan Amelia Amir Bethan Callum Carol Chen Chidi Dawn Declan "
    "Eilidh Emma Fatima Gareth Grace Hannah Ibrahim Imran Jade Jamal Joanne Kwame Leanne "
    "Lewis Maria Mohammed Natalia Niamh Oliver Patrick Precious Rhys Rosa Sandra Tariq Wei"
).split()
SURNAMES = (
    "Ahmed Ali Baker Brown Campbell Clarke Davies Edwards Evans Farah Green Hall Hughes "
    "Iqbal James Jenkins Khan Kowalczyk Lewis Mensah Morris Nguyen Nowak Okoro Parry Patel "
    "Phillips Price Roberts Rowe Singh Smith Taylor Thomas Walker Ward White Williams Wilson "
    "Wright"
).split()
STREETS = (
    ("Gloucester Road", "BS7"),
    ("Stapleton Road", "BS5"),
    ("Church Road", "BS5"),
    ("North Street", "BS3"),
    ("Filwood Broadway", "BS4"),
    ("Wells Road", "BS4"),
    ("Sturminster Road", "BS14"),
    ("Lawrence Weston Road", "BS11"),
    ("Southmead Road", "BS10"),
    ("Hartcliffe Way", "BS13"),
    ("Fishponds Road", "BS16"),
    ("Whitchurch Lane", "BS13"),
)
POSTCODE_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"

# (value, weight): roughly a city housing association's customer base.
AGE_BANDS = (
    (AgeBand.UNDER_25, 9),
    (AgeBand.FROM_25_TO_34, 18),
    (AgeBand.FROM_35_TO_44, 19),
    (AgeBand.FROM_45_TO_54, 17),
    (AgeBand.FROM_55_TO_64, 15),
    (AgeBand.FROM_65_TO_74, 10),
    (AgeBand.FROM_75, 7),
    (AgeBand.PREFER_NOT_TO_SAY, 3),
    (None, 2),
)
DISABILITY = (("yes", 20), ("no", 66), (PREFER, 8), (None, 6))
SEX = (("female", 53), ("male", 43), (PREFER, 3), (None, 1))
GENDER_REASSIGNMENT = (("no", 86), ("yes", 1), (PREFER, 8), (None, 5))
ETHNICITY = (
    ("White British", 64),
    ("White other", 9),
    ("Black or Black British", 8),
    ("Asian or Asian British", 8),
    ("Mixed or multiple ethnic groups", 5),
    ("Other ethnic group", 2),
    (PREFER, 3),
    (None, 1),
)
RELIGION = (
    ("No religion", 46),
    ("Christian", 32),
    ("Muslim", 8),
    ("Hindu", 2),
    ("Sikh", 2),
    ("Jewish", 1),
    ("Buddhist", 1),
    ("Other religion or belief", 2),
    (PREFER, 5),
    (None, 1),
)
SEXUAL_ORIENTATION = (
    ("Heterosexual or straight", 82),
    ("Gay or lesbian", 3),
    ("Bisexual", 3),
    ("Other sexual orientation", 1),
    (PREFER, 8),
    (None, 3),
)
MARRIAGE = (
    ("Married", 30),
    ("Civil partnership", 2),
    ("Not married or in a civil partnership", 57),
    (PREFER, 7),
    (None, 4),
)
PREGNANCY = (("no", 90), ("yes", 2), (PREFER, 4), (None, 4))
CHARACTERISTICS = {
    "age_band": AGE_BANDS,
    "disability": DISABILITY,
    "sex": SEX,
    "gender_reassignment": GENDER_REASSIGNMENT,
    "ethnicity": ETHNICITY,
    "religion_or_belief": RELIGION,
    "sexual_orientation": SEXUAL_ORIENTATION,
    "marriage_or_civil_partnership": MARRIAGE,
    "pregnancy_or_maternity": PREGNANCY,
}


def spread(number: int, salt: str) -> int:
    """A number from 0 to 2**32 that looks random but is always the same for its input."""
    digest = hashlib.sha256(f"{salt}:{number}".encode()).digest()
    return int.from_bytes(digest[:4], "big")


def _pick(number: int, salt: str, weighted):
    position = spread(number, salt) % sum(weight for _value, weight in weighted)
    for value, weight in weighted:
        if position < weight:
            return value
        position -= weight
    raise AssertionError("unreachable")


def customer_reference(number: int) -> str:
    return f"H-{200001 + number}"


def characteristics(number: int) -> dict | None:
    """What customer ``number`` told us; ``None`` for the few never asked (no row)."""
    if spread(number, "asked") % 100 < 6:
        return None
    return {key: _pick(number, key, weighted) for key, weighted in CHARACTERISTICS.items()}


def is_disabled(number: int) -> bool:
    return (characteristics(number) or {}).get("disability") == "yes"


def ensure_staff() -> dict[str, User]:
    """The history's staff, by key ("officer1", "manager2", ...), created when missing."""
    emails = [email for _key, email, _name, _role in STAFF]
    found = {u.email: u for u in db.session.scalars(select(User).where(User.email.in_(emails)))}
    staff = {}
    for key, email, name, role in STAFF:
        user = found.get(email)
        if user is None:
            user = User(email=email, display_name=name, password_hash=None, is_demo=True)
            user.role_grants = [UserRole(role=role)]
            db.session.add(user)
        staff[key] = user
    db.session.flush()
    return staff


def _customer(number: int, since: dt.date) -> Customer:
    first = FIRST_NAMES[spread(number, "first") % len(FIRST_NAMES)]
    last = SURNAMES[spread(number, "last") % len(SURNAMES)]
    street, district = STREETS[spread(number, "street") % len(STREETS)]
    code = spread(number, "postcode")
    letters = POSTCODE_LETTERS[code % 20] + POSTCODE_LETTERS[code // 20 % 20]
    joined = dt.datetime.combine(
        since - dt.timedelta(days=30 + spread(number, "joined") % 1500), dt.time(10), dt.UTC
    )
    customer = Customer(
        reference=customer_reference(number),
        full_name=f"{first} {last}",
        address=f"{1 + code % 180} {street}, Bristol",
        postcode=f"{district} {code % 9 + 1}{letters}",
        email=f"{first}.{last}.{number}@example.com".lower() if code % 3 else None,
        phone=f"07700 900{number % 1000:03d}" if code % 4 else None,
        created_at=joined,
    )
    found = characteristics(number)
    if found is not None:
        customer.protected_characteristics = ProtectedCharacteristics(recorded_at=joined, **found)
    return customer


def ensure_customers(since: dt.date) -> dict[int, int]:
    """Every history customer, created when missing; returns {number: customer id}."""
    references = {customer_reference(n): n for n in range(CUSTOMER_COUNT)}
    existing = set(
        db.session.scalars(
            select(Customer.reference).where(Customer.reference.in_(list(references)))
        )
    )
    db.session.add_all(
        _customer(number, since)
        for reference, number in references.items()
        if reference not in existing
    )
    db.session.flush()
    rows = db.session.execute(
        select(Customer.reference, Customer.id).where(Customer.reference.in_(list(references)))
    )
    return {references[reference]: customer_id for reference, customer_id in rows}


CASES_PER_YEAR = (16, 24)  # opened in the year before last, and in the last year
# Who had the cases: the first salt (case0, case1, ...) under which, in the last financial
# year, no group but disabled customers is flagged by chance (checked with the equality view).
WHO_SALT = "case119"
DISABLED_SHARE = (0, 2, 4, 7)  # of every 9 restricted cases: about 44%, twice their share


@dataclass(frozen=True)
class Plan:
    opened_on: dt.date
    restricted: bool
    turn: int  # the case's place among the restricted cases, or among the others
    customer: int  # the customer's number


def case_reference(number: int) -> str:
    return references.case_reference("H", number + 1)


def plans(today: dt.date) -> list[Plan]:
    """Every history case, in order; the same customers whatever ``today`` is."""
    current = last_financial_year(today)
    years = (current.previous(), current)
    disabled = [n for n in range(CUSTOMER_COUNT) if is_disabled(n)]
    others = [n for n in range(CUSTOMER_COUNT) if not is_disabled(n)]
    result, turns = [], {True: 0, False: 0}
    for year, count in zip(years, CASES_PER_YEAR, strict=True):
        for k in range(count):
            restricted = k % 3 != 1
            turn = turns[restricted]
            turns[restricted] += 1
            if restricted:
                pool = disabled if turn % 9 in DISABLED_SHARE else others
            else:
                pool = disabled if turn % 5 == 0 else others
            customer = pool.pop(spread(len(result), WHO_SALT) % len(pool))
            opened_on = year.start + dt.timedelta(days=5 + k * 275 // count)
            result.append(Plan(opened_on, restricted, turn, customer))
    return result
