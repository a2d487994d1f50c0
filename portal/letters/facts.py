"""The data a letter states, gathered from the case when the letter is drafted and again
when it is issued (then frozen with the wording). Language-neutral: dates as ISO strings,
vocabulary as values; the wording module turns them into sentences in any locale."""

import datetime as dt

from flask import current_app
from sqlalchemy import select

from portal import reach_us
from portal.clock import day_of
from portal.contact_details import ombudsman
from portal.extensions import db
from portal.models import Letter, Restriction, User, UserRole
from portal.models.vocab import LetterKind, RestrictionOption, Role
from portal.policy import versions


def ombudsman_facts() -> dict:
    """The Housing Ombudsman's details (s3.4), from configuration, frozen into the letter."""
    details = ombudsman()
    return {
        "form": details.form_url,
        "email": details.email,
        "phone": details.phone,
        "post": details.postal_address,
    }


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        value = day_of(value)
    return value.isoformat()


def _time(value: dt.time | None) -> str | None:
    return value.strftime("%H:%M") if value else None


def appeals_director_name() -> str | None:
    """The person appeals go to (s3.4: the Service Director, Customer Operations)."""
    return db.session.scalar(
        select(User.display_name)
        .join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == Role.APPEALS_DIRECTOR, User.is_enabled.is_(True))
        .order_by(User.id)
        .limit(1)
    )


def _signatory_role(user: User) -> str:
    for role in (Role.APPEALS_DIRECTOR, Role.REVIEW_MANAGER, Role.CASE_OFFICER):
        if user.has_role(role):
            return role.value
    return Role.CASE_OFFICER.value


def measure_facts(measure) -> dict:
    spoc = measure.single_point_of_contact
    return {
        "option": measure.option.value,
        "permitted_channel": measure.permitted_channel.value if measure.permitted_channel else None,
        "permitted_weekdays": measure.permitted_weekdays,
        "permitted_from": _time(measure.permitted_from),
        "permitted_until": _time(measure.permitted_until),
        "contact_limit": measure.contact_limit,
        "limit_period": measure.limit_period.value if measure.limit_period else None,
        "single_point_of_contact_name": spoc.display_name if spoc else None,
        "declined_complaint_reference": measure.declined_complaint_reference,
        "declined_complaint_reason": measure.declined_complaint_reason,
        "barred_premises": measure.barred_premises,
        "advocate_offered_on": _iso(measure.advocate_offered_on),
    }


def restriction_facts(restriction: Restriction) -> dict:
    incidents = restriction.incidents or restriction.case.incidents
    spoc_names = [
        m.single_point_of_contact.display_name
        for m in restriction.measures
        if m.option == RestrictionOption.SINGLE_POINT_OF_CONTACT and m.single_point_of_contact
    ]
    officer = restriction.case.case_officer
    return {
        "restriction_id": restriction.id,
        "measures": [
            measure_facts(m)
            for m in sorted(
                restriction.measures, key=lambda m: list(RestrictionOption).index(m.option)
            )
        ],
        "behaviours": [
            {"on": _iso(i.occurred_at), "types": sorted(b.value for b in i.behaviours)}
            for i in sorted(incidents, key=lambda i: i.occurred_at)
        ],
        "reason": restriction.reason,
        "starts_on": _iso(restriction.starts_on),
        "ends_on": _iso(restriction.ends_on),
        "next_review_on": _iso(restriction.next_review_on),
        "review_frequency": restriction.review_frequency.value,
        "contact_name": spoc_names[0]
        if spoc_names
        else (officer.display_name if officer else None),
    }


def _challenge_subject(challenge) -> str:
    return "complaint_refusal" if challenge.complaint_refusal_id else "restriction"


def policy_version_facts(today: dt.date) -> dict | None:
    """The policy version the letter is written under (issue 17), frozen with the letter."""
    version = versions.in_force_on(today)
    if version is None:
        return None
    return {"number": version.number, "in_force_from": _iso(version.in_force_from)}


