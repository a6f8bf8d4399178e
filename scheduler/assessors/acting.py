"""A coordinator acting on an assessor from their profile: unavailability recorded or removed on their
behalf (audited as the coordinator, the assessor told by email), status (pause, resume, left), contact
details and employer, and the employer agreement request or the invitation sent again. The views
register on the assessors blueprint (imported at the end of routes.py)."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for

from scheduler import deployment_mail
from scheduler.access import role_required
from scheduler.audit import record
from scheduler.auth.routes import send_invitation
from scheduler.contact import service_contact
from scheduler.deployments import status
from scheduler.employer import agreements, contacts
from scheduler.extensions import db
from scheduler.formatting import format_period
from scheduler.links import external_url
from scheduler.mail import send_mail
from scheduler.models import (
    AgreementStatus,
    Assessor,
    AssessorStatus,
    Deployment,
    Employer,
    EmployerAgreement,
    Inspection,
    Unavailability,
)
from scheduler.my import availability
from scheduler.my.forms import ConfirmForm, unavailability_form

from .forms import DetailsForm, StatusForm
from .lookup import EMAIL_TAKEN, email_taken
from .routes import COORDINATORS, _assessor, bp, record_of

TheirUnavailabilityForm = unavailability_form("they")


def _profile(assessor: Assessor, anchor: str = "") -> str:
    return url_for("assessors.profile", assessor_id=assessor.id) + (f"#{anchor}" if anchor else "")


def _tell(assessor: Assessor, subject: str, what: str) -> None:
    send_mail(assessor.email, subject,
              f"Dear {assessor.name},\n\n{what}\n\nIf this is not right, contact the associate assessor team: "
              f"{service_contact().in_words}.\n\nYour availability: {external_url('my.availability_page')}")


@bp.route("/assessors/<int:assessor_id>/unavailability/add", methods=["GET", "POST"])
@role_required(*COORDINATORS)
def add_unavailability(assessor_id: int):
    assessor = _assessor(assessor_id)
    form = TheirUnavailabilityForm(today=availability.today())
    if form.validate_on_submit():
        message = availability.save_period(assessor, form.starts_on.data, form.ends_on.data, form.reason.data,
                                           None, whose="their")
        period = format_period(form.starts_on.data, form.ends_on.data)
        _tell(assessor, "A coordinator recorded a time you are unavailable",
              f"A coordinator recorded that you are unavailable from {period}"
              + (f" ({form.reason.data.strip()})" if (form.reason.data or "").strip() else "")
              + ". We will not propose you for deployments on those days.")
        db.session.commit()
        flash(message or f"{assessor.name} is unavailable from {period}. We have emailed them to say so.", "success")
        return redirect(_profile(assessor, "unavailability"))
    return render_template("assessors/unavailability_form.html", title=f"Record a time {assessor.name} is unavailable",
                           form=form, assessor=assessor)


@bp.route("/assessors/<int:assessor_id>/unavailability/<int:unavailability_id>/remove", methods=["GET", "POST"])
@role_required(*COORDINATORS)
def remove_unavailability(assessor_id: int, unavailability_id: int):
    assessor = _assessor(assessor_id)
    existing = record_of(assessor, Unavailability, unavailability_id)
    form = ConfirmForm()
    period = format_period(existing.starts_on, existing.ends_on)
    if form.validate_on_submit():
        availability.remove_period(assessor, existing)
        _tell(assessor, "A coordinator removed a time you were unavailable",
              f"A coordinator removed the time you were unavailable from {period}. "
              f"You may now be proposed for deployments on those days.")
        db.session.commit()
        flash(f"You removed the time {assessor.name} was unavailable from {period}. We have emailed them to say so.",
              "success")
        return redirect(_profile(assessor, "unavailability"))
    return render_template("assessors/remove_unavailability.html",
                           title=f"Remove the time {assessor.name} is unavailable", form=form, assessor=assessor,
                           existing=existing, period=period)


STATUS_WORDS = {
    AssessorStatus.ACTIVE: ("resumed", "You are active again: coordinators may offer you deployments."),
    AssessorStatus.PAUSED: ("paused", "You are paused: coordinators will not offer you deployments until you are "
                                      "resumed."),
    AssessorStatus.LEFT: ("marked as having left", "You are recorded as no longer an associate assessor."),
}


@bp.route("/assessors/<int:assessor_id>/status", methods=["GET", "POST"])
@role_required(*COORDINATORS)
def change_status(assessor_id: int):
    assessor = _assessor(assessor_id)
    form = StatusForm(data={"status": assessor.status})
    form.status.label.text = f"What is {assessor.name}'s status now?"
    if form.validate_on_submit():
        before = assessor.status
        chosen = AssessorStatus(form.status.data)
        if chosen == before:
            flash(f"{assessor.name} was already {chosen.label.lower()}: nothing changed", "important")
            return redirect(_profile(assessor))
        assessor.status = chosen.value
        note = (form.note.data or "").strip()
        record("assessor.status_changed", object_type="assessor", object_id=assessor.id,
               before={"status": before}, after={"status": chosen.value, "note": note})
        verb, sentence = STATUS_WORDS[chosen]
        send_mail(assessor.email, f"Your status as an associate assessor: {chosen.label.lower()}",
                  f"Dear {assessor.name},\n\n{sentence}" + (f"\n\nThe coordinator's note:\n{note}" if note else ""))
        withdrawn = still_to_come(assessor) if chosen == AssessorStatus.LEFT else []
        for deployment in withdrawn:
            status.withdraw(deployment, deployment_mail.LEFT)
        db.session.commit()
        flash(f"{assessor.name} is {verb}. We have emailed them to say so."
              + (f" They are withdrawn from {_deployments_on(withdrawn)}: we have told them, and any employer we had "
                 "asked to release them." if withdrawn else ""), "success")
        return redirect(_profile(assessor))
    return render_template("assessors/status.html", title=f"Change {assessor.name}'s status", form=form,
                           assessor=assessor, still_to_come=_deployments_on(still_to_come(assessor)))


def still_to_come(assessor: Assessor) -> list[Deployment]:
    """Their live deployments on inspections that have not ended: marking them as left withdraws these."""
    return list(db.session.scalars(
        db.select(Deployment).join(Deployment.inspection)
        .where(Deployment.assessor_id == assessor.id, Deployment.status.in_(status.WITHDRAWABLE),
               Inspection.ends_on >= availability.today())
        .order_by(Inspection.starts_on, Deployment.id)))


def _deployments_on(deployments: list[Deployment]) -> str:
    """'the deployment on I0001' or 'the 2 deployments on I0001 and I0002'."""
    if not deployments:
        return ""
    refs = [d.inspection.reference for d in deployments]
    listed = refs[0] if len(refs) == 1 else ", ".join(refs[:-1]) + f" and {refs[-1]}"
    return (f"the {len(refs)} deployments" if len(refs) > 1 else "the deployment") + f" on {listed}"


DETAILS = ("name", "email", "phone", "employer_id", "job_title")


@bp.route("/assessors/<int:assessor_id>/details", methods=["GET", "POST"])
@role_required(*COORDINATORS)
def change_details(assessor_id: int):
    assessor = _assessor(assessor_id)
    form = DetailsForm(obj=assessor, current_employer_id=assessor.employer_id, own_email=assessor.email)
    form.employer_id.choices = [(e.id, e.name) for e in db.session.scalars(db.select(Employer).order_by(Employer.name))]
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        if email_taken(email, assessor):
            form.email.errors.append(EMAIL_TAKEN)
        else:
            before = {k: getattr(assessor, k) for k in DETAILS}
            assessor.name, assessor.email = form.name.data.strip(), email
            assessor.phone, assessor.job_title = (form.phone.data or "").strip(), form.job_title.data.strip()
            changed_employer = form.employer_changed
            if changed_employer:
                agreements.change_employer(assessor, db.session.get(Employer, form.employer_id.data),
                                           contact_name=form.contact_name.data, contact_email=form.contact_email.data,
                                           today=availability.today())
            record("assessor.details_changed", object_type="assessor", object_id=assessor.id, before=before,
                   after={k: getattr(assessor, k) for k in DETAILS})
            db.session.commit()
            flash(f"{assessor.name}'s details are saved"
                  + (f", and we have asked {form.contact_name.data.strip()} to agree to release them"
                     if changed_employer else ""), "success")
            return redirect(_profile(assessor))
    return render_template("assessors/details.html", title=f"Change {assessor.name}'s details", form=form,
                           assessor=assessor)


@bp.route("/assessors/<int:assessor_id>/agreements/<int:agreement_id>/resend", methods=["POST"])
@role_required(*COORDINATORS)
def resend_agreement_request(assessor_id: int, agreement_id: int):
    assessor = _assessor(assessor_id)
    agreement = record_of(assessor, EmployerAgreement, agreement_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if agreement.status != AgreementStatus.REQUESTED:
        flash("The employer has already answered this request: nothing was sent", "important")
        return redirect(_profile(assessor, "agreements"))
    if not contacts.is_verified(agreement):
        flash(f"{agreement.contact_email} is not on {agreement.employer.name}'s email domains: confirm the contact "
              "under Employer contacts first, which sends the request. Nothing was sent", "important")
        return redirect(_profile(assessor, "agreements"))
    agreements.send_request(agreement)
    record("agreement.request_resent", object_type="employer_agreement", object_id=agreement.id,
           after={"contact_email": agreement.contact_email, "assessor_id": assessor.id})
    db.session.commit()
    flash(f"We sent the request to {agreement.contact_name} ({agreement.contact_email}) again", "success")
    return redirect(_profile(assessor, "agreements"))


def invitation_pending(assessor: Assessor) -> bool:
    """They have an account but have never set a password (their invitation may have expired)."""
    return assessor.user is not None and assessor.user.password_hash is None and assessor.user.active


@bp.route("/assessors/<int:assessor_id>/invitation", methods=["POST"])
@role_required(*COORDINATORS)
def resend_invitation(assessor_id: int):
    assessor = _assessor(assessor_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if not invitation_pending(assessor):
        flash(f"{assessor.name} has already set a password: nothing was sent", "important")
        return redirect(_profile(assessor))
    send_invitation(assessor.user, name=assessor.name)
    db.session.commit()
    flash(f"We sent {assessor.name} a new invitation to set a password, to {assessor.user.email}", "success")
    return redirect(_profile(assessor))
