"""Appeals (s3.4) and reconsideration requests (s4): made online by the customer or their
advocate, decided by the appeals director within the policy's time limits."""

from flask import Blueprint

bp = Blueprint("challenges", __name__)


@bp.app_context_processor
def _challenge_helpers():
    from portal.challenges.forms import status_label
    from portal.challenges.where_it_stands import answer_by, challenge_line

    return {
        "challenge_status": status_label,
        "challenge_line": challenge_line,
        "answer_by": answer_by,
    }
