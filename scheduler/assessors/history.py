"""An assessor's history read as sentences ("Employer confirmed the deployment on I0012"), from the
audit events about them, their agreements, deployments and specialism requests. The date goes
beside each sentence, in words."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from scheduler.formatting import format_period
from scheduler.models import (
    Assessor,
    AssessorStatus,
    AuditEvent,
    Deployment,
    EmployerAgreement,
    SpecialismChangeRequest,
)


@dataclass(frozen=True)
class Line:
    at: datetime
    sentence: str
    by: str


def _period(values: dict | None) -> str:
    values = values or {}
    if values.get("starts_on") and values.get("ends_on"):
        return format_period(date.fromisoformat(values["starts_on"]), date.fromisoformat(values["ends_on"]))
    days = sorted(values.get("days") or [])
    return format_period(date.fromisoformat(days[0]), date.fromisoformat(days[-1])) if days else ""


def _with_reason(sentence: str, reason: str | None) -> str:
    return f"{sentence}: “{reason}”" if reason else sentence


def _deployment(event: AuditEvent, d: Deployment | None, name: str) -> str:
    on = f"the deployment on {d.inspection.reference}" if d else "a deployment"
    after = event.after or {}
    kind = event.action.split(".", 1)[1]
    return {
        "proposed": f"Proposed for {on}" + (f", {_period(after)}" if _period(after) else ""),
        "confirmation_requested": f"Employer asked to confirm {on}",
        "employer_confirmed": f"Employer confirmed {on}",
        "employer_declined": _with_reason(f"Employer declined {on}", after.get("decline_reason")),
        "assessor_declined": _with_reason(f"{name} declined {on}", after.get("decline_reason")),
        "accepted": f"{name} accepted {on}",
        "changed": f"The days of {on} changed" + (f" to {_period(after)}" if _period(after) else ""),
        "removed": f"Withdrawn from {on}",
        "withdrawn": f"Withdrawn from {on}",
        "completed": f"Completed {on}",
        "pinned": f"Pinned to the team for {on}",
        "unpinned": f"No longer pinned to the team for {on}",
    }.get(kind, f"{on[0].upper()}{on[1:]}: {kind.replace('_', ' ')}")


def _agreement(event: AuditEvent, a: EmployerAgreement | None) -> str:
    employer = a.employer.name if a else "The employer"
    after = event.after or {}
    kind = event.action.split(".", 1)[1]
    return {
        "requested": f"{employer} asked to agree to release them"
                     + (f", {_period({'starts_on': after.get('valid_from'), 'ends_on': after.get('valid_to')})}"
                        if after.get("valid_from") else ""),
        "request_resent": f"The request to {employer} to agree to release them was sent again",
        "agreed": f"{employer} agreed to release them"
                  + (f", {_period({'starts_on': after.get('valid_from'), 'ends_on': after.get('valid_to')})}"
                     if after.get("valid_from") else ""),
        "declined": _with_reason(f"{employer} declined to release them", after.get("decline_reason")),
        "lapsed": f"The agreement with {employer} ended" + (f": {after['why']}" if after.get("why") else ""),
    }.get(kind, f"Agreement with {employer}: {kind.replace('_', ' ')}")


def _changes(before: dict | None, after: dict | None, labels: dict[str, str]) -> str:
    before, after = before or {}, after or {}
    changed = [labels.get(k, k.replace("_", " ")) for k in after if k in labels and before.get(k) != after.get(k)]
    return ", ".join(changed)


DETAIL_LABELS = {"name": "name", "email": "email address", "phone": "phone number", "employer_id": "employer",
                 "job_title": "job title", "sector": "sector", "specialisms": "specialisms", "home_area": "home area",
                 "status": "status", "strategic_experience": "strategic experience"}


def _assessor(event: AuditEvent, name: str) -> str:
    after, before = event.after or {}, event.before or {}
    kind = event.action.split(".", 1)[1]
    if kind == "status_changed":
        old, new = AssessorStatus(before["status"]).label, AssessorStatus(after["status"]).label
        return _with_reason(f"Status changed from {old.lower()} to {new.lower()}", after.get("note"))
    if kind in ("details_changed", "contact_changed", "employer_changed", "job_title_changed", "updated_by_import"):
        what = _changes(before, after, DETAIL_LABELS) or "details"
        how = " from a CSV import" if kind == "updated_by_import" else ""
        return f"Changed{how}: {what}"
    return {
        "created": f"{name} was admitted as an associate assessor",
        "imported": f"{name} was added from a CSV import",
        "calendar_reset": "The calendar link was reset",
    }.get(kind, kind.replace("_", " ").capitalize())


def _unavailability(event: AuditEvent) -> str:
    kind = event.action.split(".", 1)[1]
    if kind == "removed":
        period = _period(event.before)
        return f"A time unavailable{f' from {period}' if period else ''} was removed"
    period = _period(event.after)
    verb = "A time unavailable changed" if kind == "changed" else "Recorded as unavailable"
    return _with_reason(f"{verb}{f' from {period}' if period else ''}", (event.after or {}).get("reason"))


def _specialisms(event: AuditEvent, r: SpecialismChangeRequest | None) -> str:
    kind = event.action.split(".", 1)[1]
    labels = r.specialism_labels if r else "other specialisms"
    return {
        "requested": f"Asked to hold {labels}",
        "approved": _with_reason(f"The request to hold {labels} was approved", (event.after or {}).get("note")),
        "rejected": _with_reason(f"The request to hold {labels} was not approved", (event.after or {}).get("note")),
        "withdrawn": f"Withdrew the request to hold {labels}",
    }.get(kind, f"Specialisms: {kind}")


def lines(assessor: Assessor, events: list[AuditEvent], deployments: list[Deployment],
          requests: list[SpecialismChangeRequest]) -> list[Line]:
    by_id = {
        "deployment": {str(d.id): d for d in deployments},
        "employer_agreement": {str(a.id): a for a in assessor.agreements},
        "specialism_change_request": {str(r.id): r for r in requests},
    }
    out = []
    for e in events:
        subject = by_id.get(e.object_type or "", {}).get(e.object_id or "")
        area = e.action.split(".", 1)[0]
        if e.object_type == "deployment":
            sentence = _deployment(e, subject, assessor.name)
        elif e.object_type == "employer_agreement":
            sentence = _agreement(e, subject)
        elif e.object_type == "specialism_change_request":
            sentence = _specialisms(e, subject)
        elif area == "unavailability":
            sentence = _unavailability(e)
        else:
            sentence = _assessor(e, assessor.name)
        if e.user is None:
            by = "The employer, through the emailed link" if e.object_type in ("deployment", "employer_agreement") \
                else "The service"
        elif assessor.user_id is not None and e.user_id == assessor.user_id:
            by = assessor.name
        else:
            by = f"{e.user.email} ({e.user.role_label.lower()})"
        out.append(Line(e.at, sentence, by))
    return out
