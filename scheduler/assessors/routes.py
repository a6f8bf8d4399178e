"""/assessors: the coordinators' directory of associate assessors, their profiles and history,
specialism-change approvals, and CSV export and import."""
from __future__ import annotations

import base64
from typing import TypeVar
from urllib.parse import urlencode

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy.orm import joinedload, selectinload

from scheduler import data_cache
from scheduler.access import is_same_person, role_required
from scheduler.audit import record
from scheduler.csv_export import csv_response
from scheduler.extensions import db
from scheduler.mail import send_mail
from scheduler.models import (
    Area,
    Assessor,
    AuditEvent,
    ChangeRequestStatus,
    Deployment,
    EmployerAgreement,
    Inspection,
    Role,
    SpecialismChangeRequest,
    utcnow,
)
from scheduler.my import availability
from scheduler.my.forms import ConfirmForm
from scheduler.my.routes import deployment_dates
from scheduler.numbers import page_arg
from scheduler.pagination import pagination

from . import csv_io, history, importing, lookup, wishes
from .directory import Filters, conditions, page_of, rows_statement
from .forms import INACTIVE, DecisionForm, DirectoryFilterForm, ImportConfirmForm, ImportForm

bp = Blueprint("assessors", __name__)
T = TypeVar("T")
COORDINATORS = (Role.COORDINATOR, Role.ADMIN)
HISTORY_LIMIT = 200


def _filter_form() -> tuple[DirectoryFilterForm, Filters]:
    """The filters as typed. A choice that is not on the list is ignored; a wrong date range is
    reported on the form and left out of the search."""
    form = DirectoryFilterForm(formdata=request.args)
    form.area.choices = [("", "Any")] + data_cache.cached(("areas by name",), lambda: [
        (a.id, a.name) for a in db.session.scalars(db.select(Area).order_by(Area.name))])
    form.validate()

    def chosen(name: str) -> str | None:
        field = getattr(form, name)
        return field.data if field.data and field.data in {c[0] for c in field.choices} else None

    dates_ok = not ({"available_from", "available_to"} & form.errors.keys())
    filters = Filters(
        q="" if form.q.errors else (form.q.data or "").strip(),
        specialism=chosen("specialism"), sector=chosen("sector"), area=chosen("area"), status=chosen("status"),
        agreement=chosen("agreement"),
        available_from=form.available_from.data if dates_ok else None,
        available_to=form.available_to.data if dates_ok else None,
        include_inactive=INACTIVE in (form.include.data or []),
        sort=chosen("sort") or "name",
    )
    return form, filters


def _query_args(**override) -> list[tuple[str, str]]:
    pairs = [(k, v) for k, v in request.args.items(multi=True) if k not in override and k != "submit"]
    return pairs + [(k, str(v)) for k, v in override.items() if v is not None]


@bp.route("/assessors")
@role_required(*COORDINATORS)
def directory():
    form, filters = _filter_form()
    key = ("directory", data_cache.query_string())
    body = data_cache.cached(key, lambda: _directory_content(form, filters))
    return render_template("cached_page.html", title="Assessors", form=form, body=body)


def _directory_content(form: DirectoryFilterForm, filters: Filters) -> Markup:
    """The directory's filters, count, table and pages for the request's filters and page."""
    page = page_of(db.session, filters, page_arg(request.args))

    def href(n: int) -> str:
        return url_for("assessors.directory") + "?" + urlencode(_query_args(page=n))

    export_href = url_for("assessors.export") + "?" + urlencode(_query_args(page=None))
    filtered = any(v for k, v in vars(filters).items() if k != "sort")
    return Markup(render_template("assessors/_directory.html", title="Assessors", form=form, page=page,
                                  pagination=pagination(page.number, page.pages, href, "Pages of assessors"),
                                  export_href=export_href,
                                  filters_html=_filters_html(form, filtered)))


def _filters_html(form: DirectoryFilterForm, filtered: bool) -> Markup:
    """The filter form after its search box. Its fields' widgets were a third of the cost of a page
    the cache had not kept (bench/LOAD.md, ninth round), and they show the same for every search
    typed with the same filters: kept on their own, keyed on what was sent for each (which decides
    the choices shown and any error) and on whether anything is filtered (the link to clear)."""
    sent = tuple((field.name, tuple(field.raw_data or ())) for field in form if field.name not in ("q", "submit"))
    return data_cache.cached(("directory filters", sent, filtered), lambda: Markup(
        render_template("assessors/_filters.html", form=form, filtered=filtered)))


