"""CSV out (the directory's rows; `scheduler.csv_export` guards and sends them) and in (assessors, all
rows or none)."""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from email_validator import EmailNotValidError, validate_email

from scheduler.forms import text_problem
from scheduler.models import Area, Assessor, AssessorStatus, Employer, Sector, Specialism
from scheduler.recruitment.forms import EXPERIENCE_MAX_CHARS

EXPORT_COLUMNS = ["reference", "name", "email", "phone", "specialisms", "sector", "employer", "job_title",
                  "home_area", "status", "agreement_status"]


def export_rows(rows: Iterable[tuple[Assessor, str | None]]) -> Iterator[tuple]:
    """One row of EXPORT_COLUMNS per assessor."""
    for a, agreement_status in rows:
        yield (a.reference, a.name, a.email, a.phone, ";".join(s.value for s in a.specialisms), a.sector,
               a.employer.name, a.job_title, a.home_area.name, a.status, agreement_status or "none")


# --- Import -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    description: str
    max_length: int | None = None
    multiline: bool = False  # may hold line breaks (inside a quoted cell)

    @property
    def noun(self) -> str:
        return self.name.replace("_", " ").capitalize()


IMPORT_COLUMNS = [
    Column("name", True, "Full name", 120),
    Column("email", True, "Contact email address, unique to the assessor", 254),
    Column("phone", False, "Phone number", 40),
    Column("specialisms", True, "One or more of children, adults, justice, separated by semicolons"),
    Column("sector", True, "statutory or third"),
    Column("employer", True, "The employer's name exactly as in the service, for example Fife Council", 160),
    Column("job_title", True, "Job title", 160),
    Column("home_area", True, "Council area name, for example Perth and Kinross", 80),
    Column("status", False, "active, paused or left (active if blank)"),
    Column("strategic_experience", False, "A sentence or two about their strategic experience",
           EXPERIENCE_MAX_CHARS,
           multiline=True),
]
REQUIRED_HEADERS = [c.name for c in IMPORT_COLUMNS if c.required]
KNOWN_HEADERS = {c.name for c in IMPORT_COLUMNS}
MAX_ROWS = 5000
MAX_BYTES = 2 * 1024 * 1024


@dataclass
class Problem:
    row: int  # the line in the file, counting the header as line 1
    column: str
    message: str


@dataclass
class ImportResult:
    assessors: list[dict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    file_problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.file_problem is None and not self.problems

    @property
    def bad_rows(self) -> int:
        return len({p.row for p in self.problems})


def _split_specialisms(text: str) -> list[str]:
    return [p.strip().lower() for p in re.split(r"[;,]", text) if p.strip()]


def read_import(raw: bytes, *, employers: list[Employer], areas: list[Area], existing_emails: set[str]) -> ImportResult:
    """Check every row and report every problem; return the rows as field dictionaries only if all pass."""
    result = ImportResult()
    if len(raw) > MAX_BYTES:
        result.file_problem = "The selected file must be smaller than 2MB"
        return result
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        result.file_problem = "The selected file must be a CSV saved as UTF-8"
        return result
    reader = csv.DictReader(io.StringIO(text, newline=""))
    headers = [h.strip().lower() for h in (reader.fieldnames or [])]
    if not headers:
        result.file_problem = "The selected file is empty"
        return result
    missing = [h for h in REQUIRED_HEADERS if h not in headers]
    if missing:
        result.file_problem = f"The file's first row must name the columns: missing {', '.join(missing)}"
        return result
    reader.fieldnames = headers
    employer_by_name = {e.name.lower(): e for e in employers}
    area_by_key = {**{a.name.lower(): a for a in areas}, **{a.id.lower(): a for a in areas}}
    seen_emails: dict[str, int] = {}
    rows = 0
    records = iter(reader)
    while True:
        try:
            record = next(records)
        except StopIteration:
            break
        except csv.Error as error:  # a cell over the csv module's 131,072 characters, a stray quote
            result.file_problem = (f"Line {reader.line_num + 1} of the file cannot be read as CSV ({error}): "
                                   "check it and upload the file again")
            return result
        rows += 1
        line = reader.line_num
        if rows > MAX_ROWS:
            result.file_problem = f"The file must have no more than {MAX_ROWS:,} rows"
            return result
        if None in record:  # more cells than headers
            result.problems.append(Problem(line, "(row)", "This row has more cells than the header row"))
        values = {k: (v or "").strip() for k, v in record.items() if k in KNOWN_HEADERS}
        if not any(values.values()):
            continue  # a blank line
        problems: list[Problem] = []

        def bad(column: str, message: str) -> None:
            problems.append(Problem(line, column, message))

        for column in IMPORT_COLUMNS:
            value = values.get(column.name, "")
            problem = text_problem(column.noun, value, multiline=column.multiline)
            if problem:
                bad(column.name, problem)
            elif column.required and not value:
                bad(column.name, f"Enter the {column.name.replace('_', ' ')}")
            elif column.max_length and len(value) > column.max_length:
                bad(column.name, f"Must be {column.max_length:,} characters or fewer")
        email = values.get("email", "").lower()
        if email:
            try:
                validate_email(email, check_deliverability=False)
            except EmailNotValidError:
                bad("email", "Enter an email address in the correct format, like name@example.org")
            else:
                if email in seen_emails:
                    bad("email", f"{email} is also on line {seen_emails[email]} of this file")
                elif email in existing_emails:
                    bad("email", f"An assessor with {email} is already in the service")
                seen_emails.setdefault(email, line)
        specialisms = _split_specialisms(values.get("specialisms", ""))
        wrong = [s for s in specialisms if s not in {x.value for x in Specialism}]
        if values.get("specialisms") and (wrong or not specialisms):
            bad("specialisms", f"{', '.join(wrong) or values['specialisms']} is not a specialism: use children, adults or justice")
        sector = values.get("sector", "").lower()
        if sector and sector not in {s.value for s in Sector}:
            bad("sector", "Must be statutory or third")
        employer = employer_by_name.get(values.get("employer", "").lower())
        if values.get("employer") and employer is None:
            bad("employer", f"No employer called {values['employer']}: use the name exactly as in the service")
        area = area_by_key.get(values.get("home_area", "").lower())
        if values.get("home_area") and area is None:
            bad("home_area", f"{values['home_area']} is not a Scottish council area")
        status = values.get("status", "").lower() or AssessorStatus.ACTIVE.value
        if status not in {s.value for s in AssessorStatus}:
            bad("status", "Must be active, paused or left")
        if problems:
            result.problems.extend(problems)
            continue
        result.assessors.append({
            "line": line, "name": values["name"], "email": email, "phone": values.get("phone", ""),
            "specialisms": specialisms, "sector": sector, "employer": employer, "job_title": values["job_title"],
            "home_area": area, "status": status, "strategic_experience": values.get("strategic_experience", ""),
        })
    if rows == 0:
        result.file_problem = "The file has a header row but no assessors"
    return result
