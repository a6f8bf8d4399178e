"""Employers answer requests through signed links, without an account: /employer/<token>; and
coordinators confirm release contacts that are not on the employer's known domains."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from scheduler.access import is_same_person, public, role_required
from scheduler.audit import record
from scheduler.extensions import db, limiter
from scheduler.links import LinkExpired, LinkProblem, LinkUsed
from scheduler.models import AgreementStatus, Deployment, DeploymentStatus, EmployerAgreement, Role, utcnow

from . import agreements, contacts, deployments  # (registers the agreement and deployment-confirmation requests)
from .requests import resolve

bp = Blueprint("employer", __name__, url_prefix="/employer")

OWN_CONTACT = "Another coordinator must confirm your own release contact"


class NotTheEmployer(LinkProblem):
    """The link is answered by the assessor it is about, or its contact's address now belongs to
    someone with an account here: only the assessor's manager at the employer may answer."""

    title = "You cannot answer this request"


OUTCOMES = {"agreed": "Thank you: your agreement has been sent",
            "declined": "Thank you: your answer has been sent"}


def _limit() -> str:
    return current_app.config.get("EMPLOYER_RATE_LIMIT", "30 per minute")


def link_problem(problem: LinkProblem):
    status = 410 if isinstance(problem, LinkExpired | LinkUsed) else 403 if isinstance(problem, NotTheEmployer) else 404
    return render_template("employer/link_problem.html", title=problem.title, problem=problem), status


@bp.route("/<token>", methods=["GET", "POST"])
@public
@limiter.limit(_limit, methods=["POST"])
def respond(token: str):
    if len(token) > 400:
        return link_problem(LinkProblem())
    try:
        kind, link, subject = resolve(token)
    except LinkProblem as problem:
        return link_problem(problem)
    if _answering_for_themselves(subject):
        record("employer_link.refused", object_type=kind.purpose, object_id=subject.id, commit=True)
        return link_problem(NotTheEmployer())
    try:
        return kind.respond(token, link, subject)
    except LinkProblem as problem:  # used by someone else between reading and answering
        return link_problem(problem)


def _answering_for_themselves(subject: EmployerAgreement | Deployment) -> bool:
    """Whether the assessor would be consenting to their own release: they (under any of their
    accounts) are signed in, or the contact's address has since become theirs or an account's."""
    assessor = subject.assessor
    if current_user.is_authenticated and is_same_person(current_user, assessor):
        return True
    agreement = subject if isinstance(subject, EmployerAgreement) else deployments.contact_for(subject)
    return agreement is not None and contacts.contact_problem(agreement.contact_email,
                                                              own_email=assessor.email) is not None


@bp.route("/answered/<outcome>")
@public
def answered(outcome: str):
    if outcome not in OUTCOMES:
        abort(404)
    return render_template("employer/answered.html", title=OUTCOMES[outcome], outcome=outcome)


@bp.route("/contacts")
@role_required(Role.COORDINATOR)
def contacts_to_confirm():
    return render_template("employer/contacts.html", title="Employer contacts to confirm",
                           agreements=contacts.held_agreements(), is_same_person=is_same_person,
                           own_contact=OWN_CONTACT)


@bp.route("/contacts/<int:agreement_id>/confirm", methods=["POST"])
@role_required(Role.COORDINATOR)
def confirm_contact(agreement_id: int):
    """The coordinator has checked (by phone, say) that the contact works at the employer: send
    what was held for them."""
    agreement = db.get_or_404(EmployerAgreement, agreement_id)
    if not FlaskForm().validate_on_submit() or contacts.is_verified(agreement):
        return redirect(url_for("employer.contacts_to_confirm"))
    if is_same_person(current_user, agreement.assessor):
        record("agreement.contact_confirmation_refused_own", object_type="employer_agreement",
               object_id=agreement.id, commit=True)
        flash(f"{OWN_CONTACT}: nothing was sent", "error")
        return redirect(url_for("employer.contacts_to_confirm"))
    problem = contacts.contact_problem(agreement.contact_email, own_email=agreement.assessor.email)
    if problem:
        flash(f"{agreement.contact_email} cannot be a release contact: it belongs to someone who uses this "
              "service. Ask the assessor for their manager's work address.", "error")
        return redirect(url_for("employer.contacts_to_confirm"))
    agreement.contact_verified_at = utcnow()
    agreement.contact_verified_by_id = current_user.id
    record("agreement.contact_confirmed", object_type="employer_agreement", object_id=agreement.id,
           after={"contact_email": agreement.contact_email})
    if agreement.status == AgreementStatus.REQUESTED:
        agreements.send_request(agreement)
    held = db.session.scalars(db.select(Deployment).filter_by(assessor_id=agreement.assessor_id,
                                                              status=DeploymentStatus.PROPOSED.value))
    for deployment in held:
        if deployments.contact_for(deployment) is agreement:
            deployments.request_confirmation(deployment)
    db.session.commit()
    flash(f"{agreement.contact_email} is confirmed as {agreement.assessor.name}'s release contact at "
          f"{agreement.employer.name}: we have emailed them.", "success")
    return redirect(url_for("employer.contacts_to_confirm"))
