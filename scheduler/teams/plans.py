"""What the team builder does with a solve run: start it, adjust its plan by hand (pins and
replacements, checked by solver.rules), and publish it in one transaction."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import defer, joinedload

import solver
from scheduler import deployment_mail, planning
from scheduler.audit import record
from scheduler.deployments import status
from scheduler.employer import deployments as employer_deployments
from scheduler.extensions import db
from scheduler.formatting import long_date, person
from scheduler.models import (
    Assessor,
    Deployment,
    DeploymentStatus,
    Inspection,
    SolveRun,
    SolveRunStatus,
    Specialism,
    User,
    utcnow,
)
from solver.check import check_deployments
from solver.explain import explain_unfilled
from solver.model import KeepPublished
from solver.objective import LEVEL_BY_NAME, Level, levels_of, objective_of, values_of
from solver.preferences import KeenMiss, explain_keen
from solver.rules import feasible_days, length_bounds, why_not

PROOF_WORDS = {
    "optimal": "Best possible team: proven optimal",
    "feasible": "Good team found, not proven best within the time limit",
    "infeasible": "No team possible: the pinned and confirmed deployments contradict each other",
    "unknown": "No team found within the time limit",
}
LEVEL_WORDS = {"kept_published": "Published deployments kept", "seats_filled": "Seats filled",
               "days_deployed": "Days deployed", "repeat_deployments": "Repeat deployments",
               "travel_km": "Travel (km)", "rather_not": "Deployments where the assessor would rather not be",
               "keen": "Deployments on an inspection the assessor asked to join",
               "partnerships_reached": "Council areas sending an assessor"}
EXCLUDED_WORDS = {
    "own_area": "The inspection is in their own area",
    "employer_conflict": "Their employer is excluded from the inspection (conflict of interest)",
    "no_agreement": "No agreement with their employer",
    "agreement_window": "Their agreement's period does not cover the inspection",
    "agreement_days": "Their agreement allows too few days",
    "unavailable": "Unavailable on the days needed",
    "deployment_cap": "Already at the maximum number of deployments",
    "busy": "Busy: their days or agreed total are taken by other deployments",
}


PUBLISH_LOCK = 100_010          # the PostgreSQL advisory lock publishers take turns on
MAX_REASONS_SHOWN = 3


def proven_levels(objective: dict | None, bound: dict | None) -> tuple[list[str], list[str]]:
    """The plan's levels whose bound meets their value (proven best), and the others."""
    proven: list[str] = []
    open_: list[str] = []
    for level, value in (objective or {}).items():
        b = (bound or {}).get(level)
        (proven if b is not None and round(b) == round(value) else open_).append(level)
    return proven, open_


def _levels_in_words(levels: list[str]) -> str:
    return ", ".join(LEVEL_WORDS.get(x, x).lower() for x in levels)


def result_words(run_status: str, plan_status: str | None, objective: dict | None, bound: dict | None,
                 built_status: str | None) -> str:
    """What a build's result is, truthfully: a cancelled build says so and what it had proven
    when it stopped; a plan changed by hand says so (not "not proven within the time limit")."""
    if run_status == SolveRunStatus.CANCELLED.value:
        proven, open_ = proven_levels(objective, bound)
        if not proven:
            return "Cancelled before anything was proven: the best teams found until then"
        return (f"Cancelled: proven best on {_levels_in_words(proven)}"
                + (f"; not proven on {_levels_in_words(open_)}" if open_ else ""))
    if built_status is not None:
        return f"Changed by hand after the build (as built: {PROOF_WORDS.get(built_status, built_status)})"
    if plan_status == "feasible" and objective and not proven_levels(objective, bound)[1]:
        plan_status = "optimal"         # stopped by the time limit, yet every level meets its bound
    return PROOF_WORDS.get(plan_status or "", plan_status or "")


