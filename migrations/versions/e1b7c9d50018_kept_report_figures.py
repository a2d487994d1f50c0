"""a closed period's annual-report figures kept as first worked out (issue 18)

Revision ID: e1b7c9d50018
Revises: d0a6b8c40018
"""

import sqlalchemy as sa
from alembic import op

revision = "e1b7c9d50018"
down_revision = "d0a6b8c40018"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "kept_report_figures",
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("worked_out_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_kept_report_figures")),
    )


def downgrade():
    op.drop_table("kept_report_figures")
