from __future__ import annotations

import secrets
from datetime import timedelta
from functools import cache
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, session, url_for
from flask_login import current_user

from scheduler.access import public, role_required
from scheduler.audit import record
from scheduler.contact import service_contact
from scheduler.extensions import db, limiter
from scheduler.forms import AppForm
from scheduler.models import Role, User

from . import mfa, sessions
from .forms import (
    AccountSecurityCodeForm,
    ChangePasswordForm,
    ForgottenPasswordForm,
    RecoveryCodeForm,
    ResetPasswordForm,
    SecurityCodeForm,
    SetPasswordForm,
    SignInForm,
)
from .passwords import hash_password, password_problem, password_state, verify_password
from .sessions import end_all_sessions, end_other_sessions, end_session, start_session
from .throttle import (
    count_failure,
    current_password_limit,
    password_reset_limits,
    second_step_limit,
    sign_in_limits,
)

bp = Blueprint("auth", __name__)
WRONG_CODE = "Security code is not correct or has expired: enter the code your app shows now"

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
@sign_in_limits
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
            next_url = _safe_next(request.args.get("next"))
            if not mfa.required_for(user):
                return _signed_in(user, next_url)
            mfa.begin_pending(user, next_url)
            record("auth.password_accepted", object_type="user", object_id=user.id, user_id=user.id, commit=True)
            return redirect(url_for("auth.security_code" if mfa.enrolled(user) else "auth.set_up_two_step"))
        record("auth.sign_in_failed", object_type="user", object_id=user.id if user else None,
               after={"email": email[:254]}, commit=True)
        count_failure()
        failed = True
    return render_template("auth/sign_in.html", form=form, failed=failed, has_error=failed)


def _signed_in(user: User, next_url: str | None, *, how: str = "password", message: str | None = None):
    """Every step done: a new login session (a new id, nothing carried over), then on to the page."""
    start_session(user)
    record("auth.sign_in", object_type="user", object_id=user.id, user_id=user.id, after={"with": how})
    db.session.commit()
    if message:
        flash(message, "info")
    return redirect(next_url or home_for(user))


# ---- The second step: a code from the authenticator app, or a recovery code ----

def _pending(*, enrolled: bool) -> User | None:
    """Whose password was just accepted, if their app is (or is not yet) set up; else they start again."""
    user = mfa.pending_user()
    if user is None and "mfa_user_id" in session:
        flash("Sign in again: it has been more than 10 minutes since you entered your password.", "info")
    return user if user is not None and mfa.enrolled(user) == enrolled else None


def _code_refused(user: User, field, message: str, action: str) -> None:
    field.errors.append(message)
    record(action, object_type="user", object_id=user.id, user_id=user.id, commit=True)
    count_failure()


@bp.route("/sign-in/security-code", methods=["GET", "POST"])
@public
@second_step_limit
def security_code():
    user = _pending(enrolled=True)
    if user is None:
        return redirect(url_for("auth.sign_in"))
    form = SecurityCodeForm()
    if form.validate_on_submit():
        if mfa.verify_code(user, form.code.data):
            return _signed_in(user, mfa.pending_next(), how="security code")
        _code_refused(user, form.code, WRONG_CODE, "auth.mfa_failed")
    return render_template("auth/security_code.html", form=form)


@bp.route("/sign-in/recovery-code", methods=["GET", "POST"])
@public
@second_step_limit
def recovery_code():
    user = _pending(enrolled=True)
    if user is None:
        return redirect(url_for("auth.sign_in"))
    form = RecoveryCodeForm()
    if form.validate_on_submit():
        if mfa.use_recovery_code(user, form.code.data):
            left = mfa.recovery_codes_left(user)
            record("auth.mfa_recovery_code_used", object_type="user", object_id=user.id, user_id=user.id,
                   after={"codes_left": left})
            return _signed_in(user, mfa.pending_next(), how="recovery code", message=(
                f"You signed in with a recovery code. You have {left} left: if your authenticator app is lost, "
                "ask an admin to reset your two-step sign-in."))
        _code_refused(user, form.code, "Recovery code is not correct or has already been used",
                      "auth.mfa_recovery_code_failed")
    return render_template("auth/recovery_code.html", form=form)


@bp.route("/sign-in/set-up-two-step", methods=["GET", "POST"])
@public
@second_step_limit
def set_up_two_step():
    """First sign-in of a staff account (or after a reset): set up the app before going further."""
    user = _pending(enrolled=False)
    if user is None:
        return redirect(url_for("auth.sign_in"))
    return _set_up(user, mfa.pending_next())


