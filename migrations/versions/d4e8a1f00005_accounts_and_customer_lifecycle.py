"""accounts and the customer lifecycle: the data steward role, date of birth and former
customers, one-time links (issue 13)

Revision ID: d4e8a1f00005
Revises: c3f7d1e20004
"""

import sqlalchemy as sa
from alembic import op

revision = "d4e8a1f00005"
down_revision = "c3f7d1e20004"
branch_labels = None
depends_on = None

OLD_ROLES = (
    "customer",
    "advocate",
    "case_officer",
    "review_manager",
    "appeals_director",
    "community_safety",
    "leadership",
    "admin",
)
NEW_ROLES = (*OLD_ROLES, "data_steward")


def _change_roles(old, new):
    # Whatever the initial schema's CHECK on the role column is called on this database
    # (SQLAlchemy named it per dialect), find it by what it checks and replace it.
    checks = sa.inspect(op.get_bind()).get_check_constraints("user_roles")
    with op.batch_alter_table("user_roles") as batch:
        for check in checks:
            if "case_officer" in check["sqltext"] and check["name"]:
                batch.drop_constraint(op.f(check["name"]), type_="check")
        batch.alter_column(
            "role",
            type_=sa.Enum(*new, name="role", native_enum=False, create_constraint=False),
            existing_type=sa.Enum(*old, name="role", native_enum=False, create_constraint=False),
        )
        batch.create_check_constraint(op.f("ck_user_roles_role"), sa.column("role").in_(new))


def upgrade():
    _change_roles(OLD_ROLES, NEW_ROLES)
    with op.batch_alter_table("customers") as batch:
        batch.add_column(sa.Column("date_of_birth", sa.Date(), nullable=True))
        batch.add_column(sa.Column("left_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "one_time_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "purpose",
            sa.Enum(
                "password_reset",
                "customer_invitation",
                "colleague_invitation",
                "email_change",
                name="link_purpose",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("customer_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_one_time_links_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_one_time_links_customer_id_customers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_one_time_links_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_one_time_links")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_one_time_links_token_hash")),
    )
    with op.batch_alter_table("one_time_links") as batch:
        batch.create_index(batch.f("ix_one_time_links_user_id"), ["user_id"], unique=False)
        batch.create_index(batch.f("ix_one_time_links_customer_id"), ["customer_id"], unique=False)


def downgrade():
    op.drop_table("one_time_links")
    with op.batch_alter_table("customers") as batch:
        batch.drop_column("updated_at")
        batch.drop_column("left_on")
        batch.drop_column("date_of_birth")
    op.execute("DELETE FROM user_roles WHERE role = 'data_steward'")
    _change_roles(NEW_ROLES, OLD_ROLES)
