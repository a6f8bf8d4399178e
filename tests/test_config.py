"""Configuration that keeps production safe: a long secret key, links built from BASE_URL (never
the Host header), requests for other hosts refused, and request sizes bounded with a friendly 413."""
from __future__ import annotations

import pytest

from config import Config, ConfigError, TestConfig
from scheduler import create_app
from scheduler.models import OutboxMessage
from tests import factories


def _production(**settings) -> type[Config]:
    values = {"ENV_NAME": "production", "DEVELOPMENT": False, "SECRET_KEY": "k" * 32,
              "BASE_URL": "https://assessors.example.gov.uk", "CONTACT_EMAIL": "team@example.gov.uk", **settings}
    return type("ProductionConfig", (Config,), values)


def test_production_refuses_a_secret_key_under_32_bytes():
    with pytest.raises(ConfigError, match="shorter than 32 bytes"):
        _production(SECRET_KEY="k" * 31).validate()
    _production(SECRET_KEY="k" * 32).validate()


def test_production_refuses_to_start_without_a_base_url():
    with pytest.raises(ConfigError, match="BASE_URL is not set"):
        _production(BASE_URL="").validate()
    with pytest.raises(ConfigError, match="BASE_URL is not set"):
        _production(BASE_URL="assessors.example.gov.uk").validate()


def test_production_refuses_to_start_without_a_contact_for_people():
    with pytest.raises(ConfigError, match="CONTACT_EMAIL is not set"):
        _production(CONTACT_EMAIL="").validate()


def test_a_request_for_another_host_is_refused(client):
    response = client.get("/", headers={"Host": "evil.example"})
    assert response.status_code == 400
    assert client.get("/").status_code == 200


@pytest.fixture()
def any_host(app):
    """Trusted hosts switched off, as if a proxy let any Host header through."""
    saved = app.config["TRUSTED_HOSTS"]
    app.config["TRUSTED_HOSTS"] = None
    yield
    app.config["TRUSTED_HOSTS"] = saved


def test_emailed_links_point_at_base_url_whatever_host_the_request_named(client, db, make_user, sign_in, any_host):
    coordinator = make_user("coordinator")
    user = make_user("assessor")
    me = factories.AssessorFactory(user=user)
    sign_in(user)
    token = client.csrf_token()
    client.set_cookie("scheduler_session", client.get_cookie("scheduler_session").value, domain="evil.example")
    response = client.post("/my/profile/specialisms", headers={"Host": "evil.example"},
                           data={"specialisms": ["children", "justice"], "csrf_token": token})
    assert response.status_code == 302
    body = db.session.scalar(db.select(OutboxMessage.body).filter_by(recipient=coordinator.email))
    assert f"http://localhost/assessors/{me.id}" in body and "evil.example" not in body


def test_forwarded_headers_are_believed_only_when_the_proxy_hops_are_configured():
    from werkzeug.middleware.proxy_fix import ProxyFix

    assert not isinstance(create_app(TestConfig).wsgi_app, ProxyFix)
    behind_one = create_app(type("BehindProxy", (TestConfig,), {"PROXY_HOPS": 1}))
    assert isinstance(behind_one.wsgi_app, ProxyFix)
    assert (behind_one.wsgi_app.x_for, behind_one.wsgi_app.x_proto) == (1, 1)


def test_a_request_over_the_size_limit_gets_the_friendly_413_page(app, client):
    response = client.post("/sign-in", data={"email": "a@example.org",
                                             "password": "x" * app.config["MAX_CONTENT_LENGTH"]},
                           csrf=False)
    assert response.status_code == 413
    assert response.soup.h1.get_text(strip=True) == "What you sent is too large"
    assert "Content-Security-Policy" in response.headers


def test_a_form_field_over_the_form_memory_limit_gets_the_413_page(app, client):
    response = client.post("/sign-in", data={"email": "a@example.org",
                                             "password": "x" * (app.config["MAX_FORM_MEMORY_SIZE"] + 1)},
                           content_type="multipart/form-data", csrf=False)
    assert response.status_code == 413
    assert response.soup.h1.get_text(strip=True) == "What you sent is too large"