@bp.route("/account/two-step-sign-in", methods=["GET", "POST"])
@role_required(*Role)
@second_step_limit
@current_password_limit
def two_step():
    """Anyone signed in may set up two-step sign-in (assessors choose to; staff already have), after
    typing their password again."""
    if mfa.enrolled(current_user):
        return render_template("auth/two_step.html", codes_left=mfa.recovery_codes_left(current_user))
    return _set_up(current_user._get_current_object(), None, AccountSecurityCodeForm())


def _set_up(user: User, next_url: str | None, form: SecurityCodeForm | None = None):
    mfa.begin_setup(user)
    form = form or SecurityCodeForm()
    if form.validate_on_submit() and not ("current_password" in form
                                          and current_password_refused(user, form.current_password)):
        if mfa.verify_code(user, form.code.data):
            codes = mfa.enrol(user)
            ended = end_other_sessions(user)  # a browser signed in with the password alone goes too
            record("auth.mfa_enrolled", object_type="user", object_id=user.id, user_id=user.id,
                   after={"other_sessions_ended": ended})
            _tell_owner(user, "Two-step sign-in is set up on your account",
                        "An authenticator app was set up for two-step sign-in on your account just now"
                        + (", and every other browser signed in to your account was signed out." if ended else "."))
            _signed_in(user, next_url, how="security code")  # a new session id: its privileges changed
            return render_template("auth/recovery_codes.html", codes=codes, next_url=next_url or home_for(user))
        _code_refused(user, form.code, WRONG_CODE, "auth.mfa_failed")
    db.session.commit()  # the secret being set up, so a reload shows the same QR code
    return render_template("auth/set_up_two_step.html", form=form, qr_code=mfa.qr_code(user),
                           key=mfa.manual_key(user), required=mfa.required_for(user))


def _tell_owner(user: User, subject: str, what_happened: str) -> None:
    """A change to how someone signs in is told to them, so one they did not make is noticed."""
    from scheduler.mail import send_mail

    send_mail(user.email, subject, f"{what_happened}\n\nIf this was not you or someone you asked, contact the "
                                   f"associate assessor team straight away: {service_contact().in_words}.\n")


def current_password_refused(user: User, field) -> bool:
    """Asked again before a change to how someone signs in or where they are written to: wrong is
    refused on the field, audited and counted like a wrong password at sign-in."""
    if verify_password(user.password_hash, field.data or ""):
        return False
    field.errors.append("Your current password is not correct")
    record("auth.current_password_failed", object_type="user", object_id=user.id, user_id=user.id,
           after={"page": request.path}, commit=True)
    count_failure()
    return True


def _new_password_accepted(form, user: User) -> bool:
    """The password rules (scheduler.auth.passwords), then the same password twice."""
    problem = password_problem(form.password.data, email=user.email)
    if problem:
        form.password.errors.append(problem)
    elif form.confirm.data != form.password.data:
        form.confirm.errors.append("Passwords do not match: enter the same password twice")
    return not form.errors


@bp.route("/account/password", methods=["GET", "POST"])
@role_required(*Role)
@current_password_limit
def change_password():
    """A new password for a signed-in person: their other browsers are signed out, this one carries
    on with a new session id."""
    user = current_user._get_current_object()
    form = ChangePasswordForm()
    if form.validate_on_submit() and not current_password_refused(user, form.current_password) \
            and _new_password_accepted(form, user):
        user.password_hash = hash_password(form.password.data)
        ended = end_other_sessions(user)
        start_session(user)  # this browser's session id changes too
        record("auth.password_changed", object_type="user", object_id=user.id, user_id=user.id,
               after={"other_sessions_ended": ended})
        _tell_owner(user, "Your password was changed",
                    "The password for your account was changed just now"
                    + (", and every other browser signed in to your account was signed out." if ended else "."))
        db.session.commit()
        flash("Your password is changed" + (
            f". {ended} other {'browser' if ended == 1 else 'browsers'} signed in to your account "
            f"{'was' if ended == 1 else 'were'} signed out" if ended else ""), "success")
        return redirect(home_for(user))
    return render_template("auth/change_password.html", form=form)


@bp.route("/accounts")
@role_required(Role.ADMIN)
def accounts():
    """Staff accounts and everyone using two-step sign-in, for an admin to reset a lost app."""
    users = db.session.scalars(db.select(User)
                               .where(db.or_(User.role.in_(mfa.STAFF), User.mfa_enrolled_at.is_not(None)))
                               .order_by(User.email))
    return render_template("auth/accounts.html", users=list(users))


