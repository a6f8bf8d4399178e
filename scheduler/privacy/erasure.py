"""Erasure and rectification of a person's data.

Erasing anonymises the person's own records in place (so counts and past figures stay true) and
then redacts their name, addresses and phone numbers from every text and JSON column of every
table: audit `before`/`after` values, outbox recipients and bodies, CSV import reports in the audit
log, team-builder snapshots. The retention schedule erases with the same functions.

Erasure is refused, with the reason, while the work still needs the data: a deployment still to
happen, an open notification they sent, an employer agreement waiting for their answer.
"""
from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask import current_app

from scheduler.audit import record
from scheduler.auth.sessions import end_all_sessions
from scheduler.contact import service_contact
from scheduler.extensions import db
from scheduler.formatting import format_period
from scheduler.mail import send_mail
from scheduler.models import (
    AgreementStatus,
    Application,
    Assessor,
    AssessorStatus,
    AuditEvent,
    Deployment,
    DeploymentStatus,
    EmployerAgreement,
    Inspection,
    Notification,
    NotificationStatus,
    PartnerLink,
    Preference,
    SpecialismChangeRequest,
    Unavailability,
    utcnow,
)

from .people import A, E, N, P, Subject, about_their_records, text_columns

ERASED = "erased"
STILL_TO_HAPPEN = (DeploymentStatus.PROPOSED.value, DeploymentStatus.EMPLOYER_CONFIRMED.value)


class ErasureRefused(Exception):
    def __init__(self, reasons: list[str]):
        super().__init__("; ".join(reasons))
        self.reasons = reasons


class AlreadyErased(Exception):
    """Another admin erased the person between the page being read and this erasure starting."""


def erased_address(label: str) -> str:
    """A placeholder address that can never receive mail (RFC 6761 .invalid) and stays unique."""
    return f"{ERASED}-{label.lower()}@example.invalid"


# ---------------------------------------------------------------- what must be kept

def reasons_to_keep(subject: Subject, today: date) -> list[str]:
    """Why the law or the work needs this person's data now; empty if it may be erased."""
    reasons: list[str] = []
    if subject.kind is A:
        upcoming = db.session.execute(
            sa.select(Inspection.reference, Inspection.starts_on, Inspection.ends_on, Deployment.status)
            .join(Deployment.inspection).where(Deployment.id.in_(subject.own.get("deployment", ())),
                                               Deployment.status.in_(STILL_TO_HAPPEN), Inspection.ends_on >= today)
            .order_by(Inspection.starts_on)).all()
        reasons += [f"They are deployed on inspection {r.reference} ({format_period(r.starts_on, r.ends_on)}), "
                    f"{DeploymentStatus(r.status).label.lower()}: cancel or complete the deployment first."
                    for r in upcoming]
    if subject.kind is N:
        open_ones = db.session.scalars(sa.select(Notification).where(
            Notification.id.in_(subject.own.get("notification", ())),
            Notification.status != NotificationStatus.CLOSED.value).order_by(Notification.id)).all()
        reasons += [f"Notification {n.reference} they sent is still open ({n.status_label.lower()}): the "
                    f"inspection team needs their contact details until it closes." for n in open_ones]
    if subject.kind is E:
        waiting = db.session.scalars(sa.select(EmployerAgreement).where(
            EmployerAgreement.id.in_(subject.own.get("employer_agreement", ())),
            EmployerAgreement.status == AgreementStatus.REQUESTED.value)).all()
        reasons += [f"An employer agreement for assessor {a.assessor.reference} is waiting for their answer."
                    for a in waiting]
    return reasons


# ---------------------------------------------------------------- anonymising records

def anonymise_application(application: Application, now) -> None:
    application.name = f"Erased applicant {application.reference}"
    application.email = erased_address(application.reference)
    for field in ("phone", "employer_name", "job_title", "strategic_experience", "employer_contact_name",
                  "conflicts_declared"):
        setattr(application, field, "")
    application.employer_contact_email = erased_address(f"contact-{application.reference}")
    application.rejection_reason = None
    application.erased_at = now


