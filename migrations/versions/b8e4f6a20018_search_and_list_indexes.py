"""indexes for the customer search and the routed-contacts list (issue 18)

Trigram indexes (PostgreSQL's pg_trgm, a trusted extension the database owner may create)
serve staff search by any part of a name, reference or postcode; SQLite scans. An index on
who a contact was routed to, and when, serves a single point of contact's list.

Revision ID: b8e4f6a20018
Revises: a7c3e5f10018
"""

from alembic import op

revision = "b8e4f6a20018"
down_revision = "a7c3e5f10018"
branch_labels = None
depends_on = None

TRIGRAM_INDEXES = {
    "ix_customers_full_name_trgm": "lower(full_name)",
    "ix_customers_reference_trgm": "lower(reference)",
    "ix_customers_postcode_trgm": "replace(postcode, ' ', '')",
}


def upgrade():
    with op.batch_alter_table("contact_log_entries", schema=None) as batch_op:
        batch_op.create_index(
            "ix_contact_log_entries_routed_to_occurred_at",
            ["routed_to_user_id", "occurred_at", "id"],
            unique=False,
        )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for name, expression in TRIGRAM_INDEXES.items():
            op.execute(f"CREATE INDEX {name} ON customers USING gin ({expression} gin_trgm_ops)")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for name in TRIGRAM_INDEXES:
            op.execute(f"DROP INDEX IF EXISTS {name}")
    with op.batch_alter_table("contact_log_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_contact_log_entries_routed_to_occurred_at")
