"""Pages anyone can read without signing in."""

from flask import Blueprint

bp = Blueprint("public", __name__)

from portal.public import routes  # noqa: E402,F401  (registers the views)
