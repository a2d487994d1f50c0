"""Slow data protection work, off the request path: run by ``flask jobs work``."""

from portal.extensions import db
from portal.gdpr import services
from portal.jobs import handler
from portal.models import SubjectAccessRequest
from portal.models.types import utcnow


@handler(services.SUBJECT_ACCESS_EXPORT)
def make_subject_access_export(payload: dict, job) -> None:
    """Make the export for a recorded request (safe to run again: it replaces it)."""
    if db.session.get(SubjectAccessRequest, payload["request_id"]) is None:
        return  # removed under the retention schedule before the worker got to it
    services.make_export(payload["request_id"], utcnow())
