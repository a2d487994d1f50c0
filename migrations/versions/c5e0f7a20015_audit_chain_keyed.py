"""the audit chain is keyed from here on: one keyed row after any unkeyed ones

Issue 14 item 8; SECURITY.md §5 (ASVS 16.4.3). From this version each audit row's hash is
HMAC-SHA256 with AUDIT_KEY (from the configuration, never the database). The rows
written before cannot be re-keyed (they are append-only, and rewriting them would
destroy the evidence), so when there are any this migration appends one keyed row,
``audit_chain_keyed``, linked to the last of them. ``portal.audit.verify_chain`` checks
rows before it as plain SHA-256 and every row from it on with the key; since the keyed
row's hash covers the last unkeyed hash, the old rows cannot be rewritten unseen either.
A new, empty trail gets no such row: every row it ever holds is keyed.

The hashing is copied here, frozen, rather than imported from the application.

Revision ID: c5e0f7a20015
Revises: c4d0e7a10015
"""

import datetime as dt
import hashlib
import hmac
import json

import sqlalchemy as sa
from alembic import op
from flask import current_app

revision = "c5e0f7a20015"
down_revision = "c4d0e7a10015"
branch_labels = None
depends_on = None

CHAIN_KEYED = "audit_chain_keyed"

audit_events = sa.table(
    "audit_events",
    sa.column("id", sa.Integer),
    sa.column("occurred_at", sa.DateTime(timezone=True)),
    sa.column("actor_user_id", sa.Integer),
    sa.column("action", sa.String),
    sa.column("object_type", sa.String),
    sa.column("object_id", sa.Integer),
    sa.column("customer_id", sa.Integer),
    sa.column("details", sa.JSON),
    sa.column("remote_addr", sa.String),
    sa.column("previous_hash", sa.String),
    sa.column("entry_hash", sa.String),
)


def _keyed_hash(row: dict, key: bytes) -> str:
    canonical = json.dumps(
        {
            "occurred_at": row["occurred_at"].isoformat(),
            "actor_user_id": row.get("actor_user_id"),
            "action": row["action"],
            "object_type": row.get("object_type"),
            "object_id": row.get("object_id"),
            "customer_id": row.get("customer_id"),
            "details": row["details"],
            "remote_addr": row.get("remote_addr"),
            "previous_hash": row["previous_hash"],
        },
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    return hmac.new(key, canonical.encode(), hashlib.sha256).hexdigest()


def _newest_is_keyed(bind) -> bool:
    newest = bind.execute(sa.select(audit_events).order_by(audit_events.c.id.desc()).limit(1))
    row = dict(newest.mappings().one())
    at = row["occurred_at"]  # SQLite keeps naive UTC; PostgreSQL in the session's zone
    row["occurred_at"] = at.replace(tzinfo=dt.UTC) if at.tzinfo is None else at.astimezone(dt.UTC)
    key = current_app.config["AUDIT_KEY"].encode()
    return hmac.compare_digest(_keyed_hash(row, key), row["entry_hash"])


def upgrade():
    bind = op.get_bind()
    last = bind.execute(
        sa.select(audit_events.c.entry_hash).order_by(audit_events.c.id.desc()).limit(1)
    ).scalar()
    if last is None:
        return
    if _newest_is_keyed(bind):  # upgraded before, then downgraded: already keyed
        return
    unkeyed = bind.execute(sa.select(sa.func.count()).select_from(audit_events)).scalar()
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    row = {
        "occurred_at": now,
        "action": CHAIN_KEYED,
        "details": {"unkeyed_rows": unkeyed},
        "previous_hash": last,
    }
    row["entry_hash"] = _keyed_hash(row, current_app.config["AUDIT_KEY"].encode())
    # SQLite keeps naive UTC (portal.models.types.UTCDateTime); PostgreSQL timestamptz.
    stored = now.replace(tzinfo=None) if bind.dialect.name == "sqlite" else now
    bind.execute(sa.insert(audit_events).values(**(row | {"occurred_at": stored})))


def downgrade():
    # The keyed row stays: the trail is append-only. An older version of the portal reads
    # it as an unkeyed row that does not verify, which is the truth.
    pass
