"""Advocates: the customers who have authorised them (s3.2, s6.1)."""

from flask import Blueprint

bp = Blueprint("advocate", __name__)
