"""Your account (issue 13 item 3 and 4): recent sign-ins, password, email address, other
devices, and the second factor. For everyone who signs in, about their own account only."""

from flask import Blueprint

bp = Blueprint("account", __name__)
