"""Staff: finding a customer and seeing their record, needs first (s6.1; "Beyond" 5)."""

from flask import Blueprint

bp = Blueprint("customer_records", __name__)
