"""Rules the form fuzz (tests/db/test_form_fuzz.py) found answering 500: a field left out
of a post reaches the service as None, not as empty text."""

import datetime as dt

import pytest

from portal.cases import services
from portal.cases.refusals import OtherAgenciesMissing, UnmetNeedUnstated


@pytest.mark.parametrize(
    ("fields", "refusal"),
    [
        ({"could_be_unmet_need": True, "unmet_need_notes": None}, UnmetNeedUnstated),
        ({"multi_agency_needed": True, "multi_agency_notes": None}, OtherAgenciesMissing),
    ],
)
def test_a_missing_note_is_refused_not_a_crash(fields, refusal):
    with pytest.raises(refusal):
        services.record_needs_consideration(
            None, recorded_by=None, now=dt.datetime(2026, 1, 1, tzinfo=dt.UTC), **fields
        )
