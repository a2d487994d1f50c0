"""Hypothesis fuzzes every form with hostile input, on SQLite and PostgreSQL: NULs, other
control characters, direction overrides, very long and unusual text, wrong choices and
missing fields. Every answer is below 500, and afterwards no text column holds a control
character or more than its declared length (issue 14; SECURITY.md §1 row 25, §8 figure 5).

Each form's fields are read from the page that shows it, as a browser would, so a field
added to a form is fuzzed without editing this file. A POST route missing from ROUTES and
from NOT_FUZZED fails :func:`test_every_post_route_is_fuzzed_or_excused`.
"""

import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html
from werkzeug.datastructures import MultiDict

from portal import clock
from portal.extensions import db
from portal.models import AdvocateAuthority, ChallengeDraft, User
from portal.models.vocab import AdvocateRelationship, Role
from tests.conftest import make_test_app
from tests.factories import make_user
from tests.figures import tally
from tests.helpers import csrf_token, sign_in
from tests.letter_fixtures import make_notice_world

# FORM_FUZZ_SCALE=0.1 for a quick run while changing this file; 1 by default.
SCALE = float(os.environ.get("FORM_FUZZ_SCALE", "1"))
# Each form gets half its examples on SQLite, and PostgreSQL runs the first half of those
# again (derandomised, so the same ones): it is there for what SQLite cannot show (NULs
# refused by the driver, lengths the column type enforces, a failed statement aborting the
# transaction), which the hostile strategy reaches early. The full count on both doubled
# the longest part of the test run; sessions of full runs found nothing the half misses.
SHARE = {"sqlite": 0.5, "postgresql": 0.25}
# Cheap password hashes: the fuzz measures the forms, not argon2 (which has its own tests).
FAST_HASHES = {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}


@dataclass(frozen=True)
class Route:
    endpoint: str
    role: str  # which signed-in client posts: a key of World.clients
    url: Callable  # world -> the URL to post to
    page: Callable | None = None  # world -> the page that shows the form (default: url)
    # world -> the action of the page's form whose fields are sent (default: url); for a
    # button that posts the same form elsewhere (formaction).
    form_of: Callable | None = None
    examples: int = 60


def _first(model, *where):
    found = db.session.scalar(sa.select(model.id).where(*where).order_by(model.id.desc()))
    return found or 0


def _letter(world) -> int:
    return world.ids["letter"]


def _draft(world) -> int:
    return _first(ChallengeDraft, ChallengeDraft.author_id == world.ids["customer_user"])


