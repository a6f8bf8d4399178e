"""/teams: the team builder. Coordinators (and admins) build teams with the solver, read why seats
stay empty, adjust by hand within the rules, publish, and re-plan when things change."""
from __future__ import annotations

import functools
import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy.orm import defer, joinedload

from scheduler import data_cache, formatting, jobs, planning
from scheduler.access import role_required
from scheduler.assessors import wishes
from scheduler.audit import record
from scheduler.csv_export import attachment, csv_response
from scheduler.deployments import refill
from scheduler.extensions import db
from scheduler.formatting import day_list, long_date, person
from scheduler.models import AIMS, Deployment, Inspection, PlanningPolicy, Role, SolveRun, SolveRunStatus, Specialism
from solver.explain import candidates as seat_candidates
from solver.explain import explain_seat
from solver.rules import RULE_NAMES, PlanState, Pool, seat_minimum, why_not

from . import compare as comparing
from . import plans
from .forms import ActionForm, BuildForm, CompareForm, PolicyForm, ReplaceForm, VariantForm, WhyNotForm

bp = Blueprint("teams", __name__, url_prefix="/teams")
WHO = (Role.COORDINATOR, Role.ADMIN)
RUNS_SHOWN = 15
SOLVES_UNAVAILABLE = ("Teams cannot be built at the moment: the queue that runs solves is not answering. "
                      "Nothing was saved or started. Try again in a few minutes; if it goes on, tell the service team.")


def _run(run_id: int) -> SolveRun:
    run = db.session.get(SolveRun, run_id)
    if run is None:
        abort(404)
    return run


def _inspection_choices() -> list[tuple[str, str]]:
    rows = db.session.execute(
        sa.select(Inspection.reference, Inspection.title, Inspection.starts_on)
        .where(Inspection.status.in_(planning.PLANNABLE), Inspection.ends_on >= date.today())
        .order_by(Inspection.starts_on, Inspection.reference).limit(200)).all()
    return [(r.reference, f"{r.reference}: {r.title} (from {long_date(r.starts_on)})") for r in rows]


@bp.app_template_global("variant_of")
def variant_of(run: SolveRun | None) -> planning.RunScope | None:
    """A what-if build's scope, with what it varies and the pins its changes broke (None for a real
    build): every page of a variant says so."""
    built = planning.RunScope.of(run.scope) if run is not None else None
    return built if built is not None and built.variant is not None else None


@bp.app_template_filter("level_label")
def level_label(level: str) -> str:
    return plans.LEVEL_WORDS.get(level, level)


# ----------------------------------------------------------------------------- build

@bp.route("/")
@role_required(*WHO)
def index():
    jobs.reap_dead_runs()
    chosen = request.args.getlist("inspections")
    if chosen:
        # Opened for given inspections (from an inspection's page, or a warning that an edit
        # breaks its published teams): those are ticked, ready to build.
        form = BuildForm(data={"inspections": chosen})
        form.inspections.choices = _inspection_choices()
        return _index(form, _build_fields(form))
    # Nothing is typed or ticked on a first view, so the fields (200 checkboxes) are the same for
    # everyone until the inspections offered change: not worked out again after every write.
    return _index(BuildForm(), data_cache.cached(("team builder fields",),
                                                 lambda: _empty_fields(tuple(_inspection_choices()))))


@functools.lru_cache(maxsize=4)
def _empty_fields(choices: tuple[tuple[str, str], ...]) -> Markup:
    """The build form's fields, nothing typed or ticked, offering these inspections (slow to render)."""
    form = BuildForm(formdata=None)
    form.inspections.choices = list(choices)
    return _build_fields(form)


def _build_fields(form: BuildForm) -> Markup:
    """The build form's fields and button, as typed (its CSRF token is added by the page)."""
    fields = [form.start(params={"fieldset": {"legend": {"text": form.start.label.text,
                                                          "classes": "govuk-fieldset__legend--s"}}}),
              form.end(params={"fieldset": {"legend": {"text": form.end.label.text,
                                                        "classes": "govuk-fieldset__legend--s"}}})]
    if form.inspections.choices:
        fields.append(form.inspections(params={
            "fieldset": {"legend": {"text": "Or choose inspections", "classes": "govuk-fieldset__legend--s"}},
            "hint": {"text": "If you choose inspections, the dates are not used."},
            "classes": "govuk-checkboxes--small"}))
    fields.append(form.submit())
    return Markup("\n").join(fields)


