"""Fixtures shared by every test: the app on SQLite (or TEST_DATABASE_URL), a checking client,
sign-in helpers per role and factories."""
from __future__ import annotations

import os

import pytest
from flask import has_app_context
from flask.testing import FlaskClient
from flask_migrate import upgrade
from itsdangerous import URLSafeTimedSerializer

from config import TestConfig
from scheduler import create_app
from scheduler.auth import mfa
from scheduler.extensions import db as _db
from scheduler.extensions import limiter
from scheduler.models import Role
from tests import factories
from tests.pages import check_page
from tests.visible_dates import dates_in_digits

# Tables filled by migrations (reference data, the data version): kept between tests, everything else is emptied.
REFERENCE_TABLES = {"area", "employer", "employer_area", "alembic_version", "data_version",
                    "data_change"}   # the change log goes on with the versions: results built on it stay exact


def _typed(request: dict) -> list[str]:
    """The values a request sent (form fields and query string), as text."""
    values: list = []
    for part in (request.get("data"), request.get("query_string")):
        if isinstance(part, dict):
            for value in part.values():
                values += value if isinstance(value, list | tuple) else [value]
    return [str(v) for v in values]


class CheckedClient(FlaskClient):
    """A test client that checks every HTML page it receives and sends a CSRF token with forms."""

    def open(self, *args, csrf: bool = True, **kwargs):
        method = (kwargs.get("method") or "GET").upper()
        if method == "POST" and csrf:
            data = kwargs.get("data")
            if data is None or isinstance(data, dict):
                data = dict(data or {})
                data.setdefault("csrf_token", self.csrf_token())
                kwargs["data"] = data
        # What the test arranged is committed, as it would be in the database a browser meets, and
        # the request runs in its own app context (own `g`, own session), as it does in production.
        outer = has_app_context()
        if outer:
            _db.session.commit()
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        if outer:
            _db.session.expire_all()
        if response.mimetype == "text/html" and response.status_code != 302 and response.data:
            response.soup = check_page(response.get_data(as_text=True), url=str(args[0] if args else ""))
            digits = dates_in_digits(response.soup, typed=_typed(kwargs))
            assert not digits, f"Page {args[0] if args else ''} writes dates in digits, not words: {digits}"
        return response

    def csrf_token(self) -> str:
        with self.session_transaction() as session:
            raw = session.setdefault("csrf_token", os.urandom(20).hex())
        app = self.application
        return URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="wtf-csrf-token").dumps(raw)


@pytest.fixture(scope="session")
def app():
    app = create_app(TestConfig)
    app.test_client_class = CheckedClient
    with app.app_context():
        if _db.engine.dialect.name == "postgresql":
            _db.drop_all()
            with _db.engine.begin() as conn:
                conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
        upgrade(revision="heads")
    yield app


@pytest.fixture()
def bare_app():
    """A fresh app with no database work done, for tests that add routes of their own."""
    app = create_app(TestConfig)
    app.test_client_class = CheckedClient
    return app


@pytest.fixture()
def db(app):
    limiter.reset()  # each test starts with a fresh sign-in allowance
    with app.app_context():
        yield _db
        _db.session.rollback()
        _db.session.remove()
        with _db.engine.begin() as conn:
            for table in reversed(_db.metadata.sorted_tables):
                if table.name not in REFERENCE_TABLES:
                    conn.execute(table.delete())


@pytest.fixture()
def client(app, db):
    return app.test_client()


@pytest.fixture()
def make_user(db):
    def make(role: Role | str, **kwargs):
        return factories.UserFactory(role=Role(role).value, **kwargs)

    return make


@pytest.fixture()
def sign_in(client, make_user):
    """sign_in("coordinator") creates a user of that role and signs the client in as them."""

    def do(role_or_user, client=client):
        user = make_user(role_or_user) if isinstance(role_or_user, str | Role) else role_or_user
        user.totp_last_step = None  # a test may sign the same person in twice within one code's 30 s
        _db.session.commit()
        response = client.post("/sign-in", data={"email": user.email, "password": factories.PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        if response.location.endswith("/sign-in/security-code"):  # staff: the second step
            response = client.post("/sign-in/security-code", data={"code": mfa.current_code(user)})
            assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return user

    return do


@pytest.fixture(autouse=True)
def _bind_factories(request):
    if "db" in request.fixturenames or "client" in request.fixturenames:
        factories.bind(_db.session)
    yield


# ---- Email: a real SMTP server on loopback ------------------------------------------------

class SmtpInbox:
    """What the loopback SMTP server received, as parsed email messages."""

    def __init__(self):
        self.messages = []
        self.refused: set[str] = set()  # addresses the server answers "550 no such mailbox"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        from email import message_from_bytes
        from email.policy import default

        self.messages.append(message_from_bytes(envelope.content, policy=default))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list:
        return [m for m in self.messages if m["To"] == address]

    def body(self, message) -> str:
        return message.get_body(preferencelist=("plain",)).get_content()

    def links(self, address: str) -> list[str]:
        import re

        return [link for m in self.to(address) for link in re.findall(r"https?://\S+", self.body(m))]


@pytest.fixture()
def smtp_server(app):
    """An SMTP server on 127.0.0.1 and a free port; the app sends to it for this test only."""
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = SmtpInbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    keys = ("MAIL_SERVER", "MAIL_PORT", "MAIL_USE_TLS", "MAIL_USERNAME", "MAIL_PASSWORD")
    saved = {key: app.config.get(key) for key in keys}
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False, MAIL_USERNAME=None,
                      MAIL_PASSWORD=None)
    try:
        yield inbox
    finally:
        app.config.update(saved)
        controller.stop()


# ---- Redis: a database of its own for the RQ and fault tests ------------------------------------

TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
CLOSED_PORT = 9      # the discard port: nothing listens, a connection is refused at once


@pytest.fixture()
def redis_db():
    """A connection to TEST_REDIS_URL, emptied before and after (skipped without Redis, failed in CI)."""
    try:
        from redis import Redis

        connection = Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=1)
        connection.ping()
    except Exception as error:  # noqa: BLE001
        if os.environ.get("CI"):
            raise
        pytest.skip(f"Redis is not reachable at {TEST_REDIS_URL} ({error}): start redis-server to run this test")
    connection.flushdb()
    yield connection
    connection.flushdb()
