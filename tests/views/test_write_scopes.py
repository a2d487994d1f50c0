"""Issue 14 item 1: seeing a customer's record is not acting for them (s6.1). Every route an
advocate can POST to is listed here as either a write for a customer or not; each write for
a customer is tried by a view-only advocate (refused, nothing changed) and by an advocate
with the act scope (done)."""

import datetime as dt
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from portal.clock import today
from portal.customer_side.services import Needs
from portal.extensions import db
from portal.letters import services as letters
from portal.models import AdvocateAuthority, Appeal, AuditEvent, ChallengeDraft, Customer
from portal.models.types import utcnow
from portal.models.vocab import AdvocateRelationship, LetterFormat, Role
from portal.security import rule_for_endpoint
from tests.factories import make_user
from tests.figures import tally
from tests.helpers import check_page, csrf_token, parse, sign_in, url
from tests.letter_fixtures import make_notice_world

# Writes made for a customer: each must ask portal.authority for the act scope.
FOR_A_CUSTOMER = {
    "letters.remember_choice",
    "advocate.customer_needs",
    "challenges.start",
    "challenges.step",
    "challenges.send",
}
# What else an advocate can POST to: their own account and session, or public pages
# (accepting their own invitation). None of these writes a customer's record.
NOT_FOR_A_CUSTOMER = {
    "account.change_email",
    "account.confirm_email",
    "account.change_password",
    "account.second_factor",
    "account.new_recovery_codes",
    "account.turn_off_second_factor",
    "account.sign_out_other_devices",
    "advocate.invitation",
    "auth.ask_for_invitation",
    "auth.colleague_invitation",
    "auth.customer_invitation",
    "auth.extend_session",
    "auth.forgot_password",
    "auth.reset_password",
    "auth.save_language",
    "auth.second_factor",
    "auth.sign_in",
    "auth.sign_out",
    "public.policy_feedback",  # feedback on the policy, the advocate's own, for no customer
}


class AdvocateOnly:
    """A signed-in person holding only the advocate role, for the declared rules."""

    is_authenticated = True

    def has_role(self, *roles):
        return Role.ADVOCATE in roles


def test_every_post_route_an_advocate_can_reach_is_listed(app):
    reachable = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if "POST" in rule.methods
        and (declared := rule_for_endpoint(rule.endpoint)) is not None
        and declared.allows(AdvocateOnly())
    }
    assert not FOR_A_CUSTOMER & NOT_FOR_A_CUSTOMER
    # A new route must be put in one list (and a write for a customer tested below); a
    # route that is gone must leave its list.
    assert reachable == FOR_A_CUSTOMER | NOT_FOR_A_CUSTOMER


@dataclass
class World:
    customer: Customer
    restriction_id: int
    letter_id: int
    viewer: object  # an advocate who may see the customer's record
    actor: object  # an advocate who may also act for them


def _authority(customer, advocate, *, can_act):
    db.session.add(
        AdvocateAuthority(
            customer_id=customer.id,
            advocate_user_id=advocate.id,
            advocate_name=advocate.display_name,
            advocate_email=advocate.email,
            relationship_to_customer=AdvocateRelationship.SUPPORT_WORKER,
            can_view=True,
            can_act=can_act,
            granted_at=utcnow(),
        )
    )


def _issued_notice(case, officer):
    possible = letters.possible_letters(case)[0]
    letter = letters.draft_letter(case, possible, created_by=officer, now=utcnow())
    letters.issue_letter(
        letter, issued_by=officer, locale="en", needs_post=False, now=utcnow(), today=today()
    )
    return letter


@pytest.fixture
def world(app):
    case, restriction, officer, customer = make_notice_world()
    with app.test_request_context():
        letter = _issued_notice(case, officer)
    viewer = make_user(Role.ADVOCATE, display_name="Vic Viewer")
    actor = make_user(Role.ADVOCATE, display_name="Ada Actor")
    _authority(customer, viewer, can_act=False)
    _authority(customer, actor, can_act=True)
    db.session.commit()
    return World(customer, restriction.id, letter.id, viewer, actor)


def _draft(world, author, *, kind="appeal", data=None) -> int:
    """A draft written by ``author`` (the view-only advocate's, as left from a time they
    could act, or made by hand: the route must still refuse them)."""
    draft = ChallengeDraft(
        kind=kind,
        customer_id=world.customer.id,
        author_id=author.id,
        restriction_id=world.restriction_id,
        data=data or {"reasons": "The calls were about a leak that is now fixed."},
        created_at=utcnow(),
        updated_at=utcnow(),
    )
    db.session.add(draft)
    db.session.commit()
    return draft.id


def snapshot(world) -> dict:
    """Everything a write for the customer could change, read fresh from the database."""
    db.session.expire_all()
    customer = db.session.get(Customer, world.customer.id)
    return {
        "needs": Needs.of(customer),
        "needs_updated_at": customer.needs_updated_at,
        "drafts": list(
            db.session.execute(
                select(ChallengeDraft.id, ChallengeDraft.data, ChallengeDraft.updated_at)
            )
        ),
        "appeals": list(db.session.scalars(select(Appeal.id))),
        # What was done for whom; a refusal is recorded as authz_fail, nothing else.
        "events": list(
            db.session.scalars(
                select(AuditEvent.action).where(
                    AuditEvent.customer_id == world.customer.id,
                    AuditEvent.action != "authz_fail",
                )
            )
        ),
    }


def _remember_choice(client, world, token):
    return client.post(
        url("letters.remember_choice", letter_id=world.letter_id),
        data={"csrf_token": token, "locale": "ar", "letter_format": "large-print"},
    )


