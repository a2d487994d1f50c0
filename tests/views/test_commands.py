"""The cron commands: `flask restrictions expire` (twice is harmless) and `flask reviews
remind` (lists, and emails review managers through the development outbox)."""

import datetime as dt
import email
from pathlib import Path

from portal import clock
from portal.models.vocab import Role
from tests.factories import make_active_restriction, make_customer, make_ready_case, make_user
from tests.helpers import url

TODAY = clock.today()


def test_expire_twice_and_remind(app):
    officer, manager = make_user(Role.CASE_OFFICER), make_user(Role.REVIEW_MANAGER)
    case = make_ready_case(make_customer(full_name="Ada Lovelace"), officer)
    make_active_restriction(
        case,
        officer,
        manager,
        starts_on=TODAY - dt.timedelta(days=200),
        ends_on=TODAY - dt.timedelta(days=1),
        next_review_on=TODAY - dt.timedelta(days=20),
    )
    make_active_restriction(case, officer, manager, starts_on=TODAY - dt.timedelta(days=80))
    runner = app.test_cli_runner()
    first = runner.invoke(args=["restrictions", "expire"])
    second = runner.invoke(args=["restrictions", "expire"])
    assert first.exit_code == 0 and "1 restriction(s)" in first.output
    assert second.exit_code == 0 and "0 restriction(s)" in second.output
    remind = runner.invoke(args=["reviews", "remind", "--email"])
    assert remind.exit_code == 0
    assert "Ada Lovelace" in remind.output and "Sent to 1 review manager(s)." in remind.output
    mails = list(Path(app.config["MAIL_OUTBOX_DIR"]).glob("*.eml"))
    assert len(mails) == 1
    body = email.message_from_bytes(mails[0].read_bytes()).get_payload(decode=True).decode()
    # Counts and a link to the signed-in page: no name or reference in the email (item 7).
    assert "overdue: 0" in body and "due within 14 days: 1" in body and url("staff.reviews") in body
    assert "Ada Lovelace" not in body and case.reference not in body


def test_chase_referrals_twice_emails_community_safety_once(app):
    from portal.extensions import db
    from portal.jobs.worker import work
    from portal.models import Referral
    from portal.models.types import utcnow
    from portal.models.vocab import ReferralKind

    officer, safety = make_user(Role.CASE_OFFICER), make_user(Role.COMMUNITY_SAFETY)
    case = make_ready_case(make_customer(full_name="Ada Lovelace"), officer)
    db.session.add(
        Referral(
            case_id=case.id,
            kind=ReferralKind.COMMUNITY_SAFETY,
            reason="Threats on the phone.",
            created_at=utcnow() - dt.timedelta(days=10),
            created_by_id=officer.id,
        )
    )
    db.session.commit()
    runner = app.test_cli_runner()
    first = runner.invoke(args=["notices", "referrals"])
    second = runner.invoke(args=["notices", "referrals"])
    assert first.exit_code == 0 and first.output.startswith("1 referral(s)")
    assert second.exit_code == 0 and second.output.startswith("0 referral(s)")
    work(burst=True)
    (mail,) = Path(app.config["MAIL_OUTBOX_DIR"]).glob("*.eml")
    text = mail.read_text()
    assert f"To: {safety.email}" in text
    assert "Ada Lovelace" not in text and "Threats" not in text