@dataclass(frozen=True)
class AimProof:
    """One aim of a build, in the order the build weighed them: its figure on the build's inspections
    and whether it is proven best possible; if not, how good it could be (from the solver's bound),
    or ``unknown_because`` when that is not known."""

    level: str
    value: int
    proven: bool
    could_be: int | None = None
    unknown_because: str = ""

    def in_words(self) -> str:
        label = LEVEL_WORDS.get(self.level, self.level)
        if self.proven:
            return f"{label}: {self.value}, proven best possible"
        if self.could_be is None:
            return f"{label}: {self.value}, not proven: {self.unknown_because}"
        most = "up to" if LEVEL_BY_NAME.get(self.level, _KEPT).sense > 0 else "as low as"
        return f"{label}: {self.value}, best found, could be {most} {self.could_be}"


_KEPT = Level("kept_published", +1, "published deployments kept")
NOT_KNOWN_BELOW = "how good it could be is not known until an aim weighed before it is proven"
CHANGED_BY_HAND = "the teams were changed by hand after the build"


def aim_proofs(instance: solver.Instance, plan: solver.Plan, scope: list[str], run_status: str,
               objective: dict | None, bound: dict | None, built_status: str | None) -> list[AimProof]:
    """Every aim the build weighed, in its order (keeping published deployments first when it
    re-planned), with the same proofs as result_words: a level is proven when its value meets its
    bound (every level of an optimal plan; a cancelled build's by its bounds alone). Figures are
    the build's inspections' (scope_figures); deployments elsewhere are pinned, so a bound on the
    whole plan less what they add bounds the build's own figure (for council areas, which do not
    add up, the whole plan's bound itself)."""
    objective, bound = objective or {}, bound or {}
    ours = [d for d in plan.deployments if d.inspection in scope]
    mine = values_of(instance, ours)
    mine["repeat_deployments"] = scope_figures(instance, plan, scope).repeat_deployments
    levels = (["kept_published"] if "kept_published" in objective else []) + [
        level.name for level in levels_of(instance)]
    proven_by_bound, _ = proven_levels(objective, bound)
    optimal = plan.status == "optimal" and run_status != SolveRunStatus.CANCELLED.value
    out = []
    for name in levels:
        if name == "kept_published":
            value = int(objective[name])
            proven = optimal and built_status is None
        else:
            value = mine[name]
            proven = built_status is None and (optimal or name in proven_by_bound)
        if proven:
            out.append(AimProof(name, value, True))
        elif built_status is not None:
            out.append(AimProof(name, value, False, unknown_because=CHANGED_BY_HAND))
        elif bound.get(name) is None:
            out.append(AimProof(name, value, False, unknown_because=NOT_KNOWN_BELOW))
        elif name == "partnerships_reached":
            out.append(AimProof(name, value, False, round(bound[name])))
        else:
            # (never below nothing: a trivial bound of a level to keep down, such as no travel at
            # all, may be below what the deployments elsewhere already add)
            out.append(AimProof(name, value, False, max(0, round(bound[name]) - (round(objective[name]) - value))))
    return out


@dataclass
class Figures:
    """A build's result on its own inspections (not the context of deployments elsewhere)."""

    seats: int
    seats_filled: int
    days_deployed: int
    repeat_deployments: int
    travel_km: int


def scope_figures(instance: solver.Instance, plan: solver.Plan, scope: list[str]) -> Figures:
    """Seats, days and travel of the deployments on the build's inspections; repeat deployments
    are those its teams add to what assessors already had elsewhere. Every level's value is read
    whatever order the instance optimises them in (values_of, not objective_of)."""
    ours = [d for d in plan.deployments if d.inspection in scope]
    elsewhere = [d for d in plan.deployments if d.inspection not in scope]
    mine = values_of(instance, ours)
    repeats = (values_of(instance, plan.deployments)["repeat_deployments"]
               - values_of(instance, elsewhere)["repeat_deployments"])
    seats = sum(s.count for ref in scope if (i := instance.inspection_by_id.get(ref)) for s in i.seats)
    return Figures(seats, mine["seats_filled"], mine["days_deployed"], repeats, mine["travel_km"])


