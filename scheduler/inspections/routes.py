"""/inspections: the inspection programme (list, timeline, filters), an inspection's page, and the
form coordinators use to add and edit inspections.

Who may do what:
* coordinators and recruitment admins add and edit inspections;
* strategic inspectors may view the programme and inspection pages (they lead the inspections and
  plan around them) but not change them;
* associate assessors never see the programme: they see their own deployments under /my.
"""
from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from scheduler import data_cache
from scheduler.access import PUBLIC, declared_access, role_required
from scheduler.audit import record
from scheduler.extensions import db
from scheduler.formatting import day_with_weekday
from scheduler.models import (
    Area,
    Deployment,
    DeploymentStatus,
    Employer,
    Inspection,
    InspectionDay,
    InspectionStatus,
    InspectionType,
    Role,
    Seat,
    Specialism,
)
from scheduler.numbers import page_arg, whole_number
from scheduler.pagination import pagination
from scheduler.reference import excluded_employers_for
from scheduler.workdays import bank_holiday_name, is_working_day, weekdays

from . import programme as prog
from .forms import InspectionForm, ProgrammeFilterForm
from .warnings import SaveWarnings, save_warnings

bp = Blueprint("inspections", __name__, url_prefix="/inspections")

EDITORS = (Role.COORDINATOR, Role.ADMIN)
VIEWERS = (Role.COORDINATOR, Role.ADMIN, Role.INSPECTOR)


def can_edit() -> bool:
    return current_user.is_authenticated and current_user.role in {r.value for r in EDITORS}


# --------------------------------------------------------------------------- programme


@bp.route("")
@role_required(*VIEWERS)
def programme():
    key = ("programme", can_edit(), data_cache.query_string())
    return render_template("cached_page.html", **data_cache.cached(key, _programme_content))


def _programme_content() -> dict:
    """The title and main content of the programme for the request's year, filters and page."""
    today = date.today()
    years = prog.years_with_inspections()
    default_year = prog.default_year(today)
    year = whole_number(request.args.get("year")) or default_year
    if not 2000 <= year <= 2100:
        year = default_year
    offered = sorted({*years, today.year, today.year + 1, year})

    form = ProgrammeFilterForm(request.args)
    form.year.choices = [(str(y), str(y)) for y in offered]
    form.year.data = str(year)
    areas = list(db.session.scalars(db.select(Area).order_by(Area.name)))
    form.area.choices = [("", "All areas"), (prog.NATIONAL, "National (no single area)"),
                         *[(a.id, a.name) for a in areas]]
    type_ = request.args.get("type", "")
    type_ = type_ if type_ in {t.value for t in InspectionType} else ""
    status = request.args.get("status", "")
    status = status if status in {s.value for s in InspectionStatus} else ""
    area = request.args.get("area", "")
    if area and area != prog.NATIONAL and area not in {a.id for a in areas}:
        area = ""
    form.type.data, form.status.data, form.area.data = type_, status, area

    found = prog.programme_for(year, page=page_arg(request.args), type_=type_, area=area, status=status)
    rows = found.rows
    timeline = prog.timeline(year, rows, today=today)
    filtered = bool(type_ or area or status)

    def href(number: int) -> str:
        return url_for("inspections.programme", year=year, type=type_ or None, area=area or None,
                       status=status or None, page=number if number > 1 else None)

    body = render_template(
        "inspections/_programme.html", year=year, rows=rows,
        programme=found, href=href, per_page=prog.PER_PAGE,
        pagination=pagination(found.page, found.pages, lambda n: href(n) + "#programme-table",
                              "Pages of inspections"),
        timeline=timeline, filter_form=form, filtered=filtered, can_edit=can_edit(),
        previous_year=year - 1 if year - 1 in offered else None,
        next_year=year + 1 if year + 1 in offered else None,
        types=list(InspectionType),
    )
    return {"title": f"Inspection programme {year}", "body": Markup(body)}


# --------------------------------------------------------------------------- one inspection


def _inspection(inspection_id: int) -> Inspection:
    found = db.session.scalar(
        db.select(Inspection).filter_by(id=inspection_id).options(
            selectinload(Inspection.days), selectinload(Inspection.seats),
            selectinload(Inspection.excluded_employers), selectinload(Inspection.area),
            selectinload(Inspection.deployments).selectinload(Deployment.assessor),
        )
    )
    if found is None:
        abort(404)
    return found


