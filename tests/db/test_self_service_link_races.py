"""The self-service email limit (three links an hour per account) holds when the requests
arrive at once, on both databases (issue 14 item 4). Each request waits at a barrier just
after counting, so without the row lock all of them would count none."""

import contextlib
import datetime as dt
import threading

import sqlalchemy as sa

from portal.auth import accounts
from portal.extensions import db
from portal.models import OneTimeLink
from portal.models.types import utcnow
from portal.models.vocab import LinkPurpose, Role
from tests.factories import make_user

REQUESTS = 6


def test_six_reset_requests_at_once_make_only_three_links(app, monkeypatch):
    user = make_user(Role.CUSTOMER)
    email, user_id = user.email, user.id
    counted = threading.Barrier(REQUESTS, timeout=3)
    count = accounts._too_many_recent_links

    def count_then_wait(*args, **kwargs):
        answer = count(*args, **kwargs)
        with contextlib.suppress(threading.BrokenBarrierError):
            counted.wait()
        return answer

    monkeypatch.setattr(accounts, "_too_many_recent_links", count_then_wait)
    sent, errors = [], []

    def ask():
        with app.app_context():
            try:
                if accounts.request_password_reset(email, now=utcnow()) is not None:
                    sent.append(True)
                db.session.commit()
            except BaseException as error:  # noqa: BLE001 - collected and asserted below
                errors.append(error)
            finally:
                db.session.remove()

    db.session.commit()  # this thread's transaction would hold SQLite's write lock
    threads = [threading.Thread(target=ask) for _ in range(REQUESTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert len(sent) == accounts.SELF_SERVICE_LINKS_PER_HOUR
    db.session.expire_all()
    made = db.session.scalar(
        sa.select(sa.func.count(OneTimeLink.id)).where(
            OneTimeLink.user_id == user_id,
            OneTimeLink.purpose == LinkPurpose.PASSWORD_RESET,
            OneTimeLink.created_at > utcnow() - dt.timedelta(hours=1),
        )
    )
    assert made == accounts.SELF_SERVICE_LINKS_PER_HOUR
