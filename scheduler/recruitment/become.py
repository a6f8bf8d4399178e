"""Public pages: becoming an associate assessor, whether we are recruiting, and applying."""
from __future__ import annotations

from flask import abort, current_app, redirect, render_template, request, session, url_for

from scheduler.access import public
from scheduler.audit import record
from scheduler.extensions import db, limiter
from scheduler.mail import send_mail
from scheduler.models import Application, utcnow

from . import apply
from .campaigns import current_campaign
from .forms import SubmitApplicationForm
from .routes import bp

PREFIX = "/become-an-associate-assessor"
GUIDANCE = {
    "what-it-involves": "What the role involves",
    "benefits": "Benefits for you and your employer",
    "questions": "Questions about the role",
    "code-of-practice": "Code of practice for associate assessors",
}


def _page_limit() -> str:
    return current_app.config.get("APPLY_PAGE_RATE_LIMIT", "60 per minute")


def _submit_limit() -> str:
    return current_app.config.get("APPLICATION_RATE_LIMIT", "5 per hour;20 per day")


@bp.route(PREFIX)
@public
def become():
    return render_template("recruitment/become/overview.html", campaign=current_campaign(),
                           guidance=GUIDANCE)


@bp.route(f"{PREFIX}/<topic>")
@public
def guidance(topic: str):
    if topic not in GUIDANCE:
        abort(404)
    return render_template(f"recruitment/become/{topic}.html", title=GUIDANCE[topic], guidance=GUIDANCE,
                           topic=topic)


@bp.route(f"{PREFIX}/apply")
@public
def apply_start():
    """Recruitment status: what an open campaign seeks and a Start button, or that we are not recruiting."""
    campaign = current_campaign()
    return render_template("recruitment/apply/start.html", campaign=campaign,
                           has_draft=bool(apply.answers()) and campaign is not None)


def _not_recruiting():
    """Nothing is open and nothing has been typed: there is no way to apply."""
    if request.method == "POST":
        return render_template("recruitment/apply/not_recruiting.html"), 403
    return redirect(url_for("recruitment.apply_start"))


@bp.route(f"{PREFIX}/apply/<slug>", methods=["GET", "POST"])
@public
@limiter.limit(_page_limit, methods=["POST"])
def apply_page(slug: str):
    page = apply.BY_SLUG.get(slug)
    if page is None:
        abort(404)
    campaign = apply.draft_campaign()
    changing = request.args.get("change") == "1"
    if campaign is None:
        if not apply.answers():
            return _not_recruiting()
        if request.method == "POST":  # keep what they typed, then show why it cannot be sent
            apply.save(apply.raw_values(apply.prepare(page.form(), None), page), None)
        return redirect(url_for("recruitment.check_answers"))

    posted = request.method == "POST"
    form = apply.page_form(page, campaign, posted=posted)
    if posted:
        valid = form.validate_on_submit()
        apply.save(apply.raw_values(form, page), campaign.id)
        if valid:
            following = apply.next_page(page)
            if changing or following is None:
                return redirect(url_for("recruitment.check_answers"))
            return redirect(url_for("recruitment.apply_page", slug=following.slug))
    previous = apply.previous_page(page)
    back = (url_for("recruitment.check_answers") if changing
            else url_for("recruitment.apply_page", slug=previous.slug) if previous
            else url_for("recruitment.apply_start"))
    return render_template("recruitment/apply/page.html", page=page, form=form, campaign=campaign,
                           back=back, changing=changing, pages=apply.PAGES,
                           step=apply.PAGES.index(page) + 1)


@bp.route(f"{PREFIX}/apply/check-your-answers", methods=["GET", "POST"])
@public
@limiter.limit(_submit_limit, methods=["POST"])
def check_answers():
    kept = apply.answers()
    campaign = apply.draft_campaign()
    if not kept:
        if campaign is None:
            return _not_recruiting()
        return redirect(url_for("recruitment.apply_page", slug=apply.PAGES[0].slug))
    form = SubmitApplicationForm()
    closed = campaign is None
    if not closed:
        incomplete = apply.first_incomplete(campaign)
        if incomplete is not None:
            return redirect(url_for("recruitment.apply_page", slug=incomplete.slug))
        if form.validate_on_submit():
            application = apply.build_application(campaign, kept)
            application.submitted_at = utcnow()
            db.session.add(application)
            db.session.flush()
            record("application.submitted", object_type="application", object_id=application.id,
                   after={"reference": application.reference, "campaign_id": campaign.id})
            send_mail(application.email, f"Application received: {application.reference}",
                      render_template("recruitment/email/application_received.txt",
                                      application=application, campaign=campaign))
            apply.clear()
            db.session.commit()
            session[apply.SENT_KEY] = application.reference
            return redirect(url_for("recruitment.application_sent"))
    status = 200
    if closed and request.method == "POST":
        status = 409
    return render_template("recruitment/apply/check_answers.html", form=form, rows=apply.summary(kept),
                           campaign=campaign, closed=closed, closed_campaign=apply.applied_campaign(),
                           has_error=closed and request.method == "POST"), status


@bp.route(f"{PREFIX}/apply/application-sent")
@public
def application_sent():
    reference = session.get(apply.SENT_KEY)
    sent = (db.session.scalar(db.select(Application).filter_by(reference=reference))
            if isinstance(reference, str) else None)
    if sent is None:
        return redirect(url_for("recruitment.become"))
    return render_template("recruitment/apply/sent.html", sent=sent)
