"""Signing in and out, for every role."""

from flask import Blueprint

bp = Blueprint("auth", __name__)
