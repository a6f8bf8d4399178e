"""/my: an associate assessor's own records. Everything is reached through current_user.assessor,
so an id in a URL only ever selects among the signed-in assessor's own rows (anything else is 404)."""
from __future__ import annotations

import hashlib
import hmac
from datetime import date, timedelta

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.exc import StaleDataError

from scheduler.access import public, role_required
from scheduler.assessors.lookup import EMAIL_TAKEN, email_taken
from scheduler.audit import record
from scheduler.auth.routes import current_password_refused
from scheduler.auth.throttle import current_password_limit
from scheduler.deployments import status
from scheduler.deployments.status import deployment_dates
from scheduler.employer import agreements
from scheduler.extensions import db, limiter
from scheduler.formatting import format_period
from scheduler.links import LinkInvalid, LinkProblem, external_url, make_token, read_token, use
from scheduler.mail import send_mail
from scheduler.models import (
    Assessor,
    ChangeRequestStatus,
    Deployment,
    DeploymentStatus,
    Employer,
    Inspection,
    Role,
    SpecialismChangeRequest,
    Unavailability,
    utcnow,
)

from . import availability, ical
from .forms import ConfirmForm, ContactForm, EmployerForm, RespondForm, SpecialismForm, UnavailabilityForm

bp = Blueprint("my", __name__)

ACTIVE_DEPLOYMENTS = (DeploymentStatus.PROPOSED.value, DeploymentStatus.EMPLOYER_CONFIRMED.value)


def _me() -> Assessor:
    assessor = current_user.assessor
    if assessor is None:
        abort(404)
    return assessor


def _my_unavailability(unavailability_id: int) -> Unavailability:
    me = _me()
    found = db.session.scalar(db.select(Unavailability).filter_by(id=unavailability_id, assessor_id=me.id))
    if found is None:
        abort(404)
    return found


def _my_deployment(deployment_id: int) -> Deployment:
    me = _me()
    found = db.session.scalar(
        db.select(Deployment).filter_by(id=deployment_id, assessor_id=me.id)
        .options(joinedload(Deployment.inspection).joinedload(Inspection.area))
    )
    if found is None:
        abort(404)
    return found


def _ensure_calendar_token(me: Assessor) -> str:
    if not me.calendar_token:
        me.calendar_token = ical.new_token()
        db.session.commit()
    return me.calendar_token


def _feed_url(token: str) -> str:
    return external_url("my.calendar_feed", token=token)


# --- Overview ---------------------------------------------------------------------------------

@bp.route("/my")
@role_required(Role.ASSESSOR)
def overview():
    me = current_user.assessor
    if me is None:
        return render_template("my/no_record.html", title="Your assessor record is not set up yet")
    today = availability.today()
    deployments = list(db.session.scalars(
        db.select(Deployment).join(Deployment.inspection)
        .where(Deployment.assessor_id == me.id, Deployment.status.in_(ACTIVE_DEPLOYMENTS))
        .options(joinedload(Deployment.inspection)).order_by(Inspection.starts_on, Deployment.id)
    ))
    next_off = db.session.scalar(
        db.select(Unavailability).where(Unavailability.assessor_id == me.id, Unavailability.ends_on >= today)
        .order_by(Unavailability.starts_on).limit(1)
    )
    token = _ensure_calendar_token(me)
    return render_template(
        "my/overview.html", title="My deployments", me=me, deployments=deployments, next_off=next_off,
        agreements=me.agreements_on(today), today=today, feed_url=_feed_url(token), reset_form=ConfirmForm(),
        deployment_dates=deployment_dates,
    )


# --- Calendar feed ----------------------------------------------------------------------------

