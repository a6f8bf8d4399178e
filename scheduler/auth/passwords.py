"""Password policy after NCSC and NIST guidance: long, not common, no composition rules."""
from __future__ import annotations

import hashlib
import hmac
import re
from importlib.resources import files

from werkzeug.security import check_password_hash, generate_password_hash

MIN_LENGTH = 15
MAX_LENGTH = 128


def _common_passwords() -> frozenset[str]:
    text = files("scheduler.auth").joinpath("common_passwords.txt").read_text(encoding="utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip() and not line.startswith("#"))


COMMON = _common_passwords()


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


def verify_password(password_hash: str | None, password: str) -> bool:
    return bool(password_hash) and check_password_hash(password_hash, password)


def password_state(password_hash: str | None) -> str:
    """A short fingerprint that changes whenever the password does (for links that must die with
    it); keyed, so it says nothing about the hash."""
    from flask import current_app

    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, (password_hash or "").encode(), hashlib.sha256).hexdigest()[:16]


def _is_repetition(password: str) -> bool:
    """'abcabcabcabcabc' or 'aaaaaaaaaaaaaaa': a short unit repeated is as weak as the unit."""
    return re.fullmatch(r"(.{1,5}?)\1+", password) is not None


def password_problem(password: str, *, email: str | None = None) -> str | None:
    """What is wrong with a new password, in words a user can act on; None if it is fine."""
    if len(password) < MIN_LENGTH:
        return f"Password must be {MIN_LENGTH} characters or more"
    if len(password) > MAX_LENGTH:
        return f"Password must be {MAX_LENGTH} characters or fewer"
    lowered = password.lower()
    squashed = re.sub(r"[\s\d!@#$%^&*._-]+$", "", lowered)
    if lowered in COMMON or squashed in COMMON or _is_repetition(lowered):
        return "Password is too common or easy to guess. Try three random words together"
    if email and email.split("@")[0].lower() in lowered and len(email.split("@")[0]) >= 4:
        return "Password must not contain your email address"
    return None
