"""The notifications register: strategic inspectors log and quality-assure notifications
from partnerships; partners without an account notify through a signed link.

Every page that shows a notification's personal details writes a `notification.viewed` audit event:
these are special-category data. The register list, dashboard and CSV show no names.

Partner links are reusable until they expire (1 week to 90 days, chosen by the inspector) or are
withdrawn: a partnership may have several deaths or incidents to notify in a month, and a link that
died after one use would push them back to email at the worst moment. The token carries only a
`PartnerLink` row id (signed with itsdangerous); the row holds the partnership, so a partner cannot
choose another one, and withdrawing the row stops the link at once. The link is emailed to the
partnership contact and shown once; it is not stored.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from urllib.parse import urlencode

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from scheduler.access import public, role_required
from scheduler.audit import record
from scheduler.csv_export import csv_response
from scheduler.extensions import db, limiter
from scheduler.formatting import long_date, uk_date
from scheduler.forms import AppForm
from scheduler.links import LinkExpired, LinkInvalid, LinkProblem, external_url, make_token, read_token
from scheduler.mail import send_mail
from scheduler.models import (
    Extension,
    Feedback,
    Notification,
    NotificationKind,
    NotificationSource,
    NotificationStatus,
    NotificationTombstone,
    PartnerLink,
    Role,
    utcnow,
)
from scheduler.privacy import retention

from . import export as export_csv
from . import register as reg
from .forms import (
    CHOICE_LABELS,
    DETAIL_LABELS,
    EVENT_LABELS,
    ExtensionForm,
    FeedbackForm,
    FilterForm,
    KindForm,
    PartnerLinkForm,
    ReopenForm,
    StatusForm,
    inspector_form,
    partner_form,
)
from .history import history

bp = Blueprint("notifications", __name__, url_prefix="/notifications")

# Only strategic inspectors: these are special-category records (deaths of looked-after children), and
# no other role's work needs them (subject access and erasure read them in scheduler.privacy).
INSPECTORS = (Role.INSPECTOR,)
LINK_PURPOSE = "notification-form"
# Links are signed for at most this long; each link's own (shorter) expiry is kept on its row.
MAX_LINK_AGE = timedelta(days=90)
ORDER = [s.value for s in NotificationStatus]


def _notification(notification_id: int) -> Notification:
    notification = db.session.get(Notification, notification_id)
    if notification is None:
        abort(404)
    return notification


def _filters() -> dict:
    args = request.args
    return {
        "kind": args.get("kind", ""),
        "area_id": args.get("partnership", ""),
        "status": args.get("status", ""),
        "deadline": args.get("deadline", ""),
        "retention": args.get("retention") in ("y", "on", "true", "1"),
    }


# ---------------------------------------------------------------- register, export, dashboard


@bp.route("")
@role_required(*INSPECTORS)
def register():
    form = FilterForm(request.args)
    form.partnership.choices = [("", "All partnerships"), *reg.area_choices()]
    filters = _filters()
    selected = reg.rows(**filters)
    # The filters as typed, as a query string: never as url_for's arguments (?_method=POST was a 500).
    export_url = url_for("notifications.export") + "?" + urlencode(list(request.args.items(multi=True)))
    tombstones = db.session.scalars(db.select(NotificationTombstone).order_by(NotificationTombstone.id.desc())).all()
    return render_template("notifications/register.html", rows=selected, filter_form=form, filters=filters,
                           export_url=export_url, retention_days=reg.retention_days(), tombstones=tombstones)


@bp.route("/export.csv")
@role_required(*INSPECTORS)
def export():
    filters = _filters()
    selected = reg.rows(**filters)
    record("notification.exported", object_type="notification",
           after={"rows": len(selected), "filters": {k: v for k, v in filters.items() if v}}, commit=True)
    filename = f"notifications-{reg.uk_today().isoformat()}.csv"
    return csv_response(filename, export_csv.CSV_COLUMNS, export_csv.csv_rows(selected))


@bp.route("/dashboard")
@role_required(*INSPECTORS)
def dashboard():
    return render_template("notifications/dashboard.html", **reg.dashboard())


# ---------------------------------------------------------------- logging a notification


@bp.route("/new", methods=["GET", "POST"])
@role_required(*INSPECTORS)
def choose_kind():
    form = KindForm()
    if form.validate_on_submit():
        return redirect(url_for("notifications.log", kind=form.kind.data))
    return render_template("notifications/choose_kind.html", form=form,
                           action=url_for("notifications.choose_kind"), partner=False)


@bp.route("/new/<kind>", methods=["GET", "POST"])
@role_required(*INSPECTORS)
def log(kind: str):
    if kind not in {k.value for k in NotificationKind}:
        abort(404)
    form = inspector_form(kind, reg.area_choices())
    if form.validate_on_submit():
        notification = Notification(source=NotificationSource.INSPECTOR.value, area_id=form.partnership.data,
                                    notified_at=form.notified_at(), received_at=utcnow(),
                                    created_by_id=current_user.id)
        form.apply(notification)
        db.session.add(notification)
        db.session.flush()
        record("notification.logged", object_type="notification", object_id=notification.id,
               after={"kind": notification.kind, "area": notification.area_id,
                      "event_date": notification.event_date.isoformat()})
        db.session.commit()
        flash(f"Notification {notification.reference} added to the register", "success")
        return redirect(url_for("notifications.view", notification_id=notification.id))
    return render_template("notifications/log.html", form=form, kind=NotificationKind(kind),
                           action=url_for("notifications.log", kind=kind), partner=False)


# ---------------------------------------------------------------- one notification


@bp.route("/<int:notification_id>")
@role_required(*INSPECTORS)
def view(notification_id: int):
    notification = _notification(notification_id)
    row = reg.row_for(notification)
    record("notification.viewed", object_type="notification", object_id=notification.id, commit=True)
    return render_template("notifications/view.html", n=notification, row=row, history=history(notification.id),
                           event_label=EVENT_LABELS[NotificationKind(notification.kind)],
                           choice_labels=CHOICE_LABELS, detail_labels=DETAIL_LABELS, to_uk=reg.to_uk,
                           can_extend=_extendable(row) is not None,
                           can_move=bool(_next_statuses(notification)))


@bp.route("/<int:notification_id>/delete", methods=["GET", "POST"])
@role_required(*INSPECTORS)
def delete(notification_id: int):
    """The retention review: an inspector confirms that a closed record past its review date goes."""
    notification = _notification(notification_id)
    if not retention.review_due(notification, reg.uk_today()):
        flash(f"{notification.reference} is not due for deletion: only a closed notification past its "
              "retention review date can be deleted", "info")
        return redirect(url_for("notifications.view", notification_id=notification.id))
    form = AppForm()
    if form.validate_on_submit():
        tombstone = retention.delete_notification(notification, utcnow())
        tombstone.deleted_by_id = current_user.id
        record("notification.deleted", object_type="notification", object_id=notification_id,
               after={"reference": tombstone.reference, "kind": tombstone.kind})
        db.session.commit()
        flash(f"Notification {tombstone.reference} deleted: its reference, kind and dates are kept", "success")
        return redirect(url_for("notifications.register"))
    return render_template("notifications/delete.html", n=notification, form=form,
                           review_on=reg.row_for(notification).retention_review_on)


def _next_statuses(notification: Notification) -> list[tuple[str, str]]:
    """Forward only; feedback is given on its own page; closed is the end (unless reopened)."""
    here = ORDER.index(notification.status)
    return [(s, NotificationStatus(s).label) for s in ORDER[here + 1:] if s != NotificationStatus.FEEDBACK_GIVEN]


def _event(notification: Notification) -> dict:
    """What a change's dates are checked against: the date the clocks run from, and its name."""
    return {"event_date": notification.event_date,
            "event_label": EVENT_LABELS[NotificationKind(notification.kind)]}


