from __future__ import annotations

import re


def test_pages_send_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    nonce = re.search(r"'nonce-([^']+)'", csp).group(1)
    assert f'nonce="{nonce}"' in response.get_data(as_text=True)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "max-age" in response.headers["Strict-Transport-Security"]


def test_each_page_gets_a_fresh_nonce(client):
    first = client.get("/").headers["Content-Security-Policy"]
    second = client.get("/").headers["Content-Security-Policy"]
    assert first != second


def test_session_cookie_is_http_only_and_same_site(client, sign_in):
    sign_in("coordinator")
    cookie = client.get_cookie("scheduler_session")
    assert cookie.http_only and cookie.same_site == "Lax"


def test_unknown_page_is_a_friendly_404(client):
    page = client.get("/no-such-page")
    assert page.status_code == 404
    assert page.soup.h1.text.strip() == "Page not found"


def test_an_unexpected_error_shows_no_traceback(bare_app):
    def boom():
        raise RuntimeError("secret internals")

    from scheduler.access import public

    bare_app.add_url_rule("/test-boom", "test_boom", public(boom))
    page = bare_app.test_client().get("/test-boom")
    assert page.status_code == 500
    assert "secret internals" not in page.get_data(as_text=True)
    assert "Traceback" not in page.get_data(as_text=True)
    assert "Content-Security-Policy" in page.headers and page.headers["X-Frame-Options"] == "DENY"


def test_an_error_after_a_commit_still_gets_the_friendly_page_with_security_headers(bare_app):
    from scheduler.access import public
    from scheduler.extensions import db

    def commit_then_fail():
        db.session.commit()
        raise ValueError("Header values may not contain linefeed or carriage return characters")

    bare_app.add_url_rule("/test-commit-then-fail", "test_commit_then_fail", public(commit_then_fail))
    page = bare_app.test_client().get("/test-commit-then-fail")
    assert page.status_code == 500
    assert "linefeed" not in page.get_data(as_text=True)
    assert "Content-Security-Policy" in page.headers and page.headers["X-Frame-Options"] == "DENY"
