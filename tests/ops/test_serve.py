"""`boh serve --with-worker`: serves pages and static files, and Ctrl-C stops both processes."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from boh.core.management.commands.serve import browser_url


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(url: str, seconds: float) -> bytes:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310
                return bytes(response.read())
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_given_bind_addresses_when_shown_then_a_browser_can_open_them() -> None:
    assert browser_url("0.0.0.0", 8000) == "http://127.0.0.1:8000/"  # noqa: S104
    assert browser_url("::1", 8080) == "http://[::1]:8080/"
    assert browser_url("boh.local", 80) == "http://boh.local:80/"


def test_given_serve_with_worker_when_interrupted_then_web_and_worker_both_stop(
    tmp_path: Path,
) -> None:
    port = free_port()
    env = {
        **os.environ,
        "BOH_DEBUG": "1",
        "BOH_LANGUAGE": "en",
        "BOH_VAR_DIR": str(tmp_path),
        "BOH_HUEY_FILE": str(tmp_path / "jobs.sqlite3"),
        "DJANGO_SETTINGS_MODULE": "boh.settings",
    }
    env.pop("BOH_REDIS_URL", None)
    command = [sys.executable, "-m", "boh.cli", "serve", "--port", str(port), "--with-worker"]
    server = subprocess.Popen(  # noqa: S603
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        health = wait_for(f"http://127.0.0.1:{port}/healthz", seconds=60)
        script = wait_for(f"http://127.0.0.1:{port}/static/vendor/htmx.min.js", seconds=5)
    finally:
        server.send_signal(signal.SIGINT)
        output, _ = server.communicate(timeout=60)

    assert health == b'{"status": "ok"}'
    assert script.startswith(b"var htmx=")
    assert server.returncode == 0, output
    assert f"BOH is running at http://127.0.0.1:{port}/" in output
    pids = [int(p) for p in re.findall(r"(?:web|worker) pid (\d+)", output)]
    assert len(pids) == 2, output
    assert all(gone(pid) for pid in pids)
    assert "Huey consumer started" in output
    assert output.rstrip().endswith("Stopped.")


@pytest.mark.parametrize("args", [["--port", "0"], ["--workers", "0"]])
def test_given_bad_options_when_serving_then_it_refuses_before_starting(args: list[str]) -> None:
    env = {**os.environ, "BOH_DEBUG": "1", "BOH_LANGUAGE": "en"}

    done = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "boh.cli", "serve", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert done.returncode == 1
    assert "must be" in done.stderr
