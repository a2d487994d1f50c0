"""Running the Debian programs that make audio and braille letters (``make letter-deps``)."""

import shutil
import subprocess


class ToolMissing(RuntimeError):
    """A program letters need is not installed: run ``make letter-deps``."""


def run_tool(program: str, *arguments: str, stdin: bytes, timeout: float) -> bytes:
    """The program's output for this input. An argument list and never a shell, so nothing
    in a letter can become a command; the timeout stops a stuck process."""
    path = shutil.which(program)
    if path is None:
        raise ToolMissing(f"{program} is not installed: run make letter-deps")
    # Fixed programs with arguments chosen here; the letter's words only go to stdin.
    done = subprocess.run(  # noqa: S603
        [path, *arguments], input=stdin, capture_output=True, timeout=timeout, check=True
    )
    return done.stdout
