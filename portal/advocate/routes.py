from flask import render_template
from flask_login import current_user

from portal.advocate import bp
from portal.advocate.services import valid_authorities_for
from portal.clock import today
from portal.models.vocab import Role
from portal.security import access


@bp.route("/")
@access(roles=[Role.ADVOCATE])
def home():
    authorities = valid_authorities_for(current_user.id, today())
    return render_template("advocate/home.html", authorities=authorities)