ROUTES = [
    # Anyone
    Route("auth.sign_in", "anonymous", lambda w: "/sign-in", examples=100),
    Route("auth.forgot_password", "anonymous", lambda w: "/forgot-password", examples=60),
    Route("auth.ask_for_invitation", "anonymous", lambda w: "/ask-for-an-invitation"),
    # Every signed-in person
    Route("account.change_email", "customer", lambda w: "/account/email"),
    Route("account.change_password", "customer", lambda w: "/account/password"),
    Route("auth.extend_session", "customer", lambda w: "/session/extend", page=lambda w: "/my/"),
    # The customer
    Route("my.needs", "customer", lambda w: "/my/needs", examples=100),
    Route("my.nominate", "customer", lambda w: "/my/advocates/new", examples=100),
    Route(
        "challenges.start",
        "customer",
        lambda w: f"/challenges/reconsideration/restriction/{w.ids['restriction']}",
        examples=30,
    ),
    Route(
        "challenges.step",
        "customer",
        lambda w: f"/challenges/drafts/{_draft(w)}/details",
        examples=100,
    ),
    Route(
        "challenges.send",
        "customer",
        lambda w: f"/challenges/drafts/{_draft(w)}/send",
        page=lambda w: f"/challenges/drafts/{_draft(w)}/check",
        examples=30,
    ),
    Route(
        "letters.remember_choice",
        "customer",
        lambda w: f"/letters/{_letter(w)}/choice",
        page=lambda w: f"/letters/{_letter(w)}",
    ),
    # The advocate
    Route(
        "advocate.customer_needs",
        "advocate",
        lambda w: f"/advocate/customers/{w.ids['customer']}/needs",
    ),
    # The case officer
    Route(
        "cases.new_incident",
        "officer",
        lambda w: f"/staff/cases/{w.ids['case']}/incidents/new",
        examples=100,
    ),
    Route(
        "cases.new_informal_step",
        "officer",
        lambda w: f"/staff/cases/{w.ids['case']}/informal-steps/new",
        examples=100,
    ),
    Route(
        "cases.new_needs_consideration",
        "officer",
        lambda w: f"/staff/cases/{w.ids['case']}/needs-considerations/new",
        examples=100,
    ),
    Route(
        "cases.new_terminated_call",
        "officer",
        lambda w: f"/staff/cases/{w.ids['case']}/terminated-calls/new",
        examples=100,
    ),
    Route(
        "cases.new_escalation",
        "officer",
        lambda w: f"/staff/cases/{w.ids['case']}/escalations/new",
        examples=100,
    ),
    Route(
        "cases.new_complaint_refusal",
        "officer",
        lambda w: f"/staff/cases/{w.ids['case']}/complaint-refusals/new",
        examples=100,
    ),
    Route(
        "restrictions.propose",
        "officer",
        lambda w: f"/staff/cases/{w.ids['case']}/restrictions/new",
        examples=100,
    ),
    Route(
        "contacts.log_contact",
        "officer",
        lambda w: f"/staff/customers/{w.ids['customer']}/contacts/new",
        examples=100,
    ),
    Route(
        "contacts.check",
        "officer",
        lambda w: f"/staff/customers/{w.ids['customer']}/contacts/check",
        page=lambda w: f"/staff/customers/{w.ids['customer']}/contacts/new",
        form_of=lambda w: f"/staff/customers/{w.ids['customer']}/contacts/new",
    ),
    Route(
        "customer_records.record_advocate",
        "officer",
        lambda w: f"/staff/customers/{w.ids['customer']}/advocates/new",
        examples=100,
    ),
    Route("customer_records.search", "officer", lambda w: "/staff/customers", examples=50),
    Route(
        "letters.new",
        "officer",
        lambda w: f"/staff/cases/{w.ids['case']}/letters/new",
    ),
    Route(
        "letters.mark_posted",
        "officer",
        lambda w: "/staff/letters/post/mark-posted",
        page=lambda w: "/staff/letters/post",
    ),
    # The review manager and the appeals director
    Route(
        "restrictions.review",
        "manager",
        lambda w: f"/staff/restrictions/{w.ids['restriction']}/review",
        examples=100,
    ),
    Route(
        "challenges.decide_appeal",
        "director",
        lambda w: f"/staff/appeals/{w.ids['appeal']}/decide",
        examples=100,
    ),
    # The administrator and the data steward
    Route("admin.invite", "admin", lambda w: "/staff/accounts/new", examples=100),
    Route(
        "admin.account",
        "admin",
        lambda w: f"/staff/accounts/{w.ids['colleague']}",
    ),
    Route("public.policy_feedback", "customer", lambda w: "/the-policy/feedback"),
    Route(
        "policy.edit",
        "admin",
        lambda w: f"/staff/policy/{w.ids['policy_draft']}/edit",
        examples=40,
    ),
    Route(
        "policy.related_documents",
        "admin",
        lambda w: "/staff/policy/related-documents",
        examples=20,
    ),
    Route("gdpr.index", "steward", lambda w: "/staff/data-protection"),
    Route(
        "gdpr.place_hold",
        "steward",
        lambda w: f"/staff/data-protection/customers/{w.ids['customer']}/holds",
        page=lambda w: f"/staff/data-protection/customers/{w.ids['customer']}",
        examples=100,
    ),
    Route(
        "customer_imports.add_customer",
        "steward",
        lambda w: "/staff/data-protection/customers/new",
        examples=100,
    ),
    Route(
        "customer_imports.correct_customer",
        "steward",
        lambda w: f"/staff/data-protection/customers/{w.ids['customer']}/details",
        examples=100,
    ),
]