@bp.route("/<int:inspection_id>")
@role_required(*VIEWERS)
def inspection(inspection_id: int):
    found = _inspection(inspection_id)
    filled = prog.filled_by_inspection([found.id]).get(found.id, 0)
    holidays_in_period = [
        (d, bank_holiday_name(d)) for d in weekdays(found.starts_on, found.ends_on)
        if bank_holiday_name(d) and d not in set(found.working_days)
    ]
    deployments = sorted(found.deployments, key=lambda d: (d.specialism, d.assessor.name))
    weeks = _weeks(found)
    return render_template(
        "inspections/inspection.html", title=f"{found.title}", inspection=found,
        seats_total=sum(s.count for s in found.seats), filled=filled,
        holidays_in_period=holidays_in_period, deployments=deployments, weeks=weeks, can_edit=can_edit(),
        team_builder_url=_team_builder_url(found),
        filled_statuses=prog.FILLED_STATUSES,
        specialism_labels=dict(Specialism.choices()),
    )


def _weeks(found: Inspection) -> list[tuple[date, list[dict]]]:
    """The period as weeks of Monday to Friday, each day marked mandatory, working, holiday or not worked."""
    days = {d.day: d for d in found.days}
    if not days:
        return []
    first = min(found.starts_on, *days)
    last = max(found.ends_on, *days)
    monday = first - timedelta(days=first.weekday())
    weeks = []
    while monday <= last:
        cells = []
        for offset in range(5):
            day = monday + timedelta(days=offset)
            if not first <= day <= last:
                cells.append({"day": day, "state": "outside"})
            elif day in days:
                cells.append({"day": day, "state": "mandatory" if days[day].mandatory else "working"})
            elif (name := bank_holiday_name(day)):
                cells.append({"day": day, "state": "holiday", "name": name})
            else:
                cells.append({"day": day, "state": "not worked"})
        weeks.append((monday, cells))
        monday += timedelta(days=7)
    return weeks


def _team_builder_url(found: Inspection) -> str | None:
    """A link to the colleague's team builder when that blueprint exists and this user may open it."""
    for endpoint, kwargs in (("teams.inspection", {"inspection_id": found.id}),
                             ("teams.index", {"inspections": found.reference})):
        view = current_app.view_functions.get(endpoint)
        if view is None:
            continue
        allowed = declared_access(view)
        if allowed != PUBLIC and current_user.role not in (allowed or ()):
            return None
        try:
            return url_for(endpoint, **kwargs)
        except Exception:  # noqa: BLE001 - a differently shaped route: no link rather than an error
            continue
    return None


# --------------------------------------------------------------------------- add and edit


def _form_choices() -> dict:
    return {
        "areas": [(a.id, a.name) for a in db.session.scalars(db.select(Area).order_by(Area.name))],
        "employers": [(e.id, e.name) for e in db.session.scalars(db.select(Employer).order_by(Employer.name))],
    }


@bp.route("/new", methods=["GET", "POST"])
@role_required(*EDITORS)
def new():
    form = InspectionForm(**_form_choices())
    if request.method == "GET":
        form.partner_bodies.data = ["Care Inspectorate"]
        _prepare_days(form, [])
        return _render_form(form, None)
    return _submitted(form, None)


@bp.route("/<int:inspection_id>/edit", methods=["GET", "POST"])
@role_required(*EDITORS)
def edit(inspection_id: int):
    found = _inspection(inspection_id)
    if request.method == "GET":
        form = InspectionForm(data=_form_data(found), **_form_choices())
        _prepare_days(form, found.working_days)
        return _render_form(form, found)
    form = InspectionForm(**_form_choices())
    return _submitted(form, found)


def _form_data(found: Inspection) -> dict:
    data = {
        "version_id": str(found.version_id),
        "days_for": _period_key(found.starts_on, found.ends_on),
        "proposed_for": found.area_id or "",
        "title": found.title,
        "type": found.type,
        "area_id": found.area_id or "",
        "partner_bodies": list(found.partner_bodies or []),
        "status": found.status,
        "starts_on": found.starts_on,
        "ends_on": found.ends_on,
        "working_days": [d.isoformat() for d in found.working_days],
        "mandatory_days": [d.isoformat() for d in found.mandatory_days],
        "excluded_employers": [e.id for e in found.excluded_employers],
    }
    for s in Specialism:
        data[f"{s.value}_count"] = ""
    for seat in found.seats:
        data[f"{seat.specialism}_count"] = str(seat.count)
        data[f"{seat.specialism}_min"] = str(seat.min_days)
        data[f"{seat.specialism}_max"] = str(seat.max_days)
    return data


def _period_key(start: date, end: date) -> str:
    return f"{start.isoformat()}|{end.isoformat()}"


def _parse_period_key(key: str | None) -> tuple[date, date] | None:
    try:
        start, end = (key or "").split("|")
        period = date.fromisoformat(start), date.fromisoformat(end)
    except ValueError:
        return None
    if period[1] < period[0] or (period[1] - period[0]).days > 7 * 53:
        return None
    return period


