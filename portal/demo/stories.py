"""What happened to each demo customer: the cases behind the README's demo accounts.

Each story runs once (a case found by its reference is left alone), so ``flask demo load``
stays idempotent; dates are relative to today (see :mod:`portal.demo.personas`).
"""

import datetime as dt

from sqlalchemy import select

from portal.cases.references import case_reference
from portal.dates import add_months, add_working_days
from portal.extensions import db
from portal.models import (
    AdvocateAuthority,
    Appeal,
    InformalStep,
    Letter,
    ReconsiderationRequest,
    Referral,
    RestrictionMeasure,
)
from portal.models.vocab import (
    AdvocateRelationship,
    BehaviourType,
    ChallengeStatus,
    ContactChannel,
    InformalStepKind,
    LetterKind,
    QuotaPeriod,
    ReconsiderationGround,
    ReferralKind,
    RestrictionOption,
    RestrictionStatus,
    ReviewFrequency,
)


def jordan_story(loader, jordan, officer, manager, today) -> None:
    # Jordan: a restriction in place whose quarterly review is due in a week.
    case, new = loader.case(
        case_reference(2026, 1),
        customer=jordan,
        opened_by_id=officer.id,
        case_officer_id=officer.id,
        opened_at=loader.days_ago(120),
        summary="Very frequent calls and emails about the same repair.",
    )
    if new:
        incidents = [
            loader.incident(
                case,
                110,
                ContactChannel.TELEPHONE,
                [BehaviourType.CONTACT_OVERLOAD],
                "Eleven calls in one day about the kitchen repair already booked.",
                officer,
            ),
            loader.incident(
                case,
                95,
                ContactChannel.EMAIL,
                [BehaviourType.UNREASONABLE_PERSISTENCE, BehaviourType.CONTACT_OVERLOAD],
                "Thirty emails in a week repeating the same question.",
                officer,
            ),
        ]
        loader.add(
            InformalStep(
                case=case,
                kind=InformalStepKind.CONVERSATION,
                taken_on=today - dt.timedelta(days=100),
                taken_by_id=officer.id,
                description="Phoned to explain the repair date and agree updates.",
                outcome="Calls continued at the same rate.",
            )
        )
        needs = loader.needs(
            case,
            officer,
            "No communication needs recorded; prefers email.",
            advocate_considered=True,
            advocate_notes="Offered; Jordan did not want an advocate.",
        )
        starts_on = add_months(today + dt.timedelta(days=7), -3)
        restriction = loader.restriction(
            case,
            starts_on=starts_on,
            frequency=ReviewFrequency.QUARTERLY,
            status=RestrictionStatus.ACTIVE,
            proposer=officer,
            approver=manager,
            needs=needs,
            incidents=incidents,
            reason="You contacted us many times a day about the same repair after we answered.",
            measures=[
                RestrictionMeasure(
                    option=RestrictionOption.SINGLE_CHANNEL, permitted_channel=ContactChannel.EMAIL
                ),
                RestrictionMeasure(
                    option=RestrictionOption.SET_TIMES,
                    permitted_weekdays="0,1,2,3,4",
                    permitted_from=dt.time(9),
                    permitted_until=dt.time(17),
                ),
                RestrictionMeasure(
                    option=RestrictionOption.CONTACT_LIMIT,
                    contact_limit=3,
                    limit_period=QuotaPeriod.WEEK,
                ),
                RestrictionMeasure(
                    option=RestrictionOption.SINGLE_POINT_OF_CONTACT,
                    single_point_of_contact_id=officer.id,
                ),
            ],
        )
        _issue_demo_letter(loader, "L-DEMO-0001", jordan, case, restriction, officer)
        loader.add(
            ReconsiderationRequest(
                reference="RC-DEMO01",
                customer=jordan,
                restriction=restriction,
                ground=ReconsiderationGround.CHANGE_IN_CIRCUMSTANCES,
                details="My repair is now finished, so I will not need to chase it any more.",
                submitted_by_id=jordan.user_id,
                submitted_at=loader.days_ago(3),
                answer_due_on=add_working_days(today - dt.timedelta(days=3), 10),
                status=ChallengeStatus.RECEIVED,
            )
        )


