"""factory_boy factories for the domain, bound to the test session by conftest."""
from __future__ import annotations

from datetime import date, timedelta
from functools import cache

import factory
from factory.alchemy import SQLAlchemyModelFactory

from scheduler.auth.mfa import STAFF
from scheduler.auth.passwords import hash_password
from scheduler.extensions import db
from scheduler.models import (
    AgreementStatus,
    Application,
    Area,
    Assessor,
    Campaign,
    Deployment,
    Employer,
    EmployerAgreement,
    Inspection,
    InspectionDay,
    Preference,
    Seat,
    SpecialismChangeRequest,
    Unavailability,
    User,
    utcnow,
)

PASSWORD = "correct-lighthouse-porridge-kettle"
# Every staff account a factory makes has two-step sign-in set up with this authenticator secret.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@cache
def password_hash() -> str:
    # Hashing is deliberately slow: do it once per test run.
    return hash_password(PASSWORD)


def area(area_id: str) -> Area:
    return db.session.get(Area, area_id)


def employer(name: str) -> Employer:
    return db.session.scalar(db.select(Employer).filter_by(name=name))


class Base(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session = None
        sqlalchemy_session_persistence = "flush"


def bind(session) -> None:
    for f in (NotificationFactory, ExtensionFactory, FeedbackFactory, PartnerLinkFactory):
        f._meta.sqlalchemy_session = session
    for f in (UserFactory, AssessorFactory, AgreementFactory, UnavailabilityFactory,
              InspectionFactory, SeatFactory, DeploymentFactory, CampaignFactory, ApplicationFactory):
        f._meta.sqlalchemy_session = session
    for f in (SpecialismChangeRequestFactory, PreferenceFactory):
        f._meta.sqlalchemy_session = session


class UserFactory(Base):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@test.example")
    role = "coordinator"
    password_hash = factory.LazyFunction(password_hash)
    active = True
    totp_secret = factory.LazyAttribute(lambda u: TOTP_SECRET if u.role in STAFF else None)
    mfa_enrolled_at = factory.LazyAttribute(lambda u: utcnow() if u.role in STAFF else None)


class AssessorFactory(Base):
    class Meta:
        model = Assessor

    reference = factory.Sequence(lambda n: f"A{n + 1:05d}")
    name = factory.Sequence(lambda n: f"Morag Lyle {n}")
    email = factory.Sequence(lambda n: f"assessor{n}@test.example")
    phone = "01382 000000"
    holds_children = True
    sector = "statutory"
    employer = factory.LazyFunction(lambda: employer("Fife Council"))
    job_title = "Head of Children's Services"
    strategic_experience = "Led children's services improvement across a partnership."
    home_area = factory.LazyFunction(lambda: area("fife"))
    status = "active"


class AgreementFactory(Base):
    class Meta:
        model = EmployerAgreement

    assessor = factory.SubFactory(AssessorFactory)
    employer = factory.SelfAttribute("assessor.employer")
    contact_name = "Jane Manager"
    contact_email = "jane.manager@test.example"
    days_per_deployment = 8
    total_days = 16
    valid_from = date(2027, 1, 1)
    valid_to = date(2027, 12, 31)
    status = AgreementStatus.AGREED.value
    contact_verified_at = factory.LazyFunction(utcnow)


class UnavailabilityFactory(Base):
    class Meta:
        model = Unavailability

    assessor = factory.SubFactory(AssessorFactory)
    starts_on = date(2027, 4, 5)
    ends_on = date(2027, 4, 16)
    reason = "Annual leave"


def _weekdays(start: date, end: date) -> list[date]:
    return [start + timedelta(n) for n in range((end - start).days + 1) if (start + timedelta(n)).weekday() < 5]


class InspectionFactory(Base):
    class Meta:
        model = Inspection

    reference = factory.Sequence(lambda n: f"I{n + 1:04d}")
    title = factory.LazyAttribute(lambda o: f"Joint inspection of services for children in {o.area.name}")
    type = "children"
    area = factory.LazyFunction(lambda: area("angus"))
    partner_bodies = factory.LazyFunction(lambda: ["Care Inspectorate", "Education Scotland"])
    starts_on = date(2027, 3, 1)
    ends_on = date(2027, 3, 12)
    status = "planned"

    @factory.post_generation
    def working_days(obj, create, extracted, **kwargs):
        days = extracted if extracted is not None else _weekdays(obj.starts_on, obj.ends_on)
        mandatory = set(kwargs.get("mandatory", days[:1]))
        obj.days = [InspectionDay(day=d, mandatory=d in mandatory) for d in days]


class SeatFactory(Base):
    class Meta:
        model = Seat

    inspection = factory.SubFactory(InspectionFactory)
    specialism = "children"
    count = 2
    min_days = 4
    max_days = 8


class DeploymentFactory(Base):
    class Meta:
        model = Deployment

    assessor = factory.SubFactory(AssessorFactory)
    inspection = factory.SubFactory(InspectionFactory)
    specialism = "children"
    day_count = 5
    days = factory.LazyAttribute(lambda o: [d.day.isoformat() for d in o.inspection.days[:o.day_count]])
    status = "proposed"


class PreferenceFactory(Base):
    class Meta:
        model = Preference

    assessor = factory.SubFactory(AssessorFactory)
    inspection = factory.SubFactory(InspectionFactory)
    kind = "keen"
    note = ""


class SpecialismChangeRequestFactory(Base):
    class Meta:
        model = SpecialismChangeRequest

    assessor = factory.SubFactory(AssessorFactory)
    requests_children = True
    requests_adults = True
    status = "pending"


class CampaignFactory(Base):
    class Meta:
        model = Campaign

    title = factory.Sequence(lambda n: f"Associate assessors {2027 + n}")
    description = ""
    seeks_children = True
    seeks_adults = True
    seeks_justice = False
    is_open = True


class ApplicationFactory(Base):
    class Meta:
        model = Application

    reference = factory.Sequence(lambda n: f"AA-TEST-{n:04d}")
    campaign = factory.SubFactory(CampaignFactory)
    name = factory.Sequence(lambda n: f"Isla Munro {n}")
    email = factory.Sequence(lambda n: f"applicant{n}@test.example")
    phone = "01592 000000"
    home_area = factory.LazyFunction(lambda: area("fife"))
    employer_name = "Fife Council"
    job_title = "Service Manager, Children and Families"
    sector = "statutory"
    applies_children = True
    strategic_experience = "Led a children's services partnership improvement programme."
    employer_contact_name = "Jane Manager"
    employer_contact_email = "jane.manager@test.example"
    conflicts_declared = ""
    privacy_consent = True
    status = "submitted"
    submitted_at = factory.LazyFunction(utcnow)


# ---------------------------------------------------------------- notifications register

from datetime import datetime  # noqa: E402

from scheduler.models import Extension, Feedback, Notification, PartnerLink, utcnow  # noqa: E402


class NotificationFactory(Base):
    """A death notification from Fife, notified on time; pass kind=... and the kind's fields for others."""

    class Meta:
        model = Notification

    kind = "looked_after_death"
    status = "received"
    source = "inspector"
    area = factory.LazyFunction(lambda: area("fife"))
    event_date = date(2027, 12, 24)
    event_time = "09:30"
    notified_at = factory.LazyAttribute(lambda o: datetime.combine(o.event_date, datetime.min.time()).replace(hour=15))
    received_at = factory.LazyFunction(utcnow)
    subject_name = "Jamie Test"
    subject_dob = date(2012, 5, 1)
    notifier_name = "Alex Carer"
    notifier_contact = "alex.carer@fife.test.example"
    details = factory.LazyFunction(lambda: {"legal_basis": "compulsory_supervision_order", "placement": "foster",
                                            "learning_review": "no"})


class ExtensionFactory(Base):
    class Meta:
        model = Extension

    notification = factory.SubFactory(NotificationFactory)
    clock = "report"
    previous_due_on = date(2028, 1, 21)
    new_due_on = date(2028, 2, 4)
    reason = "Post-mortem report delayed"


class FeedbackFactory(Base):
    class Meta:
        model = Feedback

    notification = factory.SubFactory(NotificationFactory)
    given_on = date(2028, 2, 1)
    text = "Clear and timely report."


class PartnerLinkFactory(Base):
    class Meta:
        model = PartnerLink

    area = factory.LazyFunction(lambda: area("fife"))
    contact_email = "cpc.lead@fife.test.example"
    created_at = factory.LazyFunction(utcnow)
    expires_at = factory.LazyFunction(lambda: utcnow() + timedelta(days=30))
