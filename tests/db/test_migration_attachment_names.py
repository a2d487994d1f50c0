"""The data migration c4d0e7a10015 cleans evidence file names kept before uploads were
cleaned: a director no longer sees a name turned round by a right-to-left override."""

import sqlalchemy as sa
from flask_migrate import upgrade

from portal.extensions import db
from portal.models import Attachment
from portal.models.vocab import Role
from tests.conftest import make_test_app
from tests.db.test_migrations import empty_database
from tests.factories import make_customer, make_ready_case, make_user


def test_names_kept_before_cleaning_lose_their_direction_controls(backend, databases, tmp_path):
    url = empty_database(backend, databases, tmp_path)
    app = make_test_app(url, tmp_path)
    with app.app_context():
        upgrade(revision="c3c0a1b20015")  # the revision before the cleaning
        officer = make_user(Role.CASE_OFFICER)
        case = make_ready_case(make_customer(), officer)
        names = ["invoice\u202efdp.exe", "tab\there\u2066.pdf", "plain name.pdf", "\u202e"]
        for number, name in enumerate(names):
            db.session.add(
                Attachment(
                    storage_key=f"{number:032x}",
                    original_filename=name,
                    media_type="application/pdf",
                    size_bytes=1,
                    sha256="0" * 64,
                    uploaded_by_id=officer.id,
                    case_id=case.id,
                )
            )
        db.session.commit()
        upgrade()
        db.session.expire_all()
        kept = db.session.scalars(sa.select(Attachment.original_filename).order_by(Attachment.id))
        assert list(kept) == ["invoicefdp.exe", "tabhere.pdf", "plain name.pdf", "file"]
        db.session.remove()
        db.engine.dispose()
    databases.drop(url)
