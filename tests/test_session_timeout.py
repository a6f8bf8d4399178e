"""WCAG 2.2.1 Timing adjustable: a signed-in page knows how long its session has left, warns before
it ends for want of activity, and "Stay signed in" gives the full time again (never past the
session's absolute lifetime); a session that ended says why."""
from __future__ import annotations

from datetime import timedelta

from scheduler.models import LoginSession, utcnow


def _login(db, user) -> LoginSession:
    return db.session.scalar(db.select(LoginSession).filter_by(user_id=user.id))


def _warning(page):
    return page.soup.find(attrs={"data-module": "app-session-timeout"})


def test_a_signed_in_page_carries_the_timeout_warning_with_the_time_left(app, client, db, sign_in):
    user = sign_in("assessor")
    _login(db, user).last_seen_at = utcnow() - timedelta(minutes=20)
    db.session.commit()
    warning = _warning(client.get("/account/two-step-sign-in"))
    idle = app.config["IDLE_TIMEOUT"].total_seconds()
    # the page's request touched the session (more than a minute idle): the full idle time is left
    assert idle - 5 <= int(warning["data-seconds-left"]) <= idle
    assert int(warning["data-warning-seconds"]) == app.config["SESSION_WARNING_SECONDS"] == 120
    dialog = warning.find("dialog")
    assert dialog["aria-labelledby"] == "session-timeout-heading"
    assert dialog.find(id="session-timeout-heading").get_text(strip=True) == "You will be signed out soon"
    assert dialog.find("button").get_text(strip=True) == "Stay signed in"


def test_a_page_for_someone_signed_out_has_no_timeout_warning(client):
    assert _warning(client.get("/sign-in")) is None


def test_stay_signed_in_gives_the_full_idle_time_again(app, client, db, sign_in):
    user = sign_in("coordinator")
    login = _login(db, user)
    login.last_seen_at = utcnow() - timedelta(minutes=29)
    db.session.commit()
    # the session is still alive (29 < 30 minutes), and asking for more time resets the clock
    answer = client.post("/session/keep-alive")
    assert answer.status_code == 200
    assert answer.get_json()["seconds_left"] >= app.config["IDLE_TIMEOUT"].total_seconds() - 5
    db.session.refresh(login)
    assert utcnow() - login.last_seen_at < timedelta(seconds=5)


def test_stay_signed_in_never_goes_past_the_session_s_absolute_lifetime(app, client, db, sign_in):
    user = sign_in("assessor")
    _login(db, user).created_at = utcnow() - app.config["SESSION_LIFETIME"] + timedelta(seconds=90)
    db.session.commit()
    assert 0 < client.post("/session/keep-alive").get_json()["seconds_left"] <= 90


def test_nobody_signed_out_can_keep_a_session_alive(client):
    answer = client.post("/session/keep-alive")
    assert answer.status_code == 302 and "/sign-in" in answer.location


def test_a_session_that_ended_for_want_of_activity_says_why(client):
    page = client.get("/signed-out?reason=inactive")
    assert page.soup.h1.get_text(strip=True) == "You have been signed out"
    assert "had not done anything for 30 minutes" in page.soup.main.get_text(" ", strip=True)
    assert client.get("/signed-out").soup.h1.get_text(strip=True) == "You have signed out"


def test_the_signed_out_page_after_the_countdown_ends_a_session_still_alive(client, db, sign_in):
    user = sign_in("assessor")
    client.get("/signed-out?reason=inactive")
    assert _login(db, user) is None
    assert client.get("/account/two-step-sign-in").status_code == 302
