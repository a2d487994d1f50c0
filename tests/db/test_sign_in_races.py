"""Password guessing per account, on both databases (issue 14 item 3; SECURITY.md §4).

Concurrent wrong passwords are each counted, and no more of them are checked than the rule
allows; tries refused while an account waits check nothing and lengthen nothing; an
attacker who locks an account cannot keep its owner out past a password reset, and an
admin can unlock a colleague. A wrong email and a wrong password look the same throughout.
"""

import datetime as dt
import threading

import pytest
import sqlalchemy as sa

from portal.auth import second_factor, services
from portal.auth.services import SignInLocked, SignInPaused, SignInRefused, authenticate
from portal.auth.throttle import ThrottleRule, throttle_for
from portal.extensions import db
from portal.models import SignInThrottle, User
from portal.models.types import utcnow
from portal.models.vocab import Role
from tests.factories import TEST_PASSWORD, make_user
from tests.figures import tally
from tests.helpers import (
    error_summary,
    link_in_newest_email,
    main_text,
    parse,
    post_form,
    sign_in,
    text_of,
    texts,
    token_link_prefix,
    url,
)

RULE = ThrottleRule(
    free_tries=5,
    first_wait=dt.timedelta(seconds=30),
    longest_wait=dt.timedelta(minutes=15),
    lock_after=30,
)
THREADS = 20
NEW_PASSWORD = "a new and much longer passphrase 42"


@pytest.fixture
def checks(monkeypatch):
    """Every password actually checked, whether against an account or a dummy hash."""
    checked: list[str] = []
    lock = threading.Lock()
    verify, burn = services.verify_password, services.burn_equal_time

    def counting_verify(stored_hash, password):
        with lock:
            checked.append(password)
        return verify(stored_hash, password)

    def counting_burn(password):
        with lock:
            checked.append(password)
        burn(password)

    monkeypatch.setattr(services, "verify_password", counting_verify)
    monkeypatch.setattr(services, "burn_equal_time", counting_burn)
    return checked


