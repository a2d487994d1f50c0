"""Restrictions on contact: proposing, approving, reviewing and ending them (s3.2–s3.5)."""

from flask import Blueprint

bp = Blueprint("restrictions", __name__)

from portal.restrictions import routes  # noqa: E402,F401  (registers the views)
