"""The job worker's idle-class child for PDF layout (portal.jobs.idle_child, issue 18
item 4): it runs at the CPU time nothing else wants, never while the worker holds a
transaction, keeps the job's heartbeat going while it works, and a child that dies is
replaced."""

import io
import os
import subprocess
import time
from concurrent.futures.process import BrokenProcessPool

import pikepdf
import pytest

from portal import pdf_ua
from portal.extensions import db
from portal.jobs import idle_child
from portal.letters import audio
from portal.letters.external_programs import run_tool
from portal.models import Job


# Run in the child: module-level, so they can be pickled by name.
def scheduling_policy() -> int:
    return os.sched_getscheduler(0)


def process_id() -> int:
    return os.getpid()


def wait_then_answer(seconds: float) -> str:
    time.sleep(seconds)
    return "done"


def die() -> None:
    os._exit(1)


def cpu_seconds_a_program_may_use(seconds: int) -> str:
    return run_tool("sh", "-c", "ulimit -t", stdin=b"", timeout=seconds).decode().strip()


def a_program_that_spins(seconds: int) -> None:
    run_tool("sh", "-c", "while :; do :; done", stdin=b"", timeout=seconds)


@pytest.fixture(scope="module")
def child():
    """One child for the module: starting one imports WeasyPrint in the idle class."""
    idle_child.start()
    yield
    idle_child.stop()


def test_without_a_child_the_work_runs_here():
    assert not idle_child.is_started()
    assert idle_child.run(process_id) == os.getpid()


def test_the_child_runs_in_the_idle_class_and_lays_out_a_real_pdf(child):
    assert idle_child.run(process_id) != os.getpid()
    assert idle_child.run(scheduling_policy) == os.SCHED_IDLE
    data = pdf_ua.pdf_from_html(
        '<!DOCTYPE html><html lang="en"><head><title>Notice</title></head>'
        "<body><h1>Notice</h1><p>Your restriction ends on 1 March.</p></body></html>"
    )
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) == 1
        assert "/StructTreeRoot" in pdf.Root


def test_the_child_speaks_a_letter(child):
    data = audio.render_mp3(
        "Your restriction ends on 1 March.", "en", title="Notice", artist="Landlord"
    )
    assert data.startswith(b"ID3")
    assert len(data) > 2000


def test_programs_in_the_idle_class_are_limited_by_cpu_time_not_the_clock(child):
    """A busy machine may keep an idle-class program waiting; only one that spins is
    stopped (portal.letters.external_programs)."""
    assert idle_child.run(cpu_seconds_a_program_may_use, 7) == "7"
    assert cpu_seconds_a_program_may_use(7) == "unlimited"  # here: the clock limits it
    with pytest.raises(subprocess.CalledProcessError):
        idle_child.run(a_program_that_spins, 1)


def test_nothing_goes_to_the_child_while_a_transaction_is_open(app, child):
    db.session.execute(db.select(Job.id)).all()  # a transaction, as a lock holder has
    assert db.session().in_transaction()
    assert idle_child.run(process_id) == os.getpid()
    db.session.rollback()
    assert idle_child.run(process_id) != os.getpid()


def test_the_heartbeat_goes_on_while_the_child_works(child, monkeypatch):
    monkeypatch.setattr(idle_child, "BEAT_EVERY_SECONDS", 0.2)
    beats = []
    idle_child.run(process_id)  # the child started before the clock does
    with idle_child.beating(lambda: beats.append(time.monotonic())):
        assert idle_child.run(wait_then_answer, 1.0) == "done"
    assert len(beats) >= 2  # about 4; fewer on a busy machine


def test_a_child_that_dies_fails_its_job_and_is_replaced(child):
    first = idle_child.run(process_id)
    with pytest.raises(BrokenProcessPool):
        idle_child.run(die)
    second = idle_child.run(process_id)
    assert second not in (first, os.getpid())


def test_stopping_ends_the_child_at_once_even_mid_layout():
    idle_child.start()
    try:
        busy = idle_child._pool.submit(wait_then_answer, 60)
        while not busy.running():
            time.sleep(0.05)
    finally:
        started = time.monotonic()
        idle_child.stop()
    assert time.monotonic() - started < 10
    assert not idle_child.is_started()