def _flagged_table() -> Markup:
    """The published deployments that must change and why (no button: its form carries the user's token)."""
    return Markup(render_template("teams/_flagged.html", flagged=planning.flagged_deployments()).strip())


def _index(form: BuildForm, build_fields: Markup, status: int = 200):
    return render_template("teams/index.html", title="Team builder", form=form, build_fields=build_fields,
                           worker_seen=jobs.worker_seen(), worker_seen_seconds=jobs.WORKER_SEEN_SECONDS,
                           flagged=data_cache.cached(("team builder flagged",), _flagged_table),
                           builds=data_cache.cached(("team builder builds",), _builds)), status


def _builds() -> Markup:
    """The recent builds and the published plans (a build's status, result and version are tracked
    by the data version; its heartbeat and progress are not, and are not shown here)."""
    return Markup(render_template("teams/_builds.html", runs=_recent_runs(), versions=plans.published_versions()))


@dataclass
class RunSummary:
    run: SolveRun
    what: str                 # the inspections chosen, or the period
    result: str | None        # what the plan is (proven best, changed by hand...), once there is one
    variant_of: str | None = None   # the build a what-if build varies


def _recent_runs() -> list[RunSummary]:
    """The latest builds, without their JSON: a national run's instance, scope and plan are megabytes
    to decode, and the list needs only the period or references and what the plan is."""
    rows = db.session.execute(
        sa.select(SolveRun, SolveRun.scope["start"].as_string(), SolveRun.scope["end"].as_string(),
                  SolveRun.scope["references"], SolveRun.plan["status"].as_string(),
                  SolveRun.adjustments["built_status"].as_string(), SolveRun.scope["variant"]["of_run"].as_string())
        .options(*(defer(c) for c in (SolveRun.instance, SolveRun.scope, SolveRun.plan, SolveRun.progress,
                                      SolveRun.adjustments)))
        .order_by(SolveRun.id.desc()).limit(RUNS_SHOWN)).all()
    return [RunSummary(run, planning.Scope.from_json({"start": start, "end": end, "references": references}).describe(),
                       plans.result_words(run.status, proof, run.objective, run.bound, built) if proof else None,
                       of_run)
            for run, start, end, references, proof, built, of_run in rows]


@bp.route("/build", methods=["POST"])
@role_required(*WHO)
def build():
    form = BuildForm()
    form.inspections.choices = _inspection_choices()
    if not form.check():
        return _index(form, _build_fields(form), 400)
    if form.inspections.data:
        scope = planning.Scope(references=tuple(form.inspections.data))
    else:
        scope = planning.Scope(form.start.data, form.end.data)
    return _start(scope)


def _start(scope: planning.Scope, replan: bool = False):
    try:
        jobs.check_queue()       # before writing anything: with Redis down no run is left queued
        run = plans.start_run(scope, current_user, replan=replan)
        db.session.commit()
        jobs.enqueue(run)
    except jobs.SolvesUnavailable as error:
        current_app.logger.error("Solves cannot start: %s", error)
        flash(SOLVES_UNAVAILABLE, "important")
        return redirect(url_for("teams.index"))
    run_id = run.id
    jobs.wait_briefly(run_id)
    return redirect(url_for("teams.run", run_id=run_id))


@bp.route("/replan", methods=["POST"])
@role_required(*WHO)
def replan():
    """Re-plan the inspections whose published deployments must change."""
    form = ActionForm()
    if not form.validate():
        abort(400)
    refs = sorted({d.inspection.reference for d, _ in planning.flagged_deployments()})
    if not refs:
        flash("No published deployment needs to change.")
        return redirect(url_for("teams.index"))
    return _start(planning.Scope(references=tuple(refs)), replan=True)


# ----------------------------------------------------------------------------- a run

def _progress_json(run: SolveRun) -> dict:
    last = (run.progress or [])[-1] if run.progress else None
    return {"id": run.id, "status": run.status, "status_label": SolveRunStatus(run.status).label,
            "cancel_requested": bool(run.cancel_requested), "last": last,
            "events": [{**e, "label": level_label(e["level"])} for e in (run.progress or [])[-10:]],
            "error": run.error,
            "done": run.status not in (SolveRunStatus.QUEUED.value, SolveRunStatus.RUNNING.value),
            "url": url_for("teams.run", run_id=run.id)}