def _stale(form, notification: Notification) -> bool:
    return form.version.data != str(notification.version_id)


def _conflict(form, notification_id: int, render):
    """Someone saved this notification since the form was shown (or between our read and our write):
    nothing is saved, what was typed stays in the form, and what is saved now is shown beside it.
    Saving again replaces it, knowingly (as the contact, campaign and inspection forms do)."""
    db.session.rollback()
    notification = _notification(notification_id)
    form.version.data = str(notification.version_id)
    return render(notification, conflict_rows=_saved_now(notification)), 409


def _saved_now(n: Notification) -> list[tuple[str, str]]:
    report = next((d for d in reg.row_for(n).deadlines if d.clock.value == "report"), None)
    latest = n.feedback[-1] if n.feedback else None
    return [
        ("Status", n.status_label),
        ("Report due", long_date(report.due_on) if report else "No report deadline"),
        ("Report received", long_date(n.report_received_on) or "Not yet"),
        ("Feedback", f"{len(n.feedback)} recorded, the latest given {long_date(latest.given_on)}" if latest
         else "None recorded"),
        ("Closed", long_date(n.closed_on) or "Not closed"),
    ]


def _commit_or_conflict(form, notification_id: int, render):
    """Commit, or show the conflict page if the row changed between our read and our write (by id:
    the failed flush leaves the loaded notification unreadable until the rollback)."""
    try:
        db.session.commit()
    except StaleDataError:
        return _conflict(form, notification_id, render)
    return None


