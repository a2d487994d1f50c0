"""Recording that a session is in use (portal.auth.services._touch), on both databases.

At most once a minute, exact for the idle timeout; never waiting for another request of
the same session that is recording it (a page and its htmx requests reach the minute
together); and without reading again what the request had loaded.
"""

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from portal.auth.services import TOUCH_INTERVAL
from portal.extensions import db
from portal.models import UserSession
from portal.models.types import utcnow
from portal.models.vocab import Role
from tests.factories import make_user
from tests.helpers import sign_in, statements_while, url


def _session_seen(minutes_ago: float) -> UserSession:
    row = db.session.scalar(sa.select(UserSession).where(UserSession.ended_at.is_(None)))
    row.last_seen_at = utcnow() - dt.timedelta(minutes=minutes_ago)
    db.session.commit()
    return row


def _last_seen(row_id: int) -> dt.datetime:
    db.session.expire_all()
    return db.session.get(UserSession, row_id).last_seen_at


def test_a_session_in_use_is_recorded_at_most_once_a_minute(app, client):
    sign_in(client, make_user(Role.CUSTOMER).email)
    row = _session_seen(minutes_ago=5)
    before = utcnow()
    assert client.get(url("my.home")).status_code == 200
    recorded = _last_seen(row.id)
    assert recorded >= before  # the idle timeout counts from this request

    assert client.get(url("my.home")).status_code == 200
    assert _last_seen(row.id) == recorded  # within the minute: not written again


def test_recording_it_reads_nothing_again(app, client):
    """The update is the one extra statement: the user, their roles and the customer
    record loaded with the session stay loaded."""
    sign_in(client, make_user(Role.CUSTOMER).email)
    client.get(url("public.accessibility"))
    quiet = statements_while(lambda: client.get(url("public.accessibility")))
    _session_seen(minutes_ago=2)
    touching = statements_while(lambda: client.get(url("public.accessibility")))
    extra = [s for s in touching if s not in quiet]
    assert len(touching) == len(quiet) + 1
    assert len(extra) == 1
    assert extra[0].startswith("UPDATE user_sessions SET last_seen_at")


def test_a_request_does_not_wait_while_another_records_the_same_session(app, client, backend):
    if backend == "sqlite":
        pytest.skip("Row locks are PostgreSQL's: SQLite lets one writer in at a time anyway")
    sign_in(client, make_user(Role.CUSTOMER).email)
    row = _session_seen(minutes_ago=2)
    due = row.last_seen_at
    with db.engine.connect() as other:  # another request, mid-way through recording it
        other.execute(sa.select(UserSession.id).where(UserSession.id == row.id).with_for_update())
        with ThreadPoolExecutor(max_workers=1) as thread:
            answer = thread.submit(_get_in_app, app, client, url("my.home"))
            try:
                status = answer.result(timeout=10)  # answered while the lock is held
            finally:
                other.rollback()  # lets a request that did wait finish, and the test end
    assert status == 200
    assert _last_seen(row.id) == due  # the other one records it; this one went on
    assert client.get(url("my.home")).status_code == 200
    assert _last_seen(row.id) > due
    assert utcnow() - _last_seen(row.id) < TOUCH_INTERVAL


def _get_in_app(app, client, path: str) -> int:
    with app.app_context():
        return client.get(path).status_code
