"""Production settings pass Django's deployment checks, and log JSON lines with request ids."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
BOH = PROJECT / ".venv" / "bin" / "boh"


def _production_env(tmp_path: Path) -> dict[str, str]:
    """The environment of a production server: no BOH_DEBUG, no test settings, and none
    of the test run's Django switches (browser tests allow async-unsafe calls)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOH_", "DJANGO_"))}
    env.update(
        {
            "BOH_SECRET_KEY": secrets.token_urlsafe(60),
            "BOH_ALLOWED_HOSTS": "boh.example.com",
            "BOH_VAR_DIR": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "boh.settings",
        }
    )
    return env


def test_given_production_settings_then_the_deploy_check_reports_no_issues(
    tmp_path: Path,
) -> None:
    result = subprocess.run(  # noqa: S603
        [str(BOH), "check", "--deploy", "--fail-level", "WARNING"],
        env=_production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_given_no_secret_key_in_production_then_the_server_refuses_to_start(
    tmp_path: Path,
) -> None:
    env = _production_env(tmp_path)
    del env["BOH_SECRET_KEY"]

    result = subprocess.run(  # noqa: S603
        [str(BOH), "check"], env=env, capture_output=True, text=True, timeout=120, check=False
    )

    assert result.returncode != 0
    assert "BOH_SECRET_KEY must be set" in result.stderr


REQUEST_SCRIPT = """
import django
django.setup()
from django.test import Client
response = Client().get(
    "/api/v1/org/me",
    headers={"X-Request-ID": "req-7f3a"},
    HTTP_HOST="boh.example.com",
    secure=True,
)
print("STATUS", response.status_code, response["X-Request-ID"])
"""


def test_given_production_logging_when_a_request_is_refused_then_a_json_line_has_its_id(
    tmp_path: Path,
) -> None:
    # when a request without credentials is refused in a production process
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", REQUEST_SCRIPT],
        env=_production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    # then
    assert result.returncode == 0, result.stderr
    assert "STATUS 401 req-7f3a" in result.stdout
    lines = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    refused = [line for line in lines if line.get("logger") == "django.request"]
    assert len(refused) == 1
    assert refused[0]["level"] == "WARNING"
    assert refused[0]["request_id"] == "req-7f3a"
    assert refused[0]["message"] == "Unauthorized: /api/v1/org/me"
    assert refused[0]["status_code"] == 401
    assert "time" in refused[0]
