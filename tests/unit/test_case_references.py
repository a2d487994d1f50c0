"""One format for case references, wherever a case is made (issue 15 item 12)."""

import re

from portal.cases.references import case_reference
from portal.demo import history_people, retention_examples

FORMAT = re.compile(r"MB-(\d{4}|H)-\d{5}")


def test_live_demo_and_history_cases_share_one_format():
    assert case_reference(2026, 42) == "MB-2026-00042"
    for reference in (
        case_reference(2026, 1),
        history_people.case_reference(0),
        retention_examples.CASE_REFERENCE,
    ):
        assert FORMAT.fullmatch(reference), reference
