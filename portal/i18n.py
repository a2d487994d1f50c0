"""Choosing the interface language (STYLE.md "Translations").

Order: ``?lang=xx`` on this request (the language switcher), then the language chosen so
far this session, then the person's own language (:func:`own_language`: the account's saved
preference, else a customer's language as recorded on their customer record, s6.5), then
Accept-Language, then English. Signing in drops a choice made before it when the person has
saved a language.

A GET never writes (ASVS 3.5.3): ``?lang=`` changes what this session shows; saving it as
the account's language is a POST (:func:`save_preferred_language`, offered beside the
switcher while the page is shown in a language other than the saved one).
"""

from functools import cache

from flask import g, has_request_context, request, session
from flask_babel import get_locale
from flask_login import current_user

from portal.config import BABEL_LOCALE_FOR, LOCALE_NAMES, PROJECT_ROOT, SUPPORTED_LOCALES
from portal.extensions import db
from portal.models.vocab import Role


def _supported(code: str | None) -> str | None:
    if not code:
        return None
    code = code.strip().replace("-", "_").split("_")[0].lower()
    return code if code in SUPPORTED_LOCALES else None


def remember_requested_language():
    """``before_request``: honour ``?lang=xx`` for this session (never saved to the account:
    a GET changes nothing stored); ignore unsupported values."""
    requested = _supported(request.args.get("lang"))
    if requested is not None:
        session["lang"] = requested


def own_language(user) -> str | None:
    """The signed-in person's own language: the one they saved for their account, else, for
    a customer, the language recorded on their customer record (s6.5: we communicate in the
    customer's language; the record is kept by staff, imports and the needs page). An
    advocate or member of staff has only their own saved language, never a customer's.

    "en" on a customer record is the column's default, which cannot be told apart from
    "not recorded", so it leaves the choice to the browser's Accept-Language.
    Only customers' records are read, so staff pages cost no extra statement."""
    saved = _supported(user.preferred_locale)
    if saved is not None or not user.has_role(Role.CUSTOMER):
        return saved
    customer = user.customer
    recorded = _supported(customer.preferred_locale) if customer is not None else None
    return recorded if recorded != "en" else None


def prefer_saved_language(user) -> None:
    """At sign-in: the language the person saved beats one chosen on the pages before
    (they can switch again); without one, the choice made stays, even over the language on
    a customer's record (a switch the person made is their own choice; the record is not)."""
    if _supported(user.preferred_locale):
        session.pop("lang", None)


def save_preferred_language(user, code: str) -> bool:
    """Save ``code`` as the person's language for the portal and their account emails;
    False for a language the portal does not offer."""
    chosen = _supported(code)
    if chosen is None:
        return False
    if user.preferred_locale != chosen:
        user.preferred_locale = chosen
        db.session.commit()
    return True


def offer_to_save_language() -> bool:
    """Whether to offer, beside the switcher, to keep the language the signed-in person
    chose with it as their own: only while that differs from the one saved (and never on
    a page shown because the database failed, which must not load the user again)."""
    if g.get("database_unavailable") or not current_user.is_authenticated:
        return False
    chosen = _supported(request.args.get("lang")) or _supported(session.get("lang"))
    # Nothing of their own means English: choosing English again is nothing new to keep.
    saved = own_language(current_user) or "en"
    return chosen is not None and chosen != saved


def select_language() -> str:
    """The portal's language code for this request ("en", "cy", …); English outside a
    request (commands, services called from tests)."""
    if not has_request_context():
        return "en"
    if "portal_language" in g:
        return g.portal_language
    code = (
        _supported(request.args.get("lang"))
        or _supported(session.get("lang"))
        or (own_language(current_user) if current_user.is_authenticated else None)
        or request.accept_languages.best_match(SUPPORTED_LOCALES)
        or "en"
    )
    g.portal_language = code
    return code


def select_babel_locale() -> str:
    return BABEL_LOCALE_FOR.get(select_language(), select_language())


def html_lang() -> str:
    """BCP 47 tag for ``<html lang>``: "en-GB", "cy"."""
    return str(get_locale()).replace("_", "-")


def text_direction() -> str:
    return get_locale().text_direction


def language_choices():
    """(code, name in its own language) for the switcher, excluding the current one."""
    current = select_language()
    return [(code, LOCALE_NAMES[code]) for code in SUPPORTED_LOCALES if code != current]


@cache
def is_reviewed(code: str) -> bool:
    """Whether a fluent speaker has reviewed the language's catalogue, as its header says
    (``# Fluent-Speaker-Review: none yet`` until one has). English is the source."""
    if code == "en":
        return True
    catalogue = PROJECT_ROOT / "translations" / code / "LC_MESSAGES" / "messages.po"
    try:
        with catalogue.open(encoding="utf-8") as lines:
            for line in lines:
                if not line.startswith("#"):
                    break
                if line.startswith("# Fluent-Speaker-Review:"):
                    return not line.split(":", 1)[1].strip().lower().startswith("none")
    except OSError:
        pass
    return False


def current_language_is_unreviewed() -> bool:
    """For the notice on every page shown in a machine-translated, unreviewed language."""
    return not is_reviewed(select_language())
