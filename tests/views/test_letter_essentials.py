"""Issue 16 item 3: every format tells the customer the same essential facts.

Every kind of letter (portal.letters.essentials says what each must tell) is built in every
language and rendered in every format that language has: the web page, plain text, the
words given to the speech engine, braille read back by liblouis, and the PDFs (standard,
large print and easy read) read back by pypdf. Each essential fact must be found in each.
PDFs are read for every kind in English, Welsh and Arabic (left to right and right to
left). A PDF is the web page's own HTML laid out by WeasyPrint, so its words are checked in
that HTML in every language; pypdf cannot read shaped Bengali, Gurmukhi or Urdu back in
order (a vowel sign drawn before its consonant comes out first), so those PDFs are checked
for their script in tests/views/test_letter_scripts.py instead.

Found means: the fact's letters and digits appear, in order, in the format's letters and
digits (line breaks, page numbers and bidi marks set aside). In a right-to-left PDF the
extractor gives each line's runs in visual order, so there each word of the fact must
appear. Braille is read back by liblouis; where a table reads back lossily (Welsh contracts
English words its own way; Arabic, Panjabi and Spanish punctuation), the fact's own cells,
translated by the same pipeline, must appear in the file instead.
Easy read keeps its sentences to 15 words or fewer.
"""

import io
import re
import unicodedata

import pypdf
import pytest
from lxml import html as lxml_html

from portal import reach_us
from portal.bidi import without_marks
from portal.config import SUPPORTED_LOCALES
from portal.letters import braille, render
from portal.letters.essentials import essentials
from portal.letters.facts import ombudsman_facts
from portal.letters.sections import in_locale
from portal.letters.wording import build_document

REFERENCE = "L-2026-000123"
PDF_LANGUAGES = {"en", "cy", "ar"}
KINDS = [
    "restriction_notice",
    "informal_warning",
    "review_outcome",
    "restriction_ended",
    "appeal_acknowledgement",
    "appeal_decision",
    "reconsideration_acknowledgement",
    "reconsideration_decision",
    "complaint_refusal",
]


def _measure(option, **values) -> dict:
    keys = (
        "permitted_channel permitted_weekdays permitted_from permitted_until contact_limit "
        "limit_period single_point_of_contact_name declined_complaint_reference "
        "declined_complaint_reason barred_premises advocate_offered_on"
    ).split()
    return {"option": option} | dict.fromkeys(keys) | values


def facts_for(kind: str) -> dict:
    """A letter's frozen facts, as portal.letters.facts.gather writes them."""
    restricted = reach_us.GENERAL.as_facts() | {"restricted": True, "channels": ["email"]}
    facts = {
        "kind": kind,
        "landlord": "Alliance Homes",
        "letter_date": "2026-12-04",
        "customer_name": "Jordan Ellis",
        "address": ["14 Clift Road", "Bristol", "BS3 1AB"],
        "customer_reference": "T-100234",
        "case_reference": "MB-2026-0042",
        "signatory_name": "Ravi Shah",
        "signatory_role": "review_manager",
        "appeals_director_name": "Helen Price",
        "ombudsman": ombudsman_facts(),
        "contact_name": "Alex Morgan",
        "reach": restricted if kind in {"restriction_notice", "review_outcome"} else None,
    }
    facts["reach"] = facts["reach"] or reach_us.GENERAL.as_facts()
    return facts | EXTRA[kind]


EXTRA = {
    "restriction_notice": {
        "measures": [
            _measure("single_channel", permitted_channel="email"),
            _measure(
                "set_times",
                permitted_weekdays="0,2",
                permitted_from="10:00",
                permitted_until="12:30",
            ),
            _measure("contact_limit", contact_limit=3, limit_period="week"),
            _measure("premises_barred", barred_premises="the Bedminster office"),
        ],
        "behaviours": [{"on": "2026-11-20", "types": ["verbal_abuse_or_violence"]}],
        "reason": "Eleven calls in one day about one repair, with threats to staff.",
        "starts_on": "2026-12-07",
        "ends_on": "2027-06-06",
        "next_review_on": "2027-03-05",
        "review_frequency": "quarterly",
    },
    "informal_warning": {
        "step_on": "2026-11-28",
        "step_kind": "conversation",
        "step_description": "We talked about the calls to the repairs line.",
    },
    "review_outcome": {
        "held_on": "2027-03-05",
        "behaviour_improved": False,
        "outcome": "keep",
        "explanation": "The calls have gone on since the last review.",
        "ends_on": "2027-06-06",
        "next_review_on": "2027-06-01",
    },
    "restriction_ended": {
        "starts_on": "2026-12-07",
        "ended_on": "2027-03-05",
        "end_status": "lifted",
    },
    "appeal_acknowledgement": {
        "appeal_reference": "AP-2026-0007",
        "received_on": "2026-12-10",
        "subject": "restriction",
        "decision_due_on": "2026-12-24",
    },
    "appeal_decision": {
        "appeal_reference": "AP-2026-0007",
        "received_on": "2026-12-10",
        "subject": "restriction",
        "decision": "vary",
        "decision_reasons": "The restriction was wider than the behaviour called for.",
        "decided_on": "2026-12-20",
    },
    "reconsideration_acknowledgement": {
        "request_reference": "RC-2026-0003",
        "received_on": "2026-12-10",
        "subject": "restriction",
        "ground": "change_in_circumstances",
        "answer_due_on": "2026-12-24",
    },
    "reconsideration_decision": {
        "request_reference": "RC-2026-0003",
        "received_on": "2026-12-10",
        "subject": "restriction",
        "ground": "factual_error",
        "decision": "no_change",
        "decision_reasons": "The dates of the calls were right.",
        "decided_on": "2026-12-22",
    },
    "complaint_refusal": {
        "complaint_reference": "CMP-2026-0190",
        "complaint_reason": "It raises the same repair we answered on 3 November.",
        "decided_on": "2026-12-01",
    },
}


