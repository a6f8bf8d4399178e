"""Recruitment: campaigns and applications for recruitment admins, under /recruitment.

The public pages (becoming an assessor, applying) live in become.py on the same blueprint."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from scheduler.access import role_required
from scheduler.audit import record
from scheduler.extensions import db
from scheduler.formatting import long_date
from scheduler.links import redact_signed_links
from scheduler.mail import resend
from scheduler.models import (
    Application,
    ApplicationStatus,
    Campaign,
    Employer,
    OutboxMessage,
    Role,
    Specialism,
)
from scheduler.numbers import page_arg, whole_number

from .campaigns import is_accepting, needs_closing_date, set_open
from .forms import ActionForm, AdmitForm, ApplicationFilterForm, CampaignForm, CampaignOpenForm, RejectForm

bp = Blueprint("recruitment", __name__)
admin_only = role_required(Role.ADMIN)
PER_PAGE = 25


def _campaign_state(campaign: Campaign) -> dict:
    return {"title": campaign.title, "is_open": campaign.is_open,
            "opens_on": campaign.opens_on.isoformat() if campaign.opens_on else None,
            "closes_on": campaign.closes_on.isoformat() if campaign.closes_on else None,
            "specialisms": [s.value for s in campaign.specialisms], "description": campaign.description}


def _get_or_404(model, object_id: int, *, lock: bool = False):
    query = db.select(model).filter_by(id=object_id)
    if lock:
        query = query.with_for_update()
    found = db.session.scalar(query)
    if found is None:
        abort(404)
    return found


def pagination(page, endpoint: str, **args) -> dict | None:
    """Params for govukPagination from a Flask-SQLAlchemy page."""
    if page.pages <= 1:
        return None
    params: dict = {"items": []}
    if page.has_prev:
        params["previous"] = {"href": url_for(endpoint, page=page.prev_num, **args)}
    if page.has_next:
        params["next"] = {"href": url_for(endpoint, page=page.next_num, **args)}
    for number in page.iter_pages(left_edge=1, right_edge=1, left_current=1, right_current=2):
        if number is None:
            params["items"].append({"ellipsis": True})
        else:
            params["items"].append({"number": number, "href": url_for(endpoint, page=number, **args),
                                    "current": number == page.page})
    return params


# ---- Campaigns -----------------------------------------------------------------------------

@bp.route("/recruitment")
@admin_only
def campaigns():
    found = db.session.scalars(db.select(Campaign).order_by(Campaign.created_at.desc(), Campaign.id.desc())).all()
    counts = dict(db.session.execute(
        db.select(Application.campaign_id, db.func.count()).group_by(Application.campaign_id)).all())
    return render_template("recruitment/campaigns.html", campaigns=found, counts=counts,
                           accepting={c.id: is_accepting(c) for c in found}, form=ActionForm())


@bp.route("/recruitment/campaigns/new", methods=["GET", "POST"])
@admin_only
def campaign_new():
    form = CampaignForm()
    if form.validate_on_submit():
        campaign = Campaign(title=form.title.data, description=form.description.data or "",
                            opens_on=form.opens_on.data, closes_on=form.closes_on.data, is_open=False)
        campaign.specialisms = form.specialisms.data
        db.session.add(campaign)
        db.session.flush()
        record("campaign.created", object_type="campaign", object_id=campaign.id, after=_campaign_state(campaign))
        db.session.commit()
        flash(f"Campaign ‘{campaign.title}’ created. It is closed until you open it or its opening date comes.",
              "success")
        return redirect(url_for("recruitment.campaigns"))
    return render_template("recruitment/campaign_form.html", form=form, campaign=None)


@bp.route("/recruitment/campaigns/<int:campaign_id>/edit", methods=["GET", "POST"])
@admin_only
def campaign_edit(campaign_id: int):
    campaign = _get_or_404(Campaign, campaign_id)
    if request.method == "GET":
        form = CampaignForm(obj=campaign)
        form.specialisms.data = [s.value for s in campaign.specialisms]
        form.version_id.data = str(campaign.version_id)
    else:
        form = CampaignForm()
    if form.validate_on_submit():
        if form.version_id.data != str(campaign.version_id):
            # Saved by someone else since this form was shown: keep what was typed, show theirs;
            # saving again replaces it, knowingly.
            form.version_id.data = str(campaign.version_id)
            saved = [("Title", campaign.title), ("Specialisms", ", ".join(s.label for s in campaign.specialisms)),
                     ("Opens", long_date(campaign.opens_on) if campaign.opens_on else "Not set"),
                     ("Closes", long_date(campaign.closes_on) if campaign.closes_on else "Not set")]
            return render_template("recruitment/campaign_form.html", form=form, campaign=campaign,
                                   conflict_rows=saved), 409
        before = _campaign_state(campaign)
        campaign.title = form.title.data
        campaign.description = form.description.data or ""
        campaign.specialisms = form.specialisms.data
        campaign.opens_on = form.opens_on.data
        campaign.closes_on = form.closes_on.data
        record("campaign.updated", object_type="campaign", object_id=campaign.id, before=before,
               after=_campaign_state(campaign))
        db.session.commit()
        flash(f"Campaign ‘{campaign.title}’ saved.", "success")
        return redirect(url_for("recruitment.campaigns"))
    return render_template("recruitment/campaign_form.html", form=form, campaign=campaign)


@bp.route("/recruitment/campaigns/<int:campaign_id>/toggle", methods=["POST"])
@admin_only
def campaign_toggle(campaign_id: int):
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    campaign = _get_or_404(Campaign, campaign_id, lock=True)
    want = request.form.get("want")
    if want not in ("open", "close"):
        abort(400)
    # The button says what it will do; pressing a stale "Open" twice does not close it again.
    if (want == "open") != is_accepting(campaign):
        if want == "open" and needs_closing_date(campaign):
            return redirect(url_for("recruitment.campaign_open", campaign_id=campaign.id), 303)
        _open_or_close(campaign, want == "open")
    _flash_state(campaign)
    return redirect(url_for("recruitment.campaigns"))


@bp.route("/recruitment/campaigns/<int:campaign_id>/open", methods=["GET", "POST"])
@admin_only
def campaign_open(campaign_id: int):
    """Opening a campaign with no closing date ahead asks for one: applicants are told it."""
    campaign = _get_or_404(Campaign, campaign_id, lock=request.method == "POST")
    if is_accepting(campaign):
        _flash_state(campaign)
        return redirect(url_for("recruitment.campaigns"))
    form = CampaignOpenForm(today=date.today())
    if form.validate_on_submit():
        _open_or_close(campaign, True, closes_on=form.closes_on.data)
        _flash_state(campaign)
        return redirect(url_for("recruitment.campaigns"))
    return render_template("recruitment/campaign_open.html", form=form, campaign=campaign)


def _open_or_close(campaign: Campaign, want_open: bool, **kwargs) -> None:
    before = _campaign_state(campaign)
    set_open(campaign, want_open, **kwargs)
    record(f"campaign.{'opened' if want_open else 'closed'}", object_type="campaign",
           object_id=campaign.id, before=before, after=_campaign_state(campaign))
    db.session.commit()


def _flash_state(campaign: Campaign) -> None:
    if is_accepting(campaign):
        closing = (f"Applications close at the end of {long_date(campaign.closes_on)}." if campaign.closes_on
                   else "It has no closing date: close it from this page when you are ready.")
        flash(f"Campaign ‘{campaign.title}’ is now open to applications. {closing}", "success")
    else:
        flash(f"Campaign ‘{campaign.title}’ is now closed.", "success")


# ---- Applications --------------------------------------------------------------------------

@bp.route("/recruitment/applications")
@admin_only
def applications():
    form = ApplicationFilterForm(request.args)
    all_campaigns = db.session.scalars(db.select(Campaign).order_by(Campaign.created_at.desc())).all()
    form.campaign.choices = [("", "Any")] + [(str(c.id), c.title) for c in all_campaigns]
    query = db.select(Application).order_by(Application.submitted_at.desc(), Application.id.desc())
    args = {}
    campaign_id = whole_number(form.campaign.data)
    if campaign_id is not None:
        query = query.filter(Application.campaign_id == campaign_id)
        args["campaign"] = campaign_id
    if form.specialism.data in Specialism._value2member_map_:
        query = query.filter(getattr(Application, f"applies_{form.specialism.data}").is_(True))
        args["specialism"] = form.specialism.data
    if form.status.data in ApplicationStatus._value2member_map_:
        query = query.filter(Application.status == form.status.data)
        args["status"] = form.status.data
    page = db.paginate(query, page=page_arg(request.args), per_page=PER_PAGE, error_out=False)
    return render_template("recruitment/applications.html", filters=form, page=page,
                           pagination=pagination(page, "recruitment.applications", **args))


def _application_page(application: Application, *, reject_form=None, status: int = 200):
    from .admission import DECIDABLE

    return render_template("recruitment/application.html", application=application,
                           action_form=ActionForm(), reject_form=reject_form or RejectForm(),
                           decidable=application.status in DECIDABLE,
                           form=reject_form), status


@bp.route("/recruitment/applications/<int:application_id>")
@admin_only
def application(application_id: int):
    return _application_page(_get_or_404(Application, application_id))


@bp.route("/recruitment/applications/<int:application_id>/shortlist", methods=["POST"])
@admin_only
def application_shortlist(application_id: int):
    from .admission import CannotAdmit, shortlist

    if not ActionForm().validate_on_submit():
        abort(400)
    application = _get_or_404(Application, application_id, lock=True)
    try:
        shortlist(application)
    except CannotAdmit as problem:
        flash(str(problem), "info")
        return redirect(url_for("recruitment.application", application_id=application.id))
    db.session.commit()
    flash(f"{application.name} is shortlisted.", "success")
    return redirect(url_for("recruitment.application", application_id=application.id))


@bp.route("/recruitment/applications/<int:application_id>/reject", methods=["POST"])
@admin_only
def application_reject(application_id: int):
    from .admission import DECIDABLE, CannotAdmit, reject

    application = _get_or_404(Application, application_id, lock=True)
    form = RejectForm()
    if application.status not in DECIDABLE:
        # decided meanwhile (or twice): its page no longer has the form an error could point at
        flash(f"This application is already {ApplicationStatus(application.status).label.lower()}", "info")
        return redirect(url_for("recruitment.application", application_id=application.id))
    if not form.validate_on_submit():
        return _application_page(application, reject_form=form)
    try:
        reject(application, form.reason.data)
    except CannotAdmit as problem:
        flash(str(problem), "info")
        return redirect(url_for("recruitment.application", application_id=application.id))
    db.session.commit()
    flash(f"{application.name}'s application is rejected and they have been told why.", "success")
    return redirect(url_for("recruitment.application", application_id=application.id))


def _employer_choices() -> list[tuple[str, str]]:
    employers = db.session.scalars(db.select(Employer).order_by(Employer.name))
    return [("", "Choose an employer")] + [(str(e.id), e.name) for e in employers]


@bp.route("/recruitment/applications/<int:application_id>/admit", methods=["GET", "POST"])
@admin_only
def application_admit(application_id: int):
    from .admission import CannotAdmit, admit

    application = _get_or_404(Application, application_id, lock=request.method == "POST")
    form = AdmitForm()
    form.employer.choices = _employer_choices()
    if request.method == "GET":
        match = db.session.scalar(db.select(Employer).filter(
            db.func.lower(Employer.name) == application.employer_name.strip().lower()))
        form.employer.data = str(match.id) if match else ""
        today = date.today()
        form.days_per_deployment.data = 8
        form.total_days.data = 24
        form.valid_from.data = today
        form.valid_to.data = date(today.year + 1, today.month, min(today.day, 28))
    problem = None
    if form.validate_on_submit():
        employer = db.session.get(Employer, int(form.employer.data))
        try:
            assessor, agreement = admit(application, employer=employer,
                                        days_per_deployment=form.days_per_deployment.data,
                                        total_days=form.total_days.data, valid_from=form.valid_from.data,
                                        valid_to=form.valid_to.data)
        except CannotAdmit as error:
            db.session.rollback()
            problem = str(error)
        else:
            db.session.commit()
            flash(f"{assessor.name} is admitted as assessor {assessor.reference}. We have emailed them an "
                  f"invitation to set a password and asked {agreement.contact_name} to agree their release.",
                  "success")
            return redirect(url_for("recruitment.application", application_id=application.id))
    return render_template("recruitment/admit.html", form=form, application=application, problem=problem,
                           has_error=bool(problem))


# ---- Outbox --------------------------------------------------------------------------------

@bp.route("/recruitment/outbox")
@admin_only
def outbox():
    query = db.select(OutboxMessage).order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
    page = db.paginate(query, page=page_arg(request.args), per_page=PER_PAGE, error_out=False)
    return render_template("recruitment/outbox.html", page=page, pagination=pagination(page, "recruitment.outbox"))


@bp.route("/recruitment/outbox/<int:message_id>")
@admin_only
def outbox_message(message_id: int):
    message = _get_or_404(OutboxMessage, message_id)
    return render_template("recruitment/outbox_message.html", message=message,
                           body=redact_signed_links(message.body), form=ActionForm())


@bp.route("/recruitment/outbox/<int:message_id>/resend", methods=["POST"])
@admin_only
def outbox_resend(message_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    message = _get_or_404(OutboxMessage, message_id, lock=True)
    before = {"status": message.status, "attempts": message.attempts, "error": message.error}
    resend(message)
    record("outbox.resent", object_type="outbox_message", object_id=message.id, before=before,
           after={"status": message.status, "recipient": message.recipient})
    db.session.commit()
    db.session.refresh(message)
    flash(f"Sent again to {message.recipient}: {message.delivery.label.lower()}"
          f"{' (' + message.error + ')' if message.error else ''}.", "success")
    return redirect(url_for("recruitment.outbox_message", message_id=message.id))


from . import become  # noqa: E402,F401  (public routes on the same blueprint)
