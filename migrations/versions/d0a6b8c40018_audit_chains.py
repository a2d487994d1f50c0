"""the audit trail as sixteen chains, so audited requests do not all wait on one lock
(issue 18 item 5)

Every audited request on every app server took one PostgreSQL advisory lock to append to
one hash chain, so case views across all machines happened one at a time. An event now
joins one of sixteen chains, chosen by who acted (or for whom), each with its own lock and
its own links; the rows' ids still give the trail's order. Rows already written are chain
0, which goes on from them.

Revision ID: d0a6b8c40018
Revises: c9f5a7b30018
"""

import sqlalchemy as sa
from alembic import op

revision = "d0a6b8c40018"
down_revision = "c9f5a7b30018"
branch_labels = None
depends_on = None


def upgrade():
    # A plain ADD COLUMN (never a batch rebuild): the table's append-only triggers stay.
    op.add_column(
        "audit_events",
        sa.Column("chain", sa.SmallInteger(), nullable=False, server_default=sa.text("0")),
    )
    op.create_index("ix_audit_events_chain_id", "audit_events", ["chain", "id"])


def downgrade():
    # Going back to one chain would need every later row re-linked, which the append-only
    # table refuses (rewriting the trail is what it exists to prevent): only a trail whose
    # rows are all in chain 0 goes back.
    spread = op.get_bind().scalar(sa.text("SELECT count(*) FROM audit_events WHERE chain <> 0"))
    if spread:
        raise RuntimeError(f"{spread} audit events are in chains other than 0: not downgraded")
    op.drop_index("ix_audit_events_chain_id", table_name="audit_events")
    # SQLite 3.35+ drops a column in place; a batch rebuild would lose the triggers.
    op.execute("ALTER TABLE audit_events DROP COLUMN chain")
