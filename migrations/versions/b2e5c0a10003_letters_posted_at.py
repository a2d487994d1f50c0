"""letters: when a paper copy was printed and posted (issue 5, print batch)

Revision ID: b2e5c0a10003
Revises: a1d17e0a0002
"""

import sqlalchemy as sa
from alembic import op

revision = "b2e5c0a10003"
down_revision = "a1d17e0a0002"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("letters") as batch:
        batch.add_column(sa.Column("posted_at", sa.DateTime(timezone=True), nullable=True))
    # The print queue: issued letters that need a paper copy and have not gone yet.
    op.create_index(
        "ix_letters_needs_post_posted_at", "letters", ["needs_post", "posted_at"], unique=False
    )


def downgrade():
    op.drop_index("ix_letters_needs_post_posted_at", table_name="letters")
    with op.batch_alter_table("letters") as batch:
        batch.drop_column("posted_at")
