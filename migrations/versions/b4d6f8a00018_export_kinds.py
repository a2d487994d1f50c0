"""which export each background PDF is (issue 18)

The status page of a background PDF said "Annual report as a PDF", and led back to the
annual report, whatever was being made (the policy review pack too). Each export now
records its kind; the print batch of letters to post becomes one too.

Revision ID: b4d6f8a00018
Revises: a3c5e7f90018
"""

import sqlalchemy as sa
from alembic import op

revision = "b4d6f8a00018"
down_revision = "a3c5e7f90018"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("report_exports", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kind", sa.String(length=60), server_default="", nullable=False))


def downgrade():
    with op.batch_alter_table("report_exports", schema=None) as batch_op:
        batch_op.drop_column("kind")