@bp.route("/runs/<int:run_id>/progress.json")
@role_required(*WHO)
def progress(run_id: int):
    jobs.reap_dead_runs()
    return jsonify(_progress_json(_run(run_id)))


@bp.route("/runs/<int:run_id>")
@role_required(*WHO)
def run(run_id: int):
    jobs.reap_dead_runs()
    run = _run(run_id)
    context = {"run": run, "action_form": ActionForm(), "excluded_words": plans.EXCLUDED_WORDS,
               "scope": planning.RunScope.of(run.scope).asked}
    if run.plan is not None and run.instance is not None:
        context.update(_result(run))
    title = {"queued": "Teams queued to be built", "running": "Building teams",
             "failed": "Building teams failed", "cancelled": "Team building cancelled"}.get(
        run.status, f"Teams built on {formatting.uk_when(run.created_at)}")
    if plans.variant_of(run) is not None:
        title = f"Variant: {title[0].lower()}{title[1:]}"
    if run.version:
        title = f"Published plan version {run.version}"
    return render_template("teams/run.html", title=title, **context)


def _result(run: SolveRun) -> dict:
    instance = plans.instance_of(run)
    plan = plans.plan_of(run)
    built = planning.RunScope.of(run.scope)
    scope = list(built.in_scope)
    fixed = plans.fixed_keys(instance)
    pinned = set(plans.adjustments(run)["pinned"])
    by_seat = defaultdict(list)
    for d in plan.deployments:
        by_seat[(d.inspection, d.specialism)].append(d)
    unfilled = {(u.inspection, u.specialism): u for u in plan.unfilled}
    # Who stands where for an unfilled seat, counted now: the plan's own counts put holders who
    # could take it under "busy" (the format has no key for them), and a plan changed by hand has some.
    pool = Pool(instance) if unfilled else None
    state = PlanState(pool, plan.deployments) if pool else None
    teams = []
    for ref in scope:
        ins = instance.inspection_by_id.get(ref)
        if ins is None:
            continue
        seats = []
        for seat in ins.seats:
            members = [{"d": d, "a": instance.assessor_by_id[d.assessor], "key": plans.key_of(d),
                        "fixed": plans.key_of(d) in fixed, "pinned": plans.key_of(d) in pinned}
                       for d in sorted(by_seat[(ins.id, seat.specialism)], key=lambda d: d.assessor)]
            gap = unfilled.get((ins.id, seat.specialism))
            standing = None if gap is None else explain_seat(
                instance, ins, seat.specialism, plan.deployments, pool=pool, plan=state, suggest=False)
            seats.append({"seat": seat, "label": Specialism(seat.specialism).label, "members": members,
                          "unfilled": gap, "standing": standing})
        teams.append({"inspection": ins, "seats": seats})
    changes = planning.compare(run.plan, scope) if run.published_at is None else []
    has_published = any(c.kind != "added" for c in changes)
    made = [c for c in changes if c.kind != "unchanged"]
    built_status = plans.adjustments(run).get("built_status")
    result = plans.result_words(run.status, plan.status, run.objective, run.bound, built_status)
    aims = plans.scope_aims(instance, plan, scope)
    proofs = plans.aim_proofs(instance, plan, scope, run.status, run.objective, run.bound, built_status)
    return {"teams": teams, "plan": plan, "result": result, "figures": plans.scope_figures(instance, plan, scope),
            "aims": aims.in_words(), "asked": aims.asked,
            "aim_proofs": proofs, "keen_misses": plans.keen_misses(run, instance, plan, scope,
                                                                  all(p.proven for p in proofs)),
            "changes": made, "change_words": _change_words(Counter(c.kind for c in made), has_published),
            "unfilled_seats": [(t["inspection"], s) for t in teams for s in t["seats"] if s["unfilled"]],
            "has_published": has_published, "can_change": plans.can_change(run),
            "flags": built.flags, "instance": instance,
            "kept": (run.objective or {}).get("kept_published"),
            "keep_total": len(built.keep)}


def _change_words(counts: Counter, has_published: bool) -> str:
    """The comparison with the published teams in one line, counted from the list the page shows."""
    if not has_published:
        n = counts["added"]
        return f"{n} new deployment{'s' if n != 1 else ''}: nothing is published for these inspections yet"
    if not counts:
        return "None: every published deployment stays as it is"
    return (f"{counts['added']} added, {counts['changed']} with days changed, "
            f"{counts['removed']} withdrawn")