@dataclass
class Aims:
    """The aims beyond seats and days, on the build's inspections: who asked and was placed as
    they wished, who was placed where they would rather not be, which council areas send someone."""

    asked: list[str]              # assessors keen on at least one of the scope's inspections
    placed_as_wished: list[str]   # of those, the ones on an inspection they wanted
    rather_not: list[str]         # deployments (assessor|inspection) where the assessor would rather not be
    areas_reached: list[str]      # council areas that send an assessor
    areas: int                    # council areas in all
    values: dict[str, int]        # the solver's levels (values_of) of the same deployments

    def in_words(self) -> str:
        wished = (f"{len(self.placed_as_wished)} of {len(self.asked)} assessors who asked were placed on "
                  f"an inspection they wanted" if self.asked
                  else "No assessor asked to join one of these inspections")
        n = self.values["rather_not"]
        unwanted = ("no one was placed where they'd rather not be" if not n else
                    f"{n} {'deployment is' if n == 1 else 'deployments are'} where the assessor said they'd "
                    "rather not be")
        areas = f"{self.values['partnerships_reached']} of {self.areas} council areas send an assessor"
        return f"{wished}; {unwanted}; {areas}."


def scope_aims(instance: solver.Instance, plan: solver.Plan, scope: list[str]) -> Aims:
    ours = [d for d in plan.deployments if d.inspection in scope]
    asked = sorted(a.id for a in instance.assessors if set(a.keen) & set(scope))
    placed = sorted({d.assessor for d in ours if d.inspection in instance.assessor_by_id[d.assessor].keen})
    unwanted = [key_of(d) for d in ours if d.inspection in instance.assessor_by_id[d.assessor].rather_not]
    reached = sorted({instance.assessor_by_id[d.assessor].home_area for d in ours})
    areas = sum(1 for a in instance.areas if a.id != planning.NATIONAL_AREA.id)
    return Aims(asked, placed, unwanted, reached, areas, values_of(instance, ours))


def keen_misses(run: SolveRun, instance: solver.Instance, plan: solver.Plan, scope: list[str],
                proven: bool) -> list[KeenMiss]:
    """Each assessor and inspection of the build they asked to join but were not placed on, with
    the reason in words (solver.preferences.explain_keen: a rule, or the aim that decided it, with
    a re-plan's 'keep the published teams' weighed first as in the solve)."""
    keep = [_dep(d) for d in planning.RunScope.of(run.scope).keep]
    extra = [KeepPublished(tuple(keep))] if keep else []
    return [m for m in explain_keen(instance, plan.deployments, proven, extra) if m.inspection in scope]


class PublishConflict(Exception):
    """Someone else published or changed these teams first, or the plan no longer fits what is
    recorded now (a rule it breaks, an assessor who left); nothing was saved."""


def key_of(d) -> str:
    return f"{d.assessor}|{d.inspection}"


def start_run(scope: planning.Scope, user: User | None, *, replan: bool = False) -> SolveRun:
    return _queue(planning.RunScope(scope, replan, current_app.config.get("SOLVE_TIME_LIMIT", 60)), user,
                  "teams.build_requested")


def start_variant(base: SolveRun, variant: planning.Variant, user: User | None) -> SolveRun:
    """Queue a what-if build of ``base`` (a finished build) with the variant's changes."""
    built = planning.RunScope.of(base.scope)
    asked = planning.RunScope(built.asked, built.replan, current_app.config.get("SOLVE_TIME_LIMIT", 60),
                              variant=variant)
    return _queue(asked, user, "teams.variant_requested")


def _queue(asked: planning.RunScope, user: User | None, action: str) -> SolveRun:
    run = SolveRun(status=SolveRunStatus.QUEUED.value, scope=asked.to_json(),
                   progress=[], started_by=user, adjustments={"pinned": [], "replaced": []})
    db.session.add(run)
    db.session.flush()
    record(action, object_type="solve_run", object_id=run.id, after=run.scope)
    return run


def variant_of(run: SolveRun) -> planning.Variant | None:
    """What a what-if build varies, or None for a real build."""
    return planning.Variant.of((run.scope or {}).get("variant"))


VARIANT_REFUSED = "A variant is a what-if build: it cannot be published. Publish the build it varies, or build again"


def instance_of(run: SolveRun) -> solver.Instance:
    return solver.Instance.from_json(run.instance)


def plan_of(run: SolveRun) -> solver.Plan:
    return solver.Plan.from_json(run.plan)


def in_scope(run: SolveRun) -> list[str]:
    return list(planning.RunScope.of(run.scope).in_scope)


