"""A letter's wording in one language, built from its facts (portal.letters.facts).

Every sentence goes through Babel (no per-language copies of templates); dates are
formatted for the locale. The result is a plain dict — the "document" — that is frozen
into the letter when it is issued, and that every format is rendered from, so the PDF,
the large print, the web page and the text file say exactly the same thing.

Free text written by staff (a reason, an explanation) is quoted as written and marked with
the language it was written in (English), never machine-translated into the letter.
"""

import contextlib
import datetime as dt
from types import SimpleNamespace

from babel import Locale
from flask_babel import force_locale, format_date, ngettext
from flask_babel import gettext as _

from portal.config import BABEL_LOCALE_FOR
from portal.contact_details import landlord_email, landlord_phone
from portal.letters.easy_read import easy_read_lines
from portal.models.vocab import LetterKind, RestrictionOption
from portal.plain_words import describe_measure

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


def _measure(fact: dict):
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
        _("You can appeal online in the portal, or by writing to us, or by calling us."),
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
            "If you would like it another way, call us on %(phone)s or email %(email)s "
            "and we will send it in the format you need.",
            phone=landlord_phone(),
            email=landlord_email(),
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


def contact_section(facts: dict) -> dict:
    return section(
        _("Who to contact"),
        _(
            "Your contact about this letter is %(name)s. Call %(phone)s or email %(email)s "
            "and ask for them.",
            name=facts.get("contact_name") or "",
            phone=landlord_phone(),
            email=landlord_email(),
        ),
    )


# One builder per kind of letter -------------------------------------------------------------


def _restriction_notice(facts: dict) -> tuple[str, list]:
    behaviours = [
        _(
            "On %(date)s: %(behaviours)s.",
            date=date(b["on"]),
            behaviours=", ".join(behaviour_name(t) for t in b["types"]),
        )
        for b in facts.get("behaviours", [])
    ]
    months = {"quarterly": 3, "six_monthly": 6}.get(facts.get("review_frequency"), 3)
    return _("We are restricting how you contact us"), [
        section(
            None,
            _(
                "We are writing to tell you that we have decided to restrict how you contact "
                "us. This letter explains what this means, why, for how long, and what you "
                "can do if you disagree."
            ),
        ),
        section(
            _("What this means for you"),
            items=[describe_measure(_measure(m)) for m in facts.get("measures", [])],
        ),
        section(
            _("Why we have done this"),
            _("This is because of behaviour our policy says is unacceptable (policy section 3.1):"),
            quoted(facts.get("reason") or ""),
            items=behaviours,
        ),
        section(
            _("How long it lasts"),
            _("The restriction starts on %(date)s.", date=date(facts.get("starts_on"))),
            _(
                "It ends on %(date)s. A restriction never lasts more than six months "
                "(policy section 3.5).",
                date=date(facts.get("ends_on")),
            ),
            _(
                "We will review it on %(date)s, and then every %(months)d months while it "
                "lasts. If your behaviour has improved, we will think about lifting it "
                "(policy section 3.4).",
                date=date(facts.get("next_review_on")),
                months=months,
            ),
        ),
        contact_section(facts),
        appeal_section(facts),
        reconsideration_section(),
        ombudsman_section(facts),
        advocate_section(),
        formats_section(),
    ]


def _informal_warning(facts: dict) -> tuple[str, list]:
    return _("A warning about how you contact us"), [
        section(
            None,
            _(
                "On %(date)s we spoke to you about the way you have been contacting us.",
                date=date(facts.get("step_on")),
            ),
            quoted(facts.get("step_description") or ""),
            _(
                "We want to keep helping you. If this behaviour continues, we may have to "
                "restrict how you contact us (policy section 3.2)."
            ),
        ),
        section(
            _("Support"),
            _(
                "If something is making things hard for you, please tell us. We can put you "
                "in touch with support services (policy section 3.3)."
            ),
        ),
        contact_section(facts),
        advocate_section(),
        formats_section(),
    ]


def _review_outcome(facts: dict) -> tuple[str, list]:
    outcome = facts.get("outcome")
    if outcome == "lift":
        decision = [
            _("We have reviewed your restriction and we have lifted it. It no longer applies.")
        ]
    elif outcome == "vary":
        decision = [
            _(
                "We have reviewed your restriction and we have changed it. We will send you a "
                "separate letter that sets out the new restriction."
            )
        ]
    else:
        decision = [
            _("We have reviewed your restriction and it will stay in place for now."),
            quoted(facts.get("explanation") or ""),
            _("It will now end on %(date)s.", date=date(facts.get("ends_on"))),
            _("We will review it again on %(date)s.", date=date(facts.get("next_review_on"))),
        ]
    return _("The outcome of your review"), [
        section(_("What we decided"), *decision),
        appeal_section(facts),
        reconsideration_section(),
        ombudsman_section(facts),
        formats_section(),
    ]


def _restriction_ended(facts: dict) -> tuple[str, list]:
    return _("Your restriction has ended"), [
        section(
            None,
            _(
                "The restriction on how you contact us, which started on %(start)s, ended on "
                "%(end)s. You can now contact us in the usual ways.",
                start=date(facts.get("starts_on")),
                end=date(facts.get("ended_on")),
            ),
        ),
        formats_section(),
    ]


def _subject(facts: dict) -> str:
    if facts.get("subject") == "complaint_refusal":
        return _("our decision not to consider your complaint")
    return _("the restriction on how you contact us")


