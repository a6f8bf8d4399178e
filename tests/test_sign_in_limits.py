"""Sign-in limits that hold: failures count per account and (with a high cap) per address, so an
attacker locked out of one account does not lock out a colleague at the same address; counts live
in Redis whenever it is configured; sign-in still works when Redis is down; production refuses
per-process counts with several workers."""
from __future__ import annotations

import logging
import os
import re
import secrets
import subprocess
import sys

import pytest

from config import BASE_DIR, Config, ConfigError
from scheduler import create_app
from scheduler.extensions import limiter
from tests import factories
from tests.browser.conftest import make_live_app
from tests.conftest import TEST_REDIS_URL


def _first_number(limit: str) -> int:
    return int(re.match(r"\d+", limit).group())


def _wrong(client, email: str, address: str = "203.0.113.7"):
    return client.post("/sign-in", data={"email": email, "password": "not the password at all"},
                       environ_base={"REMOTE_ADDR": address})


def _right(client, user, address: str = "203.0.113.7"):
    return client.post("/sign-in", data={"email": user.email, "password": factories.PASSWORD},
                       environ_base={"REMOTE_ADDR": address})


def test_an_attacker_locked_out_of_one_account_does_not_lock_out_a_colleague_at_the_same_address(app, client, db,
                                                                                                  make_user):
    victim, colleague = make_user("assessor"), make_user("coordinator")
    db.session.commit()
    allowed = _first_number(app.config["LOGIN_RATE_LIMIT"])
    assert [_wrong(client, victim.email).status_code for _ in range(allowed)] == [200] * allowed
    assert _wrong(client, victim.email).status_code == 429
    assert _right(client, colleague).status_code == 302  # same address, right password: on to the code


def test_guessing_one_account_stops_at_its_limit_from_any_number_of_addresses(app, client, db, make_user):
    victim = make_user("assessor")
    db.session.commit()
    allowed = _first_number(app.config["LOGIN_RATE_LIMIT"])
    for n in range(allowed):
        assert _wrong(client, victim.email, address=f"198.51.100.{n + 1}").status_code == 200
    assert _wrong(client, victim.email, address="198.51.100.200").status_code == 429


def test_one_address_trying_many_accounts_stops_at_the_address_cap(app, client, db, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_ADDRESS_RATE_LIMIT", "5 per minute")
    assert [_wrong(client, f"person{n}@test.example").status_code for n in range(5)] == [200] * 5
    assert _wrong(client, "person99@test.example").status_code == 429
    assert _wrong(client, "person99@test.example", address="192.0.2.1").status_code == 200


def test_successful_sign_ins_do_not_use_up_the_allowance(app, client, db, make_user):
    user = make_user("assessor")
    db.session.commit()
    for _ in range(_first_number(app.config["LOGIN_RATE_LIMIT"]) + 2):
        assert _right(client, user).status_code == 302
        client.post("/sign-out")


def test_the_address_cap_is_well_above_one_account_s_limit():
    """A shared office: many people mistyping must not reach it before one account is protected."""
    assert _first_number(Config.LOGIN_ADDRESS_RATE_LIMIT) >= 5 * _first_number(Config.LOGIN_RATE_LIMIT)


# ---- Where the counts live ----

@pytest.fixture()
def own_app(db, tmp_path):
    """own_app(**config): an app of its own on a migrated SQLite file; the shared limiter (an
    extension bound to the last app created) is given back to the test app afterwards."""
    saved = dict(limiter.__dict__)

    def make(**config):
        return make_live_app(tmp_path, LOGIN_RATE_LIMIT=Config.LOGIN_RATE_LIMIT, **config)

    yield make
    limiter.__dict__.clear()
    limiter.__dict__.update(saved)


def _sign_in_fails(app, email: str) -> int:
    with app.app_context():
        return app.test_client().post("/sign-in", data={"email": email, "password": "wrong"}).status_code


def test_with_redis_configured_every_worker_counts_in_redis(own_app, redis_db):
    connection = redis_db
    prefix = f"test-{secrets.token_hex(4)}"
    settings = dict(RATELIMIT_STORAGE_URI=TEST_REDIS_URL, RATELIMIT_KEY_PREFIX=prefix, WTF_CSRF_ENABLED=False)
    try:
        first = own_app(**settings)
        assert [_sign_in_fails(first, "victim@test.example") for _ in range(4)] == [200] * 4
        assert connection.keys(f"*{prefix}*account:victim@test.example*")  # the count is in Redis
        second = own_app(**settings)  # another worker: the same count
        assert [_sign_in_fails(second, "victim@test.example") for _ in range(6)] == [200] * 6
        assert _sign_in_fails(first, "victim@test.example") == 429
    finally:
        for key in connection.scan_iter(f"*{prefix}*"):
            connection.delete(key)


def test_redis_url_makes_redis_the_rate_limit_storage():
    script = "from config import Config; print(Config.RATELIMIT_STORAGE_URI)"
    env = {**os.environ, "REDIS_URL": "redis://127.0.0.1:6379/9"}
    shown = subprocess.run([sys.executable, "-c", script], env=env, cwd=BASE_DIR, capture_output=True, text=True)
    assert shown.stdout.strip() == "redis://127.0.0.1:6379/9"


class Recorded(logging.Handler):
    """What a logger said (caplog cannot see it: alembic's logging setup replaces the root's handlers)."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def test_with_redis_down_sign_in_still_works_and_failures_are_still_counted(own_app):
    app = own_app(RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/0", WTF_CSRF_ENABLED=False)
    with app.app_context():
        factories.bind(app.extensions["sqlalchemy"].session)
        user = factories.UserFactory(role="assessor")
        app.extensions["sqlalchemy"].session.commit()
        email = user.email
    client = app.test_client()
    said = Recorded()
    logging.getLogger("flask-limiter").addHandler(said)
    try:
        assert client.post("/sign-in", data={"email": email, "password": factories.PASSWORD}).status_code == 302
    finally:
        logging.getLogger("flask-limiter").removeHandler(said)
    assert any("falling back to in-memory storage" in m for m in said.messages)
    allowed = _first_number(Config.LOGIN_RATE_LIMIT)
    assert [_sign_in_fails(app, "victim@test.example") for _ in range(allowed)] == [200] * allowed
    assert _sign_in_fails(app, "victim@test.example") == 429


# ---- Production refuses per-process counts with several workers ----

def _production(**settings) -> type[Config]:
    base = dict(ENV_NAME="production", DEVELOPMENT=False, TESTING=False, SECRET_KEY=secrets.token_hex(32),
                RATELIMIT_STORAGE_URI="memory://", WEB_CONCURRENCY=1)
    return type("Production", (Config,), {**base, **settings})


def test_production_refuses_in_memory_limits_with_more_than_one_worker():
    with pytest.raises(ConfigError, match="REDIS_URL"):
        create_app(_production(WEB_CONCURRENCY=2))


@pytest.mark.parametrize("settings", [{"WEB_CONCURRENCY": 1},
                                      {"WEB_CONCURRENCY": 4, "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0"}])
def test_production_accepts_one_worker_or_shared_counts(settings):
    _production(**settings).validate()
