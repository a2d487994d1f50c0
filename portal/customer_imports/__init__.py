"""Customer imports from the housing management system, and customers added or corrected
by hand, for the data steward (issue 13 item 1, "Customers in")."""

from flask import Blueprint

bp = Blueprint("customer_imports", __name__)
