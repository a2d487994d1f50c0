"""Catalogues: the committed .pot is fresh, and every locale is complete and compiles."""

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from portal.config import SUPPORTED_LOCALES

ROOT = Path(__file__).resolve().parents[2]
PYBABEL = Path(sys.executable).parent / "pybabel"
TRANSLATED = [code for code in SUPPORTED_LOCALES if code != "en"]


def load(path: Path):
    with path.open("rb") as handle:
        return read_po(handle)


POT = ROOT / "translations" / "messages.pot"


def message_ids(catalog) -> set:
    return {
        message.id if isinstance(message.id, str) else tuple(message.id)
        for message in catalog
        if message.id
    }


def test_the_committed_pot_matches_the_code(tmp_path):
    fresh = tmp_path / "messages.pot"
    subprocess.run(
        [
            str(PYBABEL),
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "--no-location",
            "--sort-output",
            "-o",
            str(fresh),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    committed = load(POT)
    extracted = load(fresh)
    missing = message_ids(extracted) - message_ids(committed)
    stale = message_ids(committed) - message_ids(extracted)
    assert not missing and not stale, (
        f"run `make translations`: {len(missing)} new, {len(stale)} removed strings"
    )


def untranslated(catalog, wanted=None) -> list:
    return [
        m.id
        for m in catalog
        if m.id
        and (wanted is None or m.id in wanted)
        and (not m.string or (isinstance(m.string, tuple) and not all(m.string)))
    ]


@pytest.fixture(scope="module")
def public_message_ids(tmp_path_factory) -> set:
    """Every string on customer-, advocate- and public-facing pages (babel-public.cfg)."""
    out = tmp_path_factory.mktemp("pot") / "public.pot"
    subprocess.run(
        [
            str(PYBABEL),
            "extract",
            "-F",
            "babel-public.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "--no-location",
            "-o",
            str(out),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return {m.id for m in load(out) if m.id}


@pytest.mark.parametrize("locale", TRANSLATED)
def test_customer_and_advocate_text_is_complete_and_nothing_is_fuzzy(locale, public_message_ids):
    """Issue 7's rule: no untranslated or fuzzy entry in customer- and advocate-facing text.
    Staff-only strings may lag behind (they show in English until translated)."""
    catalog = load(ROOT / "translations" / locale / "LC_MESSAGES" / "messages.po")
    assert len(public_message_ids) > 100
    assert untranslated(catalog, public_message_ids) == []
    assert [m.id for m in catalog if m.id and m.fuzzy] == []
    assert message_ids(catalog) == message_ids(load(POT))


@pytest.mark.parametrize("locale", TRANSLATED)
def test_every_catalogue_compiles_and_keeps_its_placeholders(locale, tmp_path):
    path = ROOT / "translations" / locale / "LC_MESSAGES" / "messages.po"
    catalog = load(path)
    problems = [(message.id, errors) for message, errors in catalog.check() if errors]
    assert problems == []
    with (tmp_path / "messages.mo").open("wb") as out:
        write_mo(out, catalog)
    assert (tmp_path / "messages.mo").stat().st_size > 0


@pytest.mark.parametrize("locale", TRANSLATED)
def test_the_header_says_how_it_was_translated(locale):
    """Kept in the header comment: ``pybabel update`` drops custom X- header fields."""
    header = load(ROOT / "translations" / locale / "LC_MESSAGES" / "messages.po").header_comment
    assert "Translation-Method:" in header
    assert "Fluent-Speaker-Review:" in header
