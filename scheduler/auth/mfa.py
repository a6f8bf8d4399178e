"""Two-step sign-in: a code from an authenticator app (TOTP, RFC 6238) after the password, or one
of the one-time recovery codes issued when the app was set up.

Staff (admins, coordinators, inspectors) must use it; an assessor may choose to. Between the
password and the code the browser holds only a pending sign-in (the account's id and when the
password was accepted); the login session is created once the code is accepted, with a new id."""
from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from datetime import timedelta

import pyotp
import segno
from flask import current_app, session
from markupsafe import Markup

from scheduler.auth.passwords import password_state
from scheduler.auth.sessions import end_all_sessions
from scheduler.extensions import db
from scheduler.models import RecoveryCode, Role, User, utcnow

STAFF = frozenset({Role.ADMIN.value, Role.COORDINATOR.value, Role.INSPECTOR.value})
RECOVERY_CODE_COUNT = 10
# 24 characters from 31 (no 0/o, 1/l/i) carry 118 bits: enough for a plain SHA-256 to store them.
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RECOVERY_CODE_LENGTH = 24
# Long enough to find the phone; a password accepted longer ago must be typed again.
PENDING_LIFETIME = timedelta(minutes=10)


def required_for(user: User) -> bool:
    return user.role in STAFF or user.mfa_enrolled_at is not None


def enrolled(user: User) -> bool:
    return user.mfa_enrolled_at is not None


# ---- The pending sign-in between the password and the code ----

def begin_pending(user: User, next_url: str | None) -> None:
    """The password was right: remember whose it was, and nothing from before (a fresh session)."""
    session.clear()
    session.update(mfa_user_id=user.id, mfa_since=time.time(), mfa_next=next_url,
                   mfa_password=password_state(user.password_hash))


def pending_user() -> User | None:
    """Whose password was accepted, unless too long ago or the password has changed since (a reset
    ends a sign-in halfway through as it ends sessions)."""
    user_id, since = session.get("mfa_user_id"), session.get("mfa_since")
    if user_id is None or since is None or time.time() - since > PENDING_LIFETIME.total_seconds():
        return None
    user = db.session.get(User, user_id)
    if user is None or not user.active or session.get("mfa_password") != password_state(user.password_hash):
        return None
    return user


def pending_next() -> str | None:
    return session.get("mfa_next")


# ---- The authenticator app ----

def _totp(user: User) -> pyotp.TOTP:
    return pyotp.TOTP(user.totp_secret)


def begin_setup(user: User) -> None:
    """A new secret unless one is already being set up (a reload shows the same QR code)."""
    if user.totp_secret is None or enrolled(user):
        user.totp_secret = pyotp.random_base32()  # 160 bits
        user.mfa_enrolled_at = None


def qr_code(user: User) -> Markup:
    uri = _totp(user).provisioning_uri(name=user.email, issuer_name=current_app.config["SERVICE_NAME"])
    svg = segno.make(uri, error="m").svg_inline(scale=5, dark="#0b0c0c", light="#ffffff")
    label = "QR code to scan with your authenticator app"
    return Markup(svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1))


def manual_key(user: User) -> str:
    """The secret in groups of four, as authenticator apps accept it typed."""
    return " ".join(user.totp_secret[i:i + 4] for i in range(0, len(user.totp_secret), 4))


def current_code(user: User) -> str:
    """The code the user's app shows now (the development command and tests type it)."""
    return _totp(user).now()


def verify_code(user: User, code: str) -> bool:
    """A code from this step or either neighbour (clocks drift), never one already used."""
    code = "".join(code.split())
    if user.totp_secret is None or len(code) != 6 or not code.isdigit():
        return False
    totp = _totp(user)
    step = int(time.time()) // totp.interval
    for candidate in (step - 1, step, step + 1):
        if hmac.compare_digest(totp.generate_otp(candidate), code):
            if user.totp_last_step is not None and candidate <= user.totp_last_step:
                return False
            user.totp_last_step = candidate
            return True
    return False


# ---- Recovery codes ----

def _hash(code: str) -> str:
    normal = "".join(ch for ch in code.lower() if ch.isalnum())
    return hashlib.sha256(normal.encode()).hexdigest()


def enrol(user: User) -> list[str]:
    """The first code was right: the app is set up. Returns new recovery codes, shown only now."""
    user.mfa_enrolled_at = utcnow()
    db.session.execute(db.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = ["".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
             for _ in range(RECOVERY_CODE_COUNT)]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_hash(code)) for code in codes)
    return ["-".join(code[i:i + 4] for i in range(0, len(code), 4)) for code in codes]


def use_recovery_code(user: User, code: str) -> bool:
    """Spend a recovery code: one UPDATE, so two requests racing with the same code cannot both win."""
    spent = db.session.execute(
        db.update(RecoveryCode)
        .where(RecoveryCode.user_id == user.id, RecoveryCode.code_hash == _hash(code), RecoveryCode.used_at.is_(None))
        .values(used_at=utcnow()))
    return spent.rowcount == 1


def recovery_codes_left(user: User) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(RecoveryCode)
                             .where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)))


def reset(user: User) -> None:
    """Forget the app and the recovery codes and end the user's sessions: they set up again when
    they next sign in (staff) or may choose to (assessors)."""
    user.totp_secret = None
    user.mfa_enrolled_at = None
    user.totp_last_step = None
    db.session.execute(db.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    end_all_sessions(user)