@bp.route("/calendar/<token>.ics")
@public
@limiter.limit("120 per minute")
def calendar_feed(token: str):
    if not (20 <= len(token) <= 64):
        abort(404)
    assessor = db.session.scalar(db.select(Assessor).filter_by(calendar_token=token))
    # The unique index finds the row; the digest comparison keeps the final check constant-time.
    if assessor is None or not hmac.compare_digest(assessor.calendar_token.encode(), token.encode()):
        abort(404)
    deployments = list(db.session.scalars(
        db.select(Deployment).join(Deployment.inspection)
        .where(Deployment.assessor_id == assessor.id, Deployment.status.in_(ical.IN_FEED))
        .options(joinedload(Deployment.inspection).joinedload(Inspection.area))
        .order_by(Inspection.starts_on, Deployment.id)
    ))
    body = ical.build_feed(assessor, deployments, host=request.host.split(":")[0],
                           service_name=current_app.config["SERVICE_NAME"])
    response = current_app.response_class(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = 'inline; filename="deployments.ics"'
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.route("/my/calendar/reset", methods=["POST"])
@role_required(Role.ASSESSOR)
def reset_calendar():
    me = _me()
    form = ConfirmForm()
    if form.validate_on_submit():
        me.calendar_token = ical.new_token()
        record("assessor.calendar_reset", object_type="assessor", object_id=me.id)
        db.session.commit()
        flash("We made a new calendar link. The old link no longer works: subscribe again with the new one.",
              "success")
    return redirect(url_for("my.overview") + "#calendar")


# --- Availability -----------------------------------------------------------------------------

def _deployed_days(me: Assessor) -> set[date]:
    days: set[date] = set()
    for (day_list,) in db.session.execute(
        db.select(Deployment.days).where(Deployment.assessor_id == me.id, Deployment.status.in_(ACTIVE_DEPLOYMENTS))
    ):
        days.update(date.fromisoformat(d) for d in day_list)
    return days


@bp.route("/my/availability")
@role_required(Role.ASSESSOR)
def availability_page():
    me = _me()
    today = availability.today()
    periods = list(db.session.scalars(
        db.select(Unavailability).where(Unavailability.assessor_id == me.id, Unavailability.ends_on >= today)
        .order_by(Unavailability.starts_on)
    ))
    months = availability.next_twelve_months(today, periods, _deployed_days(me))
    return render_template("my/availability.html", title="Your availability", periods=periods, months=months)


@bp.route("/my/availability/add", methods=["GET", "POST"])
@role_required(Role.ASSESSOR)
def add_unavailability():
    me = _me()
    form = UnavailabilityForm(today=availability.today())
    if form.validate_on_submit():
        message = availability.save_period(me, form.starts_on.data, form.ends_on.data, form.reason.data, None)
        db.session.commit()
        flash(message or f"You are unavailable from {format_period(form.starts_on.data, form.ends_on.data)}",
              "success")
        return redirect(url_for("my.availability_page"))
    return render_template("my/unavailability_form.html", title="Add a time you are unavailable", form=form,
                           action=url_for("my.add_unavailability"), existing=None)


@bp.route("/my/availability/<int:unavailability_id>", methods=["GET", "POST"])
@role_required(Role.ASSESSOR)
def change_unavailability(unavailability_id: int):
    me = _me()
    existing = _my_unavailability(unavailability_id)
    form = UnavailabilityForm(obj=existing, today=availability.today())
    if form.validate_on_submit():
        message = availability.save_period(me, form.starts_on.data, form.ends_on.data, form.reason.data, existing)
        db.session.commit()
        flash(message or f"You are unavailable from {format_period(existing.starts_on, existing.ends_on)}",
              "success")
        return redirect(url_for("my.availability_page"))
    return render_template("my/unavailability_form.html", title="Change a time you are unavailable", form=form,
                           action=url_for("my.change_unavailability", unavailability_id=existing.id),
                           existing=existing)


@bp.route("/my/availability/<int:unavailability_id>/remove", methods=["GET", "POST"])
@role_required(Role.ASSESSOR)
def remove_unavailability(unavailability_id: int):
    me = _me()
    existing = _my_unavailability(unavailability_id)
    form = ConfirmForm()
    period = format_period(existing.starts_on, existing.ends_on)
    if form.validate_on_submit():
        availability.remove_period(me, existing)
        db.session.commit()
        flash(f"You removed the time you were unavailable from {period}", "success")
        return redirect(url_for("my.availability_page"))
    return render_template("my/remove_unavailability.html", title="Remove this time you are unavailable",
                           form=form, period=period, existing=existing)


# --- Deployments ------------------------------------------------------------------------------

@bp.route("/my/deployments")
@role_required(Role.ASSESSOR)
def deployments():
    me = _me()
    rows = list(db.session.scalars(
        db.select(Deployment).join(Deployment.inspection).where(Deployment.assessor_id == me.id)
        .options(joinedload(Deployment.inspection)).order_by(Inspection.starts_on.desc(), Deployment.id)
    ))
    return render_template("my/deployments.html", title="Your deployments", deployments=rows,
                           deployment_dates=deployment_dates)


@bp.route("/my/deployments/<int:deployment_id>", methods=["GET", "POST"])
@role_required(Role.ASSESSOR)
def deployment(deployment_id: int):
    found = _my_deployment(deployment_id)
    can_respond = status.allowed(status.Action.ASSESSOR_DECLINE, found.status)
    form = RespondForm(version=str(found.version_id))
    if request.method == "POST":
        if not can_respond:
            abort(409)
        if form.validate_on_submit():
            if form.version.data != str(found.version_id):
                abort(409)  # changed since the page was loaded: the 409 page asks them to look again
            title = found.inspection.title
            if form.answer.data == "decline":
                status.decline(found, form.reason.data.strip(), by_employer=False)
                db.session.commit()
                flash(f"You declined the deployment on {title}. We have told the coordinators.", "success")
            else:
                status.accept(found)
                db.session.commit()
                flash(f"You accepted the deployment on {title}", "success")
            return redirect(url_for("my.deployments"))
    return render_template("my/deployment.html", title=found.inspection.title, deployment=found, form=form,
                           can_respond=can_respond, accepted_at=found.accepted_at,
                           deployment_dates=deployment_dates,
                           working_days=[date.fromisoformat(d) for d in found.days])


# --- Profile ----------------------------------------------------------------------------------

def _pending_request(me: Assessor) -> SpecialismChangeRequest | None:
    return db.session.scalar(
        db.select(SpecialismChangeRequest).filter_by(assessor_id=me.id, status=ChangeRequestStatus.PENDING.value)
        .order_by(SpecialismChangeRequest.id.desc()).limit(1)
    )


@bp.route("/my/profile")
@role_required(Role.ASSESSOR)
def profile():
    me = _me()
    today = availability.today()
    return render_template("my/profile.html", title="Your profile", me=me, pending=_pending_request(me),
                           agreements=me.agreements_on(today), today=today)


def _snapshot(me: Assessor, *names: str) -> dict:
    return {n: getattr(me, n) for n in names}


# A new contact email takes effect when the assessor opens the link sent to it. The link is signed
# for that one address, so a link for an address they asked for earlier cannot confirm a later one.
EMAIL_LINK_LIFETIME = timedelta(days=2)


def _email_purpose(address: str) -> str:
    return "contact-email:" + hashlib.sha256(address.encode()).hexdigest()[:24]  # fits UsedLink.purpose


@bp.route("/my/profile/contact", methods=["GET", "POST"])
@role_required(Role.ASSESSOR)
@current_password_limit
def contact():
    me = _me()
    form = ContactForm(obj=me)
    if request.method == "GET":
        form.version_id.data = str(me.version_id)
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        if email != me.email and email_taken(email, me):
            form.email.errors.append(EMAIL_TAKEN)
        elif email in {a.contact_email.lower() for a in me.agreements}:
            # Else the assessor would receive what is meant for their employer (scheduler.employer.contacts).
            form.email.errors.append("That is your employer release contact's address: enter your own email address")
        elif email != me.email and not form.current_password.data:
            form.current_password.errors.append("Enter your current password to change your contact email address")
        elif email != me.email and current_password_refused(current_user, form.current_password):
            pass
        elif form.version_id.data != str(me.version_id):
            return _contact_conflict(form, me)
        else:
            before = _snapshot(me, "name", "email", "phone", "pending_email")
            me.name, me.phone = form.name.data.strip(), form.phone.data.strip()
            if email != me.email:
                me.pending_email = email
                link = external_url("my.confirm_email", token=make_token(_email_purpose(email), me.id))
                send_mail(email, "Confirm your new contact email address",
                          render_template("my/email/confirm_email.txt", me=me, link=link,
                                          days=EMAIL_LINK_LIFETIME.days))
            record("assessor.contact_changed", object_type="assessor", object_id=me.id, before=before,
                   after=_snapshot(me, "name", "email", "phone", "pending_email"))
            try:
                db.session.commit()
            except StaleDataError:      # saved by someone else between our read and our write
                db.session.rollback()
                return _contact_conflict(form, _me())
            flash("Your contact details are saved" + (
                f". We have sent a link to {email}: your contact email changes when you open it"
                if me.pending_email == email else ""), "success")
            return redirect(url_for("my.profile"))
    return render_template("my/contact.html", title="Your contact details", form=form, me=me)


@bp.route("/my/profile/contact/confirm/<token>")
@role_required(Role.ASSESSOR)
def confirm_email(token: str):
    me = _me()
    try:
        if not me.pending_email:
            raise LinkInvalid()
        link = read_token(token, _email_purpose(me.pending_email), EMAIL_LINK_LIFETIME)
        if link.subject_id != me.id:
            raise LinkInvalid()
        use(link)
    except LinkProblem as problem:
        return render_template("my/link_problem.html", title=problem.title, days=EMAIL_LINK_LIFETIME.days), 400
    if email_taken(me.pending_email, me):
        return render_template("my/link_problem.html", title=EMAIL_TAKEN.split(":")[0],
                               days=EMAIL_LINK_LIFETIME.days), 409
    before = _snapshot(me, "email", "pending_email")
    me.email, me.pending_email = me.pending_email, None
    record("assessor.contact_email_confirmed", object_type="assessor", object_id=me.id, before=before,
           after=_snapshot(me, "email", "pending_email"))
    db.session.commit()
    flash(f"Your contact email is now {me.email}", "success")
    return redirect(url_for("my.profile"))


def _contact_conflict(form: ContactForm, me: Assessor):
    """Saved elsewhere since this form was shown: keep what was typed, show what is saved now; saving
    again replaces it, knowingly."""
    form.version_id.data = str(me.version_id)
    saved = [("Full name", me.name), ("Contact email address", me.email), ("Phone number", me.phone)]
    return render_template("my/contact.html", title="Your contact details", form=form, me=me,
                           conflict_rows=saved), 409


@bp.route("/my/profile/employer", methods=["GET", "POST"])
@role_required(Role.ASSESSOR)
def employer():
    me = _me()
    form = EmployerForm(obj=me, current_employer_id=me.employer_id, own_email=me.email)
    form.employer_id.choices = [(e.id, e.name) for e in db.session.scalars(db.select(Employer).order_by(Employer.name))]
    if form.validate_on_submit():
        before = _snapshot(me, "employer_id", "job_title", "sector")
        me.job_title = form.job_title.data.strip()
        changed = form.employer_changed
        if changed:
            agreement = agreements.change_employer(me, db.session.get(Employer, form.employer_id.data),
                                                   contact_name=form.contact_name.data,
                                                   contact_email=form.contact_email.data, today=availability.today())
        record("assessor.employer_changed" if changed else "assessor.job_title_changed", object_type="assessor",
               object_id=me.id, before=before, after=_snapshot(me, "employer_id", "job_title", "sector"))
        db.session.commit()
        if changed:
            asked = (f"we have asked {agreement.contact_name} to agree to release you" if agreement.contact_verified_at
                     else f"a coordinator will check that {agreement.contact_email} is at {me.employer.name} "
                          f"before we ask {agreement.contact_name} to agree to release you")
            flash(f"Your employer is now {me.employer.name}. Your previous employer agreement has ended and "
                  f"{asked}.", "success")
        else:
            flash("Your job title is saved", "success")
        return redirect(url_for("my.profile"))
    return render_template("my/employer.html", title="Your employer and job title", form=form, me=me)


@bp.route("/my/profile/specialisms", methods=["GET", "POST"])
@role_required(Role.ASSESSOR)
def specialisms():
    me = _me()
    pending = _pending_request(me)
    form = SpecialismForm()
    if request.method == "GET":
        form.specialisms.data = [s.value for s in (pending.specialisms if pending else me.specialisms)]
    if form.validate_on_submit():
        chosen = set(form.specialisms.data)
        unchanged = chosen == {s.value for s in me.specialisms}
        if unchanged and pending is None:
            form.specialisms.errors.append("Select a different set of specialisms from the ones you hold now")
        else:
            if pending is not None:  # a newer request (or going back to what they hold) replaces it
                pending.status = ChangeRequestStatus.REJECTED.value
                pending.decided_at = utcnow()
                pending.decision_note = "Withdrawn by the assessor"
                record("specialism_change.withdrawn", object_type="specialism_change_request",
                       object_id=pending.id, after={"assessor_id": me.id})
            if unchanged:
                db.session.commit()
                flash("You withdrew your request to change your specialisms", "success")
                return redirect(url_for("my.profile"))
            change = SpecialismChangeRequest(assessor=me)
            change.specialisms = chosen
            db.session.add(change)
            db.session.flush()
            record("specialism_change.requested", object_type="specialism_change_request", object_id=change.id,
                   before={"specialisms": [s.value for s in me.specialisms]},
                   after={"specialisms": [s.value for s in change.specialisms], "assessor_id": me.id})
            for coordinator in status.coordinators():
                send_mail(coordinator.email, f"{me.name} asked to change their specialisms",
                          f"{me.name} ({me.reference}) asked to hold: {change.specialism_labels}.\n\n"
                          f"Approve or reject it on their profile: "
                          f"{external_url('assessors.profile', assessor_id=me.id)}")
            db.session.commit()
            flash("We have sent your change to a coordinator to approve. Your specialisms stay as they are "
                  "until then.", "success")
            return redirect(url_for("my.profile"))
    return render_template("my/specialisms.html", title="Your specialisms", form=form, me=me, pending=pending)


from . import opportunities  # noqa: E402,F401  (its routes are on this blueprint)