# POST routes not fuzzed here, each with the reason.
NOT_FUZZED = {
    "auth.sign_out": "no fields; it would end the fuzzing client's session",
    "account.sign_out_other_devices": "no fields beyond the current password",
    "account.second_factor": "a six-digit code (numbers only, refused otherwise)",
    "account.new_recovery_codes": "a password and a code, as account.change_password",
    "account.turn_off_second_factor": "a password and a code, as account.change_password",
    "account.confirm_email": "a one-time link: a guessed token is refused before the form",
    "advocate.invitation": "a one-time link: a guessed token is refused before the form",
    "auth.customer_invitation": "a one-time link; its password form is account.change_password's",
    "auth.colleague_invitation": "a one-time link; its password form is account.change_password's",
    "auth.reset_password": "a one-time link; its password form is account.change_password's",
    "auth.second_factor": "only after a password; a six-digit code",
    "my.revoke": "a confirm button only",
    "my.change_advocate_scope": "two checkboxes from a fixed list (test_advocate_stop_confirm.py)",
    "cases.open_case": "a confirm button only, shown while the customer has no open case",
    "admin.disable": "a confirm button only",
    "admin.enable": "a confirm button only",
    "admin.reset_second_factor": "a confirm button only",
    "admin.unlock": "a confirm button only",
    "auth.save_language": "a language code from a fixed list (test_language_saving.py)",
    "restrictions.approve": "a confirm button only",
    "restrictions.reject": "one reason text area, the same form as restrictions.review's",
    "staff.accept_referral": "a confirm button only",
    "staff.close_referral": "one notes text area, covered by the case forms' text areas",
    "contacts.record_read": "a confirm button only",
    "customer_records.invite_to_portal": "a confirm button only",
    "customer_imports.index": "a file upload (tests/db/test_customer_import.py fuzzes files)",
    "customer_imports.abandon": "a confirm button only",
    "customer_imports.confirm": "a confirm button only",
    "customer_imports.resume": "a confirm button only",
    "gdpr.new_subject_access": "a date only",
    "gdpr.lift_hold": "one reason text area, the same as gdpr.place_hold's",
    "challenges.decide_request": "the same decision form as challenges.decide_appeal",
    "challenges.vary_appeal": "the restriction form of restrictions.propose, with one reasons text",
    "letters.issue": "a confirm button and the letter's version",
    "letters.correct": "a confirm button only (drafts a correction of an issued letter)",
    "reports.annual_pdf": "a reporting period of two dates and a year",
    "reports.annual_work_out_again": "the same reporting period as reports.annual_pdf",
    "reports.equality_work_out_again": "the same reporting period as reports.annual_pdf",
    "policy.new_draft": "a confirm button only",
    "policy.consider_feedback": "one choice from a fixed list and a note, as staff.close_referral",
    "policy.review_pack_pdf": "a confirm button only (queues the PDF)",
    "letters.print_batch": "a confirm button only (queues the PDF)",
    "reports.evidence_pack_start": "one checkbox (staff notes) and a button (queues the PDF)",
    "policy.publish": "a date only, as gdpr.new_subject_access",
}

# Hostile pieces hypothesis mixes into text: every C0 control, DEL and C1 controls,
# direction overrides, a BOM, a surrogate-free astral character, HTML and SQL.
HOSTILE = [chr(c) for c in range(0x20)] + ["\x7f", "\x85", "\x9f"]
HOSTILE += ["\u202a", "\u202b", "\u202d", "\u202e", "\u2066", "\u2067", "\u2069", "\ufeff"]
HOSTILE += ["😀", "ﷺ", "<script>", "'; DROP TABLE users; --", "%00", "\u0301"]

# Any code point but a lone surrogate (what a browser can send). Named rather than st.text()'s
# default, which maps the whole UTF-8 codec first: 12 s per test process, for the same set.
ANY_CHARACTER = st.characters(exclude_categories=("Cs",))

text = st.one_of(
    st.text(ANY_CHARACTER, max_size=40),
    st.lists(st.sampled_from(HOSTILE) | st.text(ANY_CHARACTER, max_size=5), max_size=12).map(
        "".join
    ),
    st.builds(
        lambda piece, n: piece * n,
        st.sampled_from(["x", "é", "\x00", "ab\n"]),
        st.sampled_from([255, 256, 5000, 5001, 12000]),
    ),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "T-100234",
            "2026-12-31",
            "a@example.com",
            "1",
            "-1",
            "99999999999999999999",
        ]
    ),
)


@dataclass
class FormField:
    name: str
    kind: str  # "text", "choice", "choices" (checkboxes), "submit"
    values: tuple = ()


def form_fields(page_html: str, action: str, page_url: str) -> list[FormField]:
    """The fields of the page's POST form that posts to ``action`` (as a browser sends);
    a form without an action posts to its own page."""
    page = lxml_html.fromstring(page_html)
    fields: dict[str, FormField] = {}
    for form in page.cssselect("form"):
        target = form.get("action") or page_url
        if (form.get("method") or "").lower() != "post" or target.split("?")[0] != action:
            continue
        for element in form.cssselect("input, textarea, select, button"):
            _add_field(fields, element)
    fields.pop("csrf_token", None)
    # A field no form has, as a hostile post would add (mass assignment, ASVS 15.3.3).
    fields["status"] = FormField("status", "text")
    return list(fields.values())


