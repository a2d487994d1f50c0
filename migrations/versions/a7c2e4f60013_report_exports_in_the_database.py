"""report exports kept in the database, built by the job queue (issue 8 item 4)

Revision ID: a7c2e4f60013
Revises: a7c4e2f10012
"""

import sqlalchemy as sa
from alembic import op

revision = "a7c2e4f60013"
down_revision = "a7c4e2f10012"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "report_exports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("owner_user_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "running",
                "done",
                "failed",
                name="report_export_status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("file_name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        sa.Column("error", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_user_id"],
            ["users.id"],
            name=op.f("fk_report_exports_owner_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_exports")),
        sa.UniqueConstraint("token", name=op.f("uq_report_exports_token")),
    )
    with op.batch_alter_table("report_exports", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_report_exports_created_at"), ["created_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_report_exports_owner_user_id"), ["owner_user_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("report_exports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_exports_owner_user_id"))
        batch_op.drop_index(batch_op.f("ix_report_exports_created_at"))

    op.drop_table("report_exports")
