"""The Housing Ombudsman evidence pack (policy s3.4): one case's whole chronology as a PDF
(``pack``)."""
