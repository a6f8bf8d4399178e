"""The people the service holds data about, and where each one's data is.

A person (a `Subject`) is an associate assessor, an applicant, an employer contact or a partner
contact. Assessors and applicants have a row of their own (found by id); contacts are known only by
the email address they appear under (found by address). `holdings(subject)` lists every table that
holds data about them with the query for their rows: subject access exports exactly these, and
erasure anonymises them. `tests/privacy/test_coverage.py` walks the schema so that a table that
refers to a person, or holds a person's details, cannot be left out of `HOLDINGS` unnoticed.
"""
from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import current_app

from scheduler.extensions import db
from scheduler.models import (
    Application,
    Assessor,
    AuditEvent,
    Deployment,
    EmployerAgreement,
    LoginSession,
    Notification,
    OutboxMessage,
    PartnerLink,
    Preference,
    RecoveryCode,
    SolveRun,
    SpecialismChangeRequest,
    Unavailability,
    User,
)
from scheduler.models.choices import LabelledEnum


class SubjectKind(LabelledEnum):
    ASSESSOR = "assessor"
    APPLICANT = "applicant"
    EMPLOYER_CONTACT = "employer_contact"
    PARTNER_CONTACT = "partner_contact"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {"assessor": "Associate assessor", "applicant": "Applicant",
                "employer_contact": "Employer contact", "partner_contact": "Partner contact"}


@dataclass(frozen=True)
class Subject:
    kind: SubjectKind
    key: str                     # the assessor's or application's id, or the contact's email address
    name: str
    emails: tuple[str, ...]
    phones: tuple[str, ...] = ()
    user_id: int | None = None
    erased: bool = False
    # The ids of the person's own rows, by table: what audit events about them point at.
    own: dict[str, tuple[int, ...]] = field(default_factory=dict)

    @property
    def url_key(self) -> str:
        return url_key(self.kind, self.key)

    @property
    def audit_id(self) -> str | None:
        """What audit events about them point at: never a contact's address, which is personal."""
        return self.key if self.kind in (SubjectKind.ASSESSOR, SubjectKind.APPLICANT) else None

    @property
    def values(self) -> tuple[str, ...]:
        """What identifies them in free text (names, addresses, phone numbers): what erasure redacts."""
        found = [self.name, *self.emails, *self.phones]
        return tuple(sorted({v for v in found if v and len(v.strip()) >= 5}, key=len, reverse=True))


def mentions(table: sa.Table, values: Iterable[str], columns: list[sa.Column] | None = None) -> sa.ColumnElement[bool]:
    """Rows of `table` where a text or JSON column (of `columns`, default all) contains one of `values`
    in any letter case (JSON as stored, with its escapes)."""
    conditions = []
    for column in text_columns(table) if columns is None else columns:
        as_text = sa.cast(column, sa.Text) if isinstance(column.type, sa.JSON) else column
        for value in values:
            conditions.append(as_text.icontains(value, autoescape=True))
            if isinstance(column.type, sa.JSON) and json.dumps(value)[1:-1] != value:
                conditions.append(as_text.icontains(json.dumps(value)[1:-1], autoescape=True))
    return sa.or_(*conditions) if conditions else sa.false()


def text_columns(table: sa.Table) -> list[sa.Column]:
    return [c for c in table.columns if isinstance(c.type, sa.String | sa.Text | sa.JSON)]


def _ids(subject: Subject, table: str) -> tuple[int, ...]:
    return subject.own.get(table, ())


def about_their_records(subject: Subject) -> sa.ColumnElement[bool]:
    """Audit events whose object is one of the person's own records (or their account)."""
    about = [sa.and_(AuditEvent.object_type == object_type, AuditEvent.object_id.in_([str(i) for i in ids]))
             for object_type, ids in (("assessor", _ids(subject, "assessor")),
                                      ("application", _ids(subject, "application")),
                                      ("deployment", _ids(subject, "deployment")),
                                      ("employer_agreement", _ids(subject, "employer_agreement")),
                                      ("specialism_change_request", _ids(subject, "specialism_change_request")),
                                      ("user", (subject.user_id,) if subject.user_id else ()),
                                      ("partner_link", _ids(subject, "partner_link")))
             if ids]
    if subject.user_id:
        about.append(AuditEvent.user_id == subject.user_id)
    return sa.or_(*about) if about else sa.false()


def _audit(subject: Subject) -> sa.Select:
    return (sa.select(AuditEvent).where(sa.or_(mentions(AuditEvent.__table__, subject.values),
                                               about_their_records(subject))).order_by(AuditEvent.id))


@dataclass(frozen=True)
class Holding:
    table: str
    title: str
    rows: Callable[[Subject], sa.Select]
    kinds: frozenset[SubjectKind]
    # For a contact, only these columns are theirs; the rest of the row is about someone else.
    contact_columns: tuple[str, ...] = ()


A, P, E, N = SubjectKind.ASSESSOR, SubjectKind.APPLICANT, SubjectKind.EMPLOYER_CONTACT, SubjectKind.PARTNER_CONTACT
EVERYONE = frozenset(SubjectKind)


