"""With the database down every user, signed in or not, gets the service's own 503 page, with
Retry-After and a reference that leads to the log line; the page itself never needs the database."""
from __future__ import annotations

import pytest

from config import TestConfig
from scheduler import create_app
from tests.conftest import CLOSED_PORT, CheckedClient

DATABASE_DOWN = f"postgresql+psycopg://postgres@127.0.0.1:{CLOSED_PORT}/nothing"


class DatabaseDown(TestConfig):
    SQLALCHEMY_DATABASE_URI = DATABASE_DOWN


@pytest.fixture()
def down_app():
    app = create_app(DatabaseDown)
    app.test_client_class = CheckedClient
    return app


def _cookie(client) -> str:
    return client.get_cookie("scheduler_session").value


@pytest.mark.parametrize("signed_in", [True, False])
def test_with_the_database_down_every_user_gets_the_service_s_503_page(client, sign_in, down_app, signed_in):
    down = down_app.test_client()
    if signed_in:
        sign_in("coordinator")
        down.set_cookie("scheduler_session", _cookie(client))
    page = down.get("/teams/" if signed_in else "/become-an-associate-assessor/apply",
                    headers={"X-Request-ID": "req-fault-0001"})
    assert page.status_code == 503
    assert page.headers["Retry-After"] == "30"
    assert page.soup.h1.get_text(strip=True) == "Sorry, the service is unavailable"
    assert "Try again in a minute" in page.soup.main.get_text()
    assert "quote reference req-fault-0001" in page.soup.main.get_text()
    assert page.headers["X-Request-ID"] == "req-fault-0001"


def test_readyz_reports_the_database_down_and_healthz_still_answers(down_app):
    client = down_app.test_client()
    assert client.get("/healthz").status_code == 200
    ready = client.get("/readyz")
    assert ready.status_code == 503 and ready.json["checks"]["database"] == "down"


def _is_the_503_page(page) -> bool:
    # (on a rate-limited view the limiter rewrites Retry-After from its own clock: 29 or 30)
    return (page.status_code == 503 and int(page.headers["Retry-After"]) > 0
            and page.soup.h1.get_text(strip=True) == "Sorry, the service is unavailable")


def test_signing_in_with_the_database_down_gets_the_503_page_not_a_traceback(down_app):
    down = down_app.test_client()
    page = down.post("/sign-in", data={"email": "someone@example.org", "password": "correct horse battery"})
    assert _is_the_503_page(page)


def test_stay_signed_in_with_the_database_down_gets_the_503_page_not_a_traceback(client, sign_in, down_app):
    sign_in("coordinator")
    down = down_app.test_client()
    down.set_cookie("scheduler_session", _cookie(client))
    page = down.post("/session/keep-alive")
    assert _is_the_503_page(page)
