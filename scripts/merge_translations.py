"""Merge translated strings from a JSON file into a locale's catalogue.

Used when a batch of strings is translated outside Babel (for example by a translator working
from an exported list). The JSON maps each English msgid to its translation; plural entries map
the singular msgid to a list holding one string per plural form of the locale.

    python scripts/merge_translations.py cy /tmp/cy_batch.json
"""

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent


def merge(locale: str, batch_path: str) -> int:
    po_path = ROOT / "translations" / locale / "LC_MESSAGES" / "messages.po"
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    batch = json.loads(Path(batch_path).read_text(encoding="utf-8"))
    merged = 0
    for message in catalog:
        if not message.id:
            continue
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        if key not in batch or not batch[key]:
            continue
        wanted = batch[key]
        if isinstance(message.id, tuple):
            forms = wanted if isinstance(wanted, list) else [wanted]
            count = catalog.num_plurals
            message.string = tuple((forms + [forms[-1]] * count)[:count])
        else:
            message.string = wanted if isinstance(wanted, str) else wanted[0]
        message.flags.discard("fuzzy")
        merged += 1
    with po_path.open("wb") as handle:
        write_po(handle, catalog, width=76, no_location=True, sort_output=True)
    return merged


if __name__ == "__main__":
    print(f"merged {merge(sys.argv[1], sys.argv[2])} strings")
