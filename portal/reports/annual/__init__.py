"""The annual report to leadership (policy s5.1): figures from aggregate queries
(``figures``) and the tables every format shows (``tables``)."""
