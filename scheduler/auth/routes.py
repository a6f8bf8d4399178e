from __future__ import annotations

import secrets
from datetime import timedelta
from functools import cache
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from scheduler.access import public, role_required
from scheduler.audit import record
from scheduler.extensions import db, limiter
from scheduler.models import Role, User

from .forms import SetPasswordForm, SignInForm
from .passwords import hash_password, password_problem, verify_password
from .sessions import end_session, start_session

bp = Blueprint("auth", __name__)

# Verifying against a real hash when the email is unknown keeps the timing the same either way.
@cache
def _dummy_hash() -> str:
    return hash_password(secrets.token_hex(16))


def _safe_next(target: str | None) -> str | None:
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def home_for(user) -> str:
    destinations = {
        Role.ASSESSOR: "my.overview",
        Role.COORDINATOR: "dashboard.index",
        Role.INSPECTOR: "notifications.register",
        Role.ADMIN: "recruitment.campaigns",
    }
    endpoint = destinations.get(Role(user.role))
    if endpoint in current_app.view_functions:
        return url_for(endpoint)
    return url_for("public.home")


@bp.route("/sign-in", methods=["GET", "POST"])
@public
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def sign_in():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = SignInForm()
    failed = False
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        user = db.session.scalar(db.select(User).filter_by(email=email))
        password_ok = verify_password(user.password_hash if user else _dummy_hash(), form.password.data)
        if user is not None and user.active and password_ok:
            start_session(user)
            record("auth.sign_in", object_type="user", object_id=user.id, user_id=user.id)
            db.session.commit()
            return redirect(_safe_next(request.args.get("next")) or home_for(user))
        record("auth.sign_in_failed", object_type="user", object_id=user.id if user else None,
               after={"email": email[:254]}, commit=True)
        failed = True
    return render_template("auth/sign_in.html", form=form, failed=failed, has_error=failed)


@bp.route("/sign-out", methods=["POST"])
@role_required(*Role)
def sign_out():
    form = FlaskForm()
    if not form.validate_on_submit():
        return redirect(url_for("public.home"))
    user_id = current_user.id
    end_session(current_user)
    record("auth.sign_out", object_type="user", object_id=user_id, user_id=user_id)
    db.session.commit()
    return redirect(url_for("auth.signed_out"))


@bp.route("/signed-out")
@public
def signed_out():
    return render_template("auth/signed_out.html")


# ---- Invitations: a new account's owner sets their own password through a signed link ----

INVITATION_PURPOSE = "invitation"
INVITATION_LIFETIME = timedelta(days=7)
INVITATION_EMAIL = """Dear {name},

You have been admitted as an associate assessor. To use the {service}, set a password for your account:

{link}

This link works once and expires in {days} days. If it has expired, ask your recruitment admin for a new one.

If you were not expecting this email, you can ignore it.
"""


def send_invitation(user: User, *, name: str) -> None:
    """Email a signed, single-use link (7 days) to set a password. In the caller's transaction."""
    from scheduler.links import make_token
    from scheduler.mail import send_mail

    link = url_for("auth.set_password", token=make_token(INVITATION_PURPOSE, user.id), _external=True)
    send_mail(user.email, "Set your password for the associate assessor service", INVITATION_EMAIL.format(
        name=name, link=link, days=INVITATION_LIFETIME.days, service=current_app.config["SERVICE_NAME"]))
    record("user.invited", object_type="user", object_id=user.id, after={"email": user.email})


@bp.route("/set-password/<token>", methods=["GET", "POST"])
@public
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def set_password(token: str):
    from scheduler.links import LinkExpired, LinkProblem, LinkUsed, read_token, use

    try:
        link = read_token(token[:400], INVITATION_PURPOSE, INVITATION_LIFETIME)
        user = db.session.get(User, link.subject_id)
        if user is None or not user.active:
            raise LinkProblem()
    except LinkProblem as problem:
        status = 410 if isinstance(problem, LinkExpired | LinkUsed) else 404
        return render_template("auth/set_password.html", problem=problem, title=problem.title), status
    form = SetPasswordForm()
    if form.validate_on_submit():
        problem = password_problem(form.password.data, email=user.email)
        if problem:
            form.password.errors.append(problem)
        elif form.confirm.data != form.password.data:
            form.confirm.errors.append("Passwords do not match: enter the same password twice")
        else:
            try:
                use(link)
            except LinkProblem as used:
                return render_template("auth/set_password.html", problem=used, title=used.title), 410
            user.password_hash = hash_password(form.password.data)
            record("auth.password_set", object_type="user", object_id=user.id, user_id=user.id)
            db.session.commit()
            flash("Your password is set. Sign in with your email address and new password.", "success")
            return redirect(url_for("auth.sign_in"))
    return render_template("auth/set_password.html", form=form, problem=None, title="Create a password",
                           email=user.email)