@bp.route("/<int:notification_id>/status", methods=["GET", "POST"])
@role_required(*INSPECTORS)
def move_status(notification_id: int):
    notification = _notification(notification_id)
    choices = _next_statuses(notification)
    if not choices:
        flash("This notification is closed: its status cannot change", "info")
        return redirect(url_for("notifications.view", notification_id=notification.id))
    form = StatusForm(**_event(notification))
    form.status.choices = choices

    def render(n, **extra):
        return render_template("notifications/status.html", form=form, n=n, **extra)

    if request.method == "GET":
        form.version.data = str(notification.version_id)
    if form.validate_on_submit():
        if _stale(form, notification):
            return _conflict(form, notification.id, render)
        new = form.status.data
        before = {"status": notification.status}
        notification.status = new
        notification.updated_at = utcnow()
        after = {"status": new}
        if new == NotificationStatus.REPORT_RECEIVED:
            notification.report_received_on = form.on_date.data
            after["report_received_on"] = form.on_date.data.isoformat()
        if new == NotificationStatus.CLOSED:
            notification.closed_on = max(reg.uk_today(), notification.event_date)
            after["closed_on"] = notification.closed_on.isoformat()
        record("notification.status_changed", object_type="notification", object_id=notification.id,
               before=before, after=after)
        if conflict := _commit_or_conflict(form, notification_id, render):
            return conflict
        flash(f"Status changed to {NotificationStatus(new).label.lower()}", "success")
        return redirect(url_for("notifications.view", notification_id=notification.id))
    return render(notification)


def _status_on_reopening(notification: Notification) -> NotificationStatus:
    """Where a reopened notification stands, read from what has happened to it."""
    if notification.feedback:
        return NotificationStatus.FEEDBACK_GIVEN
    if notification.report_received_on:
        return NotificationStatus.REPORT_RECEIVED
    return NotificationStatus.RECEIVED


@bp.route("/<int:notification_id>/reopen", methods=["GET", "POST"])
@role_required(*INSPECTORS)
def reopen(notification_id: int):
    """A closed notification reopened (a late report, a question from the partnership), with a reason
    kept in its history; closing it again is an ordinary status change."""
    notification = _notification(notification_id)
    if notification.status != NotificationStatus.CLOSED:
        flash(f"{notification.reference} is not closed: there is nothing to reopen", "info")
        return redirect(url_for("notifications.view", notification_id=notification.id))
    form = ReopenForm()

    def render(n, **extra):
        return render_template("notifications/reopen.html", form=form, n=n,
                               reopened_status=_status_on_reopening(n), **extra)

    if request.method == "GET":
        form.version.data = str(notification.version_id)
    if form.validate_on_submit():
        if _stale(form, notification):
            return _conflict(form, notification.id, render)
        new = _status_on_reopening(notification)
        before = {"status": notification.status, "closed_on": notification.closed_on.isoformat()}
        notification.status, notification.closed_on = new.value, None
        notification.updated_at = utcnow()
        record("notification.reopened", object_type="notification", object_id=notification.id,
               before=before, after={"status": new.value, "reason": form.reason.data.strip()})
        if conflict := _commit_or_conflict(form, notification_id, render):
            return conflict
        flash(f"{notification.reference} reopened: its status is now {new.label.lower()}", "success")
        return redirect(url_for("notifications.view", notification_id=notification.id))
    return render(notification)


