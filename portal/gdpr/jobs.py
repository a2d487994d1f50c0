"""Slow data protection work, off the request path."""

from portal.gdpr import services
from portal.models.types import utcnow


def make_subject_access_export(request_id: int) -> None:
    """Make the export for a recorded request."""
    services.make_export(request_id, utcnow())
