"""Layout and recording work in a child process that the kernel runs only when nothing else
wants the CPU (Linux's SCHED_IDLE class), started by ``flask jobs work``.

Why a child, not the worker itself (issue 18 item 4: twenty first downloads must not raise
a cheap page's p99 by more than 2×): at ``nice 10`` the worker still took about a tenth of a
busy CPU while WeasyPrint laid out PDFs, and the pages people were waiting for queued behind
it. The idle class takes next to nothing from a busy machine, but a process in it that holds
a lock is starved while everyone waiting on that lock waits too (priority inversion), and an
unprivileged process cannot leave the class once in it. So only pure work goes to the child:
HTML in, PDF bytes out; text in, MP3 bytes out (the voice and encoder it runs are limited by
CPU time, not the clock: portal.letters.external_programs). It never opens the database,
and it is only used while the worker's own session has no transaction open (``run``
checks), so nothing a web request could wait on is held while the child waits for a CPU.

While the child works, the worker keeps its job's heartbeat going (``beating``), so a render
slowed by a busy machine is not mistaken for a dead worker and run twice.
"""

import contextlib
import contextvars
import ctypes
import logging
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import TimeoutError as WaitedLongEnough
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")

BEAT_EVERY_SECONDS = 30  # well inside portal.jobs.STALE_AFTER (5 minutes)
PR_SET_PDEATHSIG = 1  # linux/prctl.h
TASKS_PER_CHILD = 200  # a fresh child now and then returns what layout leaves fragmented

_pool: ProcessPoolExecutor | None = None
_beat: contextvars.ContextVar[Callable[[], None] | None] = contextvars.ContextVar(
    "idle_child_beat", default=None
)


def enter_idle_class() -> None:
    """Put the calling process in the idle scheduling class (nice 19 where there is none)."""
    try:
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
    except (AttributeError, OSError):  # not Linux, or refused
        os.nice(19 - os.nice(0))


def in_idle_class() -> bool:
    """Whether the calling process runs in the idle scheduling class (the child does)."""
    try:
        return os.sched_getscheduler(0) == os.SCHED_IDLE
    except (AttributeError, OSError):  # not Linux
        return False


def _die_with_the_worker() -> None:
    """Ask Linux to end this child when the worker that started it ends, however it ends
    (PR_SET_PDEATHSIG): an orphaned child would otherwise wait for work for ever."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
    except OSError:  # not Linux
        return
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def _start_child() -> None:
    _die_with_the_worker()
    enter_idle_class()
    import weasyprint  # noqa: F401  the first layout should not wait for the import


def start() -> None:
    """Start the child (once per worker process). Until this is called, ``run`` does the
    work in the calling process: web requests, tests and one-off commands."""
    global _pool
    if _pool is None:
        _pool = ProcessPoolExecutor(
            max_workers=1,
            # A fresh interpreter: a forked one would share the worker's database sockets.
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_child,
            max_tasks_per_child=TASKS_PER_CHILD,
        )


def stop() -> None:
    """End the child at once, even mid-layout: the work is pure, and a job cut short is run
    again. Waiting could outlast a service manager's stop timeout on a busy machine."""
    global _pool
    if _pool is not None:
        # Executor.terminate_workers() arrives in Python 3.14; until then, its processes.
        for process in list((getattr(_pool, "_processes", None) or {}).values()):
            process.terminate()
        _pool.shutdown(wait=True, cancel_futures=True)
        _pool = None


def is_started() -> bool:
    return _pool is not None


@contextlib.contextmanager
def beating(beat: Callable[[], None]) -> Iterator[None]:
    """Call ``beat`` every BEAT_EVERY_SECONDS while ``run`` waits for the child."""
    token = _beat.set(beat)
    try:
        yield
    finally:
        _beat.reset(token)


def _holds_a_transaction() -> bool:
    from flask import has_app_context

    if not has_app_context():
        return False
    from portal.extensions import db

    return db.session().in_transaction()


def run(function: Callable[..., T], *args, **kwargs) -> T:
    """``function(*args, **kwargs)`` in the idle child when one is started and the caller
    holds no transaction; here otherwise. ``function`` must be a module-level function of
    plain values (it is pickled), and must not touch the database."""
    if _pool is None or _holds_a_transaction():
        return function(*args, **kwargs)
    try:
        future = _pool.submit(function, *args, **kwargs)
        while True:
            try:
                return future.result(timeout=BEAT_EVERY_SECONDS)
            except WaitedLongEnough:
                beat = _beat.get()
                if beat is not None:
                    beat()
    except BrokenProcessPool:
        # The child died (killed, out of memory): the job fails and is tried again, by a
        # new child.
        log.exception("the idle child stopped; starting another")
        stop()
        start()
        raise
