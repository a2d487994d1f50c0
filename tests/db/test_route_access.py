"""Every route declares who may use it, and each role gets exactly what it declares.

SECURITY.md §2: the rule is on every endpoint (fail closed without one), and a matrix of
endpoint × role proves the result (allowed → 200/30x, not allowed → 403 or sign-in).
"""

import re

import pytest
from flask import Blueprint

from portal import clock
from portal.models.vocab import Role
from portal.security import ENDPOINT_RULES, rule_for_endpoint
from tests import access_matrix
from tests.access_matrix import EXPECTED_ACCESS, expected_to_allow
from tests.factories import make_user
from tests.figures import tally
from tests.helpers import assert_security_headers, sign_in, url

# Everyone the portal can meet: nobody, each role, and a person with no role at all.
PERSONAS = ["anonymous", "no-role", *[role.value for role in Role]]


def persona_client(app, persona):
    """A client signed in as the persona, and its user (None when anonymous)."""
    client, user = app.test_client(), None
    if persona != "anonymous":
        roles = [] if persona == "no-role" else [Role(persona)]
        user = make_user(*roles)
        sign_in(client, user.email)
    return client, user


def test_every_endpoint_declares_an_access_rule(app):
    missing = [
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule_for_endpoint(rule.endpoint) is None
    ]
    assert missing == []


def test_every_declared_rule_is_the_one_the_table_expects(app):
    """tests/access_matrix.py is the one table of expected answers; the code's ``@access``
    rules must say the same, endpoint by endpoint (a new or widened rule fails here)."""
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints == set(EXPECTED_ACCESS), "add each new endpoint to tests/access_matrix.py"
    different = {}
    for endpoint in endpoints:
        rule = rule_for_endpoint(endpoint)
        declared = (
            access_matrix.PUBLIC
            if rule.public
            else access_matrix.SIGNED_IN
            if not rule.roles
            else set(rule.roles)
        )
        if declared != EXPECTED_ACCESS[endpoint]:
            different[endpoint] = (declared, EXPECTED_ACCESS[endpoint])
    assert different == {}
    public = sorted(e for e, who in EXPECTED_ACCESS.items() if who == access_matrix.PUBLIC)
    tally("1 route coverage", "endpoints with a declared rule", len(endpoints))
    tally("1 route coverage", "on the public allowlist", len(public))


