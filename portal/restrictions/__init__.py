"""Restrictions on contact: proposing, approving, reviewing and ending them (s3.2–s3.5)."""

from flask import Blueprint

bp = Blueprint("restrictions", __name__)
