"""Who may use each route, and the security headers every response carries.

Every view declares its rule with ``@access(...)``; a request to an endpoint without a
declaration is refused (fail closed, ASVS 8.1.1/8.2.1) and a test walks ``url_map`` to
prove none is missing. Object-level checks (this customer's letters, this advocate's
customers) belong to the services, which know the objects.
"""

from dataclasses import dataclass
from functools import wraps
from typing import NoReturn

from flask import abort, current_app, redirect, request, url_for
from flask_login import current_user
from werkzeug.exceptions import SecurityError

from portal.htmx import is_htmx_request, redirect_for_htmx
from portal.models.vocab import STAFF_ROLES, Role


@dataclass(frozen=True)
class AccessRule:
    """``public``: anyone, signed in or not. Otherwise the user must be signed in and, when
    ``roles`` is not empty, hold at least one of them."""

    public: bool = False
    roles: frozenset[Role] = frozenset()

    def allows(self, user) -> bool:
        if self.public:
            return True
        if not user.is_authenticated:
            return False
        return not self.roles or user.has_role(*self.roles)


PUBLIC = AccessRule(public=True)
SIGNED_IN = AccessRule()
ANY_STAFF = AccessRule(roles=STAFF_ROLES)

# Endpoints that Flask or an extension defines, which no decorator can reach.
ENDPOINT_RULES: dict[str, AccessRule] = {"static": PUBLIC}


def access(rule: AccessRule | None = None, *, roles=()):
    """Declare who may use a view: ``@access(PUBLIC)``, ``@access(SIGNED_IN)`` or
    ``@access(roles=[Role.CASE_OFFICER])``."""
    if rule is None:
        if not roles:
            raise ValueError("access() needs a rule or at least one role")
        rule = AccessRule(roles=frozenset(roles))

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            return view(*args, **kwargs)

        wrapper.access_rule = rule
        return wrapper

    return decorate


def rule_for_endpoint(endpoint: str | None) -> AccessRule | None:
    if endpoint is None:
        return None
    if endpoint in ENDPOINT_RULES:
        return ENDPOINT_RULES[endpoint]
    view = current_app.view_functions.get(endpoint)
    return getattr(view, "access_rule", None)


def can_reach(endpoint: str) -> bool:
    """Whether the signed-in person may use ``endpoint``, by its declared rule: pages offer
    a link or a button only where the route would let the person in, so who may do what
    is decided once, on the route, never again in a template."""
    rule = rule_for_endpoint(endpoint)
    return rule is not None and rule.allows(current_user)


def enforce_access_rules():
    """``before_request``: apply the endpoint's declared rule; no rule means no entry."""
    if request.endpoint is None:  # 404/405: let Flask answer
        return None
    rule = rule_for_endpoint(request.endpoint)
    if rule is None:
        current_app.logger.error("route %s has no access rule; refused", request.endpoint)
        abort(403)
    if rule.allows(current_user):
        return _second_factor_first(rule)
    if not current_user.is_authenticated:
        target = url_for("auth.sign_in", next=request.full_path.rstrip("?"))
        if is_htmx_request():
            return redirect_for_htmx(current_app.response_class(status=401), target)
        return redirect(target)
    from portal import audit  # here to avoid an import cycle at start-up

    audit.record("authz_fail", actor=current_user, details={"endpoint": request.endpoint})
    abort(403)


def refuse_write_for_customer(customer_id: int) -> NoReturn:
    """403 for someone the route lets in who may not do this for this customer (a
    view-only advocate, s6.1): nothing pending is saved and the refusal is audited."""
    from portal import audit  # here to avoid an import cycle at start-up
    from portal.extensions import db

    db.session.rollback()
    audit.record(
        "authz_fail",
        actor=current_user,
        customer_id=customer_id,
        details={"endpoint": request.endpoint},
    )
    abort(403)


# What a staff member without a second factor may still reach: setting one up, or leaving.
SECOND_FACTOR_SET_UP = frozenset({"account.second_factor", "auth.sign_out", "auth.extend_session"})


def _second_factor_first(rule: AccessRule):
    """Staff read special-category data: no staff page until an authenticator is set up
    (issue 13 item 4; ASVS 6.3.3). Public pages stay open."""
    if (
        rule.public
        or request.endpoint in SECOND_FACTOR_SET_UP
        or not current_user.is_staff
        or current_user.has_second_factor
    ):
        return None
    target = url_for("account.second_factor")
    if is_htmx_request():
        return redirect_for_htmx(current_app.response_class(status=403), target)
    return redirect(target)


CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "media-src 'self'",  # the letter page's audio player (issue 7)
        "font-src 'self'",
        "connect-src 'self'",
        "manifest-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)


def add_security_headers(response):
    """On every response, errors and downloads included (SECURITY.md §1 rows 20–22)."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    headers["X-Content-Type-Options"] = "nosniff"
    # same-origin, not no-referrer: Flask-WTF's strict HTTPS check needs a Referer.
    headers["Referrer-Policy"] = "same-origin"
    headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers["X-Frame-Options"] = "DENY"
    if request.endpoint != "static":
        # Pages may hold personal data: never keep them in a shared or back-button cache.
        headers["Cache-Control"] = "no-store"
        response.vary.add("HX-Request")
    return response


def check_csrf_token() -> None:
    """``before_request``: every state-changing request carries the session's CSRF token
    (SECURITY.md, ASVS 3.5.1). Runs after :func:`enforce_access_rules`."""
    from portal.extensions import csrf

    if request.method in current_app.config["WTF_CSRF_METHODS"]:
        csrf.protect()


def refuse_untrusted_host():
    """``before_request``, the first: a request for a host other than the portal's
    (``TRUSTED_HOSTS``, from PORTAL_BASE_URL) gets a plain 400 before any other hook runs,
    so nothing is written for it and no page or link is built from its Host header. Flask
    notices the bad host while matching the URL; without a URL adapter no template can be
    rendered, hence plain text."""
    if not isinstance(request.routing_exception, SecurityError):
        return None
    from portal.errors import ERROR_PAGES  # here to avoid an import cycle at start-up

    current_app.logger.warning("request for an untrusted host refused")
    heading, body = ERROR_PAGES[400]
    return current_app.response_class(f"{heading}\n\n{body}\n", status=400, mimetype="text/plain")
