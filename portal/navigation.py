"""Where each role lands after signing in, and the navigation each role sees."""

from dataclasses import dataclass

from portal.models.vocab import Role
from portal.translations import lazy_gettext as _l


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    text: object  # a lazy, translatable string
    role: Role


# In priority order: someone with several roles lands on the first home they hold.
ROLE_HOMES = (
    NavItem("my.home", _l("Your restrictions and letters"), Role.CUSTOMER),
    NavItem("advocate.home", _l("People you act for"), Role.ADVOCATE),
    NavItem("staff.cases", _l("My cases"), Role.CASE_OFFICER),
    NavItem("staff.reviews", _l("Approvals and reviews"), Role.REVIEW_MANAGER),
    NavItem("staff.appeals", _l("Appeals and reconsiderations"), Role.APPEALS_DIRECTOR),
    NavItem("staff.community_safety", _l("Community Safety referrals"), Role.COMMUNITY_SAFETY),
    NavItem("staff.reports", _l("Reports"), Role.LEADERSHIP),
    NavItem("staff.accounts", _l("Staff accounts"), Role.ADMIN),
    NavItem("gdpr.index", _l("Data protection"), Role.DATA_STEWARD),
)


# Further pages in the menu, after the homes.
EXTRA_ITEMS = (
    NavItem("customer_records.search", _l("Find a customer"), Role.CASE_OFFICER),
    NavItem("letters.post_queue", _l("Letters to post"), Role.CASE_OFFICER),
    NavItem("staff.reports", _l("Reports"), Role.REVIEW_MANAGER),
    NavItem("staff.reports", _l("Reports"), Role.APPEALS_DIRECTOR),
)


def signed_in_user():
    """The signed-in user for the page layout, or None. An error page rendered because the
    database failed must not try to load the user again."""
    from flask import g
    from flask_login import current_user

    if g.get("database_unavailable"):
        return None
    return current_user if current_user.is_authenticated else None


def navigation_for(user) -> list[NavItem]:
    if user is None or not user.is_authenticated:
        return []
    items, seen = [], set()
    for item in (*ROLE_HOMES, *EXTRA_ITEMS):
        if user.has_role(item.role) and item.endpoint not in seen:
            seen.add(item.endpoint)  # one link per page, whichever roles lead to it
            items.append(item)
    return items


def home_endpoint_for(user) -> str:
    homes = [item for item in ROLE_HOMES if user is not None and user.has_role(item.role)]
    return homes[0].endpoint if homes else "public.start"
