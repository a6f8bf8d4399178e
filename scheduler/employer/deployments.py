"""Deployment confirmations: asking an employer to confirm a proposed deployment, and their answer."""
from __future__ import annotations

from datetime import date, timedelta

from flask import render_template
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput, GovTextArea
from wtforms import RadioField, SubmitField, TextAreaField
from wtforms.validators import Length

from scheduler import deployment_mail
from scheduler.audit import record
from scheduler.extensions import db
from scheduler.formatting import long_date
from scheduler.forms import AppForm
from scheduler.links import external_url, make_token, use
from scheduler.mail import send_mail
from scheduler.models import Deployment, DeploymentStatus, EmployerAgreement, Role, User, utcnow

from .requests import RequestKind, register

PURPOSE = "deployment-confirmation"
LINK_LIFETIME = timedelta(days=14)
REASON_MAX_CHARS = 1000


class DeploymentResponseForm(AppForm):
    decision = RadioField("Can they join this inspection team on these days?", widget=GovRadioInput(),
                          choices=[("confirm", "Yes, I confirm their release"),
                                   ("decline", "No, I cannot release them for this inspection")],
                          validate_choice=False)
    decline_reason = TextAreaField("Why can you not release them?", widget=GovTextArea(),
                                   filters=[lambda v: v.strip() if isinstance(v, str) else v],
                                   description="We will tell the assessor and the inspection coordinators.",
                                   validators=[Length(max=REASON_MAX_CHARS,
                                                      message=f"Reason must be {REASON_MAX_CHARS} characters or fewer")])
    submit = SubmitField("Send your answer", widget=GovSubmitInput())

    def check(self) -> bool:
        ok = self.validate()
        if self.decision.data not in ("confirm", "decline"):
            self.decision.errors = [*self.decision.errors, "Select yes if you confirm their release"]
            return False
        if self.decision.data == "decline" and not self.decline_reason.data:
            self.decline_reason.errors = [*self.decline_reason.errors, "Enter why you cannot release them"]
            return False
        return ok


def _days(deployment: Deployment) -> list[date]:
    return [date.fromisoformat(d) for d in deployment.days]


def describe_days(deployment: Deployment) -> str:
    days = _days(deployment)
    if not days:
        return ""
    return f"{len(days)} days from {long_date(days[0])} to {long_date(days[-1])}: " + ", ".join(
        f"{d:%A} {d.day} {d:%B}" for d in days)


def contact_for(deployment: Deployment) -> EmployerAgreement | None:
    """The agreement (and so the employer contact) a deployment is released under: the planner's
    rule for which agreement applies, over the deployment's days."""
    from scheduler.planning import agreements

    return agreements.for_days(deployment.assessor, _days(deployment))


def request_confirmation(deployment: Deployment) -> bool:
    """Email the employer contact a signed, single-use link to confirm or decline the deployment.
    Added to the caller's transaction; False if the assessor has no agreed contact, or nobody has
    verified that the contact is the employer's (a coordinator confirms them first)."""
    agreement = deployment_mail.contact_to_ask(deployment.assessor, _days(deployment))
    if agreement is None:
        return False
    link = external_url("employer.respond", token=make_token(PURPOSE, deployment.id))
    expires = (utcnow() + LINK_LIFETIME).date()
    send_mail(agreement.contact_email, deployment_mail.employer_subject(deployment.assessor, deployment.inspection),
              deployment_mail.employer_body(deployment, agreement, link, expires))
    record("deployment.confirmation_requested", object_type="deployment", object_id=deployment.id,
           after={"contact_email": agreement.contact_email, "days": deployment.days})
    return True


def _load(deployment_id: int) -> Deployment | None:
    return db.session.get(Deployment, deployment_id)


def _is_pending(deployment: Deployment) -> bool:
    return deployment.status == DeploymentStatus.PROPOSED


def _tell_everyone(deployment: Deployment) -> None:
    assessor, inspection = deployment.assessor, deployment.inspection
    employer = assessor.employer.name
    if deployment.status == DeploymentStatus.EMPLOYER_CONFIRMED:
        subject = f"{employer} has confirmed {assessor.name} for {inspection.reference}"
        body = (f"{employer} has confirmed that {assessor.name} ({assessor.reference}) can join the team for "
                f"{inspection.title} ({inspection.reference}) on {describe_days(deployment)}.\n")
    else:
        subject = f"{employer} has declined {assessor.name} for {inspection.reference}"
        body = (f"{employer} cannot release {assessor.name} ({assessor.reference}) for {inspection.title} "
                f"({inspection.reference}).\n\nTheir reason: {deployment.decline_reason}\n\n"
                f"Coordinators: the team builder shows the seat for re-planning.\n")
    send_mail(assessor.email, subject, body)
    for user in db.session.scalars(db.select(User).filter_by(role=Role.COORDINATOR.value, active=True)
                                   .order_by(User.email)):
        send_mail(user.email, subject, body)


def respond(token: str, link, deployment: Deployment):
    form = DeploymentResponseForm()
    if form.is_submitted() and form.check():
        use(link)  # a second answer through the same link fails here
        before = {"status": deployment.status}
        deployment.status = (DeploymentStatus.EMPLOYER_CONFIRMED.value if form.decision.data == "confirm"
                             else DeploymentStatus.EMPLOYER_DECLINED.value)
        if deployment.status == DeploymentStatus.EMPLOYER_DECLINED:
            deployment.decline_reason = form.decline_reason.data
        record(f"deployment.{deployment.status}", object_type="deployment", object_id=deployment.id,
               before=before, after={"status": deployment.status, "decline_reason": deployment.decline_reason},
               user_id=None)
        _tell_everyone(deployment)
        db.session.commit()
        return render_template("employer/deployment.html", deployment=deployment, answered=True,
                               days=describe_days(deployment))
    return render_template("employer/deployment.html", form=form, deployment=deployment, token=token,
                           answered=False, days=describe_days(deployment))


register(RequestKind(purpose=PURPOSE, max_age=LINK_LIFETIME, load=_load, is_pending=_is_pending,
                     respond=respond))