@bp.route("/assessors/suggestions.json")
@role_required(*COORDINATORS)
def suggestions():
    """The autocomplete's suggestions for what has been typed so far (?q=)."""
    return jsonify(lookup.suggestions(request.args.get("q", "")[:200]))


@bp.route("/assessors/export.csv")
@role_required(*COORDINATORS)
def export():
    _form, filters = _filter_form()
    rows = db.session.execute(rows_statement(filters, conditions(db.session, filters))).all()
    record("assessors.exported", object_type="assessor", after={"rows": len(rows), "filters": {
        k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in vars(filters).items() if v}})
    db.session.commit()
    stamp = utcnow().strftime("%Y-%m-%d")
    return csv_response(f"assessors-{stamp}.csv", csv_io.export_columns(), csv_io.export_rows(rows))


def _assessor(assessor_id: int) -> Assessor:
    found = db.session.scalar(
        db.select(Assessor).filter_by(id=assessor_id)
        .options(joinedload(Assessor.employer), joinedload(Assessor.home_area), joinedload(Assessor.user),
                 selectinload(Assessor.agreements).joinedload(EmployerAgreement.employer),
                 selectinload(Assessor.unavailability))
    )
    if found is None:
        abort(404)
    return found


def record_of(assessor: Assessor, model: type[T], record_id: int) -> T:
    """One of this assessor's own records (an agreement, a time away, a specialism request), or 404:
    an id in a URL never reaches another assessor's row."""
    found = db.session.scalar(db.select(model).filter_by(id=record_id, assessor_id=assessor.id))
    if found is None:
        abort(404)
    return found


def _history(assessor: Assessor, deployments, requests) -> list[AuditEvent]:
    about = [db.and_(AuditEvent.object_type == "assessor", AuditEvent.object_id == str(assessor.id))]
    for object_type, ids in (("employer_agreement", [a.id for a in assessor.agreements]),
                             ("deployment", [d.id for d in deployments]),
                             ("specialism_change_request", [r.id for r in requests])):
        if ids:
            about.append(db.and_(AuditEvent.object_type == object_type,
                                 AuditEvent.object_id.in_([str(i) for i in ids])))
    return list(db.session.scalars(
        db.select(AuditEvent).where(db.or_(*about)).options(joinedload(AuditEvent.user))
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(HISTORY_LIMIT)
    ))


def _render_profile(assessor: Assessor, decision_form: DecisionForm | None = None, deciding: int | None = None):
    deployments = list(db.session.scalars(
        db.select(Deployment).join(Deployment.inspection).where(Deployment.assessor_id == assessor.id)
        .options(joinedload(Deployment.inspection)).order_by(Inspection.starts_on.desc(), Deployment.id)
    ))
    requests = list(db.session.scalars(
        db.select(SpecialismChangeRequest).filter_by(assessor_id=assessor.id)
        .options(joinedload(SpecialismChangeRequest.decided_by)).order_by(SpecialismChangeRequest.id.desc())
    ))
    pending = [r for r in requests if r.status == ChangeRequestStatus.PENDING]
    return render_template(
        "assessors/profile.html", title=assessor.name, assessor=assessor, deployments=deployments,
        requests=requests, pending=pending,
        history=history.lines(assessor, _history(assessor, deployments, requests), deployments, requests),
        decision_form=decision_form or DecisionForm(), deciding=deciding, form=decision_form,
        own_record=is_same_person(current_user, assessor), own_request=OWN_REQUEST,
        deployment_dates=deployment_dates, action_form=ConfirmForm(),
        invitation_pending=acting.invitation_pending(assessor),
        today=availability.today(), wishes=wishes.of_assessor(assessor, availability.today()),
    )


@bp.route("/assessors/<int:assessor_id>")
@role_required(*COORDINATORS)
def profile(assessor_id: int):
    return _render_profile(_assessor(assessor_id))


