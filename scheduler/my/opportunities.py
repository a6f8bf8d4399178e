"""/my/opportunities: the inspections an assessor could join, and their wish for each ("I'd like
to join", "I'd rather not" or none), which the team builder weighs but never treats as a rule.
A wish can be changed until teams are published for the inspection."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy.orm import joinedload

from scheduler.access import role_required
from scheduler.audit import record
from scheduler.extensions import db
from scheduler.models import Deployment, Inspection, Preference, PreferenceKind, Role
from scheduler.planning.opportunities import open_to

from . import availability
from .forms import NO_PREFERENCE, PreferenceForm
from .routes import _me, bp

WHY_OTHERS = ("Only inspections you could join are listed: they have a seat for a specialism you hold, "
              "are not in your own area or for your employer, and fall inside your agreement's dates.")
PUBLISHED = "Teams for this inspection have been published, so your choice can no longer be changed."


def _open_inspections(me) -> list[Inspection]:
    refs = open_to(me.id, me.reference, availability.today())
    found = {i.reference: i for i in db.session.scalars(
        db.select(Inspection).where(Inspection.reference.in_(refs)).options(joinedload(Inspection.area)))}
    return [found[r] for r in refs]


def _published(inspection_ids: list[int]) -> set[int]:
    """Inspections with teams published: any deployment recorded on them."""
    return set(db.session.scalars(db.select(Deployment.inspection_id).distinct()
                                  .where(Deployment.inspection_id.in_(inspection_ids))))


def _mine(me, inspection_ids: list[int]) -> dict[int, Preference]:
    return {p.inspection_id: p for p in db.session.scalars(
        db.select(Preference).where(Preference.assessor_id == me.id, Preference.inspection_id.in_(inspection_ids)))}


@bp.route("/my/opportunities")
@role_required(Role.ASSESSOR)
def opportunities():
    me = _me()
    inspections = _open_inspections(me)
    ids = [i.id for i in inspections]
    return render_template("my/opportunities.html", title="Inspections you could join", inspections=inspections,
                           preferences=_mine(me, ids), published=_published(ids), why_others=WHY_OTHERS,
                           kinds=PreferenceKind)


@bp.route("/my/opportunities/<int:inspection_id>", methods=["GET", "POST"])
@role_required(Role.ASSESSOR)
def opportunity(inspection_id: int):
    me = _me()
    inspection = next((i for i in _open_inspections(me) if i.id == inspection_id), None)
    if inspection is None:          # not one they could join: as if it did not exist
        abort(404)
    mine = _mine(me, [inspection.id]).get(inspection.id)
    locked = bool(_published([inspection.id]))
    form = PreferenceForm(data={"choice": mine.kind if mine else NO_PREFERENCE, "note": mine.note if mine else ""})
    if not locked and form.validate_on_submit():
        before = {"kind": mine.kind, "note": mine.note} if mine else None
        choice, note = form.choice.data, (form.note.data or "").strip()
        if choice == NO_PREFERENCE:
            if mine is not None:
                db.session.delete(mine)
            after = None
        else:
            if mine is None:
                mine = Preference(assessor_id=me.id, inspection_id=inspection.id)
                db.session.add(mine)
            mine.kind, mine.note, mine.updated_by_id = choice, note, current_user.id
            after = {"kind": choice, "note": note}
        if before != after:
            record("preference.changed", object_type="inspection", object_id=inspection.reference,
                   before=before, after=after)
        db.session.commit()
        flash(f"Your choice for {inspection.title} is saved.", "success")
        return redirect(url_for("my.opportunities"))
    return render_template("my/opportunity.html", title=inspection.title, inspection=inspection, form=form,
                           mine=mine, locked=locked, published_reason=PUBLISHED, kinds=PreferenceKind)