def _appeal_acknowledgement(facts: dict) -> tuple[str, list]:
    return _("We have received your appeal"), [
        section(
            None,
            _(
                "We received your appeal about %(subject)s on %(date)s. Its reference is "
                "%(reference)s.",
                subject=_subject(facts),
                date=date(facts.get("received_on")),
                reference=facts.get("appeal_reference"),
            ),
            _(
                "%(name)s, Service Director, Customer Operations, will look at it and write "
                "to you with the decision (policy section 3.4).",
                name=facts.get("appeals_director_name") or "",
            ),
        ),
        formats_section(),
    ]


APPEAL_DECISIONS = {
    "uphold": lambda: _("We have looked at your appeal and the decision stays as it was."),
    "vary": lambda: _("We have looked at your appeal and we have changed the decision."),
    "overturn": lambda: _("We have looked at your appeal and we have cancelled the decision."),
}


def _appeal_decision(facts: dict) -> tuple[str, list]:
    decision = APPEAL_DECISIONS.get(facts.get("decision") or "", lambda: "")()
    return _("The decision on your appeal"), [
        section(
            None,
            _(
                "This letter is about your appeal %(reference)s, about %(subject)s.",
                reference=facts.get("appeal_reference"),
                subject=_subject(facts),
            ),
        ),
        section(_("What we decided"), decision, quoted(facts.get("decision_reasons") or "")),
        ombudsman_section(facts),
        formats_section(),
    ]


GROUNDS = {
    "change_in_circumstances": lambda: _("your circumstances have changed"),
    "factual_error": lambda: _("we made a factual error in the decision"),
}


def _reconsideration_acknowledgement(facts: dict) -> tuple[str, list]:
    return _("We have received your request to reconsider"), [
        section(
            None,
            _(
                "We received your request on %(date)s. Its reference is %(reference)s. You "
                "told us that %(ground)s.",
                date=date(facts.get("received_on")),
                reference=facts.get("request_reference"),
                ground=GROUNDS.get(facts.get("ground") or "", lambda: "")(),
            ),
            _(
                "We will tell you the outcome by %(date)s: within 10 working days of your "
                "request (policy section 4).",
                date=date(facts.get("answer_due_on")),
            ),
        ),
        formats_section(),
    ]


RECONSIDERATION_DECISIONS = {
    "change_restriction": lambda: _("We have reconsidered and we are changing the restriction."),
    "route_to_complaints": lambda: _(
        "We have reconsidered and we will now deal with your complaint through our "
        "complaints process."
    ),
    "no_change": lambda: _("We have reconsidered and the decision stays as it was."),
}


def _reconsideration_decision(facts: dict) -> tuple[str, list]:
    decision = RECONSIDERATION_DECISIONS.get(facts.get("decision") or "", lambda: "")()
    return _("The outcome of your request to reconsider"), [
        section(
            None,
            _(
                "This letter is about your request %(reference)s, which we received on %(date)s.",
                reference=facts.get("request_reference"),
                date=date(facts.get("received_on")),
            ),
        ),
        section(_("What we decided"), decision, quoted(facts.get("decision_reasons") or "")),
        ombudsman_section(facts),
        formats_section(),
    ]


def _complaint_refusal(facts: dict) -> tuple[str, list]:
    return _("We will not consider your complaint"), [
        section(
            None,
            _(
                "We have decided not to consider your complaint %(reference)s any further.",
                reference=facts.get("complaint_reference"),
            ),
            quoted(facts.get("complaint_reason") or ""),
        ),
        appeal_section(facts),
        reconsideration_section(),
        ombudsman_section(facts),
        formats_section(),
    ]


BUILDERS = {
    LetterKind.RESTRICTION_NOTICE: _restriction_notice,
    LetterKind.INFORMAL_WARNING: _informal_warning,
    LetterKind.REVIEW_OUTCOME: _review_outcome,
    LetterKind.RESTRICTION_ENDED: _restriction_ended,
    LetterKind.APPEAL_ACKNOWLEDGEMENT: _appeal_acknowledgement,
    LetterKind.APPEAL_DECISION: _appeal_decision,
    LetterKind.RECONSIDERATION_ACKNOWLEDGEMENT: _reconsideration_acknowledgement,
    LetterKind.RECONSIDERATION_DECISION: _reconsideration_decision,
    LetterKind.COMPLAINT_REFUSAL: _complaint_refusal,
}


def build_document(facts: dict, reference: str, locale: str) -> dict:
    """The whole letter in ``locale``, as a JSON-ready dict."""
    with in_locale(locale):
        title, sections = BUILDERS[LetterKind(facts["kind"])](facts)
        references = [[_("Our reference"), reference]]
        if facts.get("case_reference"):
            references.append([_("Case"), facts["case_reference"]])
        references.append([_("Your customer reference"), facts["customer_reference"]])
        return {
            "locale": locale,
            "lang": BABEL_LOCALE_FOR.get(locale, locale).replace("_", "-"),
            "dir": Locale.parse(locale).text_direction,
            "title": title,
            "landlord": facts["landlord"],
            "date": date(facts["letter_date"]),
            "recipient": [facts["customer_name"], *facts["address"]],
            "references": references,
            "greeting": _("Dear %(name)s,", name=facts["customer_name"]),
            "sections": [s for s in sections if s["paragraphs"] or s["items"]],
            "sign_off": [
                _("Yours sincerely,"),
                facts["signatory_name"],
                signatory_title(facts["signatory_role"]),
                facts["landlord"],
            ],
            "easy_read": easy_read_lines(facts),
            "labels": {
                "easy_read_title": _("Easy read"),
                "page": _("Page"),
                "staff_words": _("In the words of the person who made the decision:"),
            },
        }


def paragraph_text(paragraph) -> str:
    return paragraph["text"] if isinstance(paragraph, dict) else paragraph


def ngettext_months(count: int) -> str:  # kept for translators: used by easy read
    return ngettext("%(num)d month", "%(num)d months", count)
