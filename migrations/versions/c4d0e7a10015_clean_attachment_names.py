"""evidence file names kept before names were cleaned lose direction controls and control
characters (issue 14 item 7)

A name such as ``invoice<U+202E>fdp.exe`` is shown reversed at the override; new uploads are
cleaned as they arrive (portal/uploads/names.py), this cleans the rows already kept. Data
only: the schema does not change, and the downgrade leaves the cleaned names as they are.

Revision ID: c4d0e7a10015
Revises: c3c0a1b20015
"""

import re
import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "c4d0e7a10015"
down_revision = "c3c0a1b20015"
branch_labels = None
depends_on = None

# The characters portal/uploads/names.py removes, copied: a migration does not import the
# application, whose code may have changed by the time the migration runs.
UNSAFE = re.compile(
    "[\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff"
    "\ufff9-\ufffb]"
)

attachments = sa.table(
    "attachments", sa.column("id", sa.Integer), sa.column("original_filename", sa.String)
)


def upgrade():
    connection = op.get_bind()
    rows = connection.execute(sa.select(attachments.c.id, attachments.c.original_filename))
    for attachment_id, name in rows.all():
        cleaned = UNSAFE.sub("", unicodedata.normalize("NFC", name or "")).strip(" .") or "file"
        if cleaned != name:
            connection.execute(
                attachments.update()
                .where(attachments.c.id == attachment_id)
                .values(original_filename=cleaned)
            )


def downgrade():
    pass  # the original names held the characters that spoofed them: not put back