def _where(model, column, table: str) -> Callable[[Subject], sa.Select]:
    return lambda s: sa.select(model).where(column.in_(_ids(s, table))).order_by(model.__table__.primary_key.columns[0])


HOLDINGS: tuple[Holding, ...] = (
    Holding("assessor", "Assessor profile", _where(Assessor, Assessor.id, "assessor"), frozenset({A})),
    Holding("user_account", "Account", lambda s: sa.select(User).where(User.id == s.user_id), frozenset({A})),
    Holding("login_session", "Sign-in sessions", lambda s: sa.select(LoginSession).where(
        LoginSession.user_id == s.user_id), frozenset({A})),
    Holding("recovery_code", "Two-step sign-in recovery codes", lambda s: sa.select(RecoveryCode).where(
        RecoveryCode.user_id == s.user_id), frozenset({A})),
    Holding("employer_agreement", "Employer agreements", _where(
        EmployerAgreement, EmployerAgreement.id, "employer_agreement"), frozenset({A, E}),
        ("id", "employer_id", "contact_name", "contact_email", "valid_from", "valid_to", "status", "responded_at")),
    Holding("unavailability", "Unavailability", _where(Unavailability, Unavailability.assessor_id, "assessor"),
            frozenset({A})),
    Holding("preference", "Inspections they would like to join or would rather not",
            _where(Preference, Preference.assessor_id, "assessor"), frozenset({A})),
    Holding("deployment", "Deployments", _where(Deployment, Deployment.id, "deployment"), frozenset({A})),
    Holding("specialism_change_request", "Specialism change requests", _where(
        SpecialismChangeRequest, SpecialismChangeRequest.id, "specialism_change_request"), frozenset({A})),
    Holding("application", "Applications", _where(Application, Application.id, "application"),
            frozenset({A, P, E}), ("reference", "employer_contact_name", "employer_contact_email", "submitted_at")),
    Holding("solve_run", "Team-builder runs that considered them", lambda s: sa.select(SolveRun).where(
        mentions(SolveRun.__table__, [s.name])).order_by(SolveRun.id), frozenset({A})),
    Holding("partner_link", "Partner links sent to them", _where(PartnerLink, PartnerLink.id, "partner_link"),
            frozenset({N})),
    Holding("notification", "Notifications they sent", _where(Notification, Notification.id, "notification"),
            frozenset({N}), ("id", "kind", "status", "area_id", "notified_at", "received_at", "notifier_name",
                             "notifier_contact", "closed_on")),
    Holding("outbox_message", "Emails sent to them or naming them", lambda s: sa.select(OutboxMessage).where(
        mentions(OutboxMessage.__table__, s.values)).order_by(OutboxMessage.id), EVERYONE),
    Holding("audit_event", "Audit events", _audit, EVERYONE),
)

# Columns that refer to a user account but only ever to staff (coordinators, inspectors, admins),
# who are not among the people this service answers subject-access requests for through these pages.
STAFF_ONLY = frozenset({
    "notification.created_by_id", "extension.granted_by_id", "feedback.given_by_id", "partner_link.created_by_id",
    "solve_run.started_by_id", "specialism_change_request.decided_by_id", "notification_tombstone.deleted_by_id",
})

# Tables that hold nothing about a person, and why.
NO_PERSONAL_DATA = {
    "area": "Scotland's council areas",
    "employer": "organisations, not people",
    "employer_area": "which areas an employer works in",
    "campaign": "recruitment campaigns",
    "inspection": "inspections: places and dates",
    "inspection_day": "an inspection's working days",
    "inspection_excluded_employer": "employers excluded from an inspection",
    "seat": "how many assessors an inspection needs",
    "data_version": "a counter",
    "data_change": "which assessor and inspection ids a write touched, and when: no details, deleted after a day",
    "used_link": "one-time link nonces, no person",
    "extension": "deadline extensions of a notification (covered with the notification's tombstone rule)",
    "feedback": "feedback to a partnership, deleted with its notification",
    "notification_tombstone": "reference, kind, area and dates only",
    "planning_policy": "the year's planning settings",
    "application_draft": "an application being filled in, reachable only from the applicant's own browser "
                         "session and deleted 30 days after its last change",
}


def holdings_for(kind: SubjectKind) -> list[Holding]:
    return [h for h in HOLDINGS if kind in h.kinds]


# ---------------------------------------------------------------- finding people

def _own_rows_of_assessor(assessor: Assessor) -> dict[str, tuple[int, ...]]:
    def ids(model, *where) -> tuple[int, ...]:
        return tuple(db.session.scalars(sa.select(model.id).where(*where)))

    return {
        "assessor": (assessor.id,),
        "deployment": ids(Deployment, Deployment.assessor_id == assessor.id),
        "employer_agreement": ids(EmployerAgreement, EmployerAgreement.assessor_id == assessor.id),
        "specialism_change_request": ids(SpecialismChangeRequest, SpecialismChangeRequest.assessor_id == assessor.id),
        "application": ids(Application, sa.or_(Application.assessor_id == assessor.id,
                                               sa.func.lower(Application.email) == assessor.email.lower())),
    }