def _guess_at_once(app, email: str, now: dt.datetime) -> list[str]:
    """THREADS wrong passwords for ``email`` at the same moment, each thread with its own
    app context, session and connection, as separate requests on separate workers have."""
    start = threading.Barrier(THREADS, timeout=30)
    outcomes: list[str] = []
    errors: list[BaseException] = []

    def guess(number: int):
        with app.app_context():
            try:
                start.wait()
                authenticate(email, f"wrong {number}", now=now, rule=RULE)
                outcomes.append("signed in")
            except SignInPaused:
                outcomes.append("paused")
            except SignInRefused:
                outcomes.append("refused")
            except BaseException as error:  # noqa: BLE001 - collected and asserted below
                errors.append(error)
            finally:
                db.session.remove()

    db.session.commit()  # this thread's transaction would hold SQLite's write lock
    threads = [threading.Thread(target=guess, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    db.session.expire_all()
    return outcomes


@pytest.mark.parametrize("known", [True, False], ids=["account", "no-account"])
def test_twenty_concurrent_wrong_passwords_count_exactly_and_check_only_the_free_tries(
    app, checks, known
):
    email = make_user(Role.CUSTOMER).email if known else "nobody@example.com"
    outcomes = _guess_at_once(app, email, utcnow())
    failures = throttle_for(email)
    assert failures.failed_tries == THREADS
    assert len(checks) == RULE.free_tries
    assert failures.wrong_guesses == RULE.free_tries
    assert sorted(outcomes) == ["paused"] * (THREADS - 5) + ["refused"] * 5
    assert failures.next_try_at > utcnow()
    tally("9 brute force", "concurrent wrong passwords", THREADS)
    tally("9 brute force", "passwords checked (free tries)", len(checks))


def test_tries_refused_while_waiting_neither_check_nor_lengthen_the_wait(app, checks):
    user = make_user(Role.CUSTOMER)
    now = utcnow()
    for number in range(RULE.free_tries):
        with pytest.raises(SignInRefused):
            authenticate(user.email, f"wrong {number}", now=now, rule=RULE)
    waiting_until = throttle_for(user.email).next_try_at
    assert waiting_until == now + RULE.first_wait
    for _ in range(40):
        with pytest.raises(SignInPaused) as refused:
            authenticate(user.email, TEST_PASSWORD, now=now, rule=RULE)
        assert refused.value.until == waiting_until
    db.session.expire_all()
    failures = throttle_for(user.email)
    assert (failures.failed_tries, failures.wrong_guesses) == (45, 5)
    assert failures.next_try_at == waiting_until and failures.locked_at is None
    assert len(checks) == RULE.free_tries
    # Once the wait is over the owner's password works, and the count starts again.
    assert authenticate(user.email, TEST_PASSWORD, now=waiting_until, rule=RULE).id == user.id
    db.session.commit()
    assert throttle_for(user.email) is None


def test_waits_double_up_to_the_longest_then_the_account_locks(app):
    user = make_user(Role.CUSTOMER)
    now, waits = utcnow(), []
    for number in range(RULE.lock_after):
        with pytest.raises(SignInRefused):
            authenticate(user.email, f"wrong {number}", now=now, rule=RULE)
        db.session.expire_all()
        failures = throttle_for(user.email)
        if failures.next_try_at is not None:
            waits.append(failures.next_try_at - now)
            now = failures.next_try_at
    seconds = [int(wait.total_seconds()) for wait in waits]
    assert seconds[:6] == [30, 60, 120, 240, 480, 900]
    assert set(seconds[6:]) == {900}
    # Cyber Essentials 4.2.1: at most 10 guesses in any 5 minutes, at the fastest pace.
    times = [0.0]
    for guesses in range(1, RULE.lock_after):
        wait = RULE.wait_after(guesses)
        times.append(times[-1] + (wait.total_seconds() if wait else 0))
    assert max(sum(1 for t in times if start <= t < start + 300) for start in times) == 8
    assert failures.locked_at is not None
    with pytest.raises(SignInLocked):
        authenticate(user.email, TEST_PASSWORD, now=now + dt.timedelta(days=7), rule=RULE)


@pytest.fixture
def quick_lock(app):
    """No waits, and a lock after six wrong guesses: an attacker's whole run in a test."""
    app.config.update(SIGN_IN_FIRST_WAIT=dt.timedelta(0), SIGN_IN_LOCK_AFTER=6)
    return app


def _hammer(client, email: str, times: int):
    return [
        post_form(client, url("auth.sign_in"), {"email": email, "password": f"guess {n}"})
        for n in range(times)
    ]


def _error_text(response, email: str) -> str:
    """The error summary's messages, with the typed address taken out."""
    links = parse(response).cssselect('.govuk-error-summary__list a[href="#email"]')
    return " | ".join(text_of(link).replace(email, "EMAIL") for link in links)


def test_a_hammered_account_and_an_unknown_address_look_the_same(quick_lock):
    victim = make_user(Role.CUSTOMER)
    attacker = quick_lock.test_client()
    known = _hammer(attacker, victim.email, 7)
    unknown = _hammer(attacker, "nobody@example.com", 7)
    assert [r.status_code for r in known] == [r.status_code for r in unknown]
    assert [_error_text(r, victim.email) for r in known] == [
        _error_text(r, "nobody@example.com") for r in unknown
    ]
    assert "locked" in _error_text(known[-1], victim.email)
    assert "Enter a correct email address and password" in _error_text(known[0], victim.email)


def test_the_owner_of_a_hammered_account_gets_in_after_a_password_reset(quick_lock):
    victim = make_user(Role.CUSTOMER)
    attacker, owner = quick_lock.test_client(), quick_lock.test_client()
    _hammer(attacker, victim.email, 6)
    locked = post_form(
        owner, url("auth.sign_in"), {"email": victim.email, "password": TEST_PASSWORD}
    )
    assert locked.status_code == 400
    assert [m for m in error_summary(locked) if "Reset your password to unlock it" in m]
    post_form(owner, url("auth.forgot_password"), {"email": victim.email})
    link = link_in_newest_email(quick_lock, victim.email, token_link_prefix("auth.reset_password"))
    # The attacker keeps going while the owner reads the email: the lock holds meanwhile.
    _hammer(attacker, victim.email, 3)
    changed = post_form(owner, link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert changed.status_code == 303, changed.get_data(as_text=True)[:800]
    assert throttle_for(victim.email) is None
    signed_in = post_form(
        owner, url("auth.sign_in"), {"email": victim.email, "password": NEW_PASSWORD}
    )
    assert signed_in.status_code == 303


def test_an_admin_unlocks_a_colleague(quick_lock):
    colleague = make_user(Role.CASE_OFFICER)
    _hammer(quick_lock.test_client(), colleague.email, 6)
    assert throttle_for(colleague.email).locked_at is not None
    admin_client = quick_lock.test_client()
    admin = make_user(Role.ADMIN)
    sign_in(admin_client, admin.email)
    account_url = url("admin.account", user_id=colleague.id)
    page = admin_client.get(account_url)
    assert "Locked since" in main_text(page)
    assert "Unlock signing in" in texts(page, "main button")
    response = post_form(
        admin_client, url("admin.unlock", user_id=colleague.id), {}, form_url=account_url
    )
    assert response.status_code == 303
    db.session.expire_all()
    assert throttle_for(colleague.email) is None
    assert "Unlock signing in" not in text_of(parse(admin_client.get(account_url)))
    sign_in(quick_lock.test_client(), colleague.email)
    assert db.session.get(User, colleague.id).last_signed_in_at is not None


def test_a_wrong_code_counts_and_a_waiting_account_checks_no_code(app, monkeypatch):
    user = make_user(Role.CASE_OFFICER)
    checked = []
    verify = second_factor.verify_second_factor

    def counting(user, code, now):
        checked.append(code)
        return verify(user, code, now)

    monkeypatch.setattr(second_factor, "verify_second_factor", counting)
    client = app.test_client()
    first = post_form(client, url("auth.sign_in"), {"email": user.email, "password": TEST_PASSWORD})
    code_url = url("auth.second_factor")
    assert first.headers["Location"].startswith(code_url)
    statuses = [post_form(client, code_url, {"code": "000000"}).status_code for _ in range(7)]
    assert statuses == [400] * 5 + [429] * 2
    assert len(checked) == 5
    assert throttle_for(user.email).failed_tries == 7


def test_the_throttle_stores_no_email_address(app):
    authenticate_quietly("someone.private@example.com")
    keys = db.session.scalars(sa.select(SignInThrottle.email_key)).all()
    assert keys and all("private" not in key and len(key) == 64 for key in keys)


def authenticate_quietly(email: str):
    with pytest.raises(SignInRefused):
        authenticate(email, "x", now=utcnow(), rule=RULE)
