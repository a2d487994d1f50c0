"""per-network-address rate limits counted in the database (issue 13, SECURITY.md §4)

Revision ID: b8d3f5a10014
Revises: a7c2e4f60013
"""

import sqlalchemy as sa
from alembic import op

revision = "b8d3f5a10014"
down_revision = "a7c2e4f60013"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "rate_limit_windows",
        sa.Column("bucket", sa.String(length=40), nullable=False),
        sa.Column("client_key", sa.String(length=64), nullable=False),
        sa.Column("window", sa.BigInteger(), nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("bucket", "client_key", "window", name=op.f("pk_rate_limit_windows")),
    )


def downgrade():
    op.drop_table("rate_limit_windows")
