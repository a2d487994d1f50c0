"""Data protection: subject access requests, legal holds and the retention schedule, for
the data steward (UK GDPR Art. 5(1)(e), 15; issue 13 items 6 and 7)."""

from flask import Blueprint

bp = Blueprint("gdpr", __name__)