@bp.route("/accounts/<int:user_id>/sign-out-everywhere", methods=["POST"])
@role_required(Role.ADMIN)
def end_sessions(user_id: int):
    """A lost laptop or a leaver: every browser signed in as this person is signed out."""
    user = db.get_or_404(User, user_id)
    if AppForm().validate_on_submit():
        ended = end_all_sessions(user)
        record("auth.sessions_ended", object_type="user", object_id=user.id, after={"sessions": ended})
        db.session.commit()
        flash(f"{user.email} is signed out everywhere ({ended} {'session' if ended == 1 else 'sessions'} ended).",
              "success")
    return redirect(url_for("auth.accounts"))


@bp.route("/accounts/<int:user_id>/reset-two-step", methods=["POST"])
@role_required(Role.ADMIN)
def reset_two_step(user_id: int):
    user = db.get_or_404(User, user_id)
    form = AppForm()
    if not form.validate_on_submit():
        return redirect(url_for("auth.accounts"))
    if user.id == current_user.id:
        # An admin who could reset their own second factor would make it worth nothing to a thief.
        record("auth.mfa_reset_refused", object_type="user", object_id=user.id, commit=True)
        abort(403)
    mfa.reset(user)
    record("auth.mfa_reset", object_type="user", object_id=user.id, after={"email": user.email})
    _tell_owner(user, "Your two-step sign-in was reset",
                "An admin reset two-step sign-in on your account and signed you out everywhere. "
                + ("You will set up your authenticator app again when you next sign in." if user.role in mfa.STAFF
                   else "You can set it up again from your profile."))
    db.session.commit()
    flash(f"Two-step sign-in is reset for {user.email}. "
          + ("They will set it up again when they next sign in." if user.role in mfa.STAFF
             else "They can set it up again from their profile."), "success")
    return redirect(url_for("auth.accounts"))


