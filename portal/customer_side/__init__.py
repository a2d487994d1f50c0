"""What a customer and the advocates acting for them both see of the customer's record: the
overview of restrictions, letters and decisions, and the needs page (s6.1, s6.5). Shared by
the customer's own pages (:mod:`portal.my`) and the advocate's (:mod:`portal.advocate`), so
neither area reaches into the other."""
