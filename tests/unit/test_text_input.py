"""Which characters typed text may hold (portal.text_input; issue 14 item 6)."""

import pytest

from portal.text_input import CONTROL, DIRECTION, hidden_characters, without_hidden_characters


@pytest.mark.parametrize(
    "character", ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\x9f"]
)
@pytest.mark.parametrize("multi_line", [True, False])
def test_control_characters_are_refused_in_any_text(character, multi_line):
    assert hidden_characters(f"before{character}after", multi_line=multi_line) == CONTROL


@pytest.mark.parametrize("character", ["\t", "\n", "\r"])
def test_tab_and_new_lines_belong_only_in_multi_line_text(character):
    assert hidden_characters(f"one{character}two", multi_line=True) is None
    assert hidden_characters(f"one{character}two", multi_line=False) == CONTROL


@pytest.mark.parametrize(
    "character",
    ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"],
)
def test_direction_overrides_are_refused_in_single_line_text_only(character):
    assert hidden_characters(f"T-100{character}234", multi_line=False) == DIRECTION
    assert hidden_characters(f"T-100{character}234", multi_line=True) is None


@pytest.mark.parametrize(
    "text",
    ["", "Jordan Ellis", "Siân O'Brien-Jones", "محمد علي", "ਸਤ ਸ੍ਰੀ ਅਕਾਲ", "Łódź 😀", "\u200fmark"],
)
def test_ordinary_text_in_any_script_is_kept(text):
    assert hidden_characters(text, multi_line=False) is None
    assert hidden_characters(text, multi_line=True) is None


def test_a_name_nobody_typed_loses_its_hidden_characters():
    assert without_hidden_characters("evil\u202efdp.exe\x00\n") == "evilfdp.exe"
