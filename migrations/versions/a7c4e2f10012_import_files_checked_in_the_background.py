"""customer imports: the uploaded file kept in the database while a job checks it, and the
"checking" and "refused" states (issue 13 item 1)

Revision ID: a7c4e2f10012
Revises: f6b1d3e20011
"""

import sqlalchemy as sa
from alembic import op

revision = "a7c4e2f10012"
down_revision = "f6b1d3e20011"
branch_labels = None
depends_on = None

OLD_STATUSES = ("previewed", "running", "finished", "abandoning", "abandoned")
NEW_STATUSES = ("checking", "refused", *OLD_STATUSES)
STATUS_CHECK = "ck_import_runs_import_status"


def _in(statuses) -> str:
    return "status IN ({})".format(", ".join(f"'{status}'" for status in statuses))


def upgrade():
    op.create_table(
        "import_file_chunks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["import_runs.id"],
            name=op.f("fk_import_file_chunks_run_id_import_runs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_file_chunks")),
    )
    with op.batch_alter_table("import_file_chunks", schema=None) as batch_op:
        batch_op.create_index(
            "ix_import_file_chunks_run_id_position", ["run_id", "position"], unique=True
        )

    with op.batch_alter_table("import_runs", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("file_size", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("bytes_checked", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("refusal", sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column("refusal_details", sa.JSON(), nullable=True))
        batch_op.drop_constraint(op.f(STATUS_CHECK), type_="check")
        batch_op.create_check_constraint(op.f(STATUS_CHECK), _in(NEW_STATUSES))


def downgrade():
    # A run still being checked, or refused, has nothing the older schema can show.
    op.execute("UPDATE import_runs SET status = 'abandoned' WHERE status IN ('checking', 'refused')")
    with op.batch_alter_table("import_runs", schema=None) as batch_op:
        batch_op.drop_constraint(op.f(STATUS_CHECK), type_="check")
        batch_op.create_check_constraint(op.f(STATUS_CHECK), _in(OLD_STATUSES))
        batch_op.drop_column("refusal_details")
        batch_op.drop_column("refusal")
        batch_op.drop_column("bytes_checked")
        batch_op.drop_column("file_size")

    with op.batch_alter_table("import_file_chunks", schema=None) as batch_op:
        batch_op.drop_index("ix_import_file_chunks_run_id_position")
    op.drop_table("import_file_chunks")
