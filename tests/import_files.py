"""CSV exports for the customer import tests: built from rows, as the housing management
system would write them."""

import csv
import io

HEADER = [
    "reference",
    "full_name",
    "date_of_birth",
    "address",
    "postcode",
    "email",
    "phone",
    "preferred_language",
    "left_on",
]


def line(reference, name="Test Person", **fields) -> dict:
    return {
        "reference": reference,
        "full_name": name,
        "date_of_birth": fields.get("date_of_birth", "1/2/1970"),
        "address": fields.get("address", "1 High Street"),
        "postcode": fields.get("postcode", "BS1 4DJ"),
        "email": fields.get("email", ""),
        "phone": fields.get("phone", ""),
        "preferred_language": fields.get("preferred_language", "en"),
        "left_on": fields.get("left_on", ""),
    }


def export(rows, header=HEADER, bom=False) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return ("\ufeff" if bom else "").encode() + buffer.getvalue().encode()
