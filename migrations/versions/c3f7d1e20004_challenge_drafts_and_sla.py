"""challenge drafts (save and come back) and the SLA recorded on decisions (issue 6)

Revision ID: c3f7d1e20004
Revises: b2e5c0a10003
"""

import sqlalchemy as sa
from alembic import op

revision = "c3f7d1e20004"
down_revision = "b2e5c0a10003"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "challenge_drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("restriction_id", sa.Integer(), nullable=True),
        sa.Column("complaint_refusal_id", sa.Integer(), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('appeal', 'reconsideration')", name=op.f("ck_challenge_drafts_known_kind")
        ),
        sa.CheckConstraint(
            "(restriction_id IS NOT NULL AND complaint_refusal_id IS NULL)"
            " OR (restriction_id IS NULL AND complaint_refusal_id IS NOT NULL)",
            name=op.f("ck_challenge_drafts_one_target"),
        ),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_challenge_drafts_author_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["complaint_refusal_id"],
            ["complaint_refusals.id"],
            name=op.f("fk_challenge_drafts_complaint_refusal_id_complaint_refusals"),
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_challenge_drafts_customer_id_customers"),
        ),
        sa.ForeignKeyConstraint(
            ["restriction_id"],
            ["restrictions.id"],
            name=op.f("fk_challenge_drafts_restriction_id_restrictions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_challenge_drafts")),
    )
    op.create_index(
        op.f("ix_challenge_drafts_author_id"), "challenge_drafts", ["author_id"], unique=False
    )
    op.create_index(
        op.f("ix_challenge_drafts_customer_id"), "challenge_drafts", ["customer_id"], unique=False
    )
    for table in ("appeals", "reconsideration_requests"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("sla_met", sa.Boolean(), nullable=True))


def downgrade():
    for table in ("appeals", "reconsideration_requests"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("sla_met")
    op.drop_index(op.f("ix_challenge_drafts_customer_id"), table_name="challenge_drafts")
    op.drop_index(op.f("ix_challenge_drafts_author_id"), table_name="challenge_drafts")
    op.drop_table("challenge_drafts")