def letters_and_digits(text: str) -> str:
    """What is compared: letters, digits and marks only, in reading order (NFKC turns the
    Arabic presentation forms a PDF holds back into letters)."""
    text = unicodedata.normalize("NFKC", without_marks(text))
    return "".join(c for c in text if unicodedata.category(c)[0] in "LNM").casefold()


def html_text(data: bytes) -> str:
    return lxml_html.fromstring(data).text_content()


PAGE_NUMBER = re.compile(r"^\s*\d+\s*/\s*\d+\s*$", re.MULTILINE)


def pdf_text(data: bytes) -> str:
    """Every piece of text the PDF draws, in the order drawn (pypdf's own reordering of a
    right-to-left line drops the numbers in it)."""
    pieces = []
    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        page.extract_text(visitor_text=lambda text, *_: pieces.append(text))
    return PAGE_NUMBER.sub("", "".join(pieces))


def braille_cells(text: str, locale: str) -> str:
    """Text as the letter pipeline writes it in braille, without spaces."""
    runs = braille._translated_runs(text.splitlines(), locale)
    return "".join(run for line in runs for run, _spaced in line).replace(" ", "")


def braille_reading(data: bytes, locale: str) -> str:
    """The file read back with the language's table and with its address table (the page
    numbers on each page's last line left out)."""
    cells = braille.from_braille_ascii(" ".join(braille.text_lines(data.decode("ascii"))))
    tables = {braille.table_for(locale), braille.address_table(locale)}
    return "\n".join(braille.translate(cells, table, backward=True) for table in tables)


def said_in_every_format(app, document: dict, locale: str, kind: str, monkeypatch) -> dict:
    """Each format's words, as the customer gets them."""
    formats = {
        "web page": html_text(render.render(document, REFERENCE, render.FORMATS["html"], locale))
    }
    formats["plain text"] = render.render(
        document, REFERENCE, render.FORMATS["text"], locale
    ).decode()
    easy = render.document_html(document, REFERENCE, "easy-read")
    formats["easy read page"] = html_text(easy.encode())
    if render.available(render.FORMATS["audio"], locale):
        spoken = []
        monkeypatch.setattr(
            render.audio, "render_mp3", lambda text, *a, **k: spoken.append(text) or b""
        )
        render.render(document, REFERENCE, render.FORMATS["audio"], locale)
        formats["audio (the words spoken)"] = spoken[0]
    if render.available(render.FORMATS["braille"], locale):
        data = render.render(document, REFERENCE, render.FORMATS["braille"], locale)
        formats["braille"] = braille_reading(data, locale)
        formats["braille cells"] = "".join(braille.text_lines(data.decode("ascii"))).replace(
            " ", ""
        )
    if locale in PDF_LANGUAGES:
        for slug in ("pdf", "large-print", "easy-read"):
            data = render.render(document, REFERENCE, render.FORMATS[slug], locale)
            formats[f"PDF ({slug})"] = pdf_text(data)
    return formats


RIGHT_TO_LEFT = {"ar", "ur"}


def is_said(fact: str, text: str, name: str, locale: str, formats: dict) -> bool:
    said = letters_and_digits(text)
    if letters_and_digits(fact) in said:
        return True
    if name.startswith("PDF") and locale in RIGHT_TO_LEFT:
        return all(letters_and_digits(word) in said for word in re.findall(r"\w+", fact))
    if name == "braille":
        return braille_cells(fact, locale) in formats["braille cells"]
    return False


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_every_format_of_every_letter_tells_every_essential_fact(app, locale, monkeypatch):
    missing = []
    with app.test_request_context():
        for kind in KINDS:
            facts = facts_for(kind)
            document = build_document(facts, REFERENCE, locale)
            with in_locale(locale):
                wanted = essentials(facts)
            assert wanted, kind
            formats = said_in_every_format(app, document, locale, kind, monkeypatch)
            for name, text in formats.items():
                if name == "braille cells":  # the file itself, for is_said
                    continue
                missing += [
                    (kind, name, fact.name)
                    for fact in wanted
                    if not any(is_said(t, text, name, locale, formats) for t in fact.texts)
                ]
    assert missing == [], "\n".join(" · ".join(m) for m in missing)


@pytest.mark.parametrize("locale", ["en"])
def test_easy_read_sentences_have_at_most_fifteen_words(app, locale):
    with app.test_request_context():
        for kind in KINDS:
            document = build_document(facts_for(kind), REFERENCE, locale)
            for line in document["easy_read"]:
                if line.get("lang"):  # staff's own words, quoted as written
                    continue
                for sentence in re.split(r"(?<=[.?!:])\s+", line["text"]):
                    assert len(sentence.split()) <= 15, (kind, sentence)