def assessor_subject(assessor: Assessor) -> Subject:
    emails = {assessor.email}
    if assessor.user is not None:
        emails.add(assessor.user.email)
    return Subject(A, str(assessor.id), assessor.name, tuple(sorted(emails)), (assessor.phone,),
                   user_id=assessor.user_id, erased=assessor.erased_at is not None,
                   own=_own_rows_of_assessor(assessor))


def applicant_subject(application: Application) -> Subject:
    return Subject(P, str(application.id), application.name, (application.email,), (application.phone,),
                   erased=application.erased_at is not None, own={"application": (application.id,)})


def contact_subject(kind: SubjectKind, email: str) -> Subject | None:
    """An employer or partner contact by the address they appear under; None if it appears nowhere."""
    email = email.strip().lower()
    if kind is E:
        agreements = db.session.scalars(sa.select(EmployerAgreement).where(
            sa.func.lower(EmployerAgreement.contact_email) == email)).all()
        applications = db.session.scalars(sa.select(Application).where(
            sa.func.lower(Application.employer_contact_email) == email)).all()
        names = [a.contact_name for a in agreements] + [a.employer_contact_name for a in applications]
        own = {"employer_agreement": tuple(a.id for a in agreements),
               "application": tuple(a.id for a in applications)}
    else:
        links = db.session.scalars(
            sa.select(PartnerLink).where(sa.func.lower(PartnerLink.contact_email) == email)).all()
        notifications = db.session.scalars(sa.select(Notification).where(
            sa.func.lower(Notification.notifier_contact) == email)).all()
        names = [n.notifier_name for n in notifications]
        own = {"partner_link": tuple(x.id for x in links), "notification": tuple(n.id for n in notifications)}
    if not any(own.values()):
        return None
    return Subject(kind, email, names[0] if names else email, (email,), own=own)


def _digest(email: str) -> str:
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, b"personal-data:contact:" + email.encode(), hashlib.sha256).hexdigest()[:32]


def url_key(kind: SubjectKind, key: str) -> str:
    """A person's key as it goes in a URL. A contact's is a keyed hash of their address, so the
    address stands in no URL or access log, and cannot be read back from one."""
    return _digest(key) if kind in (E, N) else key


def _contact_email(kind: SubjectKind, digest: str) -> str | None:
    """The contact address whose keyed hash this is (contacts number in the thousands at most)."""
    columns = ((EmployerAgreement.contact_email, Application.employer_contact_email) if kind is E
               else (Notification.notifier_contact, PartnerLink.contact_email))
    emails = db.session.scalars(sa.union(*(sa.select(sa.func.lower(c)) for c in columns)))
    return next((e for e in emails if hmac.compare_digest(_digest(e), digest)), None)


def subject(kind: str, key: str) -> Subject | None:
    """The person a URL's kind and key name, or None."""
    try:
        kind = SubjectKind(kind)
    except ValueError:
        return None
    if kind in (E, N):
        key = _contact_email(kind, key)
        if key is None:
            return None
    if kind in (A, P):
        if not key.isdigit():
            return None
        found = db.session.get(Assessor if kind is A else Application, int(key))
        if found is None:
            return None
        return assessor_subject(found) if kind is A else applicant_subject(found)
    return contact_subject(kind, key)


@dataclass(frozen=True)
class Match:
    kind: SubjectKind
    key: str
    name: str
    email: str
    detail: str

    @property
    def url_key(self) -> str:
        return url_key(self.kind, self.key)


def find(text: str, limit: int = 50) -> list[Match]:
    """Everyone whose name or email address contains `text` (case-insensitive)."""
    like = f"%{text.strip().lower()}%"

    def having(*columns) -> sa.ColumnElement[bool]:
        return sa.or_(*(sa.func.lower(c).like(like) for c in columns))

    found: list[Match] = []
    for a in db.session.scalars(sa.select(Assessor).where(having(Assessor.name, Assessor.email))
                                .order_by(Assessor.name).limit(limit)):
        found.append(Match(A, str(a.id), a.name, a.email, f"{a.reference}, {a.status}"))
    for a in db.session.scalars(sa.select(Application).where(having(Application.name, Application.email))
                                .order_by(Application.name).limit(limit)):
        found.append(Match(P, str(a.id), a.name, a.email, f"Application {a.reference}, {a.status}"))
    contacts: dict[tuple[SubjectKind, str], Match] = {}
    for kind, name_col, email_col in (
        (E, EmployerAgreement.contact_name, EmployerAgreement.contact_email),
        (E, Application.employer_contact_name, Application.employer_contact_email),
        (N, Notification.notifier_name, Notification.notifier_contact),
        (N, sa.literal(""), PartnerLink.contact_email),
    ):
        for name, email in db.session.execute(sa.select(name_col, email_col).where(having(name_col, email_col))
                                              .distinct().limit(limit)):
            key = (kind, email.lower())
            if key not in contacts or (name and not contacts[key].name):
                contacts[key] = Match(kind, email.lower(), name or "", email.lower(), kind.label)
    found.extend(sorted(contacts.values(), key=lambda m: (m.kind, m.email)))
    return found
