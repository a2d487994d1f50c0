"""The policy as documents in every format and language (s6.5: "this policy ... can be
provided in other formats for those with visual, literacy or language difficulties";
issue 17 item 4).

Two documents per published version: the plain words (:func:`plain_words`, also what the
public page shows, so the page and the files say the same) in every language the portal
supports, and the full text word for word as approved, in English. Each is shaped like a
letter's document, so the letter pipeline (portal.letters.render: web page, tagged PDF,
large print, easy read, plain text, audio, braille) makes and caches the files; no second
pipeline. They are built once, when the version is published, and kept with it: frozen
like the version's words.
"""

import hashlib
import json

from babel import Locale
from flask import current_app

from portal.bidi import gettext_isolated
from portal.config import BABEL_LOCALE_FOR, SUPPORTED_LOCALES
from portal.formatting import long_date
from portal.letters.easy_read import _line
from portal.letters.sections import in_locale
from portal.translations import gettext as _

PLAIN, FULL = "plain", "full"
KINDS = (PLAIN, FULL)
FULL_TEXT_LOCALE = "en"  # the approved words; other languages on request (s6.5)


def plain_words() -> dict:
    """The plain-words policy in the current language: a lead sentence, then sections of
    a heading, paragraphs and bullet items (s3.1-s3.5, s6.1, s3.2)."""

    def section(heading, paragraphs=(), items=()):
        return {"heading": heading, "paragraphs": list(paragraphs), "items": list(items)}

    return {
        "title": _("Our Managed Behaviour Policy in plain words"),
        "lead": _(
            "We want everyone to be heard, understood and treated with respect. This policy "
            "says what we do when someone's behaviour towards our staff is unacceptable."
        ),
        "sections": [
            section(
                _("What is not unacceptable"),
                [
                    _(
                        "Being assertive or determined about your case or complaint is not "
                        "unacceptable. We know people can act out of character when they are "
                        "upset or frustrated."
                    )
                ],
            ),
            section(
                _("What can be unacceptable"),
                items=[
                    _(
                        "demands that are unreasonable, such as asking for very large amounts "
                        "of information or answers in a very short time"
                    ),
                    _("raising the same thing again and again without anything new"),
                    _(
                        "not letting us put things right, for example not letting us in to do "
                        "a repair"
                    ),
                    _(
                        "language or behaviour that makes staff feel offended, afraid, "
                        "threatened or abused"
                    ),
                    _("verbal abuse, aggression or violence"),
                    _(
                        "so many letters, calls, emails or messages that we cannot help other "
                        "customers"
                    ),
                    _("harassment, stalking or bullying"),
                    _("serious breaking of rules that keep people safe"),
                ],
            ),
            section(
                _("What we do"),
                [
                    _(
                        "We always try to talk to you first and sort things out informally. "
                        "We may offer to refer you for support."
                    ),
                    _("If that does not work, we may limit how you contact us. For example:"),
                ],
                [
                    _("one named person to deal with you"),
                    _("one way to contact us, such as email only"),
                    _("contact only at set times, or a set number of times a week or month"),
                    _("not looking again at a complaint that has been pursued unreasonably"),
                    _(
                        "not coming to our offices, hubs or community events, if there has "
                        "been abuse or threats"
                    ),
                ],
            ),
            section(
                "",
                [
                    _(
                        "We will ask if you would like a family member, friend or support "
                        "worker to act for you."
                    ),
                    _(
                        "If there is verbal abuse, threats or violence, our Community Safety "
                        "Team deals with it under our Anti-Social Behaviour Policy. In extreme "
                        "cases we may stop direct contact, take legal action about a tenancy, "
                        "or involve the police."
                    ),
                ],
            ),
            section(
                _("Your needs come first"),
                [
                    _(
                        "Before we decide anything, we think about any health condition, "
                        "disability or support needs you have. A restriction must not stop you "
                        "getting our services, and it must suit your needs."
                    )
                ],
            ),
            section(
                _("Limits on any restriction"),
                items=[
                    _("We tell you about it in writing."),
                    _("It lasts no more than 6 months at a time."),
                    _("We review it every 3 or 6 months."),
                    _("You can always contact us in an emergency, or to make a new complaint."),
                ],
            ),
        ],
    }


def _easy_read(words: dict) -> list[dict]:
    """Easy read: the lead and each section's first sentence or item, one a line."""
    pictures = ["person", "tick", "stop", "letter", "helper", "person", "calendar"]
    lines = [_line("person", words["lead"])]
    for number, sec in enumerate(words["sections"]):
        for text in sec["paragraphs"] + sec["items"]:
            lines.append(_line(pictures[(number + 1) % len(pictures)], text))
    return lines


def _shell(version, locale: str, title: str, sections: list, easy_read: list) -> dict:
    """A letter-shaped document (portal.letters.wording.build_document's keys)."""
    return {
        "locale": locale,
        "lang": BABEL_LOCALE_FOR.get(locale, locale).replace("_", "-"),
        "dir": Locale.parse(locale).text_direction,
        "title": title,
        "landlord": current_app.config["LANDLORD_NAME"],
        "date": long_date(version.in_force_from),
        "recipient": [],
        "references": [[_("Managed Behaviour Policy version"), version.number]],
        "greeting": "",
        "sections": sections,
        "sign_off": [current_app.config["LANDLORD_NAME"]],
        "easy_read": easy_read,
        "labels": {"easy_read_title": _("Easy read"), "page": _("Page"), "staff_words": ""},
    }


def _plain_document(version, locale: str) -> dict:
    with in_locale(locale):
        words = plain_words()
        sections = [{"heading": "", "paragraphs": [words["lead"]], "items": []}]
        sections += words["sections"]
        return _shell(version, locale, words["title"], sections, _easy_read(words))


def _full_document(version) -> dict:
    """The full text as approved: a line that is a section number's heading ("3. Policy
    detail") starts a section; the others are its paragraphs."""
    with in_locale(FULL_TEXT_LOCALE):
        sections: list[dict] = []
        # Tabs (the policy's tables) and runs of spaces become one space: braille has no
        # cell for a tab, and no format needs one.
        for line in (" ".join(text.split()) for text in version.full_text.splitlines()):
            if not line:
                continue
            number, _dot, rest = line.partition(". ")
            if number.isdigit() and rest and len(line) < 120:
                sections.append({"heading": line, "paragraphs": [], "items": []})
                continue
            if not sections:
                sections.append({"heading": "", "paragraphs": [], "items": []})
            sections[-1]["paragraphs"].append(line)
        title = gettext_isolated(
            "Managed Behaviour Policy, version %(number)s", number=version.number
        )
        easy = [_line("letter", s["heading"]) for s in sections if s["heading"]]
        return _shell(version, FULL_TEXT_LOCALE, title, sections, easy)


def build_documents(version) -> dict:
    """{kind: {locale: document}} for a version: frozen with it when it is published."""
    return {
        PLAIN: {code: _plain_document(version, code) for code in SUPPORTED_LOCALES},
        FULL: {FULL_TEXT_LOCALE: _full_document(version)},
    }


def sha256_of(documents: dict) -> str:
    """One kind's documents' fingerprint: its files' cache key (letters use the same)."""
    text = json.dumps(documents, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()
