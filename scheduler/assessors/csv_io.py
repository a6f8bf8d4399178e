"""CSV out (the directory's rows; `scheduler.csv_export` guards and sends them) and in: new assessors, and
existing ones matched by reference (an export, edited in a spreadsheet, imports back). Every row is
checked and the changes previewed before anything is written; then all rows are stored or none.

The export is written in words ("Home area", "Third sector"), as people read it; the import takes
those words or the codes its documentation lists ("home_area", "third"), so an export imports back."""
from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from email_validator import EmailNotValidError, validate_email

from scheduler.csv_export import unguarded
from scheduler.forms import text_problem
from scheduler.models import AgreementStatus, Area, Assessor, AssessorStatus, Employer, Sector, Specialism
from scheduler.models.choices import LabelledEnum
from scheduler.recruitment.forms import EXPERIENCE_MAX_CHARS


def export_columns() -> list[str]:
    """The export's header: each import column as people read it ("Job title"), then the agreement."""
    return [c.noun for c in IMPORT_COLUMNS if c.name != "strategic_experience"] + ["Employer agreement"]


def export_rows(rows: Iterable[tuple[Assessor, str | None]]) -> Iterator[tuple]:
    """One row of export_columns() per assessor, in words."""
    for a, agreement_status in rows:
        yield (a.reference, a.name, a.email, a.phone, "; ".join(s.label for s in a.specialisms),
               Sector(a.sector).label, a.employer.name, a.job_title, a.home_area.name,
               AssessorStatus(a.status).label,
               AgreementStatus(agreement_status).label if agreement_status else "None")


def _code(vocabulary: type[LabelledEnum], text: str) -> str | None:
    """The code a cell means, written as the code ("third") or as its words ("Third sector")."""
    wanted = text.strip().lower()
    return next((m.value for m in vocabulary if wanted in (m.value, m.label.lower())), None)


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
    Column("reference", False, "Blank for a new assessor. An existing assessor's reference, as in an export, "
                               "updates that assessor with the other columns in the file", 12),
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


# The assessor's attribute each column sets, read the way the import compares it.
COMPARED = {
    "name": lambda a: a.name, "email": lambda a: a.email, "phone": lambda a: a.phone,
    "specialisms": lambda a: [s.value for s in a.specialisms], "sector": lambda a: a.sector,
    "employer": lambda a: a.employer, "job_title": lambda a: a.job_title, "home_area": lambda a: a.home_area,
    "status": lambda a: a.status, "strategic_experience": lambda a: a.strategic_experience,
}


def shown(value) -> str:
    """A value as the preview shows it."""
    if isinstance(value, list):
        return ", ".join(Specialism(v).label for v in value)
    return getattr(value, "name", None) or str(value or "") or "(blank)"


@dataclass
class Change:
    column: str
    before: object
    after: object

    @property
    def text(self) -> str:
        return f"{self.column.replace('_', ' ')}: {shown(self.before)} to {shown(self.after)}"


@dataclass
class Update:
    row: dict
    assessor: Assessor
    changes: list[Change]


