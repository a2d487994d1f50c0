"""The served half of benchmarks/pages.py: the portal and the bare baseline page each under
gunicorn, driven by wrk from another process, on a generated data set (issue 18 item 2).

Kept apart from pages.py so each file holds one way of measuring.
"""

import http.cookiejar
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pyotp

from portal.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET

PROJECT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def ensure_wrk() -> str:
    """wrk from Debian, installed when missing (apt needs root: sudo otherwise)."""
    found = shutil.which("wrk")
    if found:
        return found
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run([*sudo, "apt-get", "install", "-y", "-qq", "wrk"], check=True, env=env)  # noqa: S603
    return shutil.which("wrk")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server on port {port} stopped ({process.returncode})")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the server on port {port} did not start")


def start_gunicorn(app_spec: str, *, workers: int, env: dict, chdir: Path) -> tuple:
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 - our interpreter, our arguments
        [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--chdir", str(chdir)]
        + ["--bind", f"127.0.0.1:{port}", "--log-level", "warning", app_spec],
        env=env,
        stdout=subprocess.DEVNULL,
    )
    _wait_for(port, process)
    return process, f"http://127.0.0.1:{port}"


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *_args, **_kwargs):
        return None


class Browser:
    """Just enough of a browser to sign in: cookies, forms, the second-factor code."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirects()
        )

    def request(
        self, path: str, form: dict | None = None, headers: dict | None = None
    ) -> tuple[int, str, str]:
        """Status, body and where a redirect points (redirects are not followed)."""
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        # Always the http:// address of our own server.
        asked = urllib.request.Request(f"{self.base}{path}", data=data, headers=headers or {})  # noqa: S310
        try:
            with self.opener.open(asked, timeout=120) as response:
                return response.status, response.read().decode(errors="replace"), ""
        except urllib.error.HTTPError as answer:  # 3xx (not followed) and 4xx/5xx
            body = answer.read().decode(errors="replace")
            return answer.code, body, answer.headers.get("Location", "")

    def download(self, path: str) -> tuple[int, int]:
        """Status and size of a file, read as bytes (decoding megabytes as text would
        busy the benchmark's own process)."""
        asked = urllib.request.Request(f"{self.base}{path}")  # noqa: S310 - our server
        try:
            with self.opener.open(asked, timeout=120) as response:
                return response.status, len(response.read())
        except urllib.error.HTTPError as answer:
            return answer.code, len(answer.read())

    def token(self, path: str) -> str:
        _status, body, _location = self.request(path)
        return _CSRF.search(body).group(1)

    def sign_in(self, email: str) -> None:
        token = self.token("/sign-in")
        status, _body, location = self.request(
            "/sign-in", {"csrf_token": token, "email": email, "password": DEMO_PASSWORD}
        )
        assert status == 303, (email, status)
        if "/sign-in/code" in location:  # staff: the demo authenticator's code
            form = {"csrf_token": self.token("/sign-in/code")}
            form["code"] = pyotp.TOTP(DEMO_TOTP_SECRET).now()
            status, _body, _location = self.request("/sign-in/code", form)
            assert status == 303, (email, "code", status)

    def cookie_header(self) -> str:
        return "; ".join(f"{cookie.name}={cookie.value}" for cookie in self.jar)


@dataclass
class Load:
    requests_per_second: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    timeouts: float = 0  # requests still unanswered after 30 s; not in the percentiles


def run_wrk(
    wrk: str,
    url: str,
    *,
    seconds: int,
    connections: int,
    cookie: str = "",
    form: dict | None = None,
) -> Load:
    """One wrk run; a form makes it a POST of that form (the customer search)."""
    script = (HERE / "report.lua").read_text()
    if form is not None:
        body = urllib.parse.urlencode(form)
        script = (
            f'wrk.method = "POST"\nwrk.body = "{body}"\n'
            'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n' + script
        )
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    # A page slower than wrk's 2 s default is measured, not dropped: its p99 is the figure.
    command = [wrk, "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--timeout", "30s"]
    command += ["-s", handle.name]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(  # noqa: S603
        [*command, url], check=True, capture_output=True, text=True
    ).stdout
    Path(handle.name).unlink()
    summary = json.loads(output.strip().splitlines()[-1])
    if summary["socket_errors"] or summary["bad_status"]:
        raise RuntimeError(f"{url}: {summary}")
    return Load(
        summary["requests"] / (summary["duration_us"] / 1e6),
        summary["p50"] / 1000,
        summary["p95"] / 1000,
        summary["p99"] / 1000,
        summary["timeouts"],
    )