@bp.route("/runs/<int:run_id>/cancel", methods=["POST"])
@role_required(*WHO)
def cancel(run_id: int):
    form = ActionForm()
    if not form.validate():
        abort(400)
    run = _run(run_id)
    if jobs.request_cancel(run):
        record("teams.cancel_requested", object_type="solve_run", object_id=run.id)
        db.session.commit()
        flash("Cancelling: the best teams found so far are kept.")
    return redirect(url_for("teams.run", run_id=run.id))


@bp.route("/runs/<int:run_id>/rebuild", methods=["POST"])
@role_required(*WHO)
def rebuild(run_id: int):
    """Build again with the same choices, after a build failed or was interrupted."""
    form = ActionForm()
    if not form.validate():
        abort(400)
    run = _run(run_id)
    asked = planning.RunScope.of(run.scope)
    return _start(asked.asked, replan=asked.replan)


# ----------------------------------------------------------------------------- what-if

def _finished(run_id: int) -> SolveRun:
    run = _run(run_id)
    if run.status != SolveRunStatus.FINISHED.value or run.plan is None or run.instance is None:
        abort(404)
    return run


@bp.route("/runs/<int:run_id>/variant", methods=["GET", "POST"])
@role_required(*WHO)
def variant(run_id: int):
    """Build a variant of a finished build: another order of aims and changes that are never saved
    to the programme, solved on that build's own data."""
    base = _finished(run_id)
    instance = plans.instance_of(base)
    aims_now = planning.aims_of(instance)
    form = VariantForm(data={"aims": aims_now} if request.method == "GET" else None)
    form.offer(instance, plans.in_scope(base))
    if request.method == "POST":
        varied = form.variant(base.id, instance, aims_now)
        if varied is not None:
            try:
                jobs.check_queue()
                run = plans.start_variant(base, varied, current_user)
                db.session.commit()
                jobs.enqueue(run)
            except jobs.SolvesUnavailable as error:
                current_app.logger.error("Solves cannot start: %s", error)
                flash(SOLVES_UNAVAILABLE, "important")
                return redirect(url_for("teams.variant", run_id=base.id))
            return redirect(url_for("teams.run", run_id=run.id))
    return render_template("teams/variant.html", title=f"Build a variant of build {base.id}", form=form, run=base,
                           aims_now=aims_now, scope=planning.RunScope.of(base.scope).asked,
                           ), 400 if form.errors or any(f.errors for f in form) else 200


def _comparable(run: SolveRun) -> list[tuple[str, str]]:
    """The other finished builds, latest first, as choices."""
    rows = db.session.execute(
        sa.select(SolveRun.id, SolveRun.created_at, SolveRun.scope["variant"]["of_run"].as_string(), SolveRun.version)
        .where(SolveRun.status == SolveRunStatus.FINISHED.value, SolveRun.plan.is_not(None), SolveRun.id != run.id)
        .order_by(SolveRun.id.desc()).limit(RUNS_SHOWN * 2)).all()
    return [(str(r.id), f"Build {r.id}, {formatting.uk_when(r.created_at)}"
             + (f" (variant of build {r[2]})" if r[2] else "")
             + (f" (published as version {r.version})" if r.version else ""))
            for r in rows]


@bp.route("/runs/<int:run_id>/compare")
@role_required(*WHO)
def compare(run_id: int):
    """This build beside another the coordinator picks."""
    run = _finished(run_id)
    form = CompareForm(request.args)
    form.other.choices = [("", "Choose a build"), *_comparable(run)]
    comparison = None
    if form.other.data:
        if form.other.data not in {v for v, _ in form.other.choices[1:]}:
            form.other.errors = ["Select a finished build from the list"]
        else:
            comparison = comparing.compare(run, _finished(int(form.other.data)))
    elif "other" in request.args:
        form.other.errors = ["Select the build to compare with"]
    return render_template("teams/compare.html", title=f"Compare build {run.id} with another build", run=run,
                           form=form, comparison=comparison, has_error=bool(form.other.errors),
                           ), 400 if form.other.errors else 200


# ----------------------------------------------------------------------------- seats

def _seat_context(run: SolveRun, inspection: str, specialism: str):
    if run.plan is None or run.instance is None or inspection not in plans.in_scope(run):
        abort(404)
    instance = plans.instance_of(run)
    ins = instance.inspection_by_id.get(inspection)
    if ins is None or ins.seat(specialism) is None:
        abort(404)
    plan = plans.plan_of(run)
    return instance, ins, plan


