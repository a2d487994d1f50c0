"""Account administration rules. Each change is audited by the caller in the same
transaction; each refusal is a named exception."""

import datetime as dt

from sqlalchemy import select

from portal.auth.accounts import end_sessions
from portal.auth.second_factor import turn_off
from portal.auth.throttle import forget_failures, throttle_for
from portal.extensions import db
from portal.models import SignInThrottle, User, UserRole
from portal.models.vocab import STAFF_ROLES, Role
from portal.refusals import Refusal
from portal.translations import lazy_gettext as _l


class AdminRefused(Refusal):
    """An account change the admin may not make."""


class LastAdmin(AdminRefused):
    """The portal would be left with nobody to run accounts."""

    default_message = _l(
        "This is the only admin account that can sign in. Make another colleague an admin first."
    )


class NotYourself(AdminRefused):
    """An admin does not disable their own account (they would be locked out at once)."""

    default_message = _l("You cannot disable your own account. Ask another admin.")


class NoRoles(AdminRefused):
    """A staff account keeps at least one staff role; disable it instead."""

    default_message = _l(
        "Choose at least one role. To stop someone signing in, disable the account."
    )


def staff_account(user_id: int) -> User | None:
    user = db.session.get(User, user_id)
    return user if user is not None and user.roles & STAFF_ROLES else None


def _enabled_admins() -> set[int]:
    return set(
        db.session.scalars(
            select(User.id)
            .join(UserRole)
            .where(UserRole.role == Role.ADMIN, User.is_enabled.is_(True))
        )
    )


def _would_leave_no_admin(user: User) -> bool:
    return _enabled_admins() <= {user.id}


def set_roles(user: User, roles: set[Role], *, actor: User) -> tuple[set[Role], set[Role]]:
    """Give and take staff roles; returns (given, taken). Other roles (customer,
    advocate) are not the admin's to change and are kept."""
    roles = roles & STAFF_ROLES
    if not roles:
        raise NoRoles
    current = user.roles & STAFF_ROLES
    given, taken = roles - current, current - roles
    if Role.ADMIN in taken and _would_leave_no_admin(user):
        raise LastAdmin
    user.role_grants = [g for g in user.role_grants if g.role not in taken]
    user.role_grants.extend(UserRole(role=role) for role in sorted(given))
    return given, taken


def disable(user: User, *, actor: User, now: dt.datetime) -> int:
    """No more signing in; every session ends at once. Returns the sessions ended."""
    if user.id == actor.id:
        raise NotYourself
    if user.has_role(Role.ADMIN) and _would_leave_no_admin(user):
        raise LastAdmin
    user.is_enabled = False
    return end_sessions(user, now=now)


def enable(user: User) -> None:
    user.is_enabled = True
    forget_failures(user.email)


def sign_in_failures(user: User) -> SignInThrottle | None:
    """Wrong passwords and codes since the account last signed in, if any."""
    return throttle_for(user.email)


def unlock(user: User) -> dict:
    """End a wait or a lock after wrong passwords (SECURITY.md §4: an admin, like a
    password reset, ends a lock). Returns what was cleared, for the audit trail."""
    failures = throttle_for(user.email)
    cleared = {
        "wrong_guesses": failures.wrong_guesses if failures else 0,
        "was_locked": bool(failures and failures.locked_at),
    }
    forget_failures(user.email)
    return cleared


def reset_second_factor(user: User, *, now: dt.datetime) -> int:
    """For a colleague who lost their phone: the old authenticator and recovery codes stop
    working, their sessions end, and they set up a new one at their next sign-in."""
    turn_off(user)
    return end_sessions(user, now=now)