def _extendable(row: reg.Row):
    """The report (or review) deadline, if it is still running and the case is open."""
    if row.notification.status == NotificationStatus.CLOSED:
        return None
    return next((d for d in row.deadlines if d.clock.value == "report" and d.is_open), None)


@bp.route("/<int:notification_id>/extension", methods=["GET", "POST"])
@role_required(*INSPECTORS)
def extension(notification_id: int):
    notification = _notification(notification_id)
    deadline = _extendable(reg.row_for(notification))
    if deadline is None:
        flash("There is no open report deadline to extend", "info")
        return redirect(url_for("notifications.view", notification_id=notification.id))
    form = ExtensionForm(current_due_on=deadline.due_on)

    def render(n, **extra):
        # After a conflict, the deadline as it stands now (someone may have extended it meanwhile).
        return render_template("notifications/extension.html", form=form, n=n,
                               deadline=_extendable(reg.row_for(n)) or deadline, **extra)

    if request.method == "GET":
        form.version.data = str(notification.version_id)
    if form.validate_on_submit():
        if _stale(form, notification):
            return _conflict(form, notification.id, render)
        notification.extensions.append(Extension(
            clock="report", previous_due_on=deadline.due_on, new_due_on=form.new_due_on.data,
            reason=form.reason.data.strip(), granted_by_id=current_user.id,
        ))
        notification.updated_at = utcnow()
        record("notification.extension_granted", object_type="notification", object_id=notification.id,
               before={"report_due_on": deadline.due_on.isoformat()},
               after={"report_due_on": form.new_due_on.data.isoformat(), "reason": form.reason.data.strip()})
        if conflict := _commit_or_conflict(form, notification_id, render):
            return conflict
        flash(f"{deadline.label} now due {long_date(form.new_due_on.data)}", "success")
        return redirect(url_for("notifications.view", notification_id=notification.id))
    return render(notification)


@bp.route("/<int:notification_id>/feedback", methods=["GET", "POST"])
@role_required(*INSPECTORS)
def feedback(notification_id: int):
    notification = _notification(notification_id)
    if notification.status == NotificationStatus.CLOSED:
        flash("This notification is closed: feedback cannot be added", "info")
        return redirect(url_for("notifications.view", notification_id=notification.id))
    form = FeedbackForm(**_event(notification))

    def render(n, **extra):
        return render_template("notifications/feedback.html", form=form, n=n, **extra)

    if request.method == "GET":
        form.version.data = str(notification.version_id)
        form.given_on.data = reg.uk_today()
    if form.validate_on_submit():
        if _stale(form, notification):
            return _conflict(form, notification.id, render)
        before = {"status": notification.status}
        notification.feedback.append(Feedback(given_on=form.given_on.data, text=form.text.data.strip(),
                                              given_by_id=current_user.id))
        if ORDER.index(notification.status) < ORDER.index(NotificationStatus.FEEDBACK_GIVEN):
            notification.status = NotificationStatus.FEEDBACK_GIVEN.value
        notification.updated_at = utcnow()
        record("notification.feedback_recorded", object_type="notification", object_id=notification.id,
               before=before, after={"status": notification.status, "given_on": form.given_on.data.isoformat()})
        if conflict := _commit_or_conflict(form, notification_id, render):
            return conflict
        flash("Feedback recorded", "success")
        return redirect(url_for("notifications.view", notification_id=notification.id))
    return render(notification)


# ---------------------------------------------------------------- partner links


@bp.route("/partner-links", methods=["GET", "POST"])
@role_required(*INSPECTORS)
def partner_links():
    form = PartnerLinkForm()
    form.partnership.choices = [("", "Choose a partnership"), *reg.area_choices()]
    if form.validate_on_submit():
        days = int(form.valid_days.data)
        now = utcnow()
        link = PartnerLink(area_id=form.partnership.data, contact_email=form.contact_email.data.strip().lower(),
                           created_at=now, expires_at=now + timedelta(days=days),
                           created_by_id=current_user.id)
        db.session.add(link)
        db.session.flush()
        url = external_url("notifications.partner_start", token=make_token(LINK_PURPOSE, link.id))
        send_mail(link.contact_email, "Your link to notify the Care Inspectorate",
                  f"Use this link to send notifications for {link.area.name} to the strategic inspection team:\n\n"
                  f"{url}\n\nThe link works until {uk_date(link.expires_at)} and can be used more than once. "
                  "Do not forward it: anyone with the link can send a notification for your partnership.")
        record("notification.partner_link_created", object_type="partner_link", object_id=link.id,
               after={"area": link.area_id, "contact_email": link.contact_email,
                      "expires_at": link.expires_at.isoformat(timespec="minutes")})
        db.session.commit()
        return render_template("notifications/link_created.html", link=link, url=url, to_uk=reg.to_uk)
    links = db.session.scalars(db.select(PartnerLink).order_by(PartnerLink.created_at.desc()).limit(100)).all()
    return render_template("notifications/partner_links.html", form=form, links=links, now=utcnow(),
                           to_uk=reg.to_uk)


