"""Staff: managed-behaviour cases, from the first incident on (s3.1–s3.3, s6)."""

from flask import Blueprint

bp = Blueprint("cases", __name__)
