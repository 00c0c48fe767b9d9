"""Settings for the test suite: the same settings, with test-friendly defaults."""

import os
import tempfile

os.environ.setdefault("BOH_TESTING", "1")
os.environ.setdefault("BOH_LOG_LEVEL", "WARNING")
os.environ.setdefault("BOH_HUEY_NAME", f"boh-test-{os.getpid()}")
os.environ.setdefault("BOH_CACHE_DIR", tempfile.mkdtemp(prefix="boh-cache-"))
os.environ.setdefault(
    "BOH_HUEY_FILE", os.path.join(tempfile.mkdtemp(prefix="boh-jobs-"), "jobs.db")
)

from boh.settings import *  # noqa: F403
