"""The "what happens next" emails (issue 15 item 7) on both databases: who gets each, in
their language, with a sign-in link and no case details; the referral chase sent once."""

import datetime as dt
import re

import pytest
import sqlalchemy as sa

from portal import clock
from portal.challenges import services as challenges
from portal.dates import add_working_days
from portal.extensions import db
from portal.jobs.worker import work
from portal.models import AdvocateAuthority, Job, Referral
from portal.models.types import utcnow
from portal.models.vocab import (
    AdvocateRelationship,
    ContactChannel,
    ReferralKind,
    RestrictionOption,
    Role,
)
from portal.notices import referrals
from portal.restrictions import rules
from portal.restrictions import services as restrictions
from tests.factories import (
    make_active_restriction,
    make_case,
    make_customer,
    make_ready_case,
    make_user,
)
from tests.helpers import emails_to

TODAY = clock.today()
SECRET_NAME = "Zebedee Quartermain"  # the customer's name: never in an email body
REASON = "Shouted threats at the Clift Road office"  # an allegation: never in an email


def in_language(app, locale: str, message: str) -> str:
    """``message`` as a reader whose language is ``locale`` gets it; never the English
    itself for another language, so a missing translation fails the test."""
    from flask_babel import force_locale, gettext

    with app.test_request_context(), force_locale(locale):
        translated = gettext(message)
    assert locale == "en" or translated != message
    return translated


def body(message) -> str:
    return message.get_content()


def assert_no_case_details(message, *details: str) -> None:
    text = f"{message['Subject']}\n{body(message)}"
    for detail in (SECRET_NAME, REASON, *details):
        assert detail not in text


def assert_links_to(message, app, endpoint: str, **values) -> None:
    from portal.external_links import external_url

    assert external_url(endpoint, **values) in re.findall(r"https?://\S+", body(message))


@pytest.fixture
def staff(app):
    return {
        "officer": make_user(Role.CASE_OFFICER, preferred_locale="cy"),
        "manager": make_user(Role.REVIEW_MANAGER),
        "other_manager": make_user(Role.REVIEW_MANAGER, preferred_locale="pl"),
        "director": make_user(Role.APPEALS_DIRECTOR),
    }


def propose(case, proposer):
    proposal = restrictions.Proposal(
        starts_on=TODAY,
        ends_on=TODAY + dt.timedelta(days=60),
        review_frequency=restrictions.ReviewFrequency.QUARTERLY,
        reason=REASON,
        measures=[
            rules.MeasureSpec(
                RestrictionOption.SINGLE_CHANNEL, permitted_channel=ContactChannel.EMAIL
            )
        ],
    )
    return restrictions.propose_restriction(
        case, proposal, proposed_by=proposer, today=TODAY, now=utcnow()
    )


def test_a_proposal_tells_every_review_manager_but_its_proposer(app, staff):
    proposer = make_user(Role.CASE_OFFICER, Role.REVIEW_MANAGER)
    case = make_ready_case(make_customer(full_name=SECRET_NAME), staff["officer"])
    restriction = propose(case, proposer)
    work(burst=True)
    for manager, language in ((staff["manager"], "en"), (staff["other_manager"], "pl")):
        (message,) = emails_to(app, manager.email)
        assert message["Subject"] == in_language(
            app, language, "A restriction is waiting for your approval"
        )
        assert message["Content-Language"] == language
        assert_no_case_details(message, case.reference)
        assert_links_to(message, app, "restrictions.show", restriction_id=restriction.id)
    assert emails_to(app, proposer.email) == []


def test_approval_tells_the_proposer_and_the_case_officer_the_letter_waits(app, staff):
    case = make_ready_case(make_customer(full_name=SECRET_NAME), staff["officer"])
    restriction = propose(case, staff["officer"])
    work(burst=True)
    restrictions.approve_restriction(restriction, approver=staff["manager"], now=utcnow())
    work(burst=True)
    subjects = [m["Subject"] for m in emails_to(app, staff["officer"].email)]
    assert subjects == [  # in the officer's own language, Welsh
        in_language(app, "cy", "A restriction you proposed was approved"),
        in_language(app, "cy", "A letter is waiting for you to issue it"),
    ]
    letter_email = emails_to(app, staff["officer"].email)[-1]
    assert letter_email["Content-Language"] == "cy"  # the officer's own language
    assert_no_case_details(letter_email, case.reference)
    assert_links_to(letter_email, app, "letters.new", case_id=case.id)


def test_rejection_tells_the_proposer_without_the_reason(app, staff):
    case = make_ready_case(make_customer(full_name=SECRET_NAME), staff["officer"])
    restriction = propose(case, staff["officer"])
    restrictions.reject_restriction(
        restriction, approver=staff["manager"], reason="Not proportionate yet", now=utcnow()
    )
    work(burst=True)
    (message,) = emails_to(app, staff["officer"].email)
    assert message["Subject"] == in_language(
        app, "cy", "A restriction you proposed was not approved"
    )
    assert_no_case_details(message, "Not proportionate yet", case.reference)
    assert_links_to(message, app, "restrictions.show", restriction_id=restriction.id)