@bp.route("/assessors/<int:assessor_id>/specialism-requests/<int:request_id>", methods=["POST"])
@role_required(*COORDINATORS)
def decide(assessor_id: int, request_id: int):
    assessor = _assessor(assessor_id)
    change = record_of(assessor, SpecialismChangeRequest, request_id)
    if change.status != ChangeRequestStatus.PENDING:
        return _already_decided(assessor)
    if is_same_person(current_user, assessor):
        record("specialism_change.refused_own", object_type="specialism_change_request", object_id=change.id,
               commit=True)
        flash(f"{OWN_REQUEST}: nothing was changed", "important")
        return redirect(url_for("assessors.profile", assessor_id=assessor.id))
    form = DecisionForm()
    if not form.validate_on_submit():
        return _render_profile(assessor, form, deciding=change.id)
    before = {"status": change.status, "specialisms": [s.value for s in assessor.specialisms]}
    status = (ChangeRequestStatus.APPROVED if form.decision.data == "approve" else ChangeRequestStatus.REJECTED).value
    note = (form.note.data or "").strip()
    # Decided only if still pending when the row is written: of two coordinators deciding at once,
    # exactly one changes it (the other's UPDATE waits for the first, then matches nothing).
    won = db.session.execute(
        db.update(SpecialismChangeRequest)
        .where(SpecialismChangeRequest.id == change.id,
               SpecialismChangeRequest.status == ChangeRequestStatus.PENDING.value)
        .values(status=status, decided_by_id=current_user.id, decided_at=utcnow(), decision_note=note)
        .execution_options(synchronize_session=False)).rowcount == 1
    if not won:
        db.session.rollback()
        return _already_decided(assessor)
    db.session.refresh(change)
    if status == ChangeRequestStatus.APPROVED:
        assessor.specialisms = change.specialisms
        outcome = f"approved: you now hold {change.specialism_labels}"
    else:
        outcome = "not approved: your specialisms stay as they were"
    record(f"specialism_change.{change.status}", object_type="specialism_change_request", object_id=change.id,
           before=before, after={"status": change.status, "specialisms": [s.value for s in assessor.specialisms],
                                 "assessor_id": assessor.id, "note": change.decision_note})
    send_mail(assessor.email, "Your change of specialisms",
              f"Your request to change your specialisms was {outcome}."
              + (f"\n\nThe coordinator's note:\n{change.decision_note}" if change.decision_note else ""))
    db.session.commit()
    flash(f"You {change.status} {assessor.name}'s change of specialisms", "success")
    return redirect(url_for("assessors.profile", assessor_id=assessor.id))


OWN_REQUEST = "Another coordinator must decide your own request"


def _already_decided(assessor: Assessor):
    flash("Someone has already decided this request: nothing was changed and no email was sent", "important")
    return redirect(url_for("assessors.profile", assessor_id=assessor.id))


@bp.route("/assessors/import", methods=["GET", "POST"])
@role_required(*COORDINATORS)
def import_csv():
    """Upload: every row checked, then a preview of what would change. Nothing is written here."""
    form = ImportForm()
    result = None
    if form.validate_on_submit():
        raw = form.file.data.read(csv_io.MAX_BYTES + 1)
        result = importing.read(raw)
        if result.file_problem:
            form.file.errors.append(result.file_problem)
        elif result.ok:
            confirm = ImportConfirmForm(content=base64.b64encode(raw).decode(), digest=csv_io.fingerprint(result),
                                        filename=form.file.data.filename)
            return _preview(result, confirm)
    return render_template("assessors/import.html", title="Import assessors from a CSV file", form=form,
                           result=result, columns=csv_io.IMPORT_COLUMNS,
                           has_error=bool(result and not result.ok))


def _preview(result: csv_io.ImportResult, confirm: ImportConfirmForm, changed_since: bool = False):
    updates = result.updates()
    return render_template("assessors/import_preview.html", title="Check the changes before you import them",
                           result=result, new=result.new, updated=[u for u in updates if u.changes],
                           unchanged=[u for u in updates if not u.changes], confirm=confirm,
                           changed_since=changed_since)


@bp.route("/assessors/import/confirm", methods=["POST"])
@role_required(*COORDINATORS)
def import_confirm():
    """Store exactly what was previewed, all rows or none; if the file or the assessors it updates have
    changed since, preview again."""
    confirm = ImportConfirmForm()
    if not confirm.validate_on_submit():
        abort(400)
    try:
        raw = base64.b64decode(confirm.content.data, validate=True)
    except ValueError:
        abort(400)
    result = importing.read(raw)
    if not result.ok:
        flash("The file no longer imports cleanly: upload it again to see the problems", "important")
        return redirect(url_for("assessors.import_csv"))
    if csv_io.fingerprint(result) != confirm.digest.data:
        confirm.digest.data = csv_io.fingerprint(result)
        return _preview(result, confirm, changed_since=True), 409
    added, updated = importing.store(result, confirm.filename.data or "")
    db.session.commit()
    unchanged = len(result.assessors) - added - updated
    flash(f"You imported the file: {added} new, {updated} updated, {unchanged} unchanged", "success")
    return redirect(url_for("assessors.directory"))


# The coordinator's actions on an assessor register their views on bp.
from . import acting  # noqa: E402,F401
