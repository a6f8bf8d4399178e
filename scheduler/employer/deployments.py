"""Deployment confirmations: asking an employer to confirm a proposed deployment, and their answer."""
from __future__ import annotations

from datetime import timedelta

from flask import render_template
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput, GovTextArea
from wtforms import RadioField, SubmitField, TextAreaField
from wtforms.validators import Length

from scheduler import deployment_mail
from scheduler.audit import record
from scheduler.deployments import status
from scheduler.deployments.status import days_of
from scheduler.extensions import db
from scheduler.forms import AppForm
from scheduler.links import external_url, make_token, use
from scheduler.mail import send_mail
from scheduler.models import AuditEvent, Deployment, DeploymentStatus, EmployerAgreement, utcnow

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
                                                      message=f"Reason must be {REASON_MAX_CHARS} characters "
                                                              "or fewer")])
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


def contact_for(deployment: Deployment) -> EmployerAgreement | None:
    """The agreement (and so the employer contact) a deployment is released under: the planner's
    rule for which agreement applies, over the deployment's days."""
    from scheduler.planning import agreements

    return agreements.for_days(deployment.assessor, days_of(deployment))


def request_confirmation(deployment: Deployment) -> bool:
    """Email the employer contact a signed, single-use link to confirm or decline the deployment.
    Added to the caller's transaction; False if the assessor has no agreed contact, or nobody has
    verified that the contact is the employer's (a coordinator confirms them first)."""
    agreement = deployment_mail.contact_to_ask(deployment.assessor, days_of(deployment))
    if agreement is None:
        return False
    link = external_url("employer.respond", token=make_token(PURPOSE, deployment.id))
    expires = (utcnow() + LINK_LIFETIME).date()
    send_mail(agreement.contact_email, deployment_mail.employer_subject(deployment.assessor, deployment.inspection),
              deployment_mail.employer_body(deployment, agreement, link, expires))
    record("deployment.confirmation_requested", object_type="deployment", object_id=deployment.id,
           after={"contact_email": agreement.contact_email, "days": deployment.days})
    return True


def withdrawal_contact(deployment: Deployment) -> EmployerAgreement | None:
    """Whom to tell that this live deployment is withdrawn (read before its status changes): the
    employer contact a request would go to now, if their employer confirmed the deployment or was
    asked to; an employer never asked is told nothing."""
    # (a select of AuditEvent, not of exists(): only an ORM select flushes a request made just now)
    asked = deployment.status == DeploymentStatus.EMPLOYER_CONFIRMED.value or db.session.scalar(
        db.select(AuditEvent.id).where(AuditEvent.action == "deployment.confirmation_requested",
                                       AuditEvent.object_type == "deployment",
                                       AuditEvent.object_id == str(deployment.id)).limit(1)) is not None
    return deployment_mail.contact_to_ask(deployment.assessor, days_of(deployment)) if asked else None


def _load(deployment_id: int) -> Deployment | None:
    return db.session.get(Deployment, deployment_id)


def _is_pending(deployment: Deployment) -> bool:
    return status.allowed(status.Action.CONFIRM, deployment.status)


def respond(token: str, link, deployment: Deployment):
    form = DeploymentResponseForm()
    if form.is_submitted() and form.check():
        use(link)  # a second answer through the same link fails here
        if form.decision.data == "confirm":
            status.confirm(deployment)
        else:
            status.decline(deployment, form.decline_reason.data, by_employer=True)
        db.session.commit()
        return render_template("employer/deployment.html", deployment=deployment, answered=True,
                               days=deployment_mail.days_words(deployment.days))
    return render_template("employer/deployment.html", form=form, deployment=deployment, token=token,
                           answered=False, days=deployment_mail.days_words(deployment.days))


register(RequestKind(purpose=PURPOSE, max_age=LINK_LIFETIME, load=_load, is_pending=_is_pending,
                     respond=respond))
