"""Demonstration data for ``flask demo load`` (development only).

- :mod:`portal.demo.personas`: one account per role and customers in the situations the
  README lists, with dates relative to today;
- :mod:`portal.demo.history`: a closed two-year history (about 300 customers, 40 cases) so
  the reports have figures, with its people and scenarios beside it.

Production refuses to start while any demo account exists.
"""

from portal.demo.history import load_demo_history
from portal.demo.personas import (
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    DEMO_TOTP_SECRET,
    DemoDataRefused,
    load_demo_data,
    refuse_production_with_demo_accounts,
)

__all__ = [
    "DEMO_ACCOUNTS",
    "DEMO_PASSWORD",
    "DEMO_TOTP_SECRET",
    "DemoDataRefused",
    "load_demo_data",
    "load_demo_history",
    "refuse_production_with_demo_accounts",
]
