"""Equality monitoring (policy s6.2–6.3): who is restricted, group by group, compared with
the whole customer base (``monitoring``), and its tables (``tables``)."""