def adjustments(run: SolveRun) -> dict:
    data = dict(run.adjustments or {})
    data.setdefault("pinned", [])
    data.setdefault("replaced", [])
    return data


def fixed_keys(instance: solver.Instance) -> set[str]:
    """Deployments the instance pinned (confirmed by the employer or pinned before)."""
    return {key_of(p) for p in instance.pinned}


def name_of(instance: solver.Instance, reference: str) -> str:
    """'Ailsa MacKay (A00002)' for an assessor of the instance (the reference if not in it)."""
    a = instance.assessor_by_id.get(reference)
    return person(a.name if a else None, reference)


def can_change(run: SolveRun) -> bool:
    """Pins, replacements and publishing: only on a real build's unpublished plan (never a variant)."""
    return (run.status == SolveRunStatus.FINISHED.value and run.published_at is None and run.plan is not None
            and variant_of(run) is None)


# ----------------------------------------------------------------------------- pins

def set_pin(run: SolveRun, key: str, pinned: bool) -> bool | None:
    """Pin or unpin one proposed deployment of an unpublished plan (setting, not toggling, so a
    second press changes nothing). Returns whether it changed, or None if there is no such
    deployment or it is fixed by the instance."""
    plan = run.plan or {}
    if key not in {key_of(_dep(d)) for d in plan.get("deployments", [])}:
        return None
    if key in fixed_keys(instance_of(run)):
        return None
    adj = adjustments(run)
    keys = set(adj["pinned"])
    if (key in keys) == pinned:
        return False
    keys.symmetric_difference_update({key})
    adj["pinned"] = sorted(keys)
    run.adjustments = adj
    record("teams.pinned" if pinned else "teams.unpinned", object_type="solve_run", object_id=run.id,
           after={"deployment": key})
    return True


def set_published_pin(deployment: Deployment, pinned: bool) -> bool:
    """Pin or unpin a published deployment; returns whether it changed."""
    if deployment.pinned == pinned:
        return False
    before = {"pinned": deployment.pinned}
    deployment.pinned = pinned
    record("deployment.pinned" if pinned else "deployment.unpinned", object_type="deployment",
           object_id=deployment.id, before=before, after={"pinned": pinned})
    return True


def _dep(d: dict) -> solver.Deployment:
    return solver.Deployment(d["assessor"], d["inspection"], d["specialism"],
                             tuple(date.fromisoformat(x) for x in d["days"]))


# ----------------------------------------------------------------------------- replacement

def replace(run: SolveRun, key: str, new_ref: str) -> str | None:
    """Put another assessor in a proposed deployment's place. Every rule is checked by
    solver.rules/solver.check; a refusal names the rule. Returns the problem, or None if done."""
    instance = instance_of(run)
    plan = plan_of(run)
    deps = list(plan.deployments)
    old = next((d for d in deps if key_of(d) == key), None)
    if old is None:
        return "That deployment is not in this plan"
    if key in fixed_keys(instance) or key in adjustments(run)["pinned"]:
        return (f"rule 7 (pinned): {name_of(instance, old.assessor)} is pinned on {old.inspection}; unpin the "
                f"deployment before replacing them")
    assessor = instance.assessor_by_id.get(new_ref)
    if assessor is None:
        return f"{new_ref} is not an active assessor in this plan's data"
    who = name_of(instance, new_ref)
    inspection = instance.inspection_by_id[old.inspection]
    others = [d for d in deps if d is not old]
    reason = why_not(instance, assessor, inspection, old.specialism, others)
    if reason is not None:
        return f"{who} cannot take this seat: {reason}"
    new = choose_days(instance, assessor, inspection, old, others)
    if new is None:
        return f"{who} cannot take this seat: rule 4 (days): no set of days fits"
    trial = others + [new]
    violations = check_deployments(instance, trial)
    if violations:
        return f"{who} cannot take this seat: {violations[0].sentence}"
    trial.sort(key=lambda d: (d.inspection, d.specialism, d.assessor))
    obj = objective_of(instance, trial)
    for name, value in (plan.objective or {}).items():
        if name not in obj:
            obj[name] = value
    edited = solver.Plan("feasible", obj, None, plan.solve_seconds, tuple(trial),
                         tuple(explain_unfilled(instance, trial)))
    run.plan = edited.to_json()
    run.objective = dict(obj)
    adj = adjustments(run)
    adj.setdefault("built_status", plan.status)       # what the solver had proven, before any hand
    adj["replaced"] = [*adj["replaced"], {"out": old.assessor, "in": new_ref, "inspection": old.inspection,
                                          "specialism": old.specialism, "at": utcnow().isoformat()}]
    run.adjustments = adj
    record("teams.replaced", object_type="solve_run", object_id=run.id,
           before={"deployment": old.to_json()}, after={"deployment": new.to_json()})
    return None


