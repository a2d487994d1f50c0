"""the case a background PDF is about (issue 18 item 4)

The Housing Ombudsman evidence pack was laid out in the web request: a long case held a
web worker for seconds. It is now a background export like the annual report's PDF. Its
status page leads back to the case, and its status and file are shown only to someone who
may still see that case; when the case goes, its pack goes with it.

Revision ID: e7a9c1d30018
Revises: d6f8b0c20018
"""

import sqlalchemy as sa
from alembic import op

revision = "e7a9c1d30018"
down_revision = "d6f8b0c20018"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("report_exports", schema=None) as batch_op:
        batch_op.add_column(sa.Column("case_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_report_exports_case_id"), ["case_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_report_exports_case_id_cases"),
            "cases",
            ["case_id"],
            ["id"],
            ondelete="CASCADE",
        )


def downgrade():
    with op.batch_alter_table("report_exports", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_report_exports_case_id_cases"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_report_exports_case_id"))
        batch_op.drop_column("case_id")
