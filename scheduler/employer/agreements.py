"""Employer agreements: asking an employer to release an assessor, and their answer."""
from __future__ import annotations

from datetime import date, timedelta

from flask import redirect, render_template, url_for

from scheduler.audit import record
from scheduler.extensions import db
from scheduler.links import make_token, use
from scheduler.mail import send_mail
from scheduler.models import (
    AgreementStatus,
    Assessor,
    Employer,
    EmployerAgreement,
    EmployerKind,
    Role,
    Sector,
    User,
    utcnow,
)

from .forms import AgreementResponseForm
from .requests import RequestKind, register

PURPOSE = "employer-agreement"
LINK_LIFETIME = timedelta(days=21)
DEFAULT_DAYS_PER_DEPLOYMENT = 8
DEFAULT_TOTAL_DAYS = 16


def _state(agreement: EmployerAgreement) -> dict:
    return {
        "status": agreement.status,
        "days_per_deployment": agreement.days_per_deployment,
        "total_days": agreement.total_days,
        "valid_from": agreement.valid_from.isoformat(),
        "valid_to": agreement.valid_to.isoformat(),
        "contact_email": agreement.contact_email,
    }


def request_agreement(assessor: Assessor, *, contact_name: str, contact_email: str, days_per_deployment: int,
                      total_days: int, valid_from: date, valid_to: date) -> EmployerAgreement:
    """Create a `requested` agreement with the assessor's current employer and email the contact a
    signed, single-use link that expires in 21 days. Added to the caller's transaction."""
    agreement = EmployerAgreement(
        assessor=assessor, employer_id=assessor.employer_id or assessor.employer.id,
        contact_name=contact_name, contact_email=contact_email.strip(),
        days_per_deployment=days_per_deployment, total_days=total_days,
        valid_from=valid_from, valid_to=valid_to, status=AgreementStatus.REQUESTED.value,
    )
    db.session.add(agreement)
    db.session.flush()
    record("agreement.requested", object_type="employer_agreement", object_id=agreement.id,
           after={**_state(agreement), "assessor_id": assessor.id})
    send_request(agreement)
    return agreement


def send_request(agreement: EmployerAgreement) -> None:
    """Email the employer's contact a new signed link to answer (the request, or a reminder of it)."""
    assessor = agreement.assessor
    link = url_for("employer.respond", token=make_token(PURPOSE, agreement.id), _external=True)
    send_mail(agreement.contact_email, f"Please agree to release {assessor.name} for joint inspections",
              render_template("employer/email/agreement_request.txt", agreement=agreement, assessor=assessor,
                              link=link, expires_on=(utcnow() + LINK_LIFETIME).date()))


def new_agreement_terms(lapsed: EmployerAgreement | None, today: date) -> dict:
    """What we ask the new employer for: the same release as before, from today for a year."""
    a_year = today + timedelta(days=364)
    return {
        "days_per_deployment": lapsed.days_per_deployment if lapsed else DEFAULT_DAYS_PER_DEPLOYMENT,
        "total_days": lapsed.total_days if lapsed else DEFAULT_TOTAL_DAYS,
        "valid_from": today,
        "valid_to": max(lapsed.valid_to, a_year) if lapsed else a_year,
    }


def change_employer(assessor: Assessor, employer: Employer, *, contact_name: str, contact_email: str,
                    today: date) -> EmployerAgreement:
    """The assessor now works for `employer`: their agreements with the old one end, the sector follows
    the employer, and the new employer's manager is asked to agree the same release. In the caller's
    transaction."""
    terms = new_agreement_terms(assessor.current_agreement, today)
    for agreement in assessor.agreements:
        if agreement.status in (AgreementStatus.AGREED, AgreementStatus.REQUESTED):
            record("agreement.lapsed", object_type="employer_agreement", object_id=agreement.id,
                   before={"status": agreement.status}, after={"status": AgreementStatus.EXPIRED.value,
                                                               "why": "assessor changed employer"})
            agreement.status = AgreementStatus.EXPIRED.value
    assessor.employer = employer
    assessor.sector = (Sector.THIRD if employer.kind == EmployerKind.THIRD_SECTOR else Sector.STATUTORY).value
    db.session.flush()
    return request_agreement(assessor, contact_name=contact_name.strip(), contact_email=contact_email.strip().lower(),
                             **terms)


def _load(agreement_id: int) -> EmployerAgreement | None:
    return db.session.get(EmployerAgreement, agreement_id)


def _is_pending(agreement: EmployerAgreement) -> bool:
    return agreement.status == AgreementStatus.REQUESTED


def _coordinators() -> list[User]:
    return list(db.session.scalars(db.select(User).filter_by(role=Role.COORDINATOR.value, active=True)
                                   .order_by(User.email)))


def _tell_everyone(agreement: EmployerAgreement) -> None:
    assessor = agreement.assessor
    body = render_template("employer/email/agreement_result.txt", agreement=agreement, assessor=assessor)
    verb = "agreed to" if agreement.status == AgreementStatus.AGREED else "declined"
    subject = f"{agreement.employer.name} has {verb} {assessor.name}'s release"
    send_mail(assessor.email, subject, body)
    for coordinator in _coordinators():
        send_mail(coordinator.email, subject, body)


def respond(token: str, link, agreement: EmployerAgreement):
    form = AgreementResponseForm()
    if not form.is_submitted():
        form.days_per_deployment.data = agreement.days_per_deployment
        form.total_days.data = agreement.total_days
        form.valid_from.data = agreement.valid_from
        form.valid_to.data = agreement.valid_to
    elif form.check_against(agreement):
        use(link)  # a second answer through the same link fails here
        before = _state(agreement)
        agreement.responded_at = utcnow()
        if form.decision.data == "agree":
            agreement.status = AgreementStatus.AGREED.value
            agreement.days_per_deployment = form.days_per_deployment.data
            agreement.total_days = form.total_days.data
            agreement.valid_from = form.valid_from.data
            agreement.valid_to = form.valid_to.data
        else:
            agreement.status = AgreementStatus.DECLINED.value
            agreement.decline_reason = form.decline_reason.data
        record(f"agreement.{agreement.status}", object_type="employer_agreement", object_id=agreement.id,
               before=before, after={**_state(agreement), "decline_reason": agreement.decline_reason},
               user_id=None)
        _tell_everyone(agreement)
        db.session.commit()
        return redirect(url_for("employer.answered", outcome=agreement.status))
    return render_template("employer/agreement.html", form=form, agreement=agreement, token=token)


register(RequestKind(purpose=PURPOSE, max_age=LINK_LIFETIME, load=_load, is_pending=_is_pending,
                     respond=respond))
