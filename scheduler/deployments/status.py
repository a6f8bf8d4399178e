"""Every change of a deployment's status, one function each: propose, withdraw, confirm, decline,
accept, complete. Publishing, the assessor's pages, the employer's link, marking an assessor as left
and refilling a seat all come here, so each change is checked against TRANSITIONS, audited and
emailed the same way whoever makes it. The caller commits (and rolls back on an exception)."""
from __future__ import annotations

from datetime import date
from enum import Enum

import sqlalchemy as sa
from sqlalchemy.orm.attributes import flag_modified

from scheduler import deployment_mail
from scheduler.audit import record
from scheduler.extensions import db
from scheduler.formatting import format_period
from scheduler.links import external_url
from scheduler.mail import send_mail
from scheduler.models import Assessor, Deployment, DeploymentStatus, Inspection, Role, User, utcnow

S = DeploymentStatus


class Action(Enum):
    PROPOSE = "propose"
    WITHDRAW = "withdraw"
    CONFIRM = "confirm"                     # the employer releases the assessor
    EMPLOYER_DECLINE = "employer_decline"
    ASSESSOR_DECLINE = "assessor_decline"
    ACCEPT = "accept"                       # the assessor says yes (the status stays proposed)
    COMPLETE = "complete"


NEW = None   # a deployment not yet proposed

# (action, status now) -> status after. A pair that is not here is not allowed.
TRANSITIONS: dict[tuple[Action, str | None], str] = {
    (Action.PROPOSE, NEW): S.PROPOSED.value,
    # New days on a live deployment: proposed again, so the employer confirms the new days.
    (Action.PROPOSE, S.PROPOSED.value): S.PROPOSED.value,
    (Action.PROPOSE, S.EMPLOYER_CONFIRMED.value): S.PROPOSED.value,
    (Action.WITHDRAW, S.PROPOSED.value): S.CANCELLED.value,
    (Action.WITHDRAW, S.EMPLOYER_CONFIRMED.value): S.CANCELLED.value,
    (Action.CONFIRM, S.PROPOSED.value): S.EMPLOYER_CONFIRMED.value,
    (Action.EMPLOYER_DECLINE, S.PROPOSED.value): S.EMPLOYER_DECLINED.value,
    (Action.ASSESSOR_DECLINE, S.PROPOSED.value): S.ASSESSOR_DECLINED.value,
    (Action.ACCEPT, S.PROPOSED.value): S.PROPOSED.value,
    (Action.COMPLETE, S.EMPLOYER_CONFIRMED.value): S.COMPLETED.value,
}


# Live deployments still to happen: what can be withdrawn.
WITHDRAWABLE = tuple(s for (action, s) in TRANSITIONS if action is Action.WITHDRAW)
# What becomes completed when its inspection has ended (scheduler.deployments.completion).
COMPLETABLE = tuple(s for (action, s) in TRANSITIONS if action is Action.COMPLETE)


class NotAllowed(Exception):
    """The deployment's status does not allow this change (someone changed it first)."""


def allowed(action: Action, status: str | None) -> bool:
    return (action, status) in TRANSITIONS


def _move(deployment: Deployment, action: Action) -> dict:
    """Set the status the action leads to; returns what it was, for the audit event."""
    now = deployment.status if deployment.id is not None else NEW
    if not allowed(action, now):
        raise NotAllowed(f"A deployment that is {DeploymentStatus(now).label.lower() if now else 'new'} "
                         f"cannot be changed that way ({action.value})")
    before = {"status": now, "days": list(deployment.days or []), "pinned": deployment.pinned}
    deployment.status = TRANSITIONS[(action, now)]
    flag_modified(deployment, "status")   # bumps the version even when the status stays (accept)
    return before


def coordinators() -> list[User]:
    return list(db.session.scalars(
        sa.select(User).filter_by(role=Role.COORDINATOR.value, active=True).order_by(User.email)))


def seat_url(deployment: Deployment) -> str:
    """The seat's page, where a coordinator offers it to someone else."""
    return external_url("teams.seat_now", inspection=deployment.inspection.reference,
                        specialism=deployment.specialism)


# ----------------------------------------------------------------------------- the six changes

def propose(deployment: Deployment, days: list[date] | None = None) -> bool:
    """Propose a new deployment (added to the session), or new days for a live one; ask the
    employer to confirm and tell the assessor. Whether the employer was asked: not while their
    contact is unconfirmed (confirming it sends the request)."""
    is_new = deployment.id is None
    before = _move(deployment, Action.PROPOSE)
    if days is not None:
        if sorted(days) != sorted(days_of(deployment)):
            deployment.accepted_at = None   # they said yes to other days: this asks them again
        deployment.set_days(days)
    if is_new:
        db.session.add(deployment)
    db.session.flush()
    if not is_new:
        record("deployment.changed", object_type="deployment", object_id=deployment.id, before=before,
               after={"status": deployment.status, "days": list(deployment.days), "pinned": deployment.pinned})
    from scheduler.employer.deployments import request_confirmation  # (that module answers through status)

    record("deployment.proposed", object_type="deployment", object_id=deployment.id,
           after={"assessor": deployment.assessor.reference, "inspection": deployment.inspection.reference,
                  "days": list(deployment.days), "plan_id": deployment.plan_id, "pinned": deployment.pinned})
    asked = request_confirmation(deployment)
    _tell_assessor(deployment, "proposed" if is_new else "changed")
    return asked


