"""The customer's own pages: what applies to them, and their letters."""

from flask import Blueprint

bp = Blueprint("my", __name__)

from portal.my import routes  # noqa: E402,F401  (registers the views)
