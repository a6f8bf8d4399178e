"""How fast anyone may guess: passwords at sign-in, and the code of the second step.

Sign-in is limited twice, and only failures count:
* per account (LOGIN_RATE_LIMIT, keyed on the email typed): guessing one person's password stops
  after a few tries, from however many addresses;
* per address (LOGIN_ADDRESS_RATE_LIMIT): one address trying many accounts stops too, but the cap
  is high, because a whole office (or everyone behind one proxy) shares an address. An attacker
  locked out of one account therefore does not lock out a colleague at the next desk signing in
  with the right password.
The second step is limited per account (MFA_RATE_LIMIT), whichever code is tried.
A signed-in person's current password, asked again before a change to how they sign in or where
they are written to, is limited per account like sign-in (LOGIN_RATE_LIMIT): a stolen session
cannot be used to guess the password.
"Forgotten your password?" sends an email on every request, so every request counts: per email
address typed (PASSWORD_RESET_RATE_LIMIT, whether or not an account uses it, so the limit says
nothing about who has one) and per network address (PASSWORD_RESET_ADDRESS_RATE_LIMIT).

Counts live in Redis whenever REDIS_URL is set, so every worker sees the same ones; if Redis stops
answering, Flask-Limiter falls back to counting in memory (and logs it) rather than refusing
sign-in."""
from __future__ import annotations

from flask import current_app, g, request, session
from flask_limiter.util import get_remote_address
from flask_login import current_user

from scheduler.extensions import limiter


def failed(response) -> bool:
    return bool(g.get("attempt_failed"))


def count_failure() -> None:
    g.attempt_failed = True


def _account_typed() -> str:
    return "account:" + (request.form.get("email") or "").strip().lower()[:254]


def _account_signing_in() -> str:
    user_id = session.get("mfa_user_id") or (current_user.id if current_user.is_authenticated else "")
    return f"two-step:{user_id}"


def sign_in_limits(view):
    """The password step's two limits (see the module's docstring)."""
    per_account = limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], key_func=_account_typed,
                                methods=["POST"], deduct_when=failed)
    per_address = limiter.limit(lambda: current_app.config["LOGIN_ADDRESS_RATE_LIMIT"], key_func=get_remote_address,
                                methods=["POST"], deduct_when=failed)
    return per_address(per_account(view))


# Shared by the code, recovery-code and set-up pages: one allowance per account for all of them.
second_step_limit = limiter.shared_limit(lambda: current_app.config["MFA_RATE_LIMIT"], scope="two-step",
                                         key_func=_account_signing_in, methods=["POST"], deduct_when=failed)


def _signed_in_account() -> str:
    return f"current-password:{current_user.id if current_user.is_authenticated else ''}"


# Shared by every page that asks a signed-in person for their current password.
current_password_limit = limiter.shared_limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], scope="current-password",
                                              key_func=_signed_in_account, methods=["POST"], deduct_when=failed)


def _email_typed() -> str:
    return "reset:" + (request.form.get("email") or "").strip().lower()[:254]


def password_reset_limits(view):
    per_email = limiter.limit(lambda: current_app.config["PASSWORD_RESET_RATE_LIMIT"], key_func=_email_typed,
                              methods=["POST"])
    per_address = limiter.limit(lambda: current_app.config["PASSWORD_RESET_ADDRESS_RATE_LIMIT"],
                                key_func=get_remote_address, methods=["POST"])
    return per_address(per_email(view))
