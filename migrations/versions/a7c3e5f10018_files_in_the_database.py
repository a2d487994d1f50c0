"""evidence files and rendered letters in the database, not on one server's disk

Issue 18 item 5: a second app server must read a file uploaded through the first, and
serve a letter the first rendered. Files already kept under ``UPLOAD_DIR`` are copied into
``stored_files`` (the directory is left as it was, for the operator to remove once they
have checked); a downgrade writes them back there for the older version to read. The
letter cache starts empty: it is rebuilt on first download.

Revision ID: a7c3e5f10018
Revises: c5e0f7a20015
"""

from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision = "a7c3e5f10018"
down_revision = "c5e0f7a20015"
branch_labels = None
depends_on = None


def _upload_dir() -> Path | None:
    try:
        from flask import current_app

        folder = current_app.config.get("UPLOAD_DIR")
    except RuntimeError:  # run outside the app: nothing to copy from
        return None
    return Path(folder) if folder else None


def _copy_kept_uploads(stored_files) -> None:
    folder = _upload_dir()
    if folder is None or not folder.is_dir():
        return
    connection = op.get_bind()
    keys = connection.execute(sa.text("SELECT storage_key FROM attachments")).scalars()
    for key in keys:
        path = folder / key[:2] / key
        if path.is_file():
            connection.execute(stored_files.insert().values(key=key, data=path.read_bytes()))


def upgrade():
    stored_files = op.create_table(
        "stored_files",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_stored_files")),
    )
    op.create_table(
        "letter_renders",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_letter_renders")),
    )
    with op.batch_alter_table("letter_renders", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_letter_renders_content_sha256"), ["content_sha256"], unique=False
        )
    _copy_kept_uploads(stored_files)


def _write_back_uploads() -> None:
    folder = _upload_dir()
    if folder is None:
        return
    rows = op.get_bind().execute(sa.text("SELECT key, data FROM stored_files"))
    for key, data in rows:
        path = folder / key[:2] / key
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        path.write_bytes(data)


def downgrade():
    _write_back_uploads()
    with op.batch_alter_table("letter_renders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_letter_renders_content_sha256"))
    op.drop_table("letter_renders")
    op.drop_table("stored_files")
