"""Append to and verify the audit trail (DESIGN.md rule 12; ASVS 16.3, 16.4.2, 16.4.3).

Event names follow the OWASP Logging Vocabulary where one fits (``authn_login_success``,
``authn_login_fail``, ``authn_login_lock``, ``authz_fail``, ``session_end``).

The chain is keyed: each row's hash is HMAC-SHA256(AUDIT_KEY, canonical row including the
previous row's hash). The key lives in the configuration, never in the database, so
someone able to write to the database (even to remove its triggers) cannot recompute a
chain that verifies. Rows written before the key existed (plain SHA-256) are verified as
such up to the keyed ``audit_chain_keyed`` row the migration c5e0f7a20015 appended after
them; that row's hash covers the last of them, so they cannot be rewritten either.

The trail is sixteen chains (issue 18 item 5): an event links to the last event of its
own chain, chosen by who acted (or, for the system, for whom), and appending takes only
that chain's lock, so audited requests by different people on different app servers do
not wait for one another. One transaction keeps to one chain, so it takes one lock and two
transactions can never wait for each other's. The rows' ids still give the whole trail's
order, and within a chain the order of commits (its lock is held until the commit).

Deleting the newest rows leaves a shorter chain that still verifies: checkpoints of the
head, signed with the key and kept outside the database (``portal.audit_checkpoints``),
catch that.
"""

import hashlib
import hmac
import json

from flask import current_app, has_request_context, request
from sqlalchemy import func, select, text

from portal.extensions import db
from portal.models.audit import AuditEvent
from portal.models.types import utcnow

GENESIS_HASH = "0" * 64
CHAINS = 16
# Any constant: with a chain's number, the advisory lock that serialises appends to that
# chain on PostgreSQL, so it never forks.
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


# The row the migration to a keyed chain appends after the unkeyed rows (if there were any).
CHAIN_KEYED = "audit_chain_keyed"


def audit_key() -> bytes:
    return current_app.config["AUDIT_KEY"].encode()


def _hash(event: AuditEvent, key: bytes) -> str:
    return hmac.new(key, _canonical(event).encode(), hashlib.sha256).hexdigest()


def _unkeyed_hash(event: AuditEvent) -> str:
    """How rows were hashed before the chain was keyed."""
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
    actor_id = getattr(actor, "id", None) if actor is not None and actor.is_authenticated else None
    chain, previous = _append_point(actor_id or customer_id or 0)
    event = AuditEvent(
        chain=chain,
        occurred_at=utcnow().replace(microsecond=0),
        actor_user_id=actor_id,
        action=action,
        object_type=object_type,
        object_id=object_id,
        customer_id=customer_id,
        details=details or {},
        remote_addr=request.remote_addr if has_request_context() else None,
        previous_hash=previous,
    )
    event.entry_hash = _hash(event, audit_key())
    db.session.add(event)
    _appended(chain, event)
    if commit:
        db.session.commit()
    return event


def _append_point(who: int) -> tuple[int, str]:
    """The chain an event by or for ``who`` goes in, and the hash it follows.

    One transaction keeps to one chain: the one it already appends to, if any (one lock per
    transaction: none can wait on another's second lock). The chain is locked and its last
    hash read at the transaction's first event; a later event in the same transaction
    follows the one before it, which is still the chain's last (no one else can append
    while the lock is held), so a page that records two events (a case and its special
    category data) takes the lock and reads once, and its events are inserted together.
    An event undone since (a savepoint rolled back) is no longer in the session: the hash
    is then read again."""
    db.session.connection()  # begin the transaction if it has not begun
    session = db.session()  # the request's own session behind the scoped proxy
    transaction = session.get_transaction()
    known = session.info.get("audit_chain")
    if known is not None and known[0] is transaction:
        chain, last = known[1], known[2]
        if last is not None and last in session:
            return chain, last.entry_hash
    else:
        chain = who % CHAINS
        session.info["audit_chain"] = (transaction, chain, None)
        lock_chain(chain)
    previous = db.session.scalar(
        select(AuditEvent.entry_hash)
        .where(AuditEvent.chain == chain)
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )
    return chain, previous or GENESIS_HASH


def _appended(chain: int, event: AuditEvent) -> None:
    """Remember the transaction's newest event (see _append_point)."""
    session = db.session()
    session.info["audit_chain"] = (session.get_transaction(), chain, event)


def lock_chain(chain: int) -> None:
    """Hold the chain's append lock until the transaction ends (PostgreSQL; on SQLite every
    transaction already holds the database's write lock from BEGIN IMMEDIATE)."""
    if db.engine.dialect.name == "postgresql":
        db.session.execute(
            text("SELECT pg_advisory_xact_lock(:k, :chain)"),
            {"k": _PG_AUDIT_LOCK_KEY, "chain": chain},
        )


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


def verify_chain(key: bytes | None = None) -> int | None:
    """The id of the first event whose hash or link does not check out, or None if every
    chain is intact.

    Every row must carry the keyed hash, except rows before the first ``audit_chain_keyed``
    row (written unkeyed by an older version, all in chain 0); with no such row, all rows
    must be keyed, so a chain recomputed without the key fails at its first row.
    """
    key = key or audit_key()
    keyed_from = db.session.scalar(
        select(func.min(AuditEvent.id)).where(AuditEvent.action == CHAIN_KEYED)
    )
    expected_previous: dict[int, str] = {}
    for event in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)):
        keyed = keyed_from is None or event.id >= keyed_from
        digest = _hash(event, key) if keyed else _unkeyed_hash(event)
        if event.previous_hash != expected_previous.get(
            event.chain, GENESIS_HASH
        ) or not hmac.compare_digest(event.entry_hash, digest):
            return event.id
        expected_previous[event.chain] = event.entry_hash
    return None
