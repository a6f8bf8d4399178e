"""Personal data, for recruitment admins: the retention schedule, finding a person, downloading
everything held about them, correcting and erasing their details.

A person is addressed by kind and key in the query string (`/personal-data/person?kind=assessor&key=12`); a contact,
who has no record of their own, by a keyed hash of the address they appear under (`people.url_key`)."""
from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for

from scheduler.access import role_required
from scheduler.audit import record
from scheduler.extensions import db
from scheduler.models import Role, utcnow

from . import archive, people, retention, schedule
from .erasure import AlreadyErased, ErasureRefused, erase, reasons_to_keep, rectify
from .forms import EraseForm, FindForm, RectifyForm

bp = Blueprint("privacy", __name__, url_prefix="/personal-data")
ADMINS = (Role.ADMIN,)


def _subject() -> people.Subject:
    found = people.subject(request.args.get("kind", ""), request.args.get("key", "")[:1000])
    if found is None:
        abort(404)
    return found


def _person_args(subject: people.Subject) -> dict[str, str]:
    return {"kind": subject.kind.value, "key": subject.url_key}


@bp.route("")
@role_required(*ADMINS)
def index():
    form = FindForm(request.args)
    matches = people.find(form.q.data) if "q" in request.args and form.validate() else None
    return render_template("privacy/index.html", form=form, matches=matches, rules=schedule.RULES,
                           last_run=retention.last_run())


@bp.route("/person")
@role_required(*ADMINS)
def person():
    subject = _subject()
    counts = [(h.title, db.session.scalar(db.select(db.func.count()).select_from(h.rows(subject).subquery())))
              for h in people.holdings_for(subject.kind)]
    return render_template("privacy/person.html", subject=subject, counts=counts, args=_person_args(subject),
                           reasons=reasons_to_keep(subject, utcnow().date()))


@bp.route("/person/archive.zip")
@role_required(*ADMINS)
def download():
    subject = _subject()
    now = utcnow()
    data = archive.build_zip(subject, now)
    record("person.subject_access_exported", object_type=subject.kind.value, object_id=subject.audit_id,
           commit=True)
    name = f"subject-access-{subject.kind.value}-{now:%Y%m%d-%H%M}.zip"
    return Response(data, mimetype="application/zip",
                    headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"})


@bp.route("/person/correct", methods=["GET", "POST"])
@role_required(*ADMINS)
def correct():
    subject = _subject()
    if subject.erased:
        abort(404)
    form = RectifyForm(data={"name": subject.name, "email": subject.emails[0],
                             "phone": subject.phones[0] if subject.phones else ""})
    if form.validate_on_submit():
        changes = {"name": form.name.data, "email": form.email.data.lower()}
        if subject.phones:
            changes["phone"] = form.phone.data or ""
        changed = rectify(subject, changes, form.reason.data)
        db.session.commit()
        flash("Their details are corrected" if changed else "Nothing changed", "success")
        args = {"kind": subject.kind.value, "key": people.url_key(subject.kind, changed.get("email", subject.key))
                if subject.kind in (people.E, people.N) else subject.key}
        return redirect(url_for("privacy.person", **args))
    return render_template("privacy/correct.html", form=form, subject=subject, args=_person_args(subject))


@bp.route("/person/erase", methods=["GET", "POST"])
@role_required(*ADMINS)
def erase_person():
    subject = _subject()
    reasons = reasons_to_keep(subject, utcnow().date())
    form = EraseForm()
    if not reasons and not subject.erased and form.validate_on_submit():
        try:
            erase(subject, form.reason.data, today=utcnow().date())
        except ErasureRefused as refused:  # something changed since the page was shown
            reasons = refused.reasons
        except AlreadyErased:               # another admin erased them a moment ago
            flash("Another admin has just erased their personal details: nothing more was done.", "info")
            subject = _subject()
        else:
            flash(f"{subject.kind.label}'s personal details erased", "success")
            return redirect(url_for("privacy.index"))
    return render_template("privacy/erase.html", form=form, subject=subject, reasons=reasons,
                           args=_person_args(subject))