def _customer_needs(client, world, token):
    return client.post(
        url("advocate.customer_needs", customer_id=world.customer.id),
        data={
            "csrf_token": token,
            "locale": "cy",
            "letter_format": "pdf",
            "support_needs": "Needs someone with them at meetings.",
            "version": "",
        },
    )


def _start(client, world, token):
    return client.post(
        url(
            "challenges.start",
            kind="appeal",
            target_type="restriction",
            target_id=world.restriction_id,
        ),
        data={"csrf_token": token},
    )


def _step(client, world, token, draft_id):
    return client.post(
        url("challenges.step", draft_id=draft_id, step="reasons"),
        data={"csrf_token": token, "reasons": "Changed by the advocate.", "submit": "Save"},
    )


def _send(client, world, token, draft_id):
    return client.post(url("challenges.send", draft_id=draft_id), data={"csrf_token": token})


def _did_remember_choice(before, after):
    return after["needs"].locale == "ar" and after["needs"].letter_format == (
        LetterFormat.LARGE_PRINT
    )


def _did_save_needs(before, after):
    return after["needs"].support_needs == "Needs someone with them at meetings."


def _did_start(before, after):
    return len(after["drafts"]) == len(before["drafts"]) + 1


def _did_step(before, after):
    return any(row.data.get("reasons") == "Changed by the advocate." for row in after["drafts"])


def _did_send(before, after):
    return len(after["appeals"]) == len(before["appeals"]) + 1


# endpoint -> (the request, whether it needs the advocate's own draft, proof it was done)
WRITES = {
    "letters.remember_choice": (_remember_choice, False, _did_remember_choice),
    "advocate.customer_needs": (_customer_needs, False, _did_save_needs),
    "challenges.start": (_start, False, _did_start),
    "challenges.step": (_step, True, _did_step),
    "challenges.send": (_send, True, _did_send),
}


def test_every_write_for_a_customer_is_tried_here():
    assert set(WRITES) == FOR_A_CUSTOMER


def _attempt(app, world, endpoint, advocate):
    request, needs_draft, _done = WRITES[endpoint]
    client = app.test_client()
    sign_in(client, advocate.email)
    token = csrf_token(client, url("public.start"))
    extra = (_draft(world, advocate),) if needs_draft else ()
    before = snapshot(world)
    response = request(client, world, token, *extra)
    return response, before, snapshot(world)


@pytest.mark.parametrize("endpoint", sorted(FOR_A_CUSTOMER))
def test_a_view_only_advocate_is_refused_and_nothing_changes(app, world, endpoint):
    response, before, after = _attempt(app, world, endpoint, world.viewer)
    assert response.status_code in {403, 404}, response.get_data(as_text=True)[:500]
    assert after == before
    tally("3 IDOR", "writes for a customer tried with a view-only authority", 1)
    tally("3 IDOR", "leaks or changes", 0)


@pytest.mark.parametrize("endpoint", sorted(FOR_A_CUSTOMER))
def test_an_advocate_who_may_act_does_it(app, world, endpoint):
    response, before, after = _attempt(app, world, endpoint, world.actor)
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    assert WRITES[endpoint][2](before, after)
    assert after != before


def test_a_refusal_is_audited_as_a_failed_authorisation(app, world):
    response, _before, _after = _attempt(app, world, "letters.remember_choice", world.viewer)
    assert response.status_code == 403
    refused = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "authz_fail")).all()
    assert [(e.actor_user_id, e.customer_id) for e in refused] == [
        (world.viewer.id, world.customer.id)
    ]


def test_the_letter_page_offers_the_choice_only_to_who_may_make_it(app, world):
    shown = {}
    for person in (world.viewer, world.actor, world.customer.user):
        client = app.test_client()
        sign_in(client, person.email)
        page = client.get(url("letters.show", letter_id=world.letter_id))
        assert page.status_code == 200
        check_page(page.get_data(as_text=True))
        choice = url("letters.remember_choice", letter_id=world.letter_id)
        shown[person.id] = bool(parse(page).cssselect(f'form[action="{choice}"]'))
    assert shown == {world.viewer.id: False, world.actor.id: True, world.customer.user.id: True}


def test_the_needs_service_itself_refuses_a_view_only_advocate(app, world):
    """The rule lives in the service, not only on the route (s6.1)."""
    from portal.authority import NotAuthorisedToAct
    from portal.customer_side.services import update_needs

    customer = db.session.get(Customer, world.customer.id)
    wanted = Needs.of(customer)
    wanted.support_needs = "Written by someone who may only look."
    with pytest.raises(NotAuthorisedToAct):
        update_needs(
            customer,
            wanted,
            actor=world.viewer,
            now=utcnow(),
            today=today(),
            seen_version="",
        )
    with pytest.raises(NotAuthorisedToAct):
        letters.remember_choice(
            customer,
            locale="ar",
            letter_format=LetterFormat.PDF,
            actor=world.viewer,
            today=today(),
        )
    db.session.rollback()
    assert db.session.get(Customer, world.customer.id).support_needs == ""


def test_an_expired_act_scope_acts_for_no_one(app, world):
    authority = db.session.scalar(
        select(AdvocateAuthority).where(AdvocateAuthority.advocate_user_id == world.actor.id)
    )
    authority.expires_on = today() - dt.timedelta(days=1)
    db.session.commit()
    response, before, after = _attempt(app, world, "letters.remember_choice", world.actor)
    assert response.status_code == 404  # cannot even read the letter any more
    assert after == before
