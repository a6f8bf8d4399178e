"""Who may use each route. Every view declares it; anything undeclared is refused.

`@public` opens a view to everyone; `@role_required(...)` to signed-in users with one of the roles.
A before-request check refuses any endpoint that declares neither, so a forgotten decorator fails
closed, and tests walk the URL map to catch it before it ships.
"""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TypeVar

from flask import abort, current_app, request
from flask_login import current_user

from scheduler.models import Role

F = TypeVar("F", bound=Callable)
ACCESS_ATTRIBUTE = "_access_roles"
PUBLIC = "public"


def public(view: F) -> F:
    setattr(view, ACCESS_ATTRIBUTE, PUBLIC)
    return view


def role_required(*roles: Role | str) -> Callable[[F], F]:
    allowed = frozenset(Role(r).value for r in roles)
    if not allowed:
        raise ValueError("role_required needs at least one role")

    def decorate(view: F) -> F:
        @wraps(view)
        def guarded(*args, **kwargs):
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()
            if current_user.role not in allowed:
                from scheduler.audit import record

                record("access.refused", object_type="endpoint", object_id=request.endpoint)
                abort(403)
            return view(*args, **kwargs)

        setattr(guarded, ACCESS_ATTRIBUTE, allowed)
        return guarded

    return decorate


def declared_access(view: Callable) -> frozenset[str] | str | None:
    return getattr(view, ACCESS_ATTRIBUTE, None)


def may_open(endpoint: str) -> bool:
    """Whether the signed-in user's role may use the endpoint (for links shown only to those who may follow them)."""
    view = current_app.view_functions.get(endpoint)
    if view is None:
        return False
    allowed = declared_access(view)
    return allowed == PUBLIC or (current_user.is_authenticated and current_user.role in (allowed or ()))


def refuse_undeclared() -> None:
    """before_request: deny by default."""
    endpoint = request.endpoint
    if endpoint is None or endpoint == "static":
        return
    view = current_app.view_functions.get(endpoint)
    if view is not None and declared_access(view) is None:
        current_app.logger.error("Route %s declares no access rule: refused", endpoint)
        abort(403)


def is_same_person(user, assessor) -> bool:
    """Whether a signed-in account is the assessor themselves: their own account, or an account under
    one of their addresses (a coordinator who is also an associate assessor has two accounts). Nobody
    decides, confirms or approves anything about themselves."""
    if assessor.user_id is not None and user.id == assessor.user_id:
        return True
    theirs = {e.strip().lower() for e in (assessor.email, assessor.pending_email,
                                          assessor.user.email if assessor.user else None) if e}
    return user.email.strip().lower() in theirs