def _add_field(fields: dict, element) -> None:
    name, kind = element.get("name"), (element.get("type") or "text").lower()
    if not name or kind == "file":
        return
    if element.tag == "select":
        values = tuple(option.get("value", "") for option in element.cssselect("option"))
        fields[name] = FormField(name, "choice", values)
    elif kind in {"radio", "checkbox"}:
        known = fields.get(name, FormField(name, "choices" if kind == "checkbox" else "choice"))
        fields[name] = FormField(name, known.kind, (*known.values, element.get("value", "y")))
    elif kind == "submit" or element.tag == "button":
        fields[name] = FormField(name, "submit", (element.get("value", ""),))
    else:
        fields[name] = FormField(name, "text", (element.get("value") or "",))


def value_for(field: FormField):
    """Mostly what the page offers, often something hostile, sometimes nothing at all."""
    if field.kind == "submit":
        return st.sampled_from([field.values, ()])
    offered = st.sampled_from(field.values).map(lambda v: (v,)) if field.values else st.just(())
    hostile = text.map(lambda v: (v,))
    if field.kind == "choices":
        several = st.lists(st.sampled_from(field.values) | text, max_size=4).map(tuple)
        return st.one_of(offered, several, hostile, st.just(()))
    if field.kind == "choice":
        return st.one_of(offered, offered, hostile, st.just(()))
    return st.one_of(hostile, hostile, hostile, offered, st.just(()))


class World:
    """One customer's case with an active restriction, an open appeal, and a signed-in
    client for each role."""

    def __init__(self, app):
        case, restriction, officer, customer = make_notice_world()
        users = {
            "customer": customer.user,
            "officer": officer,
            "manager": db.session.scalar(sa.select(User).where(User.display_name == "Ravi Shah")),
            "director": db.session.scalar(
                sa.select(User).where(User.display_name == "Helen Price")
            ),
            "admin": make_user(Role.ADMIN),
            "steward": make_user(Role.DATA_STEWARD),
            "advocate": make_user(Role.ADVOCATE),
        }
        db.session.add(
            AdvocateAuthority(
                customer_id=customer.id,
                advocate_user_id=users["advocate"].id,
                advocate_name="Sam",
                advocate_email=users["advocate"].email,
                relationship_to_customer=AdvocateRelationship.SUPPORT_WORKER,
                can_view=True,
                can_act=True,
            )
        )
        letter_id = self._issue_a_notice(case, officer)
        db.session.commit()
        self.ids = {
            "letter": letter_id,
            "case": case.id,
            "restriction": restriction.id,
            "customer": customer.id,
            "customer_user": customer.user.id,
            "colleague": make_user(Role.CASE_OFFICER).id,
            "policy_draft": self._draft_a_policy_version(users["admin"]),
        }
        self.clients = {"anonymous": app.test_client()}
        for role, user in users.items():
            self.clients[role] = app.test_client()
            sign_in(self.clients[role], user.email)
        self.ids["appeal"] = self._send_an_appeal()
        self.tokens = {
            role: csrf_token(c, "/sign-in" if role == "anonymous" else "/")
            for role, c in self.clients.items()
        }

    @staticmethod
    def _issue_a_notice(case, officer) -> int:
        """An issued letter: the customer's choice of format, and a correction to draft."""

        from portal.letters import services as letters
        from portal.models.types import utcnow
        from portal.models.vocab import LetterKind

        possible = next(
            p for p in letters.possible_letters(case) if p.kind == LetterKind.RESTRICTION_NOTICE
        )
        letter = letters.draft_letter(case, possible, created_by=officer, now=utcnow())
        letters.issue_letter(
            letter,
            issued_by=officer,
            locale="en",
            needs_post=True,
            now=utcnow(),
            today=clock.today(),
        )
        return letter.id

    @staticmethod
    def _draft_a_policy_version(admin) -> int:
        from portal.policy import versions

        return versions.draft_next(created_by=admin, today=clock.today()).id

    def _send_an_appeal(self) -> int:
        from portal.models import Appeal

        client = self.clients["customer"]
        start = f"/challenges/appeal/restriction/{self.ids['restriction']}"
        token = csrf_token(client, start)
        step = client.post(start, data={"csrf_token": token}).headers["Location"]
        check = client.post(step, data={"csrf_token": token, "reasons": "Wrong.", "submit": "Save"})
        evidence = check.headers["Location"]
        client.post(evidence, data={"csrf_token": token, "submit": "Save"})
        draft_id = _draft(self)
        client.post(f"/challenges/drafts/{draft_id}/send", data={"csrf_token": token})
        return _first(Appeal)


