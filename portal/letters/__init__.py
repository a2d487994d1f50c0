"""Letters (s3.2 "communicated in writing", s6.5 other formats): composed from the case,
checked for completeness, frozen when issued, rendered in every format and language."""

from flask import Blueprint

bp = Blueprint("letters", __name__)
