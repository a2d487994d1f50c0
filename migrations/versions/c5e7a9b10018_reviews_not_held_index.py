"""an index of the reviews not yet held (issue 18)

The reviews queue's "ended, awaiting review" list starts from the reviews not yet held: a
few hundred, while held reviews pile up without end (8,167 at the largest landlord's
scale, read in full on every visit). A partial index holds only the ones not held.

Revision ID: c5e7a9b10018
Revises: b4d6f8a00018
"""

import sqlalchemy as sa
from alembic import op

revision = "c5e7a9b10018"
down_revision = "b4d6f8a00018"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.create_index(
            "ix_reviews_not_held",
            ["restriction_id"],
            unique=False,
            sqlite_where=sa.text("held_on IS NULL"),
            postgresql_where=sa.text("held_on IS NULL"),
        )


def downgrade():
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.drop_index("ix_reviews_not_held")
