"""Flask-Login's user loader, backed by the server-side session table."""

from flask import current_app, session

from portal.auth.services import user_for_session
from portal.models.types import utcnow


def load_signed_in_user(user_id: str):
    config = current_app.config
    return user_for_session(
        session.get("sid"),
        user_id,
        now=utcnow(),
        idle=config["SESSION_IDLE_TIMEOUT"],
        absolute=config["SESSION_ABSOLUTE_TIMEOUT"],
    )
