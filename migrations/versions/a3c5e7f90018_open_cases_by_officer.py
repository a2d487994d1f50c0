"""an index of each officer's open cases (issue 18)

The case list, its count and the letters to issue all ask for one officer's open cases;
the officer index alone read every case they ever held, closed ones too (9,986 rows for
1,903 open at the largest landlord's scale). A partial index holds only the open ones.

Revision ID: a3c5e7f90018
Revises: f2a4c6e80017
"""

import sqlalchemy as sa
from alembic import op

revision = "a3c5e7f90018"
down_revision = "f2a4c6e80017"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.create_index(
            "ix_cases_open_by_officer",
            ["case_officer_id"],
            unique=False,
            sqlite_where=sa.text("closed_at IS NULL"),
            postgresql_where=sa.text("closed_at IS NULL"),
        )


def downgrade():
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index("ix_cases_open_by_officer")
