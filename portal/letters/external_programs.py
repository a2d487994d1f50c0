"""Running the Debian programs that make audio and braille letters (``make letter-deps``)."""

import resource
import shutil
import subprocess

from portal.jobs import idle_child

# A program run in the idle scheduling class (a job worker's child, portal.jobs.idle_child)
# may wait minutes for a CPU on a busy machine without being stuck: its limit is then on the
# CPU time it uses, and the clock only stops one that waits for ever.
IDLE_WAIT_LIMIT_SECONDS = 30 * 60


class ToolMissing(RuntimeError):
    """A program letters need is not installed: run ``make letter-deps``."""


def _cpu_limit(seconds: int):
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))

    return limit


def run_tool(program: str, *arguments: str, stdin: bytes, timeout: float) -> bytes:
    """The program's output for this input. An argument list and never a shell, so nothing
    in a letter can become a command. ``timeout`` stops a stuck process: seconds of the
    clock, or of CPU time when run in the idle class (see IDLE_WAIT_LIMIT_SECONDS)."""
    path = shutil.which(program)
    if path is None:
        raise ToolMissing(f"{program} is not installed: run make letter-deps")
    idle = idle_child.in_idle_class()
    # Fixed programs with arguments chosen here; the letter's words only go to stdin.
    done = subprocess.run(  # noqa: S603
        [path, *arguments],
        input=stdin,
        capture_output=True,
        timeout=IDLE_WAIT_LIMIT_SECONDS if idle else timeout,
        check=True,
        # Set in the program before it starts: the kernel stops it after this much CPU
        # (SIGXCPU). Only in the idle child, which runs no other threads (a preexec_fn is
        # unsafe beside threads).
        preexec_fn=_cpu_limit(int(timeout)) if idle else None,  # noqa: PLW1509
    )
    return done.stdout