def choose_days(instance, assessor, inspection, old, others) -> solver.Deployment | None:
    """The replaced deployment's days if they suit the new assessor, else the mandatory days and
    the earliest free allowed days, as many as the old deployment had (within the rules)."""
    seat = inspection.seat(old.specialism)
    mine = [d for d in others if d.assessor == assessor.id]
    used = {x for d in mine for x in d.days}
    free = [x for x in feasible_days(instance, assessor, inspection) if x not in used]
    lo, hi = length_bounds(assessor, inspection, seat)
    left = assessor.agreement.max_days_total - sum(len(d.days) for d in mine)
    n = max(lo, min(len(old.days), hi, len(free), left))
    same = solver.Deployment(assessor.id, inspection.id, old.specialism, old.days)
    if set(old.days) <= set(free) and lo <= len(old.days) <= min(hi, left):
        return same
    chosen = [x for x in inspection.mandatory_days if x in free]
    for x in free:
        if len(chosen) >= n:
            break
        if x not in chosen:
            chosen.append(x)
    if len(chosen) < n:
        return None
    return solver.Deployment(assessor.id, inspection.id, old.specialism, tuple(sorted(chosen)))


# ----------------------------------------------------------------------------- publish

@dataclass
class Published:
    version: int
    added: int
    changed: int
    removed: int
    unchanged: int


def one_publisher_at_a_time() -> None:
    """Publishers take turns, to the end of their transactions, so each checks its plan against
    what the ones before it published. One turn for all publishers, not one per day: rule 6
    (a cap, an agreed total) ties an assessor's deployments on any days together, and publishing
    takes a second or two. PostgreSQL: a transaction-level advisory lock. SQLite: the transaction's
    first write (the claim's UPDATE at the latest) takes the database's write lock until commit,
    so what the check reads next is what earlier publishers committed."""
    if db.engine.dialect.name == "postgresql":
        db.session.execute(sa.select(sa.func.pg_advisory_xact_lock(PUBLISH_LOCK)))


NOTICE_WEEKS = 4          # less notice than this before an inspection starts is worth a warning


@dataclass
class ChangeRow:
    """One deployment publishing adds, changes or withdraws, with the names a person reads."""

    change: planning.Change
    assessor: Assessor
    inspection: Inspection

    @property
    def specialism_label(self) -> str:
        return Specialism(self.change.key[2]).label

    @property
    def was_confirmed(self) -> bool:
        return self.change.status == DeploymentStatus.EMPLOYER_CONFIRMED.value


@dataclass
class Email:
    """One email publishing sends: to whom, what it asks, about which deployment."""

    recipient: str
    name: str
    role: str                 # "employer" or "assessor"
    organisation: str
    subject: str
    asked: str
    about: ChangeRow


@dataclass
class PublishCheck:
    """Everything publishing a run would do and everything it would refuse, computed once: the
    check page shows it, and publish() acts on it (so what the page shows is what happens)."""

    added: list[ChangeRow]
    changed: list[ChangeRow]
    withdrawn: list[ChangeRow]
    unchanged: int
    emails: list[Email]
    unfilled: list[tuple[Inspection, str, int]]     # inspection, specialism label, places unfilled
    warnings: list[str]
    someone_else_changed: bool                      # the teams changed since the plan was built
    problems: list[str]                             # rules the plan breaks against the data now
    changes: list[planning.Change]

    @property
    def refusals(self) -> list[str]:
        return ([CHANGED_MEANWHILE] if self.someone_else_changed else []) + self.problems

    def people(self) -> list[tuple[Email, list[Email]]]:
        """The emails by recipient (employers first), in the order they are sent."""
        by: dict[tuple[str, str], list[Email]] = {}
        for e in sorted(self.emails, key=lambda e: (e.role != "employer", e.organisation, e.name, e.recipient)):
            by.setdefault((e.role, e.recipient), []).append(e)
        return [(es[0], es) for es in by.values()]


