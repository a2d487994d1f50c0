"""letter titles in their own column, so lists need not load whole letters (issue 18)

A letter's content holds it in up to twelve languages (about 134 KB); the customer's home
and the case chronology showed only its title. ``titles`` holds each language's title,
filled here from the content of every letter already kept.

Revision ID: c9f5a7b30018
Revises: b8e4f6a20018
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "c9f5a7b30018"
down_revision = "b8e4f6a20018"
branch_labels = None
depends_on = None


def _titles_of(content) -> dict:
    # Frozen copy of portal.models.letters.titles_of.
    if isinstance(content, str):
        content = json.loads(content)
    documents = (content or {}).get("documents", {})
    return {code: document.get("title", "") for code, document in documents.items()}


def upgrade():
    with op.batch_alter_table("letters", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("titles", sa.JSON(), nullable=False, server_default=sa.text("'{}'"))
        )
    connection = op.get_bind()
    letters = sa.table("letters", sa.column("id"), sa.column("content", sa.JSON))
    update = sa.table("letters", sa.column("id"), sa.column("titles", sa.JSON))
    for letter_id, content in connection.execute(sa.select(letters.c.id, letters.c.content)):
        connection.execute(
            update.update().where(update.c.id == letter_id).values(titles=_titles_of(content))
        )


def downgrade():
    with op.batch_alter_table("letters", schema=None) as batch_op:
        batch_op.drop_column("titles")
