"""Issue 14 item 11c on both databases: saves of the same needs made at the same moment
from the same version: one is kept, every other is refused as stale, none is lost
silently (SECURITY.md §5; PostgreSQL locks the row, SQLite's BEGIN IMMEDIATE serialises)."""

import threading

from portal.clock import today
from portal.customer_side.services import Needs, StaleNeedsEdit, needs_version, update_needs
from portal.extensions import db
from portal.models import AuditEvent, Customer, User
from portal.models.types import utcnow
from portal.models.vocab import Role
from tests.factories import make_customer, make_user
from tests.figures import tally

WRITERS = 4


def test_of_simultaneous_saves_from_one_version_exactly_one_is_kept(app):
    user = make_user(Role.CUSTOMER)
    customer = make_customer(user)
    customer_id, user_id, seen = customer.id, user.id, needs_version(customer)
    db.session.commit()  # end this transaction: on SQLite it holds the write lock
    start = threading.Barrier(WRITERS)
    outcomes: list[str] = []

    def writer(number: int):
        with app.app_context():
            try:
                # Together, then each reads and saves (on SQLite, reading takes the lock).
                start.wait(timeout=30)
                target = db.session.get(Customer, customer_id)
                actor = db.session.get(User, user_id)
                wanted = Needs.of(target)
                wanted.support_needs = f"Written by writer {number}."
                update_needs(
                    target, wanted, actor=actor, now=utcnow(), today=today(), seen_version=seen
                )
                outcomes.append("saved")
            except StaleNeedsEdit:
                db.session.rollback()
                outcomes.append("stale")
            except BaseException as error:  # noqa: BLE001 - collected and asserted below
                outcomes.append(repr(error))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(outcomes) == ["saved"] + ["stale"] * (WRITERS - 1)
    db.session.expire_all()
    kept = db.session.get(Customer, customer_id).support_needs
    assert kept.startswith("Written by writer ")
    assert db.session.query(AuditEvent).filter_by(action="needs_updated").count() == 1
    tally("14 concurrency", "simultaneous saves of one version", WRITERS)
    tally("14 concurrency", "stale saves refused", WRITERS - 1)
