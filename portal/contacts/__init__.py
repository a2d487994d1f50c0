"""Contacts from customers, checked against their restrictions (DESIGN.md "Beyond" 1)."""

from flask import Blueprint

bp = Blueprint("contacts", __name__)