def anonymise_assessor(assessor: Assessor, now) -> None:
    """Personal details out; the reference, specialisms, sector, employer, home area and deployments
    stay so the programme's past figures (and the own-area rule's history) do not change."""
    assessor.name = f"Erased assessor {assessor.reference}"
    assessor.email = erased_address(assessor.reference)
    assessor.phone = ""
    assessor.job_title = ""
    assessor.strategic_experience = ""
    assessor.calendar_token = None
    assessor.status = AssessorStatus.LEFT.value
    assessor.erased_at = now
    for model in (EmployerAgreement, Unavailability, SpecialismChangeRequest, Preference):
        db.session.execute(sa.delete(model).where(model.assessor_id == assessor.id))
    db.session.execute(sa.update(Deployment).where(Deployment.assessor_id == assessor.id)
                       .values(decline_reason=None))
    if assessor.user is not None:
        user = assessor.user
        user.email = erased_address(f"user-{user.id}")
        user.password_hash = None
        user.active = False
        end_all_sessions(user)
    db.session.expire(assessor, ["agreements", "unavailability"])


def _anonymise_contact(subject: Subject, now) -> None:
    email = erased_address(f"contact-{now:%Y%m%d%H%M%S}")
    if subject.kind is E:
        db.session.execute(sa.update(EmployerAgreement).where(
            EmployerAgreement.id.in_(subject.own["employer_agreement"]))
            .values(contact_name=ERASED, contact_email=email))
        db.session.execute(sa.update(Application).where(Application.id.in_(subject.own["application"])).values(
            employer_contact_name=ERASED, employer_contact_email=email))
    else:
        db.session.execute(sa.update(PartnerLink).where(PartnerLink.id.in_(subject.own["partner_link"])).values(
            contact_email=email, revoked_at=sa.func.coalesce(PartnerLink.revoked_at, now)))
        db.session.execute(sa.update(Notification).where(Notification.id.in_(subject.own["notification"])).values(
            notifier_name=ERASED, notifier_contact=email))


def _replace(value: Any, needles: re.Pattern) -> Any:
    if isinstance(value, str):
        return needles.sub(ERASED, value)
    if isinstance(value, list):
        return [_replace(v, needles) for v in value]
    if isinstance(value, dict):
        return {_replace(k, needles): _replace(v, needles) for k, v in value.items()}
    return value


# Columns that name a person as who the row is about (search_text is folded from them by the model).
# The erased person's own rows are anonymised field by field; these columns are left out of the sweep,
# so that someone else who shares the erased person's name keeps theirs.
IDENTITY_COLUMNS = frozenset({
    "assessor.name", "assessor.email", "assessor.search_text", "application.name", "application.email",
    "user_account.email",
    "employer_agreement.contact_name", "employer_agreement.contact_email", "application.employer_contact_name",
    "application.employer_contact_email", "notification.subject_name", "notification.notifier_name",
    "notification.notifier_contact", "partner_link.contact_email",
})


def _needles(values: tuple[str, ...]) -> re.Pattern:
    """One pattern for the values as written in text and inside JSON (escaped), any letter case;
    longest first, so that a name inside an address goes with the address."""
    found = sorted(set(values) | {json.dumps(v)[1:-1] for v in values}, key=len, reverse=True)
    return re.compile("|".join(re.escape(n) for n in found), re.IGNORECASE)


# Values per query when looking for the rows that mention someone: the first retention run on a
# service with a thousand leavers sweeps for all of them at once, and one query of them all would
# be tens of thousands of conditions.
MENTIONS_PER_QUERY = 200


def _mentions_any(values: tuple[str, ...], columns: list[sa.Column]) -> sa.ColumnElement[bool]:
    """Rows where a column holds any of the values (any letter case, JSON as stored): one regular
    expression per column, so a large JSON snapshot is read once per batch, not once per value
    (SQLAlchemy gives SQLite a REGEXP function, which ignores a flags argument: the case is set
    inside the pattern, as both Python and PostgreSQL read it; PostgreSQL reads a backslash before
    a non-alphanumeric character as that character, as Python's re.escape writes it)."""
    pattern = "(?i)" + _needles(values).pattern
    return sa.or_(*((sa.cast(c, sa.Text) if isinstance(c.type, sa.JSON) else c).regexp_match(pattern)
                    for c in columns))


def _key_in(key: list[sa.Column], found: list[tuple]) -> sa.ColumnElement[bool]:
    if len(key) == 1:
        return key[0].in_([k[0] for k in found])
    return sa.tuple_(*key).in_(found)