def examples_of(route: Route, backend: str) -> int:
    return max(1, int(route.examples * SCALE * SHARE[backend]))


def fuzz_route(world: World, route: Route, examples: int) -> tuple[int, list]:
    """Post ``examples`` hypothesis examples to one form; returns (count, 5xx seen)."""
    client = world.clients[route.role]
    url = route.url(world)
    page_url = (route.page or route.url)(world)
    page = client.get(page_url)
    assert page.status_code == 200, f"{route.endpoint}: {page.status_code} on its page"
    fields = form_fields(page.get_data(as_text=True), (route.form_of or route.url)(world), page_url)
    assert len(fields) > 1, f"{route.endpoint}: no form posting to {url}"
    strategy = st.fixed_dictionaries({f.name: value_for(f) for f in fields})
    seen, failures = [0], []

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def post(values):
        seen[0] += 1
        data = [("csrf_token", world.tokens[route.role])]
        data += [(name, value) for name, chosen in values.items() for value in chosen]
        response = client.post(route.url(world), data=MultiDict(data))
        if response.status_code >= 500:
            failures.append((route.endpoint, values))
        assert response.status_code < 500, (route.endpoint, response.status_code)

    post()
    return seen[0], failures


# Control characters no column may hold (tab, LF and CR are text).
STORED_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def invalid_rows() -> list[str]:
    """Every text column of every table: no control character, nothing over its length."""
    problems = []
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if not isinstance(column.type, sa.String):
                continue
            limit = getattr(column.type, "length", None)
            for value in db.session.scalars(sa.select(column).where(column.is_not(None))):
                if STORED_CONTROL.search(value):
                    problems.append(f"{table.name}.{column.name}: control character")
                if limit and len(value) > limit:
                    problems.append(f"{table.name}.{column.name}: {len(value)} > {limit}")
    return problems


def test_every_post_route_is_fuzzed_or_excused(app):
    posts = {r.endpoint for r in app.url_map.iter_rules() if "POST" in r.methods}
    fuzzed = {route.endpoint for route in ROUTES}
    assert posts - fuzzed - set(NOT_FUZZED) == set()
    assert (fuzzed | set(NOT_FUZZED)) - posts == set()
    assert not fuzzed & set(NOT_FUZZED)


def part_of(route: Route) -> str:
    """The fuzz runs in five parts of similar length, each on its own world, so the test
    run's workers share it out (one 7-minute test per database made the run's tail)."""
    if route.endpoint.startswith(("auth.", "account.")):
        return "signing in and accounts"
    if route.role in {"customer", "advocate"}:
        return "customer and advocate"
    if route.role == "officer":
        if route.endpoint.startswith(("cases.", "restrictions.")):
            return "case records"
        return "customers and letters"
    return "decisions and administration"


PARTS = sorted({part_of(route) for route in ROUTES})


def test_every_route_is_in_a_part_and_the_parts_are_even():
    examples = {p: sum(r.examples for r in ROUTES if part_of(r) == p) for p in PARTS}
    assert len(PARTS) == 5
    assert max(examples.values()) < 2 * min(examples.values()), examples


@pytest.mark.parametrize("part", PARTS)
def test_every_form_survives_hostile_input(part, backend, databases, tmp_path):
    url = databases.new(backend)
    app = make_test_app(url, tmp_path, ARGON2_PARAMETERS=FAST_HASHES)
    app.config["RATE_LIMITS"] = {key: (10**6, 300) for key in app.config["RATE_LIMITS"]}
    routes = [route for route in ROUTES if part_of(route) == part]
    began = time.monotonic()
    total, per_route = 0, {}
    with app.app_context():
        try:
            world = World(app)
            for route in routes:
                route_began = time.monotonic()
                count, failures = fuzz_route(world, route, examples_of(route, backend))
                assert not failures
                per_route[route.endpoint] = (count, time.monotonic() - route_began)
                total += count
            db.session.rollback()
            assert invalid_rows() == []
        finally:
            db.session.remove()
            db.engine.dispose()
            databases.drop(url)
    seconds = time.monotonic() - began
    tally("5 fuzzing", "examples", total, database=backend)
    tally("5 fuzzing", "forms", len(per_route), database=backend)
    tally("5 fuzzing", "seconds", round(seconds), database=backend)
    tally("5 fuzzing", "responses of 500 or more", 0, database=backend)
    tally("5 fuzzing", "invalid rows", 0, database=backend)
    assert total >= sum(examples_of(route, backend) for route in routes) * 0.9
