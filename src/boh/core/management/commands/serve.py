"""`boh serve`: gunicorn serving BOH, and optionally the job worker beside it."""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

import boh

SRC_DIR = Path(boh.__file__).resolve().parent.parent
PR_SET_PDEATHSIG = 1
STOP_WAIT_SECONDS = 20


class Stop(Exception):
    """Raised by the signal handler so the main loop stops both children."""


def _raise_stop(signum: int, frame: object) -> None:
    raise Stop(signum)


def _die_with_parent() -> None:
    # Runs in the child before exec: if `boh serve` itself is killed outright,
    # the kernel sends the child SIGTERM instead of leaving it running alone.
    try:
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        return


def browser_url(host: str, port: int) -> str:
    """The address to open in a browser for a server bound to host:port."""
    shown = "127.0.0.1" if host in {"0.0.0.0", "", "::"} else host  # noqa: S104
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/"


def static_files_missing() -> bool:
    """Without DEBUG, pages need collected static files (and their manifest) under STATIC_ROOT."""
    root = Path(settings.STATIC_ROOT)
    if not root.is_dir() or not any(root.iterdir()):
        return True
    backend = str(settings.STORAGES["staticfiles"]["BACKEND"])
    return "Manifest" in backend and not (root / "staticfiles.json").exists()


class Command(BaseCommand):
    help = "Serve BOH with gunicorn; --with-worker also runs the job worker until Ctrl-C."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="address to bind")
        parser.add_argument("--port", type=int, default=8000, help="port to bind")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
        parser.add_argument(
            "--with-worker",
            action="store_true",
            help="also run the background job worker (Huey) and stop it on exit",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        host: str = options["host"]
        port: int = options["port"]
        if not 0 < port < 65536:
            raise CommandError(_("--port must be between 1 and 65535."))
        if options["workers"] < 1:
            raise CommandError(_("--workers must be at least 1."))
        if not settings.DEBUG and static_files_missing():
            self.stdout.write(
                _("Collecting static files into %(dir)s") % {"dir": settings.STATIC_ROOT}
            )
            call_command("collectstatic", interactive=False, verbosity=0)

        env = self._child_env()
        bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        web_cmd = [
            sys.executable,
            "-m",
            "gunicorn",
            "boh.wsgi:application",
            "--bind",
            bind,
            "--workers",
            str(options["workers"]),
            "--graceful-timeout",
            "10",
            "--access-logfile",
            "-",
            # Several servers may run on one machine (tests, a second checkout).
            "--no-control-socket",
        ]
        children: list[tuple[str, subprocess.Popen[bytes]]] = []
        previous = {sig: signal.signal(sig, _raise_stop) for sig in (signal.SIGTERM, signal.SIGHUP)}
        exited: tuple[str, int] | None = None
        try:
            children.append(("web", self._start(web_cmd, env)))
            if options["with_worker"]:
                worker_cmd = [sys.executable, "-m", "boh.cli", "worker"]
                children.append(("worker", self._start(worker_cmd, env)))
            pids = ", ".join(f"{name} pid {proc.pid}" for name, proc in children)
            self.stdout.write(
                _("BOH is running at %(url)s (%(pids)s). Press Ctrl-C to stop.")
                % {"url": browser_url(host, port), "pids": pids}
            )
            exited = self._wait_for_first_exit(children)
        except (KeyboardInterrupt, Stop):
            self.stdout.write(_("Stopping…"))
        finally:
            self._stop(children)
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        if exited is not None:
            name, code = exited
            raise CommandError(
                _("The %(name)s process exited with status %(code)d; see its output above.")
                % {"name": name, "code": code},
                returncode=code or 1,
            )
        self.stdout.write(_("Stopped."))

    def _child_env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.setdefault("DJANGO_SETTINGS_MODULE", "boh.settings")
        # The children must import boh even when this process found it through manage.py.
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(SRC_DIR), env.get("PYTHONPATH", "")) if p
        )
        env["PYTHONUNBUFFERED"] = "1"
        return env

    def _start(self, cmd: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
        # A session of its own, so Ctrl-C reaches only this process, which then stops
        # each child in the order and with the signal that shuts it down gracefully.
        return subprocess.Popen(  # noqa: S603
            cmd, env=env, start_new_session=True, preexec_fn=_die_with_parent
        )

    def _wait_for_first_exit(
        self, children: list[tuple[str, subprocess.Popen[bytes]]]
    ) -> tuple[str, int]:
        while True:
            for name, proc in children:
                code = proc.poll()
                if code is not None:
                    return name, code
            time.sleep(0.5)

    def _stop(self, children: list[tuple[str, subprocess.Popen[bytes]]]) -> None:
        # gunicorn stops gracefully on SIGTERM; the Huey consumer on SIGINT (SIGTERM
        # would abandon the jobs it is running).
        graceful = {"web": signal.SIGTERM, "worker": signal.SIGINT}
        for name, proc in children:
            if proc.poll() is None:
                proc.send_signal(graceful[name])
        deadline = time.monotonic() + STOP_WAIT_SECONDS
        for _name, proc in children:
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
