"""The customer's own pages: what applies to them, and their letters."""

from flask import Blueprint

bp = Blueprint("my", __name__)
