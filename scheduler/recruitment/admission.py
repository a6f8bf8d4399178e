"""Admitting an applicant: an assessor profile, an account to set a password for, and a request
to their employer to agree their release. One transaction; the caller commits."""
from __future__ import annotations

import re
from datetime import date

from flask import render_template

from scheduler.audit import record
from scheduler.extensions import db
from scheduler.mail import send_mail
from scheduler.models import (
    Application,
    ApplicationStatus,
    Assessor,
    AssessorStatus,
    Employer,
    EmployerAgreement,
    Role,
    User,
)

REFERENCE = re.compile(r"A(\d{5})")


# An application still to decide: admit or reject it (or shortlist it first).
DECIDABLE = (ApplicationStatus.SUBMITTED.value, ApplicationStatus.SHORTLISTED.value)


class CannotAdmit(Exception):
    """Why this application cannot be admitted, in words for the admin."""


def next_assessor_reference() -> str:
    """A00123 style: one more than the highest in use."""
    numbers = [int(m.group(1)) for ref in db.session.scalars(db.select(Assessor.reference))
               if (m := REFERENCE.fullmatch(ref or ""))]
    return f"A{(max(numbers) + 1) if numbers else 1:05d}"


def admit(application: Application, *, employer: Employer, days_per_deployment: int, total_days: int,
          valid_from: date, valid_to: date) -> tuple[Assessor, EmployerAgreement]:
    from scheduler.auth.routes import send_invitation
    from scheduler.employer.agreements import request_agreement
    from scheduler.employer.contacts import contact_problem

    if application.status not in DECIDABLE:
        raise CannotAdmit(f"This application is {ApplicationStatus(application.status).label.lower()}, "
                          "so it cannot be admitted")
    email = application.email.strip().lower()
    if db.session.scalar(db.select(User.id).filter(db.func.lower(User.email) == email)) is not None:
        raise CannotAdmit(f"An account already uses {email}")
    if db.session.scalar(db.select(Assessor.id).filter(db.func.lower(Assessor.email) == email)) is not None:
        raise CannotAdmit(f"An assessor already uses {email}")

    if contact_problem(application.employer_contact_email, own_email=email):
        raise CannotAdmit(f"The release contact {application.employer_contact_email} is the applicant's own address "
                          "or someone's who uses this service: ask the applicant for their manager's work address")

    user = User(email=email, role=Role.ASSESSOR.value, password_hash=None, active=True)
    assessor = Assessor(
        reference=next_assessor_reference(),
        name=application.name,
        email=email,
        phone=application.phone,
        sector=application.sector,
        employer=employer,
        job_title=application.job_title,
        strategic_experience=application.strategic_experience,
        home_area_id=application.home_area_id,
        status=AssessorStatus.ACTIVE.value,
        user=user,
    )
    assessor.specialisms = [s for s in ("children", "adults", "justice") if getattr(application, f"applies_{s}")]
    db.session.add_all([user, assessor])
    db.session.flush()
    before = {"status": application.status}
    application.status = ApplicationStatus.ADMITTED.value
    application.assessor_id = assessor.id
    record("application.admitted", object_type="application", object_id=application.id,
           before=before, after={"status": application.status, "assessor_id": assessor.id})
    record("assessor.created", object_type="assessor", object_id=assessor.id,
           after={"reference": assessor.reference, "name": assessor.name, "employer_id": employer.id,
                  "specialisms": [s.value for s in assessor.specialisms], "from_application": application.id})
    record("user.created", object_type="user", object_id=user.id,
           after={"email": user.email, "role": user.role})

    send_invitation(user, name=assessor.name)
    agreement = request_agreement(
        assessor, contact_name=application.employer_contact_name, contact_email=application.employer_contact_email,
        days_per_deployment=days_per_deployment, total_days=total_days, valid_from=valid_from, valid_to=valid_to,
    )
    return assessor, agreement


def reject(application: Application, reason: str) -> None:
    if application.status in (ApplicationStatus.ADMITTED, ApplicationStatus.REJECTED):
        raise CannotAdmit(f"This application is already {ApplicationStatus(application.status).label.lower()}")
    before = {"status": application.status}
    application.status = ApplicationStatus.REJECTED.value
    application.rejection_reason = reason
    record("application.rejected", object_type="application", object_id=application.id,
           before=before, after={"status": application.status, "reason": reason})
    send_mail(application.email, f"Your application {application.reference}",
              render_template("recruitment/email/application_rejected.txt", application=application))


def shortlist(application: Application) -> None:
    if application.status != ApplicationStatus.SUBMITTED:
        raise CannotAdmit(f"Only a submitted application can be shortlisted; this one is "
                          f"{ApplicationStatus(application.status).label.lower()}")
    application.status = ApplicationStatus.SHORTLISTED.value
    record("application.shortlisted", object_type="application", object_id=application.id,
           before={"status": ApplicationStatus.SUBMITTED.value}, after={"status": application.status})