def _authority(customer, email, *, can_act, **fields):
    authority = AdvocateAuthority(
        customer_id=customer.id,
        advocate_name="Priya",
        advocate_email=email,
        relationship_to_customer=AdvocateRelationship.SUPPORT_WORKER,
        can_act=can_act,
        **fields,
    )
    db.session.add(authority)
    db.session.commit()
    return authority


def _send_appeal(customer_user, restriction):
    draft = challenges.start_draft("appeal", restriction, author=customer_user, now=utcnow())
    challenges.save_answers(draft, {"reasons": "It is not fair."}, utcnow())
    return challenges.submit(draft, submitter=customer_user, now=utcnow(), today=TODAY)


@pytest.mark.parametrize(
    ("locale", "subject"),
    [("en", "We have received your appeal"), ("ar", "تلقينا استئنافك")],
)
def test_an_appeal_tells_the_customer_in_their_language_and_advocates_who_act(
    app, staff, locale, subject
):
    account = make_user(Role.CUSTOMER, email="zq@example.com")
    customer = make_customer(
        account, full_name=SECRET_NAME, email="zq@example.com", preferred_locale=locale
    )
    case = make_ready_case(customer, staff["officer"])
    restriction = make_active_restriction(
        case, staff["officer"], staff["manager"], starts_on=TODAY - dt.timedelta(days=3)
    )
    _authority(customer, "acts@example.com", can_act=True)
    _authority(customer, "views@example.com", can_act=False)
    _authority(customer, "revoked@example.com", can_act=True, revoked_at=utcnow())
    appeal = _send_appeal(account, restriction)
    work(burst=True)
    (message,) = emails_to(app, "zq@example.com")
    assert message["Subject"] == subject
    assert message["Content-Language"] == locale
    assert_no_case_details(message, case.reference, appeal.reference, "It is not fair.")
    assert_links_to(message, app, "my.home")
    (advocate_email,) = emails_to(app, "acts@example.com")
    assert advocate_email["Subject"] == "An appeal was sent for someone you act for"
    assert_no_case_details(advocate_email, case.reference)
    assert_links_to(advocate_email, app, "advocate.home")
    assert emails_to(app, "views@example.com") == emails_to(app, "revoked@example.com") == []


def test_a_refused_second_appeal_queues_no_second_email(app, staff):
    account = make_user(Role.CUSTOMER)
    customer = make_customer(account, email=account.email)
    case = make_ready_case(customer, staff["officer"])
    restriction = make_active_restriction(
        case, staff["officer"], staff["manager"], starts_on=TODAY - dt.timedelta(days=3)
    )
    _send_appeal(account, restriction)
    with pytest.raises(challenges.ChallengeAlreadyOpen):
        _send_appeal(account, restriction)
    assert db.session.scalar(sa.select(sa.func.count(Job.id))) == 1


def _referral(case, officer, created_at):
    referral = Referral(
        case_id=case.id,
        kind=ReferralKind.COMMUNITY_SAFETY,
        reason=REASON,
        created_at=created_at,
        created_by_id=officer.id,
    )
    db.session.add(referral)
    db.session.commit()
    return referral


def test_a_referral_not_accepted_after_two_working_days_is_chased_once(app, staff):
    team = [
        make_user(Role.COMMUNITY_SAFETY),
        make_user(Role.COMMUNITY_SAFETY, preferred_locale="ur"),
    ]
    make_user(Role.COMMUNITY_SAFETY, is_enabled=False)
    case = make_case(make_customer(full_name=SECRET_NAME), staff["officer"])
    monday = dt.datetime(2026, 11, 30, 10, tzinfo=dt.UTC)
    old = _referral(case, staff["officer"], monday)
    _referral(case, staff["officer"], monday + dt.timedelta(days=1))  # not yet due
    wednesday = add_working_days(monday.date(), 2)
    assert wednesday == dt.date(2026, 12, 2)
    assert referrals.remind_unaccepted(wednesday - dt.timedelta(days=1)) == 0
    assert referrals.remind_unaccepted(wednesday) == 1
    assert referrals.remind_unaccepted(wednesday) == 0  # the second run sends nothing
    work(burst=True)
    for colleague, language in zip(team, ("en", "ur"), strict=True):
        (message,) = emails_to(app, colleague.email)
        assert message["Content-Language"] == language
        assert_no_case_details(message, case.reference, str(old.id))
        assert_links_to(message, app, "staff.community_safety")
    assert referrals.remind_unaccepted(wednesday + dt.timedelta(days=7)) == 1  # the second one