CHANGED_MEANWHILE = ("Someone else changed the teams of these inspections after this plan was built (they "
                     "published, pinned, or an employer or assessor answered)")


def publish_check(run: SolveRun, today: date | None = None) -> PublishCheck:
    """What publishing this run would do now: the deployments it adds, changes and withdraws,
    the emails it sends (employers asked to confirm, assessors told), the seats left unfilled,
    warnings for the coordinator, and what the publish-time check would refuse."""
    today = today or date.today()
    scope = in_scope(run)
    ids = list(db.session.scalars(sa.select(Inspection.id).where(Inspection.reference.in_(scope))))
    meanwhile = planning.baseline_of(ids) != planning.RunScope.of(run.scope).baseline
    problems = planning.publish_problems(run.plan, scope)
    changes = planning.compare(run.plan, scope)
    assessors = {a.reference: a for a in db.session.scalars(
        sa.select(Assessor).where(Assessor.reference.in_({c.key[0] for c in changes}))
        .options(joinedload(Assessor.employer)))}
    inspections = {i.reference: i for i in db.session.scalars(
        sa.select(Inspection).where(Inspection.reference.in_(scope)))}
    # (an assessor or inspection no longer on record is among the problems, which refuse publishing)
    rows = {kind: [ChangeRow(c, assessors[c.key[0]], inspections[c.key[1]]) for c in changes
                   if c.kind == kind and c.key[0] in assessors and c.key[1] in inspections]
            for kind in ("added", "changed", "removed")}
    emails: list[Email] = []
    warnings: list[str] = []
    withdrawn = {d.id: d for d in db.session.scalars(
        sa.select(Deployment).where(Deployment.id.in_([r.change.deployment_id for r in rows["removed"]])))}
    for kind, what in (("added", deployment_mail.PROPOSED), ("changed", deployment_mail.CHANGED),
                       ("removed", deployment_mail.WITHDRAWN)):
        for row in rows[kind]:
            a, i = row.assessor, row.inspection
            if what == deployment_mail.WITHDRAWN:
                agreement = employer_deployments.withdrawal_contact(withdrawn[row.change.deployment_id])
                if agreement is not None:
                    emails.append(Email(agreement.contact_email, agreement.contact_name, "employer",
                                        a.employer.name, deployment_mail.employer_withdrawn_subject(a, i),
                                        deployment_mail.employer_told(a), row))
            else:
                agreement = deployment_mail.contact_to_ask(a, row.change.days)
                if agreement is None:
                    warnings.append(f"{person(a.name, a.reference)}'s employer will not be asked to confirm their "
                                    f"release on {i.reference}: nobody has confirmed their employer contact yet")
                else:
                    emails.append(Email(agreement.contact_email, agreement.contact_name, "employer",
                                        a.employer.name, deployment_mail.employer_subject(a, i),
                                        deployment_mail.employer_asked(a), row))
            emails.append(Email(a.email, a.name, "assessor", a.employer.name,
                                deployment_mail.assessor_subject(what, i), deployment_mail.assessor_asked(what), row))
    for row in rows["removed"]:
        if row.was_confirmed:
            warnings.append(f"Withdraws {person(row.assessor.name, row.assessor.reference)} from "
                            f"{row.inspection.reference} although their employer has confirmed their release")
    for row in rows["changed"]:
        if row.was_confirmed:
            warnings.append(f"Changes the days of {person(row.assessor.name, row.assessor.reference)} on "
                            f"{row.inspection.reference} although their employer has confirmed their release: "
                            "the employer is asked again")
    soon = sorted({r.inspection for r in rows["added"] + rows["changed"]
                   if (r.inspection.starts_on - today).days < NOTICE_WEEKS * 7},
                  key=lambda i: (i.starts_on, i.reference))
    for i in soon:
        days = (i.starts_on - today).days
        warnings.append(f"{i.title} ({i.reference}) starts on {long_date(i.starts_on)}, "
                        + (f"in {days} day{'s' if days != 1 else ''}" if days >= 0 else "and has already started")
                        + f": less than {NOTICE_WEEKS} weeks' notice for the assessors and their employers")
    unfilled = [(inspections[u.inspection], Specialism(u.specialism).label, u.missing)
                for u in plan_of(run).unfilled if u.inspection in inspections]
    return PublishCheck(rows["added"], rows["changed"], rows["removed"],
                        sum(c.kind == "unchanged" for c in changes), emails, unfilled, warnings,
                        meanwhile, problems, changes)


