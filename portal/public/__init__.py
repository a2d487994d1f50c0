"""Pages anyone can read without signing in."""

from flask import Blueprint

bp = Blueprint("public", __name__)
