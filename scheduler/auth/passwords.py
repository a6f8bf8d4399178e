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

# Words anyone would guess for this service (ASVS 6.1.2, documented in docs/authentication.md): a
# password made of these, with digits, spaces or symbols between them, is as weak as a common one.
SERVICE_WORDS = ("associate", "assessor", "scheduler", "schedule", "inspectorate", "inspection", "inspector",
                 "coordinator", "scrutiny", "deployment", "care", "scotland", "scottish", "joint", "strategic",
                 "team", "admin", "password", "welcome", "letmein")
MIN_LETTERS_BEYOND_SERVICE_WORDS = 8


def _only_service_words(lowered: str) -> bool:
    """Fewer than MIN_LETTERS_BEYOND_SERVICE_WORDS letters are left when the service's words are taken
    out in the way that leaves fewest ("assessorscheduler2027" leaves none)."""
    letters = re.sub(r"[^a-z]+", "", lowered)
    fewest = [0] * (len(letters) + 1)     # fewest letters left over in letters[:i]
    for i in range(1, len(letters) + 1):
        fewest[i] = min([fewest[i - 1] + 1] + [fewest[i - len(w)] for w in SERVICE_WORDS if letters.endswith(w, 0, i)])
    return fewest[-1] < MIN_LETTERS_BEYOND_SERVICE_WORDS


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
    if _only_service_words(lowered):
        return "Password is mostly words about this service, which are easy to guess. Try three random words together"
    if email and email.split("@")[0].lower() in lowered and len(email.split("@")[0]) >= 4:
        return "Password must not contain your email address"
    return None
