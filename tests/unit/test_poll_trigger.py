"""Waiting pages ask again at spread-out moments (issue 18 item 4): twenty people who asked
for their files together must not poll in one wave every two seconds."""

from portal import htmx
from tests.helpers import poll_delay_ms


def _delay(kind: str) -> int:
    delay = poll_delay_ms(htmx.poll_trigger(kind))
    assert delay is not None, kind
    return delay


def test_each_ask_is_due_within_a_quarter_of_the_interval_either_side():
    for kind, seconds in htmx.POLL_SECONDS.items():
        delays = [_delay(kind) for _ in range(400)]
        assert min(delays) >= seconds * 750 and max(delays) <= seconds * 1250, kind
        # Spread over the window, not bunched: both halves are used.
        assert min(delays) < seconds * 900 and max(delays) > seconds * 1100, kind