def redact_everywhere(values: tuple[str, ...]) -> int:
    """Replace each value wherever it appears in free text or JSON in any table (audit values, email
    copies and their recipients, import reports, team-builder snapshots); returns the number of rows
    changed. Longest values first, so a name inside an address goes too; any letter case."""
    if not values:
        return 0
    needles = _needles(values)
    changed = 0
    for table in db.metadata.sorted_tables:
        columns = [c for c in text_columns(table) if f"{table.name}.{c.name}" not in IDENTITY_COLUMNS]
        if not columns:
            continue
        key = list(table.primary_key.columns)
        keys = set()
        for start in range(0, len(values), MENTIONS_PER_QUERY):
            chunk = values[start:start + MENTIONS_PER_QUERY]
            keys.update(tuple(r) for r in db.session.execute(sa.select(*key).where(_mentions_any(chunk, columns))))
        found = sorted(keys)
        rows = [row for start in range(0, len(found), 500) for row in db.session.execute(
            sa.select(*key, *columns).where(_key_in(key, found[start:start + 500])))]
        for row in rows:
            data = row._mapping
            update = {c.name: _replace(data[c], needles) for c in columns if data[c] is not None}
            update = {name: v for name, v in update.items() if v != data[table.c[name]]}
            if update:
                db.session.execute(sa.update(table).where(*(k == data[k] for k in key)).values(**update))
                changed += 1
    return changed


# Keys in audit values that say nothing about a person: what happened, to which record, when.
KEPT_AUDIT_KEYS = frozenset({"status", "reference", "specialisms", "days", "role", "count", "kind", "clock", "sector",
                             "area", "version_id", "filters", "rows"})
# Keys under which an audit value identifies someone: former names and addresses, swept everywhere.
IDENTIFYING_AUDIT_KEYS = frozenset({"name", "email", "phone", "contact_name", "contact_email"})


def _kept(key: str) -> bool:
    return key in KEPT_AUDIT_KEYS or key.endswith(("_id", "_on", "_at", "_date"))


def forget_in_their_audit(subject: Subject) -> tuple[str, ...]:
    """Audit events about an assessor's or applicant's own records keep what happened and when; every
    other value (a former address, a reason they gave, a job title) becomes "erased", and the
    internet addresses of what they did go. Returns the
    former names and addresses found, to be swept from everywhere else too."""
    if subject.kind not in (A, P):
        return ()
    former: set[str] = set()
    for event in db.session.scalars(sa.select(AuditEvent).where(about_their_records(subject))):
        for side in ("before", "after"):
            values = getattr(event, side)
            if values:
                former |= {v for k, v in values.items() if k in IDENTIFYING_AUDIT_KEYS and isinstance(v, str)}
                setattr(event, side, {k: v if _kept(k) or v is None else ERASED for k, v in values.items()})
    if subject.user_id:  # the internet addresses they signed in and acted from
        db.session.execute(sa.update(AuditEvent).where(AuditEvent.user_id == subject.user_id).values(ip=None))
    return tuple(v for v in former if len(v.strip()) >= 5 and not v.startswith(ERASED))


# ---------------------------------------------------------------- the two requests

def erase(subject: Subject, reason: str, *, today: date, notify: bool = True) -> dict[str, int]:
    """Erase a person on request. Raises ErasureRefused with the reasons if their data must be kept.

    The person is told first, in a transaction of its own: once the erasure commits, the address it
    would go to is gone. Returns counts of what was changed (no personal values)."""
    reasons = reasons_to_keep(subject, today)
    if reasons:
        raise ErasureRefused(reasons)
    _claim(subject)
    if notify:
        for email in subject.emails:
            send_mail(email, "We have erased your personal information",
                      f"Dear {subject.name},\n\nAs you asked, we are erasing the personal information "
                      f"{current_app.config['SERVICE_NAME']} holds about you. Records we must keep, such "
                      "as the inspections you worked on, stay without your name or contact details.\n\n"
                      "This is the last email we will send to this address. If you have a question, contact "
                      f"the associate assessor team: {service_contact().in_words}.\n")
        record("person.erasure_notified", object_type=subject.kind.value, object_id=subject.audit_id)
        db.session.commit()
    try:
        counts = anonymise(subject, utcnow())
        # the reason often names them: it is kept without their name
        record("person.erased", object_type=subject.kind.value, object_id=subject.audit_id,
               after={"reason": _replace(reason, _needles(subject.values)), **counts})
        db.session.commit()
    except BaseException:
        db.session.rollback()
        _unclaim(subject)   # the claim was committed with the notice: let the erasure be tried again
        raise
    return counts


