"""A letter's wording in one language, built from its facts (portal.letters.facts).

Every sentence goes through Babel (no per-language copies of templates); dates are
formatted for the locale. The result is a plain dict — the "document" — that is frozen
into the letter when it is issued, and that every format is rendered from, so the PDF,
the large print, the web page and the text file say exactly the same thing.

Free text written by staff (a reason, an explanation) is quoted as written and marked with
the language it was written in (English), never machine-translated into the letter.
"""

from babel import Locale
from flask_babel import ngettext

from portal.bidi import gettext_isolated as _
from portal.config import BABEL_LOCALE_FOR
from portal.letters.challenge_letters import (
    appeal_acknowledgement,
    appeal_decision,
    complaint_refusal,
    reconsideration_acknowledgement,
    reconsideration_decision,
)
from portal.letters.easy_read import easy_read_lines
from portal.letters.sections import (
    advocate_section,
    appeal_section,
    behaviour_name,
    date,
    formats_section,
    in_locale,
    measure_of,
    ombudsman_section,
    quoted,
    reach_section,
    reconsideration_section,
    section,
    signatory_title,
    still_section,
)
from portal.models.vocab import LetterKind
from portal.plain_words import describe_measure

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
            items=[describe_measure(measure_of(m)) for m in facts.get("measures", [])],
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
        still_section(facts),
        reach_section(facts),
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
        reach_section(facts),
        advocate_section(),
        formats_section(),
    ]


def _review_outcome(facts: dict) -> tuple[str, list]:
    """The review outcome (s3.4). The reviewer's "explanation for the customer" is quoted
    whatever the outcome: the customer is told why, not only what (s3.2)."""
    outcome = facts.get("outcome")
    explanation = [quoted(facts["explanation"])] if facts.get("explanation") else []
    if outcome == "lift":
        decision = [
            _("We have reviewed your restriction and we have lifted it. It no longer applies."),
            *explanation,
        ]
    elif outcome == "vary":
        decision = [
            _(
                "We have reviewed your restriction and we have changed it. We will send you a "
                "separate letter that sets out the new restriction."
            ),
            *explanation,
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
        still_section(facts),
        reach_section(facts),
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
        reach_section(facts),
        formats_section(),
    ]


BUILDERS = {
    LetterKind.RESTRICTION_NOTICE: _restriction_notice,
    LetterKind.INFORMAL_WARNING: _informal_warning,
    LetterKind.REVIEW_OUTCOME: _review_outcome,
    LetterKind.RESTRICTION_ENDED: _restriction_ended,
    LetterKind.APPEAL_ACKNOWLEDGEMENT: appeal_acknowledgement,
    LetterKind.APPEAL_DECISION: appeal_decision,
    LetterKind.RECONSIDERATION_ACKNOWLEDGEMENT: reconsideration_acknowledgement,
    LetterKind.RECONSIDERATION_DECISION: reconsideration_decision,
    LetterKind.COMPLAINT_REFUSAL: complaint_refusal,
}


def build_document(facts: dict, reference: str, locale: str) -> dict:
    """The whole letter in ``locale``, as a JSON-ready dict."""
    with in_locale(locale):
        title, sections = BUILDERS[LetterKind(facts["kind"])](facts)
        references = [[_("Our reference"), reference]]
        if facts.get("case_reference"):
            references.append([_("Case"), facts["case_reference"]])
        references.append([_("Your customer reference"), facts["customer_reference"]])
        policy = facts.get("policy_version")  # letters issued before versions had none
        if policy:  # a code, shown left to right like the references above
            references.append([_("Managed Behaviour Policy version"), policy["number"]])
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
