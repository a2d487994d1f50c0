"""A contact limit holds when contacts are logged at the same moment, on both databases
(issue 14 item 4; s3.2 "times per week or per month").

Six officers log a contact for the same customer at once, against a limit of three a
week: exactly three are found within the restriction and three over the limit (recorded,
never dropped, and routed to the single point of contact). Each logging waits at a
barrier just after reading the restrictions, so without the row lock all six would count
the same contacts.
"""

import contextlib
import datetime as dt
import threading

import pytest
import sqlalchemy as sa

from portal.clock import LONDON
from portal.contacts import services as contacts
from portal.contacts.rules import ContactAttempt
from portal.extensions import db
from portal.models import ContactLogEntry, Customer, RestrictionMeasure, User
from portal.models.types import utcnow
from portal.models.vocab import ContactChannel, ContactFinding, QuotaPeriod, RestrictionOption, Role
from tests.factories import make_active_restriction, make_customer, make_ready_case, make_user
from tests.figures import tally

LIMIT = 3
OFFICERS = 6


@pytest.fixture
def limited_customer(app):
    officer, manager = make_user(Role.CASE_OFFICER), make_user(Role.REVIEW_MANAGER)
    customer = make_customer()
    case = make_ready_case(customer, officer)
    make_active_restriction(
        case,
        officer,
        manager,
        starts_on=dt.datetime.now(LONDON).date() - dt.timedelta(days=10),
        measures=[
            RestrictionMeasure(
                option=RestrictionOption.CONTACT_LIMIT,
                contact_limit=LIMIT,
                limit_period=QuotaPeriod.WEEK,
            ),
            RestrictionMeasure(
                option=RestrictionOption.SINGLE_POINT_OF_CONTACT,
                single_point_of_contact_id=officer.id,
            ),
        ],
    )
    return customer, officer


def _log_at_once(app, customer_id: int, officer_id: int, moments, monkeypatch) -> list:
    """Log one contact per moment, each in its own thread, app context and connection."""
    read = threading.Barrier(len(moments), timeout=3)
    in_force = contacts.restrictions_in_force

    def read_then_wait(*args, **kwargs):
        found = in_force(*args, **kwargs)
        # With the lock only one thread gets here at a time: the barrier breaks and the
        # threads go on one by one, as they should.
        with contextlib.suppress(threading.BrokenBarrierError):
            read.wait()
        return found

    monkeypatch.setattr(contacts, "restrictions_in_force", read_then_wait)
    errors: list[BaseException] = []

    def log(moment: dt.datetime):
        with app.app_context():
            try:
                customer = db.session.get(Customer, customer_id)
                officer = db.session.get(User, officer_id)
                contacts.log_contact(
                    customer,
                    ContactAttempt(
                        occurred_at=moment,
                        channel=ContactChannel.EMAIL,
                        via_single_point_of_contact=True,
                    ),
                    summary="About the repair.",
                    case_id=None,
                    placed_on_file=False,
                    logged_by=officer,
                    local_day=moment.astimezone(LONDON).date(),
                    now=utcnow(),
                )
            except BaseException as error:  # noqa: BLE001 - collected and asserted below
                db.session.rollback()
                errors.append(error)
            finally:
                db.session.remove()

    db.session.commit()  # this thread's transaction would hold SQLite's write lock
    threads = [threading.Thread(target=log, args=(moment,)) for moment in moments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    db.session.expire_all()
    return db.session.scalars(
        sa.select(ContactLogEntry)
        .where(ContactLogEntry.customer_id == customer_id)
        .order_by(ContactLogEntry.id)
    ).all()


def _this_week_moment(minutes_ago: int) -> dt.datetime:
    """A moment earlier this week (London), never before the week began."""
    now = dt.datetime.now(LONDON)
    monday = (now - dt.timedelta(days=now.weekday())).replace(hour=0, minute=1)
    return max(now - dt.timedelta(minutes=minutes_ago), monday).astimezone(dt.UTC)


def test_six_contacts_at_the_same_moment_leave_exactly_three_within_the_limit(
    app, limited_customer, monkeypatch
):
    customer, officer = limited_customer
    moment = _this_week_moment(5)
    entries = _log_at_once(app, customer.id, officer.id, [moment] * OFFICERS, monkeypatch)
    findings = sorted(entry.finding.value for entry in entries)
    assert len(entries) == OFFICERS  # nothing dropped
    assert findings == sorted(
        [ContactFinding.WITHIN_RESTRICTION.value] * LIMIT
        + [ContactFinding.OVER_LIMIT.value] * (OFFICERS - LIMIT)
    )
    over = [e for e in entries if e.finding == ContactFinding.OVER_LIMIT]
    assert all(entry.routed_to_user_id == officer.id for entry in over)
    # In logging order: the first three are within, the rest over.
    assert [e.finding for e in entries] == [ContactFinding.WITHIN_RESTRICTION] * LIMIT + [
        ContactFinding.OVER_LIMIT
    ] * (OFFICERS - LIMIT)
    tally("14 concurrency", "contacts logged at once against a limit", OFFICERS)
    tally("14 concurrency", "counted within the limit beyond it", 0)


def test_contacts_from_different_moments_logged_at_once_still_keep_to_the_limit(
    app, limited_customer, monkeypatch
):
    """Logged late or out of order, the week's contacts count in the order they were
    logged: never more than the limit are found within it."""
    customer, officer = limited_customer
    moments = [_this_week_moment(minutes) for minutes in (60, 5, 50, 10, 40, 20)]
    entries = _log_at_once(app, customer.id, officer.id, moments, monkeypatch)
    within = [e for e in entries if e.finding == ContactFinding.WITHIN_RESTRICTION]
    assert len(entries) == OFFICERS and len(within) == LIMIT
