"""Reports (issue 8): the annual report (s5.1), equality monitoring (s6.2–6.3) and the
Housing Ombudsman evidence pack (s3.4; DESIGN.md "Beyond" 9 and 10)."""

from flask import Blueprint

bp = Blueprint("reports", __name__)