def _why_not_answer(why_form: WhyNotForm, instance, ins, specialism: str, deployments) -> dict | None:
    """The answer to "Why not this assessor?" (None if nobody was asked about)."""
    ref = why_form.reference() if "assessor" in request.args else None
    if not ref:
        return None
    a = instance.assessor_by_id.get(ref)
    if a is None:
        why_form.assessor.errors = [f"{ref} is not an active assessor in this plan's data"]
        return None
    others = [d for d in deployments if not (d.assessor == ref and d.inspection == ins.id)]
    return {"assessor": a, "reason": why_not(instance, a, ins, specialism, others),
            "on_it": len(others) != len(deployments)}


@bp.route("/runs/<int:run_id>/seats/<inspection>/<specialism>")
@role_required(*WHO)
def seat(run_id: int, inspection: str, specialism: str, replace_form: ReplaceForm | None = None,
         status: int = 200):
    run = _run(run_id)
    instance, ins, plan = _seat_context(run, inspection, specialism)
    deployments = list(plan.deployments)
    why_form = WhyNotForm(request.args)
    answer = _why_not_answer(why_form, instance, ins, specialism, deployments)
    # The summary counts the very rows listed below it, so the two always agree.
    ranked = seat_candidates(instance, ins.id, specialism, deployments)
    standing = Counter(c.status for c in ranked)
    members = [d for d in deployments if d.inspection == ins.id and d.specialism == specialism]
    vacancies = ins.seat(specialism).count - len(members)
    fixed = plans.fixed_keys(instance)
    pinned = set(plans.adjustments(run)["pinned"])
    replace_form = replace_form or ReplaceForm()
    replace_form.key.choices = [(plans.key_of(d), plans.name_of(instance, d.assessor))
                                for d in members if plans.key_of(d) not in fixed | pinned]
    return render_template(
        "teams/seat.html", title=f"{ins.id} {Specialism(specialism).label} seat", run=run, ins=ins,
        specialism=specialism, seat=ins.seat(specialism), why_form=why_form, answer=answer,
        ranked=ranked, standing=standing, member_names=[plans.name_of(instance, d.assessor) for d in members],
        vacancies=vacancies,
        minimum=seat_minimum(ins, ins.seat(specialism)),
        suggestions=explain_seat(instance, ins, specialism, deployments).suggestions,
        excluded_words=plans.EXCLUDED_WORDS,
        replace_form=replace_form, can_change=plans.can_change(run), fixed=fixed,
        pinned=pinned, rule_names=RULE_NAMES, instance=instance, form=replace_form,
        wishes=wishes.for_inspection(ins.id), has_error=bool(why_form.assessor.errors)), status


@bp.route("/seats/<inspection>/<specialism>")
@role_required(*WHO)
def seat_now(inspection: str, specialism: str):
    """A published seat as recorded now: who declined it, and who could take it, each with a one-step
    offer (refill.offer)."""
    now = refill.seat_now(inspection, specialism)
    if now is None:
        abort(404)
    ins = now.instance.inspection_by_id[inspection]
    why_form = WhyNotForm(request.args)
    answer = _why_not_answer(why_form, now.instance, ins, specialism, now.deployments)
    return render_template(
        "teams/seat.html", title=f"{inspection} {Specialism(specialism).label} seat", run=None, ins=ins,
        specialism=specialism, seat=ins.seat(specialism), why_form=why_form, answer=answer,
        ranked=now.candidates, standing=Counter(c.status for c in now.candidates),
        member_names=[person(d.assessor.name, d.assessor.reference) for d in now.members],
        vacancies=now.vacancies, offerable={c.assessor for c in now.offerable}, declined=now.declined,
        inspection=now.inspection, minimum=seat_minimum(ins, ins.seat(specialism)),
        suggestions=explain_seat(now.instance, ins, specialism, now.deployments).suggestions,
        excluded_words=plans.EXCLUDED_WORDS, can_change=False, rule_names=RULE_NAMES, instance=now.instance,
        wishes=wishes.for_inspection(inspection),
        has_error=bool(why_form.assessor.errors)), 400 if why_form.assessor.errors else 200


