"""Subject access: everything the service holds about one person, as a zip of a readable HTML
summary and the same data as JSON."""
from __future__ import annotations

import io
import json
import zipfile
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask import render_template

from scheduler.extensions import db

from .people import A, E, Holding, N, Subject, holdings_for

# Security secrets are never exported, even to their owner: they are not information about the
# person, and an archive can be mislaid.
WITHHELD = frozenset({"user_account.password_hash", "user_account.totp_secret", "login_session.id",
                      "assessor.calendar_token", "recovery_code.code_hash"})
WITHHELD_TEXT = "withheld: a security secret"


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _columns(holding: Holding, subject: Subject) -> list[str]:
    table = db.metadata.tables[holding.table]
    if subject.kind in (E, N) and holding.contact_columns:
        return list(holding.contact_columns)
    return [c.name for c in table.columns]


def collect(subject: Subject) -> list[dict[str, Any]]:
    """One section per holding: its title, table and rows as plain values (all columns of the person's
    own rows; for a contact, only the columns about them)."""
    sections = []
    for holding in holdings_for(subject.kind):
        columns = _columns(holding, subject)
        rows = []
        for obj in db.session.scalars(holding.rows(subject)):
            # Mapped attributes are named as their columns throughout the models.
            rows.append({name: WITHHELD_TEXT if f"{holding.table}.{name}" in WITHHELD
                         else _plain(getattr(obj, name)) for name in columns})
        sections.append({"title": holding.title, "table": holding.table, "columns": columns, "rows": rows})
    return sections


def build_zip(subject: Subject, generated_at: datetime) -> bytes:
    sections = collect(subject)
    meta = {"person": {"kind": subject.kind.label, "name": subject.name, "emails": list(subject.emails)},
            "generated_at": generated_at.isoformat(timespec="seconds")}
    summary = render_template("privacy/archive_summary.html", meta=meta, sections=sections,
                              generated_at=generated_at, kind_label=subject.kind.label, subject=subject,
                              is_assessor=subject.kind is A)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("summary.html", summary)
        archive.writestr("data.json", json.dumps({**meta, "sections": sections}, indent=2, ensure_ascii=False))
    return buffer.getvalue()