@bp.route("/sign-out", methods=["POST"])
@role_required(*Role)
def sign_out():
    form = AppForm()
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
    timed_out = request.args.get("reason") == "inactive"
    if timed_out and current_user.is_authenticated:
        # the warning's countdown ends a moment before the server's clock: the page says "signed
        # out", so make it so (a sign-out, not a sign-in, so a forged link can do no harm)
        end_session(current_user)
        db.session.commit()
    return render_template("auth/signed_out.html", timed_out=timed_out,
                           idle_minutes=int(current_app.config["IDLE_TIMEOUT"].total_seconds() // 60))


@bp.route("/session/keep-alive", methods=["POST"])
@role_required(*Role)
def keep_alive():
    """The timeout warning's "Stay signed in" (WCAG 2.2.1 timing adjustable): no page, just more time."""
    if not AppForm().validate_on_submit():
        abort(400)
    sessions.keep_alive(current_user)
    db.session.commit()
    return jsonify(seconds_left=sessions.seconds_left(current_user))


# ---- Invitations: a new account's owner sets their own password through a signed link ----

INVITATION_PURPOSE = "invitation"
INVITATION_LIFETIME = timedelta(days=7)
INVITATION_EMAIL = """Dear {name},

You have been admitted as an associate assessor. To use the {service}, set a password for your account:

{link}

This link works once and expires in {days} days. If it has expired, contact the associate assessor team for a new
one: {contact}.

If you were not expecting this email, you can ignore it.
"""


def send_invitation(user: User, *, name: str) -> None:
    """Email a signed, single-use link (7 days) to set a password. In the caller's transaction."""
    from scheduler.links import external_url, make_token
    from scheduler.mail import send_mail

    link = external_url("auth.set_password", token=make_token(INVITATION_PURPOSE, user.id))
    send_mail(user.email, "Set your password for the associate assessor service", INVITATION_EMAIL.format(
        name=name, link=link, days=INVITATION_LIFETIME.days, service=current_app.config["SERVICE_NAME"],
        contact=service_contact().in_words))
    record("user.invited", object_type="user", object_id=user.id, after={"email": user.email})


def _link_user(token: str, purpose: str, lifetime, template: str, **read):
    """The emailed link's account, or the page saying what is wrong with the link (410 used or
    expired, 404 not valid, nor for a disabled account) as the third value."""
    from scheduler.links import LinkExpired, LinkProblem, LinkUsed, read_token

    try:
        link = read_token(token[:400], purpose, lifetime, **read)
        user = db.session.get(User, link.subject_id)
        if user is None or not user.active:
            raise LinkProblem()
    except LinkProblem as problem:
        status = 410 if isinstance(problem, LinkExpired | LinkUsed) else 404
        return None, None, (render_template(template, problem=problem, title=problem.title), status)
    return link, user, None


def _spend(link, template: str):
    """Use the single-use link up; the page saying it was used (by a request just before) if it was."""
    from scheduler.links import LinkProblem, use

    try:
        use(link)
    except LinkProblem as used:
        return render_template(template, problem=used, title=used.title), 410
    return None


@bp.route("/set-password/<token>", methods=["GET", "POST"])
@public
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def set_password(token: str):
    link, user, refused = _link_user(token, INVITATION_PURPOSE, INVITATION_LIFETIME, "auth/set_password.html")
    if refused:
        return refused
    form = SetPasswordForm()
    if form.validate_on_submit() and _new_password_accepted(form, user):
        refused = _spend(link, "auth/set_password.html")
        if refused:
            return refused
        user.password_hash = hash_password(form.password.data)
        record("auth.password_set", object_type="user", object_id=user.id, user_id=user.id)
        db.session.commit()
        flash("Your password is set. Sign in with your email address and new password.", "success")
        return redirect(url_for("auth.sign_in"))
    return render_template("auth/set_password.html", form=form, problem=None, title="Create a password",
                           email=user.email)


# ---- Forgotten passwords: a signed, single-use link (1 hour) to the account's email address ----

RESET_PURPOSE = "password-reset"
RESET_LIFETIME = timedelta(hours=1)


RESET_SENT_TO = "reset_sent_to"


def _password_now(user_id: int) -> str:
    """A reset link works only while the password is the one it was sent for (see links.read_token)."""
    user = db.session.get(User, user_id)
    return password_state(user.password_hash) if user is not None else ""


@bp.route("/forgotten-password", methods=["GET", "POST"])
@public
@password_reset_limits
def forgotten_password():
    """The same answer whether or not an account uses the address typed: it tells no one who has one."""
    from scheduler.links import external_url, make_token
    from scheduler.mail import send_mail

    form = ForgottenPasswordForm()
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        user = db.session.scalar(db.select(User).filter_by(email=email))
        if user is not None and user.active:
            token = make_token(RESET_PURPOSE, user.id, state=password_state(user.password_hash))
            send_mail(user.email, "Reset your password for the associate assessor service",
                      render_template("auth/email/reset_password.txt", link=external_url("auth.reset_password",
                                      token=token), minutes=int(RESET_LIFETIME.total_seconds() // 60),
                                      contact=service_contact().in_words))
        record("auth.password_reset_requested", object_type="user", object_id=user.id if user else None,
               after={"email": email[:254], "sent": user is not None and user.active})
        db.session.commit()
        session[RESET_SENT_TO] = email     # shown on the next page, which a refresh does not send again
        return redirect(url_for("auth.reset_link_sent"), 303)
    return render_template("auth/forgotten_password.html", form=form)


@bp.route("/forgotten-password/sent")
@public
def reset_link_sent():
    return render_template("auth/reset_link_sent.html", email=session.get(RESET_SENT_TO))


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@public
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def reset_password(token: str):
    """A new password from the emailed link: every session of the account ends. The second step is
    untouched: staff (and anyone who set it up) still enter their code at the next sign-in."""
    link, user, refused = _link_user(token, RESET_PURPOSE, RESET_LIFETIME, "auth/reset_password.html",
                                     state_of=_password_now)
    if refused:
        return refused
    form = ResetPasswordForm()
    if form.validate_on_submit() and _new_password_accepted(form, user):
        refused = _spend(link, "auth/reset_password.html")
        if refused:
            return refused
        user.password_hash = hash_password(form.password.data)
        ended = end_all_sessions(user)
        record("auth.password_reset", object_type="user", object_id=user.id, user_id=user.id,
               after={"sessions_ended": ended})
        _tell_owner(user, "Your password was reset",
                    "The password for your account was reset just now with a link sent to this address, and "
                    "every browser signed in to your account was signed out.")
        db.session.commit()
        flash("Your password is changed. Sign in with your email address and new password.", "success")
        return redirect(url_for("auth.sign_in"))
    return render_template("auth/reset_password.html", form=form, problem=None, title="Create a new password",
                           email=user.email)