@bp.route("/seats/<inspection>/<specialism>/offer", methods=["POST"])
@role_required(*WHO)
def offer(inspection: str, specialism: str):
    """Offer the seat to one assessor: proposed, their employer asked to confirm, or refused with why."""
    form = ActionForm()
    if not form.validate() or not form.key.data:
        abort(400)
    back = url_for("teams.seat_now", inspection=inspection, specialism=specialism)
    try:
        deployment, asked = refill.offer(inspection, specialism, form.key.data)
        db.session.commit()
    except refill.NoSuchSeat:
        abort(404)      # like the seat's own page: the address names no seat that can be offered
    except refill.Refused as refused:
        db.session.rollback()
        flash(str(refused), "error")
        return redirect(back)
    who = person(deployment.assessor.name, deployment.assessor.reference)
    employer = deployment.assessor.employer.name
    flash(f"Offered to {who}: {deployment.day_count} days from {long_date(date.fromisoformat(deployment.days[0]))}. "
          + (f"We have asked {employer} to confirm their release" if asked else
             f"{employer} has not been asked yet: confirm the release contact under Employer contacts first")
          + ", and emailed the assessor.", "success")
    return redirect(back)


@bp.route("/runs/<int:run_id>/pin", methods=["POST"], defaults={"pinned": True})
@bp.route("/runs/<int:run_id>/unpin", methods=["POST"], defaults={"pinned": False})
@role_required(*WHO)
def pin(run_id: int, pinned: bool):
    form = ActionForm()
    if not form.validate():
        abort(400)
    run = db.session.get(SolveRun, run_id, with_for_update=True)   # two coordinators' pins: one after the other
    if run is None:
        abort(404)
    if not plans.can_change(run):
        flash("This plan can no longer be changed.")
        return redirect(url_for("teams.run", run_id=run.id))
    if plans.set_pin(run, form.key.data or "", pinned) is None:
        abort(404)
    db.session.commit()
    who, where = (form.key.data or "").split("|", 1)
    flash(f"{who} is {'pinned' if pinned else 'no longer pinned'} on {where}.", "success")
    return redirect(url_for("teams.run", run_id=run.id) + f"#{where}")


@bp.route("/runs/<int:run_id>/replace/<inspection>/<specialism>", methods=["POST"])
@role_required(*WHO)
def replace(run_id: int, inspection: str, specialism: str):
    run = _run(run_id)
    _seat_context(run, inspection, specialism)
    form = ReplaceForm()
    if not plans.can_change(run):
        flash("This plan can no longer be changed.")
        return redirect(url_for("teams.seat", run_id=run.id, inspection=inspection, specialism=specialism))
    if not form.validate():
        abort(400)
    ref = form.reference()
    problem = None if ref is None else plans.replace(run, form.key.data or "", ref)
    if ref is None or problem:
        if problem:
            form.replacement.errors = [problem]
        db.session.rollback()
        return seat(run.id, inspection, specialism, replace_form=form, status=400)
    db.session.commit()
    out = (form.key.data or "").split("|", 1)[0]
    names = plans.instance_of(run)
    flash(f"{plans.name_of(names, ref)} replaces {plans.name_of(names, out)} on {inspection}.", "success")
    return redirect(url_for("teams.seat", run_id=run.id, inspection=inspection, specialism=specialism))


# ----------------------------------------------------------------------------- publish

@bp.route("/runs/<int:run_id>/publish", methods=["GET", "POST"])
@role_required(*WHO)
def publish(run_id: int):
    """GET: the check page (who is emailed, what changes, what stays unfilled, warnings and what
    would be refused); only its button (POST) publishes."""
    run = _run(run_id)
    if plans.variant_of(run) is not None:
        flash(f"Not published: {plans.VARIANT_REFUSED}. Nothing was changed.", "important")
        return redirect(url_for("teams.run", run_id=run.id))
    if request.method == "GET":
        return _publish_check(run)
    form = ActionForm()
    if not form.validate():
        abort(400)
    try:
        result = plans.publish(run)
        db.session.commit()
    except plans.PublishConflict as conflict:
        db.session.rollback()
        flash(f"Not published: {conflict}. Nothing was changed and this plan is kept: build the teams "
              "again to plan from the current data.")
        return redirect(url_for("teams.run", run_id=run_id))
    flash(f"Published as plan version {result.version}: {result.added} added, {result.changed} changed, "
          f"{result.removed} withdrawn. Employers have been asked to confirm, and assessors told.", "success")
    return redirect(url_for("teams.run", run_id=run_id))


