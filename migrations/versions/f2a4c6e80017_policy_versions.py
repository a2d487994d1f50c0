"""the policy as versioned data: versions with their s9 approval dates, the version each
decision and letter was made under, where s8's associated documents are, and feedback on
the policy (issue 17)

Revision ID: f2a4c6e80017
Revises: e1b7c9d50018
"""

import sqlalchemy as sa
from alembic import op

revision = "f2a4c6e80017"
down_revision = "e1b7c9d50018"
branch_labels = None
depends_on = None

ROLES = (
    "customer",
    "advocate",
    "case_officer",
    "review_manager",
    "appeals_director",
    "community_safety",
    "leadership",
    "admin",
    "data_steward",
)
# The tables whose rows are decisions or letters, each recording the version in force.
DECIDED = ("restrictions", "reviews", "appeals", "reconsideration_requests",
           "complaint_refusals", "letters")  # fmt: skip


def upgrade():
    op.create_table(
        "policy_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "published",
                name="policy_version_status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("full_text", sa.Text(), nullable=False),
        sa.Column("changes", sa.Text(), nullable=False),
        sa.Column(
            "owner_role",
            sa.Enum(*ROLES, name="role", native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.Column("eia_completed_on", sa.Date(), nullable=True),
        sa.Column("eia_reviewed_on", sa.Date(), nullable=True),
        sa.Column("approved_on", sa.Date(), nullable=True),
        sa.Column("amendments", sa.Text(), nullable=False),
        sa.Column("next_review_on", sa.Date(), nullable=True),
        sa.Column("in_force_from", sa.Date(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_by_id", sa.Integer(), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("review_reminder_sent", sa.Integer(), nullable=True),
        sa.Column("documents", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_policy_versions_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["published_by_id"],
            ["users.id"],
            name=op.f("fk_policy_versions_published_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_policy_versions")),
        sa.UniqueConstraint("number", name=op.f("uq_policy_versions_number")),
    )
    with op.batch_alter_table("policy_versions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_policy_versions_in_force_from"), ["in_force_from"], unique=False
        )
    op.create_table(
        "related_documents",
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_related_documents")),
    )
    op.create_table(
        "policy_feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("policy_version_id", sa.Integer(), nullable=True),
        sa.Column("section", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column(
            "given_by",
            sa.Enum(
                "customer",
                "advocate",
                "colleague",
                "someone_else",
                name="feedback_from",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("contact_name", sa.String(length=200), nullable=False),
        sa.Column("contact_email", sa.String(length=254), nullable=False),
        sa.Column("contact_phone", sa.String(length=40), nullable=False),
        sa.Column(
            "outcome",
            sa.Enum(
                "no_change",
                "next_version",
                "answered",
                name="feedback_outcome",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column("outcome_note", sa.Text(), nullable=False),
        sa.Column("considered_by_id", sa.Integer(), nullable=True),
        sa.Column("considered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["considered_by_id"],
            ["users.id"],
            name=op.f("fk_policy_feedback_considered_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["policy_version_id"],
            ["policy_versions.id"],
            name=op.f("fk_policy_feedback_policy_version_id_policy_versions"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_policy_feedback_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_policy_feedback")),
    )
    with op.batch_alter_table("policy_feedback", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_policy_feedback_received_at"), ["received_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_policy_feedback_user_id"), ["user_id"], unique=False)
    for table in DECIDED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("policy_version_id", sa.Integer(), nullable=True))
            batch_op.create_foreign_key(
                batch_op.f(f"fk_{table}_policy_version_id_policy_versions"),
                "policy_versions",
                ["policy_version_id"],
                ["id"],
            )


def downgrade():
    for table in reversed(DECIDED):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(
                batch_op.f(f"fk_{table}_policy_version_id_policy_versions"), type_="foreignkey"
            )
            batch_op.drop_column("policy_version_id")
    op.drop_table("related_documents")
    op.drop_table("policy_feedback")
    with op.batch_alter_table("policy_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_policy_versions_in_force_from"))
    op.drop_table("policy_versions")