@dataclass
class ImportResult:
    assessors: list[dict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    file_problem: str | None = None
    columns: set[str] = field(default_factory=set)

    @property
    def new(self) -> list[dict]:
        return [r for r in self.assessors if r["assessor"] is None]

    def updates(self) -> list[Update]:
        """Every row for an existing assessor, with what it changes (only the columns in the file)."""
        out = []
        for row in self.assessors:
            a = row["assessor"]
            if a is None:
                continue
            changes = [Change(c, COMPARED[c](a), row[c]) for c in COMPARED
                       if c in self.columns and COMPARED[c](a) != row[c]]
            out.append(Update(row, a, changes))
        return out

    @property
    def ok(self) -> bool:
        return self.file_problem is None and not self.problems

    @property
    def bad_rows(self) -> int:
        return len({p.row for p in self.problems})


def _split_specialisms(text: str) -> list[str]:
    """Each specialism's code, or the text as written if it is not one."""
    return [_code(Specialism, p) or p.strip().lower() for p in re.split(r"[;,]", text) if p.strip()]


def read_import(raw: bytes, *, employers: list[Employer], areas: list[Area],
                existing: dict[str, Assessor]) -> ImportResult:
    """Check every row and report every problem; return the rows as field dictionaries only if all pass.
    `existing` is every assessor by reference."""
    result = ImportResult()
    reader = _open_import(raw, result)
    if reader is None:
        return result
    seen = _Seen(existing=existing, email_owner={a.email.lower(): ref for ref, a in existing.items()},
                 employer_by_name={e.name.lower(): e for e in employers},
                 area_by_key={**{a.name.lower(): a for a in areas}, **{a.id.lower(): a for a in areas}})
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
        values = {k: unguarded((v or "").strip()) for k, v in record.items() if k in KNOWN_HEADERS}
        if not any(values.values()):
            continue  # a blank line
        problems, assessor = _read_row(line, values, seen)
        if problems:
            result.problems.extend(problems)
        else:
            result.assessors.append(assessor)
    if rows == 0:
        result.file_problem = "The file has a header row but no assessors"
    return result


def _open_import(raw: bytes, result: ImportResult) -> csv.DictReader | None:
    """The file's rows, keyed by the columns it names; None (and result.file_problem) if it cannot be read."""
    if len(raw) > MAX_BYTES:
        result.file_problem = "The selected file must be smaller than 2MB"
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        result.file_problem = "The selected file must be a CSV saved as UTF-8"
        return None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    headers = [h.strip().lower().replace(" ", "_") for h in (reader.fieldnames or [])]  # "Job title" too
    if not headers:
        result.file_problem = "The selected file is empty"
        return None
    missing = [h for h in REQUIRED_HEADERS if h not in headers]
    if missing:
        result.file_problem = f"The file's first row must name the columns: missing {', '.join(missing)}"
        return None
    reader.fieldnames = headers
    result.columns = set(headers) & KNOWN_HEADERS
    return reader


@dataclass
class _Seen:
    """What a row is checked against: the service's assessors, employers and areas, and the rows above it."""
    existing: dict[str, Assessor]
    email_owner: dict[str, str]
    employer_by_name: dict[str, Employer]
    area_by_key: dict[str, Area]
    references: dict[str, int] = field(default_factory=dict)
    emails: dict[str, int] = field(default_factory=dict)


Bad = Callable[[str, str], None]


def _read_row(line: int, values: dict[str, str], seen: _Seen) -> tuple[list[Problem], dict | None]:
    """One row's problems, or (if it has none) the row as a field dictionary."""
    problems: list[Problem] = []

    def bad(column: str, message: str) -> None:
        problems.append(Problem(line, column, message))

    _cell_problems(values, bad)
    reference, assessor = _reference(line, values, seen, bad)
    email = _email(line, values, reference, seen, bad)
    specialisms = _specialisms(values, bad)
    sector = _code(Sector, values.get("sector", "")) or values.get("sector", "").lower()
    if sector and sector not in {s.value for s in Sector}:
        bad("sector", "Must be statutory or third")
    employer = seen.employer_by_name.get(values.get("employer", "").lower())
    if values.get("employer") and employer is None:
        bad("employer", f"No employer called {values['employer']}: use the name exactly as in the service")
    area = seen.area_by_key.get(values.get("home_area", "").lower())
    if values.get("home_area") and area is None:
        bad("home_area", f"{values['home_area']} is not a Scottish council area")
    status = _code(AssessorStatus, values.get("status", "")) or values.get("status", "").lower()
    status = status or AssessorStatus.ACTIVE.value
    if status not in {s.value for s in AssessorStatus}:
        bad("status", "Must be active, paused or left")
    if problems:
        return problems, None
    specialisms = [s.value for s in Specialism if s.value in specialisms]  # the order the service keeps
    return problems, {
        "line": line, "assessor": assessor, "name": values["name"], "email": email, "phone": values.get("phone", ""),
        "specialisms": specialisms, "sector": sector, "employer": employer, "job_title": values["job_title"],
        "home_area": area, "status": status, "strategic_experience": values.get("strategic_experience", ""),
    }


def _cell_problems(values: dict[str, str], bad: Bad) -> None:
    """Each column's text: allowed characters, given if required, not too long."""
    for column in IMPORT_COLUMNS:
        value = values.get(column.name, "")
        problem = text_problem(column.noun, value, multiline=column.multiline)
        if problem:
            bad(column.name, problem)
        elif column.required and not value:
            bad(column.name, f"Enter the {column.name.replace('_', ' ')}")
        elif column.max_length and len(value) > column.max_length:
            bad(column.name, f"Must be {column.max_length:,} characters or fewer")


def _reference(line: int, values: dict[str, str], seen: _Seen, bad: Bad) -> tuple[str, Assessor | None]:
    """The row's reference (blank for a new assessor) and the assessor it names, once in the file."""
    reference = values.get("reference", "").upper()
    assessor = seen.existing.get(reference) if reference else None
    if reference and assessor is None:
        bad("reference", f"No assessor has the reference {reference}: leave it blank to add a new assessor")
    elif reference in seen.references:
        bad("reference", f"{reference} is also on line {seen.references[reference]} of this file")
    if reference:
        seen.references.setdefault(reference, line)
    return reference, assessor


def _email(line: int, values: dict[str, str], reference: str, seen: _Seen, bad: Bad) -> str:
    """The row's email address: well formed, once in the file, and no other assessor's."""
    email = values.get("email", "").lower()
    if email:
        try:
            validate_email(email, check_deliverability=False)
        except EmailNotValidError:
            bad("email", "Enter an email address in the correct format, like name@example.org")
        else:
            if email in seen.emails:
                bad("email", f"{email} is also on line {seen.emails[email]} of this file")
            elif email in seen.email_owner and seen.email_owner[email] != reference:
                bad("email", f"An assessor with {email} is already in the service"
                             + (f" ({seen.email_owner[email]})" if reference else ""))
            seen.emails.setdefault(email, line)
    return email


def _specialisms(values: dict[str, str], bad: Bad) -> list[str]:
    """The specialisms' codes, as written in the row."""
    specialisms = _split_specialisms(values.get("specialisms", ""))
    wrong = [s for s in specialisms if s not in {x.value for x in Specialism}]
    if values.get("specialisms") and (wrong or not specialisms):
        bad("specialisms",
            f"{', '.join(wrong) or values['specialisms']} is not a specialism: use children, adults or justice")
    return specialisms


def fingerprint(result: ImportResult) -> str:
    """What the import will do, as a digest: the confirmed import must be the one that was previewed."""
    plan = [(r["line"], r["name"], r["email"]) for r in result.new]
    plan += [(u.row["line"], u.assessor.reference, u.assessor.version_id, [c.text for c in u.changes])
             for u in result.updates()]
    return hashlib.sha256(repr(plan).encode()).hexdigest()
