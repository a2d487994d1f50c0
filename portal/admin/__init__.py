"""The admin's job (issue 13 item 5): colleagues in, roles given and taken, accounts
disabled and enabled, lost authenticators reset. Account facts only: an admin sees no
case content (DESIGN.md, "Who uses it")."""

from flask import Blueprint

bp = Blueprint("admin", __name__)