@bp.route("/partner-links/<int:link_id>/withdraw", methods=["POST"])
@role_required(*INSPECTORS)
def withdraw_link(link_id: int):
    link = db.session.get(PartnerLink, link_id)
    if link is None:
        abort(404)
    if not AppForm().validate_on_submit():
        abort(400)
    if link.revoked_at is None:
        link.revoked_at = utcnow()
        record("notification.partner_link_withdrawn", object_type="partner_link", object_id=link.id)
        db.session.commit()
        flash(f"Link for {link.area.name} withdrawn: it no longer works", "success")
    return redirect(url_for("notifications.partner_links"))


# ---------------------------------------------------------------- the partner's side (no account)


def _partner_link(token: str) -> PartnerLink:
    signed = read_token(token, LINK_PURPOSE, MAX_LINK_AGE)
    link = db.session.get(PartnerLink, signed.subject_id)
    if link is None:
        raise LinkInvalid()
    if link.revoked_at is not None or not link.usable():
        raise LinkExpired()
    return link


def _link_problem(problem: LinkProblem):
    code = 410 if isinstance(problem, LinkExpired) else 404
    return render_template("notifications/link_problem.html", title=problem.title,
                           expired=isinstance(problem, LinkExpired)), code


@bp.route("/partner/<token>", methods=["GET", "POST"])
@public
@limiter.limit("60 per hour", methods=["POST"])
def partner_start(token: str):
    try:
        link = _partner_link(token)
    except LinkProblem as problem:
        return _link_problem(problem)
    form = KindForm()
    if form.validate_on_submit():
        return redirect(url_for("notifications.partner_notify", token=token, kind=form.kind.data))
    return render_template("notifications/choose_kind.html", form=form, link=link, partner=True,
                           action=url_for("notifications.partner_start", token=token))


@bp.route("/partner/<token>/<kind>", methods=["GET", "POST"])
@public
@limiter.limit("60 per hour", methods=["POST"])
def partner_notify(token: str, kind: str):
    try:
        link = _partner_link(token)
    except LinkProblem as problem:
        return _link_problem(problem)
    if kind not in {k.value for k in NotificationKind}:
        abort(404)
    form = partner_form(kind)
    if form.validate_on_submit():
        now = reg.uk_now_naive()
        notification = Notification(source=NotificationSource.PARTNER_LINK.value, area_id=link.area_id,
                                    notified_at=max(now, _midnight(form.event_date.data)),
                                    received_at=utcnow(), partner_link_id=link.id)
        form.apply(notification)
        db.session.add(notification)
        db.session.flush()
        record("notification.partner_submitted", object_type="notification", object_id=notification.id,
               after={"kind": notification.kind, "area": notification.area_id, "partner_link": link.id})
        if link.created_by is not None:
            # What was notified stays in the register, behind its access rule: not in an email, nor in the
            # outbox that admins read (who may not see notifications).
            send_mail(link.created_by.email, f"New notification {notification.reference} from {link.area.name}",
                      f"{link.area.name} has sent a notification.\n\n"
                      f"Open it in the register: {external_url('notifications.view', notification_id=notification.id)}")
        db.session.commit()
        flash(f"Notification sent. Your reference is {notification.reference}.", "success")
        return redirect(url_for("notifications.partner_start", token=token))
    return render_template("notifications/log.html", form=form, kind=NotificationKind(kind), link=link,
                           action=url_for("notifications.partner_notify", token=token, kind=kind), partner=True)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time())
