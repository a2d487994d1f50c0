"""The pieces every letter's wording is made of (portal.letters.wording): dates in the
reader's locale, staff's own words quoted in the language they wrote them in, and the
sections several kinds of letter share (appeal s3.4, reconsideration s4, the Housing
Ombudsman, other formats s6.5, advocates s6.1, how to reach us)."""

import contextlib
import datetime as dt
from types import SimpleNamespace

from flask_babel import force_locale, format_date

from portal import reach_us
from portal.bidi import gettext_isolated as _
from portal.config import BABEL_LOCALE_FOR
from portal.models.vocab import RestrictionOption

STAFF_TEXT_LANGUAGE = "en"  # staff write case notes in English


@contextlib.contextmanager
def in_locale(code: str):
    with force_locale(BABEL_LOCALE_FOR.get(code, code)):
        yield


def date(value: str | None) -> str:
    return format_date(dt.date.fromisoformat(value), "long") if value else ""


def quoted(text: str) -> dict:
    """Staff's own words, kept in the language they were written in."""
    return {"text": text, "lang": STAFF_TEXT_LANGUAGE}


def behaviour_name(value: str) -> str:
    names = {
        "unreasonable_demands": _("unreasonable demands"),
        "unreasonable_persistence": _("unreasonable persistence"),
        "refusing_resolution": _("refusing to accept a decision or an outcome"),
        "offensive_language": _("offensive language"),
        "verbal_abuse_or_violence": _("verbal abuse, threats or violence"),
        "contact_overload": _("a very large number of contacts"),
        "harassment": _("harassment"),
        "serious_breach_of_rules": _("a serious breach of our rules"),
    }
    return names.get(value, value)


def signatory_title(role: str) -> str:
    titles = {
        "appeals_director": _("Service Director, Customer Operations"),
        "review_manager": _("Service Delivery Manager, Customer Experience"),
        "case_officer": _("Customer Experience Officer"),
    }
    return titles.get(role, titles["case_officer"])


def section(heading, *paragraphs, items=()) -> dict:
    return {"heading": heading, "paragraphs": list(paragraphs), "items": list(items)}


def measure_of(fact: dict):
    """A measure's facts in the shape plain_words.describe_measure reads."""
    spoc = fact.get("single_point_of_contact_name")
    times = {
        key: dt.time.fromisoformat(fact[key]) if fact.get(key) else None
        for key in ("permitted_from", "permitted_until")
    }
    return SimpleNamespace(
        **(
            fact
            | times
            | {
                "option": RestrictionOption(fact["option"]),
                "single_point_of_contact": SimpleNamespace(display_name=spoc) if spoc else None,
            }
        )
    )


# Sections that several kinds share ---------------------------------------------------------


def appeal_section(facts: dict) -> dict:
    return section(
        _("If you disagree: appeal"),
        _(
            "You have the right to appeal to %(name)s, Service Director, Customer Operations, "
            "who will look again at the decision and how long it lasts (policy section 3.4).",
            name=facts.get("appeals_director_name") or "",
        ),
        _(
            "You can appeal online in the portal, or in one of the ways this letter gives "
            "under \u201cHow to reach us\u201d."
        ),
    )


def reconsideration_section() -> dict:
    return section(
        _("Ask us to reconsider"),
        _(
            "You can ask us to reconsider if your circumstances have changed, or if you think "
            "we made a factual error when we made the decision (policy section 4)."
        ),
        _(
            "We will tell you the outcome within 10 working days of your request. "
            "Bank holidays are not counted."
        ),
    )


def ombudsman_section(facts: dict) -> dict:
    ombudsman = facts["ombudsman"]
    return section(
        _("The Housing Ombudsman"),
        _(
            "You can also ask the Housing Ombudsman for an independent review "
            "(policy section 3.4). You can contact them:"
        ),
        items=[
            _("Complaint form: %(url)s", url=ombudsman["form"]),
            _("Email: %(email)s", email=ombudsman["email"]),
            _("Phone: %(phone)s", phone=ombudsman["phone"]),
            _("Write to: %(address)s", address=ombudsman["post"]),
        ],
    )


def formats_section() -> dict:
    return section(
        _("This letter in another format or language"),
        _(
            "You can read this letter in the portal and download it as a web page, PDF, "
            "large print, easy read, plain text, audio or a braille-ready file, in English "
            "or in another language (policy section 6.5)."
        ),
        _(
            "If you would like it another way, contact us in one of the ways under "
            "\u201cHow to reach us\u201d and we will send it in the format you need."
        ),
    )


def advocate_section() -> dict:
    return section(
        _("Someone to speak for you"),
        _(
            "You can ask a family member, friend or support worker to deal with us for you. "
            "This person is called an advocate. You can choose them in the portal, or tell "
            "us who they are (policy sections 3.2 and 6.1)."
        ),
    )


def reach_facts(facts: dict) -> dict:
    """The ways frozen into the letter (portal.reach_us); a letter drafted before they
    were gathered gets every general channel."""
    return facts.get("reach") or reach_us.GENERAL.as_facts()


def reach_section(facts: dict) -> dict:
    """Issue 15: how this customer may and can reach us — the channels their restriction
    allows and their needs let them use, their single point of contact's own channel, and
    the contact named for the letter (s3.2)."""
    reach = reach_facts(facts)
    if not reach.get("spoc") and facts.get("contact_name"):
        intro = _(
            "Your contact about this letter is %(name)s. Contact us in one of these ways "
            "and ask for them:",
            name=facts["contact_name"],
        )
    else:
        intro = _("You can contact us in these ways:")
    return section(_("How to reach us"), intro, items=reach_us.way_lines(reach))


def still_section(facts: dict) -> dict:
    """s3.2 (portal.contacts.rules.assess_contact): while contact is restricted, what always
    gets through. Empty, so left out, when the customer's contact is not restricted."""
    if not reach_facts(facts).get("restricted"):
        return section(None)
    return section(_("What you can still do"), reach_us.still_get_through())
