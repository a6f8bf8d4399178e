"""Configuration read from the environment, with safe defaults for development."""
from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"


class ConfigError(RuntimeError):
    """The environment does not describe a safe configuration."""


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


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

    REDIS_URL = os.environ.get("REDIS_URL") or None
    RATELIMIT_STORAGE_URI = REDIS_URL or "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute;50 per hour")

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = not DEVELOPMENT
    SESSION_COOKIE_NAME = "scheduler_session"
    REMEMBER_COOKIE_SECURE = not DEVELOPMENT
    IDLE_TIMEOUT = timedelta(minutes=int(os.environ.get("IDLE_TIMEOUT_MINUTES", "30")))
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
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
    SOLVE_DEAD_AFTER_SECONDS = 60
    SOLVE_INLINE = False

    SERVICE_NAME = "Associate assessor scheduler"
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
        if not cls.SECRET_KEY:
            raise ConfigError(
                "SECRET_KEY is not set. Outside development the application needs a secret key: "
                "set SECRET_KEY to a long random value (python -c 'import secrets; print(secrets.token_hex(32))')."
            )


class TestConfig(Config):
    ENV_NAME = "testing"
    DEVELOPMENT = False
    TESTING = True
    SECRET_KEY = "test-secret-key-not-for-production"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    RATELIMIT_STORAGE_URI = "memory://"
    SESSION_COOKIE_SECURE = False
    HSTS = True
    MAIL_SERVER = None
    SHOW_DEMO_PASSWORDS = False
    SOLVE_INLINE = True
    SOLVE_TIME_LIMIT = 10.0
    SOLVE_WORKERS = 2
    SOLVE_HEARTBEAT_SECONDS = 0.0