CLAIMED = {A: Assessor, P: Application}   # a contact has no row of their own to claim


def _claim(subject: Subject) -> None:
    """Mark the person's record erased before anything else (a conditional update): of two
    erasures of one person at once exactly one goes on, the other raises AlreadyErased before
    it has told them or audited anything."""
    model = CLAIMED.get(subject.kind)
    if model is None:
        return
    claimed = db.session.execute(sa.update(model).where(model.id == int(subject.key), model.erased_at.is_(None))
                                 .values(erased_at=utcnow()).execution_options(synchronize_session=False))
    if claimed.rowcount != 1:
        db.session.rollback()
        raise AlreadyErased()


def _unclaim(subject: Subject) -> None:
    model = CLAIMED.get(subject.kind)
    if model is not None:
        db.session.execute(sa.update(model).where(model.id == int(subject.key)).values(erased_at=None)
                           .execution_options(synchronize_session=False))
        db.session.commit()


def anonymise(subject: Subject, now) -> dict[str, int]:
    """The person's own records made anonymous, the audit of them forgotten and their names and
    addresses swept from everywhere else (no notice, no audit event): shared by requests and the
    schedule. Returns counts of what changed, nothing personal."""
    counts, values = anonymise_own(subject, now)
    counts["rows_redacted"] = redact_everywhere(values)
    return counts


def anonymise_own(subject: Subject, now) -> tuple[dict[str, int], tuple[str, ...]]:
    """`anonymise` without the sweep: counts, and the values still to sweep from everywhere else (the
    retention run sweeps once for everyone it anonymises, not once per person)."""
    if subject.kind in (A, P):
        if subject.kind is A:
            anonymise_assessor(db.session.get(Assessor, int(subject.key)), now)
        # an assessor's own applications: the one they were admitted from, any under their address
        for application_id in subject.own["application"]:
            anonymise_application(db.session.get(Application, application_id), now)
    else:
        _anonymise_contact(subject, now)
    counts = {table: len(ids) for table, ids in subject.own.items()}
    former = forget_in_their_audit(subject)
    db.session.flush()
    return counts, subject.values + former


RECTIFIABLE = {
    A: (Assessor, ("name", "email", "phone")),
    P: (Application, ("name", "email", "phone")),
}


def rectify(subject: Subject, changes: dict[str, str], reason: str) -> dict[str, Any]:
    """Correct a person's name, address or phone wherever their own records hold it. Returns what changed."""
    before: dict[str, str] = {}
    if subject.kind in RECTIFIABLE:
        model, fields = RECTIFIABLE[subject.kind]
        row = db.session.get(model, int(subject.key))
        for name in fields:
            new = changes.get(name)
            if new is not None and new != getattr(row, name):
                before[name] = getattr(row, name)
                setattr(row, name, new)
        if subject.kind is A and "email" in before and row.user is not None:
            row.user.email = row.email.lower()
    else:
        name, email = changes.get("name"), changes.get("email")
        if subject.kind is E:
            targets = ((EmployerAgreement, "employer_agreement", "contact_name", "contact_email"),
                       (Application, "application", "employer_contact_name", "employer_contact_email"))
        else:
            targets = ((Notification, "notification", "notifier_name", "notifier_contact"),
                       (PartnerLink, "partner_link", None, "contact_email"))
        for model, table, name_field, email_field in targets:
            values = {}
            if name and name_field:
                values[name_field] = name
            if email and email != subject.key:
                values[email_field] = email
            if values and subject.own.get(table):
                db.session.execute(sa.update(model).where(model.id.in_(subject.own[table])).values(**values))
        before = {k: v for k, v in (("name", subject.name), ("email", subject.key)) if changes.get(k)
                  and changes[k] != v}
    after = {k: changes[k] for k in before}
    if before:
        record("person.rectified", object_type=subject.kind.value, object_id=subject.audit_id,
               before=before, after={**after, "reason": reason})
    return after

