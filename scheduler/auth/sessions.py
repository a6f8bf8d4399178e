"""Server-side login sessions: renewed at sign-in, ended at sign-out, expired when idle or when
older than the absolute lifetime however active."""
from __future__ import annotations

import secrets
from datetime import timedelta

from flask import Flask, current_app, session
from flask_login import login_user, logout_user
from sqlalchemy.orm import joinedload

from scheduler.audit import client_ip
from scheduler.extensions import db, login_manager
from scheduler.models import LoginSession, User, utcnow

# Touching last_seen on every request would write on every page view; once a minute is enough.
TOUCH_INTERVAL = timedelta(minutes=1)


def init_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = "Sign in to see this page."
    login_manager.login_message_category = "info"
    # Off, honestly: Flask-Login's "strong" mode only marks a *permanent* session as not fresh when
    # the address or browser changes (so it did nothing here), and binding a session to an address
    # would sign out anyone whose mobile network moves them. Sessions are protected instead by a
    # server-side id renewed at every sign-in, the idle and absolute limits below, and deletion at
    # sign-out.
    login_manager.session_protection = None


@login_manager.user_loader
def load_user(login_session_id: str) -> User | None:
    login = db.session.get(LoginSession, login_session_id, options=[joinedload(LoginSession.user)])
    if login is None:
        return None
    now = utcnow()
    if (now - login.last_seen_at > current_app.config["IDLE_TIMEOUT"]
            or now - login.created_at > current_app.config["SESSION_LIFETIME"] or not login.user.active):
        db.session.delete(login)
        db.session.commit()
        return None
    if now - login.last_seen_at > TOUCH_INTERVAL:
        login.last_seen_at = now
        db.session.commit()
    user = login.user
    user.login_session_id = login.id
    user.login_session = login   # held, so that seconds_left finds it in the session's (weak) identity map
    return user


def seconds_left(user: User) -> int | None:
    """Seconds until the signed-in user's session ends for want of activity (or its absolute
    lifetime, if sooner): the page's timeout warning counts down from this (WCAG 2.2.1)."""
    login = db.session.get(LoginSession, user.login_session_id) if user.login_session_id else None
    if login is None:
        return None
    now = utcnow()
    ends = min(login.last_seen_at + current_app.config["IDLE_TIMEOUT"],
               login.created_at + current_app.config["SESSION_LIFETIME"])
    return max(0, int((ends - now).total_seconds()))


def keep_alive(user: User) -> None:
    """"Stay signed in": the session counts as active now (never past its absolute lifetime)."""
    login = db.session.get(LoginSession, user.login_session_id) if user.login_session_id else None
    if login is not None:
        login.last_seen_at = utcnow()


def start_session(user: User) -> None:
    """Sign in with a fresh session: nothing from the anonymous session carries over, and a session
    the user already had (signing in again as they set up two-step sign-in) ends."""
    if user.login_session_id:
        db.session.query(LoginSession).filter_by(id=user.login_session_id).delete()
    session.clear()
    login = LoginSession(id=secrets.token_urlsafe(32), user_id=user.id, ip=client_ip())
    db.session.add(login)
    user.last_sign_in_at = utcnow()
    user.login_session_id = login.id
    login_user(user)
    session.permanent = True


def end_all_sessions(user: User) -> int:
    """Every browser signed in as this person is signed out (a reset, a lost laptop, an erasure): how many were."""
    return db.session.execute(db.delete(LoginSession).where(LoginSession.user_id == user.id)).rowcount


def end_other_sessions(user: User) -> int:
    """Every browser signed in as this person is signed out, except this one: how many were."""
    if not user.login_session_id:
        return end_all_sessions(user)
    return db.session.execute(db.delete(LoginSession).where(LoginSession.user_id == user.id,
                                                            LoginSession.id != user.login_session_id)).rowcount


def end_session(user: User) -> None:
    if user.login_session_id:
        db.session.query(LoginSession).filter_by(id=user.login_session_id).delete()
    logout_user()
    session.clear()
