"""Django settings for BOH, read from BOH_* environment variables (see docs/configuration.md)."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


VAR_DIR = Path(env("BOH_VAR_DIR", str(PROJECT_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("BOH_DEBUG", default=False)
TESTING = env_bool("BOH_TESTING", default=False)
SECRET_KEY = env("BOH_SECRET_KEY") or (
    "insecure-development-key-set-BOH_SECRET_KEY-in-production" if (DEBUG or TESTING) else ""
)
if not SECRET_KEY:
    raise RuntimeError("BOH_SECRET_KEY must be set when BOH_DEBUG is off")

ALLOWED_HOSTS = [h.strip() for h in env("BOH_ALLOWED_HOSTS", "localhost,127.0.0.1").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in env("BOH_CSRF_TRUSTED_ORIGINS").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "huey.contrib.djhuey",
    "boh.core",
    "boh.org",
    "boh.catalog",
    "boh.inventory",
    "boh.menu",
    "boh.purchasing",
    "boh.sales",
    "boh.planning",
    "boh.demo",
    "boh.web",
]

MIDDLEWARE = [
    "boh.core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "boh.core.middleware.IdempotencyMiddleware",
]

ROOT_URLCONF = "boh.urls"
WSGI_APPLICATION = "boh.wsgi.application"
AUTH_USER_MODEL = "org.User"
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "boh.web.context.shell",
            ],
        },
    },
]

# Database: embedded SQLite under var/ by default, PostgreSQL for a chain.
DATABASE_URL = env("BOH_DATABASE_URL", f"sqlite:///{VAR_DIR / 'boh.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
else:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background jobs: Huey on SQLite by default, Redis when BOH_REDIS_URL is set.
REDIS_URL = env("BOH_REDIS_URL")
HUEY_NAME = env("BOH_HUEY_NAME", "boh")
if REDIS_URL:
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": HUEY_NAME,
        "url": REDIS_URL,
        "immediate": False,
        "utc": True,
        "consumer": {"workers": int(env("BOH_WORKERS", "2")), "worker_type": "thread"},
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": HUEY_NAME,
        }
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": HUEY_NAME,
        "filename": env("BOH_HUEY_FILE", str(VAR_DIR / "jobs.sqlite3")),
        "immediate": False,
        "utc": True,
        "consumer": {"workers": int(env("BOH_WORKERS", "2")), "worker_type": "thread"},
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": env("BOH_CACHE_DIR", str(VAR_DIR / "cache")),
        }
    }

# Internationalisation: Simplified Chinese and English are both first-class.
LANGUAGE_CODE = env("BOH_LANGUAGE", "zh-hans")
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
# Each module keeps its own translations in <module>/locale/.
LOCALE_PATHS: list[Path] = []
USE_I18N = True
USE_TZ = True
TIME_ZONE = env("BOH_TIME_ZONE", "Asia/Shanghai")
DEFAULT_CURRENCY = env("BOH_DEFAULT_CURRENCY", "CNY")

# Static files (vendored, served by WhiteNoise) and media (local or S3-compatible).
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("BOH_STATIC_ROOT", str(VAR_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("BOH_MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES: dict[str, dict[str, object]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
if env("BOH_S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("BOH_S3_BUCKET"),
            "endpoint_url": env("BOH_S3_ENDPOINT_URL") or None,
            "region_name": env("BOH_S3_REGION") or None,
            "access_key": env("BOH_S3_ACCESS_KEY_ID") or None,
            "secret_key": env("BOH_S3_SECRET_ACCESS_KEY") or None,
            "default_acl": None,
            "querystring_auth": True,
        },
    }

# Email: console in development, SMTP when BOH_EMAIL_HOST is set.
EMAIL_HOST = env("BOH_EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(env("BOH_EMAIL_PORT", "587"))
    EMAIL_HOST_USER = env("BOH_EMAIL_USER")
    EMAIL_HOST_PASSWORD = env("BOH_EMAIL_PASSWORD")
    EMAIL_USE_TLS = env_bool("BOH_EMAIL_USE_TLS", default=True)
elif TESTING:
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env("BOH_EMAIL_FROM", "boh@localhost")

# Security. With BOH_DEBUG off these satisfy `manage.py check --deploy`.
SESSION_COOKIE_AGE = int(env("BOH_SESSION_SECONDS", str(12 * 3600)))
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
HTTPS = env_bool("BOH_HTTPS", default=not (DEBUG or TESTING))
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("BOH_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(env("BOH_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("BOH_HSTS_PRELOAD", default=True)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Login throttling: failures per account and per client address inside a window.
LOGIN_MAX_FAILURES = int(env("BOH_LOGIN_MAX_FAILURES", "5"))
LOGIN_FAILURE_WINDOW = int(env("BOH_LOGIN_FAILURE_WINDOW", "900"))

# API limits.
API_MAX_PAGE_SIZE = 500
IDEMPOTENCY_TTL_HOURS = 24

# Logging: readable lines in development, JSON lines in production; request id on each.
LOG_FORMAT = env("BOH_LOG_FORMAT", "text" if (DEBUG or TESTING) else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "boh.core.logging.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env("BOH_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "huey": {"level": "INFO", "handlers": ["console"], "propagate": False},
    },
}