def marek_story(loader, marek, officer, manager, today) -> None:
    # Marek: verbal abuse (a Community Safety referral), review overdue, an open appeal.
    case, new = loader.case(
        case_reference(2026, 2),
        customer=marek,
        opened_by_id=officer.id,
        case_officer_id=officer.id,
        opened_at=loader.days_ago(130),
        summary="Abusive calls to the repairs team.",
    )
    if new:
        incident = loader.incident(
            case,
            125,
            ContactChannel.TELEPHONE,
            [BehaviourType.VERBAL_ABUSE_OR_VIOLENCE],
            "Swore at and threatened a repairs adviser.",
            officer,
        )
        loader.add(
            Referral(
                case=case,
                kind=ReferralKind.COMMUNITY_SAFETY,
                incident=incident,
                reason="Threats made to a repairs adviser on the telephone.",
                created_by_id=officer.id,
                created_at=loader.days_ago(124),
            )
        )
        loader.add(
            InformalStep(
                case=case,
                kind=InformalStepKind.WARNING,
                taken_on=today - dt.timedelta(days=120),
                taken_by_id=officer.id,
                description="Written warning, sent in Polish and English.",
                outcome="A further abusive call eight days later.",
            )
        )
        needs = loader.needs(
            case,
            officer,
            "Polish speaker; uses an interpreter for meetings.",
            multi_agency_needed=False,
            advocate_considered=True,
            advocate_notes="Offered an advocate in the warning letter.",
        )
        restriction = loader.restriction(
            case,
            starts_on=today - dt.timedelta(days=100),
            frequency=ReviewFrequency.QUARTERLY,
            status=RestrictionStatus.ACTIVE,
            proposer=officer,
            approver=manager,
            needs=needs,
            incidents=[incident],
            reason="You threatened a member of our repairs team on the telephone.",
            measures=[
                RestrictionMeasure(
                    option=RestrictionOption.SINGLE_POINT_OF_CONTACT,
                    single_point_of_contact_id=officer.id,
                ),
                RestrictionMeasure(
                    option=RestrictionOption.PREMISES_BARRED,
                    barred_premises="Fishponds community hub",
                ),
            ],
        )
        loader.add(
            Appeal(
                reference="AP-DEMO01",
                customer=marek,
                restriction=restriction,
                grounds="I was upset about my boiler. I apologised the next day.",
                submitted_by_id=marek.user_id,
                submitted_at=loader.days_ago(5),
                # As the service sets it (portal.challenges.services): the page says it.
                due_on=add_working_days(today - dt.timedelta(days=5), 10),
                status=ChallengeStatus.RECEIVED,
            )
        )


def sian_story(loader, sian, officer, users, today) -> None:
    # Siân: an advocate, and a restriction proposed but not yet approved.
    case, new = loader.case(
        case_reference(2026, 3),
        customer=sian,
        opened_by_id=officer.id,
        case_officer_id=users["sam.patel@example.com"].id,
        opened_at=loader.days_ago(30),
        summary="Repeated demands at the office.",
    )
    if new:
        incident = loader.incident(
            case,
            25,
            ContactChannel.IN_PERSON,
            [BehaviourType.UNREASONABLE_DEMANDS],
            "Insisted on seeing the director without an appointment.",
            officer,
        )
        loader.add(
            InformalStep(
                case=case,
                kind=InformalStepKind.SUPPORT_REFERRAL,
                taken_on=today - dt.timedelta(days=20),
                taken_by_id=officer.id,
                description="Referred to the tenancy sustainment team.",
                outcome="Support worker now involved.",
                support_organisation="Tenancy Sustainment Team",
            )
        )
        needs = loader.needs(
            case,
            officer,
            "Deaf; uses email and text relay. Support worker involved.",
            advocate_considered=True,
            advocate_notes="Priya Shah acts for Siân.",
            adjustments_made="No telephone-only option; email is the channel.",
        )
        loader.restriction(
            case,
            starts_on=today + dt.timedelta(days=3),
            frequency=ReviewFrequency.QUARTERLY,
            status=RestrictionStatus.PROPOSED,
            proposer=officer,
            approver=None,
            needs=needs,
            incidents=[incident],
            reason="Repeated demands at our office without an appointment.",
            measures=[
                RestrictionMeasure(
                    option=RestrictionOption.SINGLE_CHANNEL, permitted_channel=ContactChannel.EMAIL
                )
            ],
        )


def sian_advocate(loader, sian, officer, users, today) -> None:
    """Priya Shah, support worker, recorded by the officer with the signed consent (s6.1)."""
    if not db.session.scalar(
        select(AdvocateAuthority).where(AdvocateAuthority.customer_id == sian.id)
    ):
        loader.add(
            AdvocateAuthority(
                customer=sian,
                advocate_user=users["priya.shah@example.com"],
                advocate_name="Priya Shah",
                advocate_email="priya.shah@example.com",
                relationship_to_customer=AdvocateRelationship.SUPPORT_WORKER,
                can_view=True,
                can_act=True,
                receives_letter_copies=True,
                expires_on=add_months(today, 12),
                recorded_by_id=officer.id,
                consent_evidence="Signed consent form, scanned to the file.",
            )
        )


def _issue_demo_letter(loader, reference, customer, case, restriction, officer) -> None:
    """The restriction notice, drafted and issued through the real letter service, so the
    demo customer reads (and downloads) a complete, frozen letter."""
    from portal.letters import services as letters

    if db.session.scalar(select(Letter).where(Letter.restriction_id == restriction.id)):
        return
    db.session.flush()
    possible = letters.PossibleLetter(
        LetterKind.RESTRICTION_NOTICE, "restriction", restriction.id, reference
    )
    draft = letters.draft_letter(case, possible, created_by=officer, now=loader.now)
    letters.issue_letter(
        draft,
        issued_by=officer,
        locale=letters.default_locale(customer),
        needs_post=False,
        now=loader.now,
        today=loader.now.date(),
    )
