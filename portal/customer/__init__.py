"""The customer's own pages: what applies to them, and their letters."""

from flask import Blueprint

bp = Blueprint("customer", __name__)

from portal.customer import routes  # noqa: E402,F401  (registers the views)