def publish(run: SolveRun) -> Published:
    """Store the plan's deployments as proposed, ask employers to confirm them, tell assessors;
    withdraw published deployments the plan no longer has. One transaction: the caller commits,
    and on any exception rolls back (nothing is half-published). A second publisher whose data
    changed meanwhile, or whose plan breaks a rule against what is published now (checked by
    solver.check on an instance rebuilt from the database), gets PublishConflict. What it does
    is what publish_check (the check page) says, computed again now it has its turn."""
    scope = in_scope(run)
    if run.plan is None or run.status != SolveRunStatus.FINISHED.value:
        raise PublishConflict("Only a finished plan can be published")
    if variant_of(run) is not None:
        raise PublishConflict(VARIANT_REFUSED)
    one_publisher_at_a_time()
    # Claim the run: the conditional update succeeds once.
    claimed = db.session.execute(
        sa.update(SolveRun).where(SolveRun.id == run.id, SolveRun.published_at.is_(None))
        .values(published_at=utcnow()))
    if claimed.rowcount != 1:
        raise PublishConflict("These teams have already been published")
    check = publish_check(run)
    if check.someone_else_changed:
        raise PublishConflict(CHANGED_MEANWHILE)
    broken = check.problems
    if broken:
        raise PublishConflict("the plan no longer fits what is recorded now: "
                              + "; ".join(broken[:MAX_REASONS_SHOWN])
                              + (f" (and {len(broken) - MAX_REASONS_SHOWN} more)"
                                 if len(broken) > MAX_REASONS_SHOWN else ""))
    version = (db.session.scalar(sa.select(sa.func.max(SolveRun.version))) or 0) + 1
    pinned_keys = set(adjustments(run)["pinned"])
    changes = check.changes
    refs_a = {c.key[0] for c in changes}
    assessors = {a.reference: a for a in db.session.scalars(
        sa.select(Assessor).where(Assessor.reference.in_(refs_a)).options(joinedload(Assessor.employer)))}
    inspections = {i.reference: i for i in db.session.scalars(
        sa.select(Inspection).where(Inspection.reference.in_(scope)))}
    existing = {d.id: d for d in db.session.scalars(
        sa.select(Deployment).where(Deployment.id.in_([c.deployment_id for c in changes if c.deployment_id])))}
    counts = defaultdict(int)
    for c in changes:
        counts[c.kind] += 1
        key = f"{c.key[0]}|{c.key[1]}"
        if c.kind == "added":
            status.propose(status.new_deployment(assessors[c.key[0]], inspections[c.key[1]], c.key[2],
                                                 pinned=key in pinned_keys, plan_id=run.id), list(c.days))
            continue
        d = existing[c.deployment_id]
        d.plan_id = run.id
        if c.kind == "removed":
            status.withdraw(d, deployment_mail.REPLANNED, plan_version=version)
            continue
        if c.kind == "changed":
            status.propose(d, list(c.days))
        if key in pinned_keys:
            set_published_pin(d, True)
    run.version = version
    result = Published(version, counts["added"], counts["changed"], counts["removed"], counts["unchanged"])
    record("teams.published", object_type="solve_run", object_id=run.id,
           after={"version": version, "added": result.added, "changed": result.changed,
                  "removed": result.removed, "unchanged": result.unchanged, "inspections": scope})
    db.session.flush()
    return result


def published_versions() -> list[SolveRun]:
    return list(db.session.scalars(sa.select(SolveRun).where(SolveRun.version.is_not(None))
                                   .options(defer(SolveRun.instance), defer(SolveRun.plan), defer(SolveRun.scope))
                                   .order_by(SolveRun.version.desc())))
