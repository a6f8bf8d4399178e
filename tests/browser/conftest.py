"""Browser tests: the system Chromium drives a live server; axe checks every page visited."""
from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pyotp
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect
from werkzeug.serving import make_server

from bench.chromium import CHROMIUM, CHROMIUM_ARGS, MISSING
from config import TestConfig
from scheduler import create_app
from scheduler.extensions import db
from scheduler.models import OutboxMessage, Role
from tests import factories

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)
    if CHROMIUM:
        return
    if os.environ.get("CI"):
        raise pytest.UsageError("Chromium is missing: CI installs it with `apt-get install chromium`.")
    skip = pytest.mark.skip(reason=MISSING + " The browser tests need it.")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


class LiveServer:
    def __init__(self, app, url: str):
        self.app = app
        self.url = url

    def outbox(self, to: str | None = None) -> list[OutboxMessage]:
        with self.app.app_context():
            query = db.select(OutboxMessage).order_by(OutboxMessage.id)
            if to:
                query = query.filter_by(recipient=to)
            messages = list(db.session.scalars(query))
            db.session.expunge_all()
            return messages


def make_live_app(directory: Path, **config):
    """An app on a new, migrated SQLite file in directory; config overrides TestConfig."""
    database = Path(directory) / "live.sqlite3"

    class LiveConfig(TestConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{database}"
        LOGIN_RATE_LIMIT = "1000 per minute"
        MFA_RATE_LIMIT = "1000 per minute"

    for name, value in config.items():
        setattr(LiveConfig, name, value)
    app = create_app(LiveConfig)
    with app.app_context():
        from flask_migrate import upgrade

        upgrade(revision="heads")
    return app


def database_of_its_own(name: str, prepare: Callable[[], None] | None = None, **config):
    """Module fixtures `live_app` and `live_server` on a new database of the module's own (config as
    in make_live_app; prepare() fills it first): what its tests arrange and count is theirs alone,
    whatever other browser tests left on the shared one, in any order. In a test module:
    `live_app, live_server = database_of_its_own("refill")`."""

    @pytest.fixture(scope="module")
    def live_app(tmp_path_factory):
        app = make_live_app(tmp_path_factory.mktemp(name), **config)
        if prepare:
            with app.app_context():
                prepare()
        return app

    @pytest.fixture(scope="module")
    def live_server(live_app):
        yield from serve(live_app)

    return live_app, live_server


def serve(app) -> Iterator[LiveServer]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}"
    app.config.update(BASE_URL=url, TRUSTED_HOSTS=["127.0.0.1"])  # emailed links lead back here
    yield LiveServer(app, url)
    server.shutdown()


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    return make_live_app(tmp_path_factory.mktemp("live"))


@pytest.fixture(scope="session")
def live_server(live_app) -> Iterator[LiveServer]:
    yield from serve(live_app)


@pytest.fixture()
def live_db(live_app):
    """Direct database access for arranging a browser test; committed before the browser looks."""
    with live_app.app_context():
        factories.bind(db.session)
        yield db
        db.session.commit()
        db.session.remove()


@pytest.fixture()
def browser_user(live_db):
    def make(role: Role | str):
        user = factories.UserFactory(role=Role(role).value)
        live_db.session.commit()
        return user.email, factories.PASSWORD

    return make


def security_code() -> str:
    """What the authenticator app of a factory-made staff account shows now."""
    return pyotp.TOTP(factories.TOTP_SECRET).now()


@pytest.fixture()
def sign_in_as(live_server, browser_user, axe):
    def do(page, role: Role | str):
        email, password = browser_user(role)
        page.goto(f"{live_server.url}/sign-in")
        axe(page)
        page.get_by_label("Email address").fill(email)
        page.get_by_label("Password", exact=True).fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
        if page.url.endswith("/sign-in/security-code"):  # staff: the second step
            page.get_by_label("Security code").fill(security_code())
            page.get_by_role("button", name="Continue").click()
            page.wait_for_load_state()
        return email

    return do


@pytest.fixture(scope="session")
def _axe() -> Axe:
    return Axe()


@pytest.fixture()
def axe(_axe):
    """axe(page): fail on any WCAG 2.2 AA violation on the page as it is now."""

    def check(page) -> None:
        results = _axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS},
                                          "resultTypes": ["violations"]})
        assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"

    return check


@pytest.fixture()
def employer_confirms(live_server, axe):
    """employer_confirms(page, contact): the employer opens the latest confirmation request emailed
    to contact and confirms the release (axe-checked before and after)."""

    def do(page, contact: str) -> None:
        requests = [m for m in live_server.outbox(contact) if m.subject.startswith("Please confirm")]
        assert requests, f"no confirmation request to {contact}"
        page.goto(re.search(r"https?://\S+", requests[-1].body).group(0))
        expect(page.get_by_role("heading", level=1)).to_contain_text("release for an inspection")
        axe(page)
        page.get_by_label("Yes, I confirm their release").check()
        page.get_by_role("button", name="Send your answer").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Thank you: your answer has been sent")
        axe(page)

    return do
