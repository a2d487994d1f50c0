from flask import abort, render_template

from portal.clock import today
from portal.database import database_is_reachable
from portal.policy import related, versions
from portal.public import bp
from portal.security import PUBLIC, access


@bp.route("/")
@access(PUBLIC)
def start():
    return render_template("public/start.html")


@bp.route("/accessibility")
@access(PUBLIC)
def accessibility():
    return render_template("public/accessibility.html")


@bp.route("/housing-ombudsman")
@access(PUBLIC)
def housing_ombudsman():
    return render_template("public/housing_ombudsman.html")


@bp.route("/health")
@access(PUBLIC)
def health():
    """For the load balancer: 200 when the database answers, 503 when it does not."""
    if database_is_reachable():
        return {"status": "ok"}
    return {"status": "database unavailable"}, 503


@bp.route("/the-policy")
@access(PUBLIC)
def policy():
    """The Managed Behaviour Policy in plain words (s6.5: other formats on request), the
    version in force and its review date (s5.4, s9), and the documents it names (s8)."""
    return render_template(
        "public/policy.html",
        version=versions.in_force_on(today()),
        related=related.related_documents(),
    )


@bp.route("/the-policy/full-text")
@access(PUBLIC)
def policy_full_text():
    """The version in force, word for word as approved (in English: s6.5 other languages
    and formats on request)."""
    version = versions.in_force_on(today())
    if version is None:
        abort(404)
    return render_template("public/policy_full_text.html", version=version)


@bp.route("/your-rights")
@access(PUBLIC)
def rights():
    """The right to appeal (s3.4), to ask for reconsideration (s4), and to the Housing
    Ombudsman (s3.4)."""
    return render_template("public/rights.html")


@bp.route("/complaints")
@access(PUBLIC)
def complaints():
    """How to complain about the policy itself (s7)."""
    return render_template("public/complaints.html")
