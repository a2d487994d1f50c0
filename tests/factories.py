"""Small factories for test data. Each commits, so the data is visible to requests."""

import itertools

from portal.auth.passwords import hash_password
from portal.extensions import db
from portal.models import Customer, User, UserRole

TEST_PASSWORD = "correct horse battery staple"
_sequence = itertools.count(1)


def make_user(*roles, email=None, password=TEST_PASSWORD, **fields) -> User:
    number = next(_sequence)
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
