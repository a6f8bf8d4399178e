"""The CSV import against the database: read a file (csv_io) with the service's employers, areas and
assessors, and store what the coordinator confirmed, every row in one transaction."""
from __future__ import annotations

from scheduler.audit import record
from scheduler.extensions import db
from scheduler.models import Area, Assessor, Employer

from . import csv_io


def read(raw: bytes) -> csv_io.ImportResult:
    return csv_io.read_import(
        raw, employers=list(db.session.scalars(db.select(Employer))),
        areas=list(db.session.scalars(db.select(Area))),
        existing={a.reference: a for a in db.session.scalars(db.select(Assessor))},
    )


def store(result: csv_io.ImportResult, filename: str) -> tuple[int, int]:
    """Add the new assessors and apply the updates, audited; the caller commits. (added, updated)."""
    from scheduler.recruitment.admission import next_assessor_reference

    number = int(next_assessor_reference()[1:])
    created = []
    for n, row in enumerate(result.new):
        assessor = Assessor(
            reference=f"A{number + n:05d}", name=row["name"], email=row["email"], phone=row["phone"],
            sector=row["sector"], employer=row["employer"], job_title=row["job_title"],
            home_area=row["home_area"], status=row["status"], strategic_experience=row["strategic_experience"],
        )
        assessor.specialisms = row["specialisms"]
        db.session.add(assessor)
        created.append(assessor)
    updates = [u for u in result.updates() if u.changes]
    for u in updates:
        for change in u.changes:
            if change.column == "specialisms":
                u.assessor.specialisms = change.after
            else:
                setattr(u.assessor, change.column, change.after)
    db.session.flush()
    for assessor in created:
        record("assessor.imported", object_type="assessor", object_id=assessor.id,
               after={"reference": assessor.reference, "email": assessor.email})
    for u in updates:
        record("assessor.updated_by_import", object_type="assessor", object_id=u.assessor.id,
               before={c.column: csv_io.shown(c.before) for c in u.changes},
               after={c.column: csv_io.shown(c.after) for c in u.changes})
    record("assessors.imported", object_type="assessor",
           after={"added": len(created), "updated": len(updates), "filename": filename})
    return len(created), len(updates)
