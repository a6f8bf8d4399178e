"""Configuration read from the environment, with safe defaults for development."""
from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"


class ConfigError(RuntimeError):
    """The environment does not describe a safe configuration."""


def _host(url: str | None) -> str | None:
    return urlsplit(url).hostname if url else None


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


# Signed links, sessions and CSRF tokens are only as strong as this key.
MIN_SECRET_KEY_BYTES = 32


class Config:
    ENV_NAME = os.environ.get("SCHEDULER_ENV", "development")
    DEVELOPMENT = ENV_NAME == "development"
    TESTING = False

    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'scheduler.sqlite3'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}

    # A development secret is generated per process: sessions do not survive a restart,
    # which is fine locally and impossible to ship by accident (production refuses to start).
    SECRET_KEY = os.environ.get("SECRET_KEY") or (secrets.token_hex(32) if DEVELOPMENT else None)

    # Emailed links are built from BASE_URL, never from the request's Host header; requests for any
    # other host are refused (400). Development without it: links point at the local server.
    BASE_URL = (os.environ.get("BASE_URL") or ("http://127.0.0.1:5000" if DEVELOPMENT else "")).rstrip("/")
    TRUSTED_HOSTS = [h for h in {_host(BASE_URL), "localhost" if DEVELOPMENT else None} if h] or None

    # Request size: the largest request is a CSV import; forms without files stay far smaller.
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", str(4 * 1024 * 1024)))
    MAX_FORM_MEMORY_SIZE = 500 * 1024
    MAX_FORM_PARTS = 1000

    REDIS_URL = os.environ.get("REDIS_URL") or None
    # Rate-limit counts are shared by every worker through Redis; in memory they are per process, so
    # production refuses that with more than one worker (validate). If Redis stops answering, limits
    # are counted in memory meanwhile (logged) instead of failing the request.
    RATELIMIT_STORAGE_URI = REDIS_URL or "memory://"
    RATELIMIT_STORAGE_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True
    RATELIMIT_HEADERS_ENABLED = True
    # Gunicorn's own setting for its number of workers (read here only to refuse per-process limits).
    WEB_CONCURRENCY = int(os.environ.get("WEB_CONCURRENCY", "1"))
    # Failures only (scheduler.auth.throttle): per account typed, per address (high: a shared office),
    # and per account at the second step.
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute;50 per hour")
    LOGIN_ADDRESS_RATE_LIMIT = os.environ.get("LOGIN_ADDRESS_RATE_LIMIT", "60 per minute;600 per hour")
    MFA_RATE_LIMIT = os.environ.get("MFA_RATE_LIMIT", "5 per minute;20 per hour")
    # "Forgotten your password?" (an email each time, so every request counts): per email typed, per address.
    PASSWORD_RESET_RATE_LIMIT = os.environ.get("PASSWORD_RESET_RATE_LIMIT", "3 per 15 minutes;10 per day")
    PASSWORD_RESET_ADDRESS_RATE_LIMIT = os.environ.get("PASSWORD_RESET_ADDRESS_RATE_LIMIT", "20 per hour")

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = not DEVELOPMENT
    SESSION_COOKIE_NAME = "scheduler_session"
    REMEMBER_COOKIE_SECURE = not DEVELOPMENT
    IDLE_TIMEOUT = timedelta(minutes=int(os.environ.get("IDLE_TIMEOUT_MINUTES", "30")))
    # However active, a login session ends this long after sign-in (ASVS 7.3.2).
    # How long before an idle session ends its page warns and offers more time (WCAG 2.2.1).
    SESSION_WARNING_SECONDS = 120
    SESSION_LIFETIME = timedelta(hours=int(os.environ.get("SESSION_LIFETIME_HOURS", "12")))
    PERMANENT_SESSION_LIFETIME = SESSION_LIFETIME
    WTF_CSRF_TIME_LIMIT = 3600 * 8

    HSTS = not DEVELOPMENT
    # How many reverse proxies in front set X-Forwarded-For/-Proto/-Host (0: none, trust no header).
    PROXY_HOPS = int(os.environ.get("PROXY_HOPS", "0"))

    MAIL_SERVER = os.environ.get("MAIL_SERVER") or None
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_USE_TLS = _bool("MAIL_USE_TLS")
    MAIL_SENDER = os.environ.get("MAIL_SENDER", "assessor-scheduler@localhost")

    # Team builder solves: time limit (s), CP-SAT threads (0: all cores), heartbeat and when a
    # silent worker counts as dead; SOLVE_INLINE runs solves in the request (tests only).
    SOLVE_TIME_LIMIT = float(os.environ.get("SOLVE_TIME_LIMIT", "60"))
    SOLVE_WORKERS = int(os.environ.get("SOLVE_WORKERS", "0"))
    SOLVE_HEARTBEAT_SECONDS = 2.0
    # Seven missed heartbeats: a killed worker's run says so within 15 s, not a minute later, and a
    # heartbeat slowed by a busy database is not taken for a death.
    SOLVE_DEAD_AFTER_SECONDS = 15
    SOLVE_INLINE = False
    # "Build teams" answers as soon as the solve ends, waiting at most this long (then the progress page).
    SOLVE_WAIT_SECONDS = float(os.environ.get("SOLVE_WAIT_SECONDS", "1.5"))

    SERVICE_NAME = "Associate assessor scheduler"
    # Who runs the service and how people reach them: every page or email that says "contact us",
    # the privacy notice and the accessibility statement read these (scheduler.contact).
    ORGANISATION_NAME = os.environ.get("ORGANISATION_NAME", "Care Inspectorate")
    CONTACT_EMAIL = os.environ.get("CONTACT_EMAIL") or ("associate.assessors@localhost" if DEVELOPMENT else "")
    CONTACT_PHONE = os.environ.get("CONTACT_PHONE") or None
    CONTACT_HOURS = os.environ.get("CONTACT_HOURS", "Monday to Friday, 9am to 5pm")
    SHOW_DEMO_PASSWORDS = DEVELOPMENT
    # The retention schedule (scheduler.privacy.schedule; why these defaults: docs/privacy.md).
    NOTIFICATION_RETENTION_DAYS = int(os.environ.get("NOTIFICATION_RETENTION_DAYS", str(6 * 365 + 2)))
    RETENTION_APPLICATION_MONTHS = int(os.environ.get("RETENTION_APPLICATION_MONTHS", "12"))
    RETENTION_ASSESSOR_MONTHS = int(os.environ.get("RETENTION_ASSESSOR_MONTHS", "24"))
    RETENTION_OUTBOX_DAYS = int(os.environ.get("RETENTION_OUTBOX_DAYS", "90"))
    RETENTION_LINK_DAYS = int(os.environ.get("RETENTION_LINK_DAYS", "30"))
    RETENTION_SESSION_DAYS = int(os.environ.get("RETENTION_SESSION_DAYS", "30"))
    RETENTION_AUDIT_MONTHS = int(os.environ.get("RETENTION_AUDIT_MONTHS", str(6 * 12)))

    @classmethod
    def validate(cls) -> None:
        make_one = "python -c 'import secrets; print(secrets.token_hex(32))'"
        if not cls.SECRET_KEY:
            raise ConfigError(
                "SECRET_KEY is not set. Outside development the application needs a secret key: "
                f"set SECRET_KEY to a long random value ({make_one})."
            )
        if len(cls.SECRET_KEY.encode()) < MIN_SECRET_KEY_BYTES:
            raise ConfigError(f"SECRET_KEY is shorter than {MIN_SECRET_KEY_BYTES} bytes: set it to a long "
                              f"random value ({make_one}).")
        if not cls.BASE_URL or urlsplit(cls.BASE_URL).scheme not in ("http", "https") or not _host(cls.BASE_URL):
            raise ConfigError(
                "BASE_URL is not set. Emailed links are built from it, never from the request: set BASE_URL "
                "to the address people use, like https://assessors.example.gov.uk")
        if "@" not in (cls.CONTACT_EMAIL or ""):
            raise ConfigError(
                "CONTACT_EMAIL is not set. Pages, emails, the privacy notice and the accessibility statement tell "
                "people how to contact the team: set CONTACT_EMAIL (and CONTACT_PHONE) to the team's real details.")
        if not (cls.DEVELOPMENT or cls.TESTING) and cls.WEB_CONCURRENCY > 1 \
                and cls.RATELIMIT_STORAGE_URI.startswith("memory://"):
            raise ConfigError(
                f"WEB_CONCURRENCY is {cls.WEB_CONCURRENCY} but rate limits are kept in memory, so each worker "
                "would count on its own and let through that many times the limit: set REDIS_URL (or run one worker)."
            )


class TestConfig(Config):
    ENV_NAME = "testing"
    DEVELOPMENT = False
    TESTING = True
    SECRET_KEY = "test-secret-key-not-for-production-000"
    BASE_URL = "http://localhost"
    TRUSTED_HOSTS = ["localhost"]
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    RATELIMIT_STORAGE_URI = "memory://"
    SESSION_COOKIE_SECURE = False
    HSTS = True
    MAIL_SERVER = None
    CONTACT_EMAIL = "associate.assessors@test.example"
    CONTACT_PHONE = "0131 496 0000"
    SHOW_DEMO_PASSWORDS = False
    SOLVE_INLINE = True
    SOLVE_TIME_LIMIT = 10.0
    SOLVE_WORKERS = 2
    SOLVE_HEARTBEAT_SECONDS = 0.0
