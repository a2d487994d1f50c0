"""Staff: finding a customer and seeing their record, needs first (s6.1; "Beyond" 5)."""

from flask import Blueprint

bp = Blueprint("customers", __name__)

from portal.customers import routes  # noqa: E402,F401  (registers the views)