def _typed_period(form: InspectionForm) -> tuple[date, date] | None:
    start, end = form.starts_on.data, form.ends_on.data
    if start is None or end is None or end < start:
        return None
    from .forms import MAX_PERIOD_WEEKS

    if (end - start).days >= MAX_PERIOD_WEEKS * 7:
        return None
    return start, end


def _prepare_days(form: InspectionForm, extra: list[date]) -> None:
    """Offer the weekdays of the period the day lists belong to (plus any stored day outside them)."""
    period = _parse_period_key(form.days_for.data)
    if period is None:
        form.working_days.choices = form.mandatory_days.choices = []
        return
    days = sorted({*weekdays(*period), *(d for d in extra if period[0] <= d <= period[1])})
    choices = [(d.isoformat(), day_with_weekday(d)) for d in days]
    form.working_days.choices = choices
    form.mandatory_days.choices = list(choices)


def _sync_with_period_and_area(form: InspectionForm, extra: list[date]) -> list[str]:
    """Bring the day lists up to date with the typed period, and the proposed exclusions with the area.

    Returns what changed, so the page can ask the user to check it before saving.
    """
    changed = []
    period = _typed_period(form)
    if period is not None and form.days_for.data != _period_key(*period):
        old = _parse_period_key(form.days_for.data)
        old_days = set(weekdays(*old)) if old else set()
        ticked = set(form.working_days.data or [])
        working = []
        for d in weekdays(*period):
            # Days the user has already seen keep their tick; new days start as the rule says.
            if (d.isoformat() in ticked) if d in old_days else is_working_day(d):
                working.append(d.isoformat())
        form.working_days.data = working
        form.mandatory_days.data = [d for d in form.mandatory_days.data or [] if d in set(working)]
        form.days_for.data = _period_key(*period)
        changed.append("days")
    _prepare_days(form, extra)

    area = form.area_id.data or ""
    valid_area = area == "" or area in {a for a, _ in form.area_id.choices}
    if valid_area and area != (form.proposed_for.data or ""):
        old_proposal = _employer_ids(form.proposed_for.data)
        new_proposal = _employer_ids(area)
        chosen = (set(form.excluded_employers.data or []) - old_proposal) | new_proposal
        form.excluded_employers.data = [e for e, _ in form.excluded_employers.choices if e in chosen]
        form.proposed_for.data = area
        if new_proposal or old_proposal:
            changed.append("exclusions")
    return changed


def _employer_ids(area_id: str | None) -> set[int]:
    """The employers excluded_employers_for(area) names (the one place that rule lives), as rows."""
    if not area_id:
        return set()
    try:
        names = excluded_employers_for(area_id)
    except KeyError:
        return set()
    ids = set(db.session.scalars(db.select(Employer.id).where(Employer.name.in_(names))))
    if len(ids) != len(names):
        current_app.logger.warning("Employers %s for area %s are not all in the database", names, area_id)
    return ids


def _submitted(form: InspectionForm, found: Inspection | None):
    extra = found.working_days if found else []
    changed = _sync_with_period_and_area(form, extra)
    if form.update.data:
        if _typed_period(form) is None:
            # Nothing to work out from: say what is wrong with the period, and only that.
            form.validate()
            for name, field in form._fields.items():
                if name not in ("starts_on", "ends_on"):
                    field.errors = []
            form._errors = None
            return _render_form(form, found)
        return _render_form(form, found, changed=changed or ["nothing"])

    if found is not None and form.version_id.data != str(found.version_id):
        return _conflict(form, found)

    valid = form.validate()
    if not valid or changed:
        return _render_form(form, found, changed=changed)
    warned = save_warnings(form, found)
    if warned and not (form.save_anyway.data and form.acknowledged.data == warned.key):
        # Nothing is stored until the coordinator has read the warnings and saves anyway.
        form.acknowledged.data = warned.key
        return _render_form(form, found, warnings=warned)

    before = snapshot(found) if found else None
    target = found or Inspection(reference=_next_reference())
    with db.session.no_autoflush:  # one UPDATE, so the version moves on by exactly one
        _apply(form, target)
        if found is None:
            db.session.add(target)
        else:
            flag_modified(target, "title")  # every edit (days, seats, exclusions too) moves the version on
    try:
        db.session.flush()
        record("inspection.created" if found is None else "inspection.updated",
               object_type="inspection", object_id=target.id, before=before, after=snapshot(target))
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        return _conflict(form, _inspection(found.id))
    flash(f"{target.reference} {target.title} {'added' if found is None else 'saved'}", "success")
    return redirect(url_for(".inspection", inspection_id=target.id))