def withdraw(deployment: Deployment, why: str, *, plan_version: int | None = None) -> None:
    """Take the assessor off the team and tell them why: `why` is deployment_mail.REPLANNED (the
    plan published as `plan_version` leaves them out) or deployment_mail.LEFT (marked as having left).
    Their employer is told too, if it confirmed the deployment or was asked to."""
    from scheduler.employer.deployments import withdrawal_contact  # (that module answers through status)

    employer = withdrawal_contact(deployment)
    before = _move(deployment, Action.WITHDRAW)
    db.session.flush()
    record("deployment.withdrawn", object_type="deployment", object_id=deployment.id, before=before,
           after={"status": deployment.status, "why": why}
           | ({"plan_version": plan_version} if plan_version is not None else {}))
    _tell_assessor(deployment, "withdrawn", why)
    if employer is not None:
        send_mail(employer.contact_email,
                  deployment_mail.employer_withdrawn_subject(deployment.assessor, deployment.inspection),
                  deployment_mail.employer_withdrawn_body(deployment, employer, why))


def confirm(deployment: Deployment) -> None:
    """The employer releases the assessor (through their emailed link: nobody is signed in)."""
    before = _move(deployment, Action.CONFIRM)
    db.session.flush()
    record("deployment.employer_confirmed", object_type="deployment", object_id=deployment.id,
           before={"status": before["status"]}, after={"status": deployment.status})
    _tell_employer_answer(deployment)


def decline(deployment: Deployment, reason: str, *, by_employer: bool) -> None:
    """The employer (through their link) or the assessor declines; the coordinators are told, with
    a link to the seat's page to offer it to someone else."""
    before = _move(deployment, Action.EMPLOYER_DECLINE if by_employer else Action.ASSESSOR_DECLINE)
    deployment.decline_reason = reason
    deployment.accepted_at = None
    db.session.flush()
    record(f"deployment.{deployment.status}", object_type="deployment", object_id=deployment.id,
           before={"status": before["status"]}, after={"status": deployment.status, "decline_reason": reason})
    if by_employer:
        _tell_employer_answer(deployment)
    else:
        _tell_assessor_declined(deployment)


def accept(deployment: Deployment) -> None:
    """The assessor says yes; the employer's confirmation is still what releases them."""
    before = _move(deployment, Action.ACCEPT)
    deployment.accepted_at = utcnow()   # bumps the version: a stale decline elsewhere now fails
    db.session.flush()
    record("deployment.accepted", object_type="deployment", object_id=deployment.id,
           before={"status": before["status"]}, after={"status": deployment.status})


def complete(deployment: Deployment) -> None:
    """The confirmed deployment has been worked."""
    before = _move(deployment, Action.COMPLETE)
    db.session.flush()
    record("deployment.completed", object_type="deployment", object_id=deployment.id,
           before={"status": before["status"]}, after={"status": deployment.status})


# ----------------------------------------------------------------------------- emails

def days_of(deployment: Deployment) -> list[date]:
    return [date.fromisoformat(d) for d in deployment.days or ()]


def _tell_assessor(d: Deployment, what: str, why: str | None = None) -> None:
    # the wording lives with the publish check page's, which lists these very emails
    send_mail(d.assessor.email, deployment_mail.assessor_subject(what, d.inspection),
              deployment_mail.assessor_body(d, what, why))


def _tell_employer_answer(deployment: Deployment) -> None:
    assessor, inspection = deployment.assessor, deployment.inspection
    employer = assessor.employer.name
    if deployment.status == DeploymentStatus.EMPLOYER_CONFIRMED:
        subject = f"{employer} has confirmed {assessor.name} for {inspection.reference}"
        body = (f"{employer} has confirmed that {assessor.name} ({assessor.reference}) can join the team of "
                f"{inspection.title} ({inspection.reference}) for {deployment_mail.days_words(deployment.days)}.\n")
        send_mail(assessor.email, subject, body)
        for user in coordinators():
            send_mail(user.email, subject, body)
        return
    subject = f"{employer} has declined {assessor.name} for {inspection.reference}"
    body = (f"{employer} cannot release {assessor.name} ({assessor.reference}) for {inspection.title} "
            f"({inspection.reference}).\n\nTheir reason: {deployment.decline_reason}\n")
    send_mail(assessor.email, subject, body)
    for user in coordinators():
        send_mail(user.email, subject, body + f"\nOffer the seat to someone else: {seat_url(deployment)}\n")


def deployment_dates(deployment: Deployment) -> str:
    """'3 to 7 March 2027': the first to the last of its days."""
    days = sorted(deployment.days)
    return format_period(date.fromisoformat(days[0]), date.fromisoformat(days[-1])) if days else ""


def _tell_assessor_declined(deployment: Deployment) -> None:
    me, inspection = deployment.assessor, deployment.inspection
    for user in coordinators():
        send_mail(user.email, f"{me.name} declined a deployment: {inspection.title}",
                  f"{me.name} ({me.reference}) has declined their proposed deployment on "
                  f"{inspection.title} ({inspection.reference}), {deployment_dates(deployment)}.\n\n"
                  f"Their reason:\n{deployment.decline_reason}\n\n"
                  f"Offer the seat to someone else: {seat_url(deployment)}\n")


def new_deployment(assessor: Assessor, inspection: Inspection, specialism: str, **kwargs) -> Deployment:
    """A deployment not yet proposed (propose() adds it)."""
    return Deployment(assessor=assessor, inspection=inspection, specialism=specialism, status=None, **kwargs)
