"""Who may be an assessor's release contact: the one place the rule lives.

The contact agrees to release the assessor and later confirms each deployment, so it must be
someone at the employer. It is never the assessor's own address, nor the address of anyone with an
account or assessor record here. An address on one of the employer's mail domains (reference data,
`Employer.email_domains`) is taken as the employer's; any other waits, and no link is sent to it,
until a coordinator has confirmed it."""
from __future__ import annotations

from scheduler.extensions import db
from scheduler.models import Assessor, Employer, EmployerAgreement, User, utcnow

OWN_ADDRESS = "Enter your manager's email address, not your own"
ACCOUNT_ADDRESS = ("That email address belongs to someone who uses this service: enter the work email address "
                   "of the manager at the employer")


def contact_problem(email: str, *, own_email: str | None) -> str | None:
    """Why this address cannot be a release contact, in words for the person typing it; None if it can."""
    email = email.strip().lower()
    if own_email and email == own_email.strip().lower():
        return OWN_ADDRESS
    for model in (User, Assessor):
        if db.session.scalar(db.select(model.id).where(db.func.lower(model.email) == email).limit(1)) is not None:
            return ACCOUNT_ADDRESS
    return None


def on_employer_domain(employer: Employer, email: str) -> bool:
    return email.strip().lower().rpartition("@")[2] in (employer.email_domains or [])


def verify_by_domain(agreement: EmployerAgreement) -> bool:
    """Mark the contact verified if their address is the employer's; True if it now is."""
    if agreement.contact_verified_at is None and on_employer_domain(agreement.employer, agreement.contact_email):
        agreement.contact_verified_at = utcnow()
    return is_verified(agreement)


def is_verified(agreement: EmployerAgreement) -> bool:
    return agreement.contact_verified_at is not None


def held_agreements() -> list[EmployerAgreement]:
    """Agreements still in use whose contact nobody has verified: a coordinator's to check."""
    from scheduler.models import AgreementStatus

    return list(db.session.scalars(
        db.select(EmployerAgreement)
        .where(EmployerAgreement.contact_verified_at.is_(None),
               EmployerAgreement.status.in_([AgreementStatus.REQUESTED.value, AgreementStatus.AGREED.value]))
        .order_by(EmployerAgreement.created_at, EmployerAgreement.id)))