def _conflict(form: InspectionForm, current: Inspection):
    """Someone saved first: show their version beside what this user typed (kept), saved nothing."""
    form.version_id.data = str(current.version_id)  # saving again replaces their version, knowingly
    return _render_form(form, current, conflict=current), 409


def _apply(form: InspectionForm, target: Inspection) -> None:
    target.title = form.title.data.strip()
    target.type = form.type.data
    target.area_id = form.area_id.data or None
    target.partner_bodies = [p for p, _ in form.partner_bodies.choices if p in set(form.partner_bodies.data)]
    target.status = form.status.data
    target.starts_on = form.starts_on.data
    target.ends_on = form.ends_on.data

    working = sorted(date.fromisoformat(d) for d in set(form.working_days.data))
    mandatory = set(form.mandatory_days.data)
    existing = {d.day: d for d in target.days}
    target.days = [existing.get(d) or InspectionDay(day=d) for d in working]
    for d in target.days:
        d.mandatory = d.day.isoformat() in mandatory

    seats = {s.specialism: s for s in target.seats}
    kept = []
    for specialism, count, low, high in form.seats():
        seat = seats.get(specialism) or Seat(specialism=specialism)
        seat.count, seat.min_days, seat.max_days = count, low, high
        kept.append(seat)
    target.seats = kept

    chosen = set(form.excluded_employers.data)
    target.excluded_employers = list(db.session.scalars(
        db.select(Employer).where(Employer.id.in_(chosen)).order_by(Employer.name))) if chosen else []


def _next_reference() -> str:
    refs = db.session.scalars(db.select(Inspection.reference).where(Inspection.reference.like("I%")))
    numbers = [n for n in (whole_number(r[1:]) for r in refs) if n is not None]
    return f"I{max(numbers, default=0) + 1:04d}"


def snapshot(i: Inspection) -> dict:
    """What the audit trail records before and after a change."""
    return {
        "reference": i.reference,
        "title": i.title,
        "type": i.type,
        "area_id": i.area_id,
        "partner_bodies": list(i.partner_bodies or []),
        "status": i.status,
        "starts_on": i.starts_on.isoformat(),
        "ends_on": i.ends_on.isoformat(),
        "working_days": sorted(d.day.isoformat() for d in i.days),
        "mandatory_days": sorted(d.day.isoformat() for d in i.days if d.mandatory),
        "seats": [{"specialism": s.specialism, "count": s.count, "min_days": s.min_days, "max_days": s.max_days}
                  for s in sorted(i.seats, key=lambda s: s.specialism)],
        "excluded_employers": sorted(e.name for e in i.excluded_employers),
        "version_id": i.version_id,
    }


def _render_form(form: InspectionForm, found: Inspection | None, *, changed: list[str] | None = None,
                 conflict: Inspection | None = None, warnings: SaveWarnings | None = None):
    hints = []
    for value, _ in form.working_days.choices:
        name = bank_holiday_name(date.fromisoformat(value))
        hints.append({"hint": {"text": f"Bank holiday: {name}"}} if name else {})
    if found is None:
        title, action = "Add an inspection", url_for(".new")
    else:
        title, action = f"Edit {found.reference}", url_for(".edit", inspection_id=found.id)
    return render_template(
        "inspections/form.html", title=title, form=form, inspection=found, action=action,
        day_hints=hints, changed=changed or [], conflict=conflict, has_error=conflict is not None,
        specialisms=list(Specialism),
        conflict_rows=_conflict_rows(conflict) if conflict else None, warnings=warnings,
        specialism_names={s.value: s.label for s in Specialism},
        deployment_statuses={s.value: s.label for s in DeploymentStatus},
        inspection_statuses={s.value: s.label for s in InspectionStatus},
        replan_url=_team_builder_url(found) if warnings and warnings.broken else None,
    )


def _conflict_rows(current: Inspection) -> list[tuple[str, str]]:
    seats = "; ".join(f"{s.specialism_label}: {s.count}, {s.min_days} to {s.max_days} days" for s in current.seats)
    return [
        ("Title", current.title),
        ("Type", current.type_label),
        ("Area", current.area.name if current.area else "National (no single area)"),
        ("Partner bodies", ", ".join(current.partner_bodies or []) or "None"),
        ("Status", InspectionStatus(current.status).label),
        ("Period", f"{day_with_weekday(current.starts_on)} to {day_with_weekday(current.ends_on)}"),
        ("Working days", f"{len(current.days)}, of which {len(current.mandatory_days)} mandatory"),
        ("Seats", seats or "None"),
        ("Excluded employers", ", ".join(e.name for e in current.excluded_employers) or "None"),
    ]
