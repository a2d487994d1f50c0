"""second factor (TOTP, recovery codes) and the sign-in history (issue 13)

Revision ID: e5a9c2d10010
Revises: b8d3e4f50009
"""

import sqlalchemy as sa
from alembic import op

revision = "e5a9c2d10010"
down_revision = "b8d3e4f50009"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("totp_secret", sa.String(64), nullable=True))
        batch.add_column(sa.Column("totp_enabled_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("totp_last_step", sa.BigInteger(), nullable=True))
    with op.batch_alter_table("user_sessions") as batch:
        batch.add_column(sa.Column("user_agent", sa.String(200), nullable=False, server_default=""))
        batch.add_column(sa.Column("remote_addr", sa.String(45), nullable=False, server_default=""))
        batch.add_column(
            sa.Column(
                "awaiting_second_factor", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )
    op.create_table(
        "recovery_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_recovery_codes_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recovery_codes")),
    )
    op.create_index(op.f("ix_recovery_codes_user_id"), "recovery_codes", ["user_id"])


def downgrade():
    op.drop_index(op.f("ix_recovery_codes_user_id"), table_name="recovery_codes")
    op.drop_table("recovery_codes")
    with op.batch_alter_table("user_sessions") as batch:
        batch.drop_column("awaiting_second_factor")
        batch.drop_column("remote_addr")
        batch.drop_column("user_agent")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("totp_last_step")
        batch.drop_column("totp_enabled_at")
        batch.drop_column("totp_secret")
