"""The board-pack PDF on more than one machine (issue 8 item 4): a job worker builds it and
keeps it in the database, so a second app server answers the polling and sends the file;
nothing is written to local disk, and an export is kept for an hour only."""

import datetime as dt
from pathlib import Path

import pytest

from portal.extensions import db
from portal.jobs.worker import work
from portal.models import ReportExport, ReportExportStatus
from portal.models.types import utcnow
from portal.models.vocab import Role
from portal.reports import exports
from portal.reports.periods import Period
from tests.conftest import make_test_app
from tests.factories import make_user
from tests.helpers import sign_in, texts, url

PERIOD = Period(dt.date(2024, 4, 1), dt.date(2025, 3, 31))


def _files(*folders: Path) -> dict[Path, tuple[int, int]]:
    return {
        path: (path.stat().st_mtime_ns, path.stat().st_size)
        for folder in folders
        for path in folder.rglob("*")
        if path.is_file()
    }


def _start(app, owner_id: int, now=None) -> str:
    with app.test_request_context():
        return exports.start_annual_pdf(
            owner_id, PERIOD, locale="en_GB", html_lang="en-GB", now=now or utcnow()
        )


@pytest.fixture
def second_app(app, tmp_path_factory):
    """Another app server on the same database, sharing nothing else with the first."""
    other = make_test_app(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path_factory.mktemp("second"))
    yield other
    with other.app_context():
        db.session.remove()
        db.engine.dispose()


def test_the_pdf_is_in_the_database_and_a_second_server_sends_it(app, second_app, tmp_path):
    owner = make_user(Role.LEADERSHIP)
    stranger = make_user(Role.LEADERSHIP)
    db.session.commit()
    folders = [tmp_path, Path(app.instance_path)]
    before = _files(*folders)

    token = _start(app, owner.id)
    assert work(name="test-worker", burst=True) == 1
    export = db.session.scalar(db.select(ReportExport).where(ReportExport.token == token))
    assert export.status == ReportExportStatus.DONE and export.finished_at is not None
    assert export.content.startswith(b"%PDF")
    assert export.file_name == "annual-report-2024-04-01-2025-03-31.pdf"

    client = second_app.test_client()
    sign_in(client, owner.email)
    status_url = url("reports.export_status", app=second_app, job_id=token)
    file_url = url("reports.export_file", app=second_app, job_id=token)
    status = client.get(status_url)
    assert texts(status, "#export-status p") == ["The PDF is ready."]
    download = client.get(file_url)
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    assert download.data == export.content
    others = second_app.test_client()
    sign_in(others, stranger.email)
    assert others.get(status_url).status_code == 404
    assert others.get(file_url).status_code == 404

    assert _files(*folders) == before  # nothing on this server's disk


def test_exports_older_than_an_hour_are_removed(app, monkeypatch):
    monkeypatch.setattr(exports, "annual_report_pdf", lambda *_args: b"%PDF-1.7 test")
    owner = make_user(Role.REVIEW_MANAGER)
    db.session.commit()
    late = _start(app, owner.id, now=utcnow() - dt.timedelta(minutes=61))
    with pytest.raises(exports.UnknownExport):  # past its hour: gone for the reader at once
        exports.export_for(late, owner.id, utcnow())
    work(burst=True)  # the job removes what is past its hour, its own late result too
    assert db.session.scalars(db.select(ReportExport.token)).all() == []

    stale = ReportExport(
        token="s" * 22,
        owner_user_id=owner.id,
        status=ReportExportStatus.DONE,
        file_name="old.pdf",
        content=b"%PDF old",
        created_at=utcnow() - dt.timedelta(hours=2),
    )
    db.session.add(stale)
    db.session.commit()
    new = _start(app, owner.id)  # starting one removes the old ones
    assert db.session.scalars(db.select(ReportExport.token)).all() == [new]
    work(burst=True)
    assert exports.export_result(exports.export_for(new, owner.id, utcnow())) == (
        b"%PDF-1.7 test",
        "annual-report-2024-04-01-2025-03-31.pdf",
    )
