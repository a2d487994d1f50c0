"""The customer record rules shared by the import and the hand form (issue 13 item 1):
each reason a line is refused, and the values as the portal stores them."""

import datetime as dt

import pytest

from portal.customer_records import import_rules as rules

TODAY = dt.date(2026, 12, 3)
GOOD = {
    "reference": " t-100001 ",
    "full_name": "  Aled   Jones ",
    "date_of_birth": "27/3/1980",
    "address": "1 High Street\nBristol",
    "postcode": "bs14dj",
    "email": "Aled@Example.org",
    "phone": "+44 117 496 0000",
    "preferred_language": "Welsh",
    "left_on": "",
}


def test_a_good_line_is_normalised():
    checked = rules.check(GOOD, today=TODAY)
    assert checked.problems == []
    assert checked.values == {
        "reference": "T-100001",
        "full_name": "Aled Jones",
        "date_of_birth": "1980-03-27",
        "address": "1 High Street\nBristol",
        "postcode": "BS1 4DJ",
        "email": "aled@example.org",
        "phone": "+44 117 496 0000",
        "preferred_locale": "cy",
        "left_on": None,
    }


@pytest.mark.parametrize(
    ("column", "text", "reason"),
    [
        ("reference", "", "missing_reference"),
        ("reference", "T 1000 01", "bad_reference"),
        ("reference", "T-" + "1" * 30, "bad_reference"),
        ("full_name", "   ", "missing_name"),
        ("full_name", "A" * 121, "long_name"),
        ("date_of_birth", "31/2/1980", "bad_date_of_birth"),
        ("date_of_birth", "yesterday", "bad_date_of_birth"),
        ("date_of_birth", "2030-01-01", "bad_date_of_birth"),
        ("postcode", "", "bad_postcode"),
        ("postcode", "12345", "bad_postcode"),
        ("email", "aled.example.org", "bad_email"),
        ("email", "aled@example", "bad_email"),
        ("phone", "call me", "bad_phone"),
        ("preferred_language", "Klingon", "unknown_language"),
        ("left_on", "soon", "bad_left_on"),
        ("address", "x" * 301, "long_address"),
    ],
)
def test_each_reason_a_line_is_refused(column, text, reason):
    checked = rules.check({**GOOD, column: text}, today=TODAY)
    assert checked.reason == reason
    assert str(rules.REASONS[reason])


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_formula_looking_cell_is_refused(start):
    checked = rules.check({**GOOD, "address": f'{start}HYPERLINK("http://x")'}, today=TODAY)
    assert ("address", "formula") in checked.problems
    assert checked.reason == "formula"


def test_an_international_phone_number_is_not_a_formula_but_a_formula_in_phone_is():
    assert rules.check({**GOOD, "phone": "+44 117 496 0000"}, today=TODAY).problems == []
    assert rules.check({**GOOD, "phone": "+cmd|' /C calc'!A0"}, today=TODAY).reason == "formula"


@pytest.mark.parametrize(
    ("text", "code"),
    [("", "en"), ("cy", "cy"), ("PL", "pl"), ("pt-BR", "pt"), ("Cymraeg", "cy"), ("Arabic", "ar")],
)
def test_languages_by_code_or_name(text, code):
    assert rules.language_code(text) == code


def test_a_left_on_date_marks_a_former_customer_value():
    checked = rules.check({**GOOD, "left_on": "2026-11-30"}, today=TODAY)
    assert checked.values["left_on"] == "2026-11-30"


def test_every_reason_and_file_reason_has_a_message():
    assert set(rules.REASONS) >= {
        "missing_reference",
        "bad_reference",
        "duplicate_reference",
        "missing_name",
        "bad_date_of_birth",
        "bad_postcode",
        "bad_email",
        "unknown_language",
        "formula",
        "wrong_columns",
    }
    assert set(rules.FILE_REASONS) == {
        "encoding",
        "empty",
        "missing_columns",
        "not_csv",
        "too_large",
    }