def test_the_registry_lists_no_endpoint_that_does_not_exist(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert set(ENDPOINT_RULES) <= endpoints


def test_urls_are_kebab_case(app):
    for rule in app.url_map.iter_rules():
        path = re.sub(r"<[^>]+>", "", rule.rule)
        assert re.fullmatch(r"[a-z0-9/.\-]*", path), rule.rule


def test_a_route_without_a_declaration_is_refused(app):
    """Fail closed: forgetting ``@access`` locks a page rather than opening it."""
    undeclared = Blueprint("undeclared", __name__)
    undeclared.add_url_rule("/undeclared", "page", lambda: "secret")
    app.register_blueprint(undeclared)
    assert app.test_client().get(url("undeclared.page")).status_code == 403


def _get_routes(app):
    return sorted(
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and not rule.arguments and rule.endpoint != "static"
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_gets_what_each_route_declares(app, persona):
    client, user = persona_client(app, persona)
    checked = 0
    for endpoint in _get_routes(app):
        response = client.get(url(endpoint))
        assert_security_headers(response)
        allowed = expected_to_allow(endpoint, user)
        if allowed:
            assert response.status_code in {200, 202, 302, 303}, (endpoint, response.status_code)
        elif persona == "anonymous":
            assert response.status_code == 302, endpoint
            assert response.headers["Location"].startswith(url("auth.sign_in") + "?next=")
        else:
            assert response.status_code == 403, (endpoint, response.status_code)
        checked += 1
    assert checked >= 12
    tally("2 authorisation matrix", "requests (GET pages, 11 personas)", checked)
    tally("7 headers", "responses with CSP, HSTS, nosniff, Referrer-Policy", checked)
    tally("2 authorisation matrix", "unexpected allows", 0)


def test_post_only_routes_refuse_the_wrong_people(app):
    anonymous = app.test_client()
    response = anonymous.post(url("auth.sign_out"))
    # No session and no CSRF token: refused either way, never a 500.
    assert response.status_code in {302, 400}


def test_htmx_requests_from_signed_out_people_get_a_full_page_redirect(app):
    response = app.test_client().get(url("my.home"), headers={"HX-Request": "true"})
    assert response.status_code == 401
    back_here = f"{url('auth.sign_in')}?next={url('my.home')}"
    assert response.headers["HX-Redirect"].startswith(back_here)


def test_a_refused_signed_in_request_is_audited(app):
    from sqlalchemy import select

    from portal.extensions import db
    from portal.models import AuditEvent

    client, _user = persona_client(app, Role.CUSTOMER.value)
    assert client.get(url("staff.accounts")).status_code == 403
    event = db.session.scalar(select(AuditEvent).order_by(AuditEvent.id.desc()))
    assert event.action == "authz_fail"
    assert event.details == {"endpoint": "staff.accounts"}


# Values for path arguments that are not ids (an id of 1 exists in the seeded world below).
ARGUMENT_VALUES = {
    "format": "html",
    "fmt": "html",
    "locale": "en",
    "token": "x" * 43,
    "kind": "appeal",
    "target_type": "restriction",
    "step": "reasons",
}


def _url(rule):
    values = {name: ARGUMENT_VALUES.get(name, 1) for name in rule.arguments}
    return url(rule.endpoint, **values)


def _seed_one_of_everything():
    """A case with a restriction, a referral and the rest, so that id 1 exists for most
    path arguments and an allowed persona reaches real pages, not only 404s."""
    from portal.cases import services
    from portal.models.types import utcnow
    from portal.models.vocab import BehaviourType, ContactChannel
    from tests.factories import make_active_restriction, make_customer, make_ready_case

    officer, manager = make_user(Role.CASE_OFFICER), make_user(Role.REVIEW_MANAGER)
    case = make_ready_case(make_customer(), officer)
    make_active_restriction(case, officer, manager, starts_on=clock.today())
    services.log_incident(
        case,
        occurred_at=utcnow(),
        channel=ContactChannel.TELEPHONE,
        behaviours=[BehaviourType.VERBAL_ABUSE_OR_VIOLENCE],
        description="Threats.",
        reported_by="Call handler",
        logged_by=officer,
        now=utcnow(),
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_route_with_arguments_and_every_method_refuses_the_wrong_people(app, persona):
    """The matrix above covers GET pages without arguments; this walks the rest — every
    path with ids in it and every POST — and checks the refusals, which come before any
    lookup, form or CSRF check (so a refused person learns nothing about what exists)."""
    _seed_one_of_everything()
    client, user = persona_client(app, persona)
    checked = 0
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or not (rule.arguments or "POST" in rule.methods):
            continue
        allowed = expected_to_allow(rule.endpoint, user)
        rule_url = _url(rule)
        for method in sorted(rule.methods & {"GET", "POST"}):
            response = client.open(rule_url, method=method)
            assert_security_headers(response)
            if allowed:
                # Reached: a page (or a file being made), a redirect, a not-found id or a
                # refused form — never a refusal of the person and never a server error.
                assert response.status_code in {200, 202, 302, 303, 400, 404}, (
                    rule.endpoint,
                    method,
                    response.status_code,
                )
            elif persona == "anonymous":
                assert response.status_code in {302, 401}, (rule.endpoint, method)
            else:
                assert response.status_code == 403, (rule.endpoint, method, response.status_code)
            response.close()
            checked += 1
    assert checked >= 20
    tally("2 authorisation matrix", "requests (ids in path, every method)", checked)
    tally("7 headers", "responses with CSP, HSTS, nosniff, Referrer-Policy", checked)


# Issue 8: reports for leadership, review managers and appeals directors; the evidence pack
# (names, quotes from the case) only for review managers and appeals directors.
REPORT_READERS = frozenset({Role.LEADERSHIP, Role.REVIEW_MANAGER, Role.APPEALS_DIRECTOR})
PACK_MAKERS = frozenset({Role.REVIEW_MANAGER, Role.APPEALS_DIRECTOR})
REPORT_RULES = {
    "staff.reports": REPORT_READERS,
    "reports.annual": REPORT_READERS,
    "reports.annual_csv": REPORT_READERS,
    "reports.annual_xlsx": REPORT_READERS,
    "reports.annual_pdf": REPORT_READERS,
    "reports.annual_work_out_again": REPORT_READERS,
    "reports.equality_work_out_again": REPORT_READERS,
    # Whoever can start a background PDF: the letter writers' print batch too.
    "reports.export_status": REPORT_READERS | {Role.CASE_OFFICER},
    "reports.export_file": REPORT_READERS | {Role.CASE_OFFICER},
    "reports.equality_view": REPORT_READERS,
    "reports.equality_csv": REPORT_READERS,
    "reports.equality_xlsx": REPORT_READERS,
    "reports.evidence_pack_form": PACK_MAKERS,
    "reports.evidence_pack_start": PACK_MAKERS,
}


def test_reports_declare_exactly_their_roles(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert {e for e in endpoints if e.startswith("reports.")} == {
        e for e in REPORT_RULES if e.startswith("reports.")
    }
    for endpoint, roles in REPORT_RULES.items():
        rule = rule_for_endpoint(endpoint)
        assert not rule.public and rule.roles == roles, endpoint


# Issue 13: subject access, legal holds and retention are the data steward's alone; the
# admin (accounts, no case content) does not get in.
GDPR_RULES = {
    "gdpr.index",
    "gdpr.customer",
    "gdpr.new_subject_access",
    "gdpr.download_subject_access",
    "gdpr.place_hold",
    "gdpr.lift_hold",
}


def test_data_protection_is_for_data_stewards_only(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert {e for e in endpoints if e.startswith("gdpr.")} == GDPR_RULES
    for endpoint in GDPR_RULES:
        rule = rule_for_endpoint(endpoint)
        assert not rule.public and rule.roles == frozenset({Role.DATA_STEWARD}), endpoint
