"""UK GDPR: legal holds and subject access requests (issue 13 items 6 and 7)

Revision ID: b8d3e4f50009
Revises: d4e8a1f00005
"""

import sqlalchemy as sa
from alembic import op

revision = "b8d3e4f50009"
down_revision = "d4e8a1f00005"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "subject_access_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("export_zip", sa.LargeBinary(), nullable=True),
        sa.Column("export_sha256", sa.String(length=64), nullable=True),
        sa.Column("redaction_count", sa.Integer(), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("delivered_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_subject_access_requests_customer_id_customers"),
        ),
        sa.ForeignKeyConstraint(
            ["delivered_by_id"],
            ["users.id"],
            name=op.f("fk_subject_access_requests_delivered_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"],
            ["users.id"],
            name=op.f("fk_subject_access_requests_requested_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subject_access_requests")),
    )
    with op.batch_alter_table("subject_access_requests", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_subject_access_requests_customer_id"), ["customer_id"], unique=False
        )

    op.create_table(
        "legal_holds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("placed_by_id", sa.Integer(), nullable=False),
        sa.Column("placed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lifted_by_id", sa.Integer(), nullable=True),
        sa.Column("lifted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("lift_reason", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "lifted_at IS NULL OR (lifted_by_id IS NOT NULL AND lift_reason <> '')",
            name=op.f("ck_legal_holds_lift_has_reason"),
        ),
        sa.CheckConstraint("reason <> ''", name=op.f("ck_legal_holds_has_reason")),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_legal_holds_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_legal_holds_customer_id_customers")
        ),
        sa.ForeignKeyConstraint(
            ["lifted_by_id"], ["users.id"], name=op.f("fk_legal_holds_lifted_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["placed_by_id"], ["users.id"], name=op.f("fk_legal_holds_placed_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_legal_holds")),
    )
    with op.batch_alter_table("legal_holds", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_legal_holds_customer_id"), ["customer_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("legal_holds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_legal_holds_customer_id"))

    op.drop_table("legal_holds")
    with op.batch_alter_table("subject_access_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_subject_access_requests_customer_id"))

    op.drop_table("subject_access_requests")
