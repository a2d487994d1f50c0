"""Staff work queues, one home per staff role."""

from flask import Blueprint

bp = Blueprint("staff", __name__)
