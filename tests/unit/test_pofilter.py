"""Issue 16 item 5: translate-toolkit's ``pofilter`` (a checker nobody on this project wrote)
over every catalogue, with the checks that catch real breakage: variables, printf, xmltags,
urls, emails, numbers, untranslated and blank. Every finding is fixed or justified here,
each justification checked rather than trusted:

- untranslated (and blank): staff-only text, which may show in English until translated
  (issue 7's rule); a customer-, advocate- or public-facing string never may;
- printf: a plural form reached by one number only (Arabic's zero, one and two; Urdu's
  one), which rightly writes that number as a word ("شهران", two months);
- numbers and emails: the few sentences listed below, each with its reason.

The plural header of each catalogue sorts every count from 0 to 1,000 into the same groups
as the language's CLDR plural rules (Welsh has six forms: zero is its own).
"""

import gettext
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest
from babel import Locale
from babel.messages.pofile import read_po

from tests.unit.test_translations import (  # noqa: F401 (a fixture, found by its name)
    ROOT,
    TRANSLATED,
    load,
    public_message_ids,
)

POFILTER = Path(sys.executable).parent / "pofilter"
CHECKS = ["variables", "printf", "xmltags", "urls", "emails", "numbers", "untranslated", "blank"]
FINDING = re.compile(r"\(pofilter\) (\w+):")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")
COUNTS = range(1001)
# The Portuguese catalogue is European Portuguese (telemóvel, ecrã): CLDR's "pt" is Brazil's.
CLDR_LOCALE = {"pt": "pt_PT"}

# Reviewed findings of the numbers and emails checks: a number written as a word (Arabic has
# a dual form), or an example address given in the reader's language.
JUSTIFIED = {
    (
        "ar",
        "numbers",
        "A referral to Community Safety has not been accepted after 2 working days.",
    ): "يومَي عمل: the dual form says two working days",
    ("ar", "numbers", "Enter at least 2 characters."): "حرفين: the dual form says two letters",
    (
        "ar",
        "numbers",
        "If an account uses that email address, we have sent it a link to choose",
    ): "ساعة واحدة: one hour, in words",
    ("ar", "numbers", "Over 1 month, up to 3 months"): "شهر واحد: one month, in words",
    ("ar", "numbers", "Up to 1 month"): "شهر واحد: one month, in words",
    (
        "bn",
        "emails",
        "Enter an email address like name@example.com",
    ): "the example address with Bengali's possessive suffix: name@example.com-এর",
    (
        "pl",
        "emails",
        "Enter an email address like name@example.com",
    ): "the example address in Polish: nazwa@example.com",
}


def pofilter_findings(locale: str, out_dir: Path) -> list[tuple[str, object]]:
    """(check, message) for each finding pofilter writes for the locale's catalogue."""
    source = ROOT / "translations" / locale / "LC_MESSAGES" / "messages.po"
    out = out_dir / f"{locale}.po"
    subprocess.run(
        [str(POFILTER), "--progress=none", f"--language={locale}"]
        + [f"--test={check}" for check in CHECKS]
        + [str(source), str(out)],
        check=True,
        capture_output=True,
    )
    if not out.exists():  # pofilter writes no file when it finds nothing
        return []
    with out.open("rb") as handle:
        catalog = read_po(handle)
    return [
        (check, message)
        for message in catalog
        if message.id
        for comment in message.user_comments
        if (found := FINDING.search(comment)) and (check := found.group(1))
    ]


def plural_form(catalog, n: int) -> int:
    """The form the catalogue's Plural-Forms header picks for ``n`` (as gettext does)."""
    return gettext.c2py(catalog.plural_expr)(n)


def single_number_forms(catalog) -> set[int]:
    """The plural forms only one count reaches: their translation may spell it out."""
    reached = defaultdict(set)
    for n in COUNTS:
        reached[plural_form(catalog, n)].add(n)
    return {form for form, counts in reached.items() if len(counts) == 1}


def printf_is_justified(catalog, message) -> bool:
    if not isinstance(message.id, tuple):
        return False
    wanted = set(PLACEHOLDER.findall(message.id[1]))
    single = single_number_forms(catalog)
    return all(
        set(PLACEHOLDER.findall(text)) == wanted
        or (form in single and set(PLACEHOLDER.findall(text)) < wanted)
        for form, text in enumerate(message.string)
    )


def unjustified(locale, findings, catalog, public_ids) -> list:
    left = []
    for check, message in findings:
        first = message.id[0] if isinstance(message.id, tuple) else message.id
        if check in {"untranslated", "blank"} and message.id not in public_ids:
            continue  # staff-only text, in English until translated
        if check == "printf" and printf_is_justified(catalog, message):
            continue
        if any((locale, check) == key[:2] and first.startswith(key[2]) for key in JUSTIFIED):
            continue
        left.append((check, first))
    return left


@pytest.mark.parametrize("locale", TRANSLATED)
def test_pofilter_finds_nothing_unjustified(locale, tmp_path, public_message_ids):  # noqa: F811
    catalog = load(ROOT / "translations" / locale / "LC_MESSAGES" / "messages.po")
    findings = pofilter_findings(locale, tmp_path)
    assert unjustified(locale, findings, catalog, public_message_ids) == []


def test_every_justification_is_still_needed(tmp_path):
    """A listed reason whose finding has gone (the sentence changed) is removed, not kept."""
    used = set()
    for locale in {key[0] for key in JUSTIFIED}:
        for check, message in pofilter_findings(locale, tmp_path):
            first = message.id[0] if isinstance(message.id, tuple) else message.id
            used |= {k for k in JUSTIFIED if k[:2] == (locale, check) and first.startswith(k[2])}
    assert set(JUSTIFIED) - used == set()


@pytest.mark.parametrize("locale", TRANSLATED)
def test_the_plural_header_groups_counts_as_cldr_does(locale):
    """Every count from 0 to 1,000 falls in the same group of counts under the catalogue's
    Plural-Forms as under CLDR's integer rules (CLDR's forms for fractions never apply)."""
    catalog = load(ROOT / "translations" / locale / "LC_MESSAGES" / "messages.po")
    rule = Locale.parse(CLDR_LOCALE.get(locale, locale)).plural_form
    by_header, by_cldr = defaultdict(set), defaultdict(set)
    for n in COUNTS:
        by_header[plural_form(catalog, n)].add(n)
        by_cldr[rule(n)].add(n)
    assert sorted(map(sorted, by_header.values())) == sorted(map(sorted, by_cldr.values()))
    assert catalog.num_plurals == len(by_header)
