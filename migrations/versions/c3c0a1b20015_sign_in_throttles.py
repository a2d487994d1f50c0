"""sign-in throttles per email address replace the per-user lockout (issue 14 item 3)

Revision ID: c3c0a1b20015
Revises: c0f1a2b30015
"""

import sqlalchemy as sa
from alembic import op

revision = "c3c0a1b20015"
down_revision = "c0f1a2b30015"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "sign_in_throttles",
        sa.Column("email_key", sa.String(length=64), nullable=False),
        sa.Column("failed_tries", sa.Integer(), nullable=False),
        sa.Column("wrong_guesses", sa.Integer(), nullable=False),
        sa.Column("last_failed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("next_try_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("locked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("email_key", name=op.f("pk_sign_in_throttles")),
    )
    # A plain DROP COLUMN (SQLite 3.35+), not a batch copy of the table: copying ``users``
    # would drop the old table, and with foreign keys on that cascades to its children.
    op.execute("ALTER TABLE users DROP COLUMN locked_until")
    op.execute("ALTER TABLE users DROP COLUMN failed_sign_in_count")


def downgrade():
    op.add_column(
        "users",
        sa.Column("failed_sign_in_count", sa.Integer(), nullable=False, server_default="0"),
    )
    op.add_column("users", sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True))
    op.drop_table("sign_in_throttles")