def gather(letter: Letter, *, signatory: User, today: dt.date) -> dict:
    customer = letter.customer
    officer = letter.case.case_officer if letter.case else None
    facts: dict = {
        "kind": letter.kind.value,
        "landlord": current_app.config["LANDLORD_NAME"],
        "letter_date": today.isoformat(),
        "customer_name": customer.full_name,
        "address": [part.strip() for part in customer.address.split(",") if part.strip()]
        + [customer.postcode],
        "customer_reference": customer.reference,
        "case_reference": letter.case.reference if letter.case else None,
        "signatory_name": signatory.display_name,
        "signatory_role": _signatory_role(signatory),
        "appeals_director_name": appeals_director_name(),
        "ombudsman": ombudsman_facts(),
        "contact_name": officer.display_name if officer else None,
        "policy_version": policy_version_facts(today),
    }
    kind = letter.kind
    if kind == LetterKind.INFORMAL_WARNING:
        step = letter.informal_step
        facts |= {
            "step_on": _iso(step.taken_on),
            "step_kind": step.kind.value,
            "step_description": step.description or step.outcome,
        }
    elif kind == LetterKind.RESTRICTION_NOTICE:
        facts |= restriction_facts(letter.restriction)
    elif kind == LetterKind.REVIEW_OUTCOME:
        review = letter.review
        restriction = review.restriction
        facts |= {
            "restriction_id": restriction.id,
            "held_on": _iso(review.held_on),
            "behaviour_improved": review.behaviour_improved,
            "outcome": review.outcome.value if review.outcome else None,
            "explanation": review.explanation,
            "ends_on": _iso(review.new_ends_on or restriction.ends_on),
            "next_review_on": _iso(restriction.next_review_on),
        }
    elif kind == LetterKind.RESTRICTION_ENDED:
        restriction = letter.restriction
        facts |= {
            "restriction_id": restriction.id,
            "starts_on": _iso(restriction.starts_on),
            "ended_on": _iso(restriction.ended_at),
            "end_status": restriction.status.value,
        }
    elif kind in (LetterKind.APPEAL_ACKNOWLEDGEMENT, LetterKind.APPEAL_DECISION):
        appeal = letter.appeal
        facts |= {
            "appeal_reference": appeal.reference,
            "received_on": _iso(appeal.submitted_at),
            "subject": _challenge_subject(appeal),
            "decision_due_on": _iso(appeal.due_on),
            "decision": appeal.decision.value if appeal.decision else None,
            "decision_reasons": appeal.decision_reasons,
            "decided_on": _iso(appeal.decided_at),
        }
    elif kind in (
        LetterKind.RECONSIDERATION_ACKNOWLEDGEMENT,
        LetterKind.RECONSIDERATION_DECISION,
    ):
        request = letter.reconsideration
        facts |= {
            "request_reference": request.reference,
            "received_on": _iso(request.submitted_at),
            "subject": _challenge_subject(request),
            "ground": request.ground.value,
            "answer_due_on": _iso(request.answer_due_on),
            "decision": request.decision.value if request.decision else None,
            "decision_reasons": request.decision_reasons,
            "decided_on": _iso(request.decided_at),
        }
    elif kind == LetterKind.COMPLAINT_REFUSAL:
        refusal = letter.complaint_refusal
        facts |= {
            "complaint_reference": refusal.complaint_reference,
            "complaint_reason": refusal.reason,
            "decided_on": _iso(refusal.decided_on),
        }
    facts["reach"] = _reach(letter, today)
    return facts


def _reach(letter: Letter, today: dt.date) -> dict:
    """Issue 15: how the customer may and can reach us, frozen with the letter: a restriction
    notice under the restriction it announces (which may start later), any other letter
    under the restrictions in force today; either way less what their needs rule out."""
    restrictions = None
    if letter.kind == LetterKind.RESTRICTION_NOTICE and letter.restriction is not None:
        restrictions = [letter.restriction]
    return reach_us.ways_for_customer(letter.customer, today, restrictions=restrictions).as_facts()
