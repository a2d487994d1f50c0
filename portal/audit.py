"""Append to and verify the audit trail (DESIGN.md rule 12; ASVS 16.3, 16.4.2).

Event names follow the OWASP Logging Vocabulary where one fits (``authn_login_success``,
``authn_login_fail``, ``authz_fail``, ``session_end``).
"""

import hashlib
import json

from flask import has_request_context, request
from sqlalchemy import select, text

from portal.extensions import db
from portal.models.audit import AuditEvent
from portal.models.types import utcnow

GENESIS_HASH = "0" * 64
# Any constant: serialises appends on PostgreSQL so the chain never forks.
_PG_AUDIT_LOCK_KEY = 7_400_113


def _canonical(event: AuditEvent) -> str:
    return json.dumps(
        {
            "occurred_at": event.occurred_at.isoformat(),
            "actor_user_id": event.actor_user_id,
            "action": event.action,
            "object_type": event.object_type,
            "object_id": event.object_id,
            "customer_id": event.customer_id,
            "details": event.details,
            "remote_addr": event.remote_addr,
            "previous_hash": event.previous_hash,
        },
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )


def _hash(event: AuditEvent) -> str:
    return hashlib.sha256(_canonical(event).encode()).hexdigest()


def record(
    action: str,
    *,
    actor=None,
    object_type: str | None = None,
    object_id: int | None = None,
    customer_id: int | None = None,
    details: dict | None = None,
    commit: bool = True,
) -> AuditEvent:
    """Append one event in the current transaction (committing it unless told not to,
    so that the event and the change it records are saved together)."""
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_AUDIT_LOCK_KEY})
    previous = db.session.scalar(
        select(AuditEvent.entry_hash).order_by(AuditEvent.id.desc()).limit(1)
    )
    actor_id = getattr(actor, "id", None) if actor is not None and actor.is_authenticated else None
    event = AuditEvent(
        occurred_at=utcnow().replace(microsecond=0),
        actor_user_id=actor_id,
        action=action,
        object_type=object_type,
        object_id=object_id,
        customer_id=customer_id,
        details=details or {},
        remote_addr=request.remote_addr if has_request_context() else None,
        previous_hash=previous or GENESIS_HASH,
    )
    event.entry_hash = _hash(event)
    db.session.add(event)
    if commit:
        db.session.commit()
    return event


def save_change(
    action: str,
    obj,
    *,
    actor,
    object_type: str,
    customer_id: int | None,
    details: dict | None = None,
) -> AuditEvent:
    """Flush ``obj`` (so it has an id), append its audit event and commit both together:
    a change is never saved without its event, nor an event without its change."""
    db.session.flush()
    event = record(
        action,
        actor=actor,
        object_type=object_type,
        object_id=obj.id,
        customer_id=customer_id,
        details=details,
        commit=False,
    )
    db.session.commit()
    return event


def verify_chain() -> int | None:
    """The id of the first event whose hash or link does not check out, or None if intact."""
    expected_previous = GENESIS_HASH
    for event in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)):
        if event.previous_hash != expected_previous or event.entry_hash != _hash(event):
            return event.id
        expected_previous = event.entry_hash
    return None