def _publish_check(run: SolveRun):
    if run.published_at is not None:
        flash("These teams have already been published.")
        return redirect(url_for("teams.run", run_id=run.id))
    if not plans.can_change(run):
        abort(404)
    check = plans.publish_check(run)
    return render_template("teams/publish.html", title="Check before publishing", run=run, check=check,
                           scope=planning.Scope.from_json(run.scope or {}), action_form=ActionForm())


@bp.route("/published")
@role_required(*WHO)
def published():
    rows = list(db.session.scalars(
        sa.select(Deployment).join(Inspection).where(
            Deployment.status.in_(planning.LIVE[:2]), Inspection.ends_on >= date.today())
        .options(joinedload(Deployment.assessor), joinedload(Deployment.inspection))
        .order_by(Inspection.starts_on, Inspection.reference, Deployment.specialism, Deployment.id)))
    return render_template("teams/published.html", title="Published teams", deployments=rows,
                           action_form=ActionForm())


@bp.route("/deployments/<int:deployment_id>/pin", methods=["POST"], defaults={"pinned": True})
@bp.route("/deployments/<int:deployment_id>/unpin", methods=["POST"], defaults={"pinned": False})
@role_required(*WHO)
def pin_published(deployment_id: int, pinned: bool):
    form = ActionForm()
    if not form.validate():
        abort(400)
    d = db.session.get(Deployment, deployment_id, with_for_update=True)
    if d is None:
        abort(404)
    plans.set_published_pin(d, pinned)
    db.session.commit()
    flash(f"{d.assessor.reference} is {'pinned' if pinned else 'no longer pinned'} on {d.inspection.reference}.",
          "success")
    return redirect(url_for("teams.published"))


# ----------------------------------------------------------------------------- policy

@bp.route("/policy", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def policy():
    """The year's cap on deployments per assessor and the order of the aims: every build from now
    on uses them."""
    current = PlanningPolicy.current()
    form = PolicyForm(data={"max_deployments_per_assessor": str(current.max_deployments_per_assessor),
                            "aims": current.aims})
    if form.validate_on_submit():
        before = {"max_deployments_per_assessor": current.max_deployments_per_assessor, "aims": current.aims}
        current.max_deployments_per_assessor = int(form.max_deployments_per_assessor.data)
        current.aims = form.aims.data
        db.session.add(current)
        db.session.flush()
        record("planning_policy.changed", object_type="planning_policy", object_id=current.id, before=before,
               after={"max_deployments_per_assessor": current.max_deployments_per_assessor, "aims": current.aims})
        db.session.commit()
        flash(f"Saved: from the next build, one assessor takes at most {current.max_deployments_per_assessor} "
              f"deployment{'s' if current.max_deployments_per_assessor != 1 else ''} this year, and the aims are "
              f"weighed in this order: {AIMS[current.aims][1][0].lower()}{AIMS[current.aims][1][1:]}.", "success")
        return redirect(url_for("teams.policy"))
    return render_template("teams/policy.html", title="Planning policy", form=form), 400 if form.errors else 200


# ----------------------------------------------------------------------------- export

@bp.route("/runs/<int:run_id>/instance.json")
@role_required(*WHO)
def instance_json(run_id: int):
    run = _run(run_id)
    if run.instance is None:
        abort(404)
    return attachment(json.dumps(run.instance, indent=1) + "\n", f"instance-{run.id}.json", "application/json")


@bp.route("/runs/<int:run_id>/plan.json")
@role_required(*WHO)
def plan_json(run_id: int):
    run = _run(run_id)
    if run.plan is None:
        abort(404)
    return attachment(json.dumps(run.plan, indent=1) + "\n", f"plan-{run.id}.json", "application/json")


@bp.route("/runs/<int:run_id>/teams.csv")
@role_required(*WHO)
def teams_csv(run_id: int):
    run = _run(run_id)
    if run.plan is None or run.instance is None:
        abort(404)
    instance = plans.instance_of(run)
    scope = set(plans.in_scope(run))
    rows = []
    for d in plans.plan_of(run).deployments:
        if d.inspection not in scope:
            continue
        a = instance.assessor_by_id[d.assessor]
        ins = instance.inspection_by_id[d.inspection]
        rows.append((d.inspection, ins.title, Specialism(d.specialism).label, d.assessor, a.name, a.employer,
                     len(d.days), day_list(d.days)))
    return csv_response(f"teams-{run.id}.csv",
                        ["Inspection", "Title", "Specialism", "Assessor", "Name", "Employer", "Days", "Dates"], rows)
