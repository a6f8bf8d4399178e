"""Reading the instance and plan formats: JSON in and out, and validation of instances.

The domain types are :mod:`solver.domain` (re-exported here for the web app).  The formats are
defined in docs/solver/formats.md (normative copy of the deployment-problem
contract).  Every malformed input is rejected with *all* its errors, each naming the field by its
JSON path, e.g. ``inspections[3].seats[0].min_days: 3 is below the 4-day minimum``.
"""
from __future__ import annotations

import json
import math
from datetime import date
from pathlib import Path
from typing import Any

from .domain import (
    DEFAULT_MAX_DEPLOYMENTS,
    DEFAULT_OBJECTIVE,
    EXCLUDED_KEYS,
    INSTANCE_FORMAT,
    MAX_DEPLOYMENT_DAYS,
    MIN_DEPLOYMENT_DAYS,
    PLAN_FORMAT,
    SECTORS,
    SPECIALISMS,
    STATUSES,
    Agreement,
    Area,
    Assessor,
    DateRange,
    Deployment,
    Inspection,
    Instance,
    Plan,
    Policy,
    Seat,
    Unfilled,
)
from .objective import FIRST_LEVEL, LEVEL_BY_NAME
from .objective import NAMES as OBJECTIVE_KEYS
from .rules import pinned_errors

__all__ = ["DEFAULT_MAX_DEPLOYMENTS", "EXCLUDED_KEYS", "INSTANCE_FORMAT", "MAX_DEPLOYMENT_DAYS",
           "MIN_DEPLOYMENT_DAYS", "PLAN_FORMAT", "SECTORS", "SPECIALISMS", "STATUSES",
           "OBJECTIVE_KEYS", "Agreement", "Area", "Assessor", "DateRange", "Deployment",
           "Inspection", "Instance", "Plan", "Policy", "Seat", "Unfilled", "InvalidInstance",
           "InvalidPlan", "load_instance", "load_plan", "save_plan", "parse_instance",
           "parse_plan"]

INT64_LIMIT = 2 ** 63          # integers must fit 64 bits (numpy, CP-SAT, HiGHS)


class InvalidInstance(ValueError):
    """The input is malformed; ``errors`` lists every problem, each prefixed by its JSON path."""

    def __init__(self, errors: list[str]):
        self.errors = list(errors)
        super().__init__("\n".join(self.errors))


class InvalidPlan(InvalidInstance):
    """A plan file is malformed (not: breaks a rule - that is solver.check's business)."""


def _read_json(path: str | Path, cls: type[InvalidInstance]) -> Any:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise cls([f"{path}: cannot read file ({exc.__class__.__name__}: {exc})"]) from None
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as exc:     # JSONDecodeError, or a number too long
        raise cls([f"{path}: not valid JSON ({exc})"]) from None


def parse_instance(data: Any) -> Instance:
    """Parse and validate; raise InvalidInstance listing every error."""
    return _InstanceParser(data).parse()


def parse_plan(data: Any) -> Plan:
    """Parse; raise InvalidPlan listing every error."""
    return _PlanParser(data).parse()


def load_instance(path: str | Path) -> Instance:
    return Instance.from_json(_read_json(path, InvalidInstance))


def load_plan(path: str | Path) -> Plan:
    return Plan.from_json(_read_json(path, InvalidPlan))


def save_plan(plan: Plan, path: str | Path) -> None:
    Path(path).write_text(json.dumps(plan.to_json(), indent=1) + "\n", encoding="utf-8")


# ----------------------------------------------------------------------------- parsing

_MISSING = object()


def _type_name(v: Any) -> str:
    if v is None:
        return "null"
    return {bool: "boolean", int: "integer", float: "number", str: "string", list: "array",
            dict: "object"}.get(type(v), type(v).__name__)


def _short(v: Any) -> str:
    s = json.dumps(v) if isinstance(v, (str, int, float, bool, type(None))) else _type_name(v)
    return s if len(s) <= 60 else s[:57] + "..."


class _Parser:
    def __init__(self, data: Any):
        self.data = data
        self.errors: list[str] = []

    def err(self, path: str, msg: str) -> None:
        self.errors.append(f"{path}: {msg}" if path else msg)

    def obj(self, v: Any, path: str) -> dict | None:
        if not isinstance(v, dict):
            self.err(path, f"expected an object, got {_type_name(v)}")
            return None
        return v

    def get(self, o: dict, key: str, path: str, kind: str, *, required: bool = True,
            default: Any = None) -> Any:
        p = f"{path}.{key}" if path else key
        if key not in o:
            if required:
                self.err(p, "is required")
                return _MISSING
            return default
        v = o[key]
        return self.check_kind(v, p, kind)

    def check_kind(self, v: Any, p: str, kind: str) -> Any:
        if kind in ("integer", "number") and isinstance(v, int) and not isinstance(v, bool) \
                and not -INT64_LIMIT <= v < INT64_LIMIT:
            self.err(p, f"{_short(v)} is too large (beyond 64-bit integers)")
            return _MISSING
        ok = {
            "string": isinstance(v, str),
            "nonempty": isinstance(v, str) and v.strip() != "",
            "integer": isinstance(v, int) and not isinstance(v, bool),
            "number": isinstance(v, (int, float)) and not isinstance(v, bool)
                      and math.isfinite(float(v)),
            "array": isinstance(v, list),
            "object": isinstance(v, dict),
        }[kind]
        if not ok:
            if kind == "nonempty" and isinstance(v, str):
                self.err(p, "must not be empty")
            else:
                want = {"nonempty": "string", "number": "finite number"}.get(kind, kind)
                self.err(p, f"expected {want}, got {_type_name(v)} {_short(v)}".rstrip())
            return _MISSING
        return v

    def day(self, v: Any, p: str) -> date | None:
        if v is _MISSING:
            return None
        if not isinstance(v, str):
            self.err(p, f"expected a date string YYYY-MM-DD, got {_type_name(v)} {_short(v)}")
            return None
        try:
            if len(v) != 10:
                raise ValueError
            return date.fromisoformat(v)
        except ValueError:
            self.err(p, f"{_short(v)} is not a valid date (YYYY-MM-DD)")
            return None

    def date_list(self, v: Any, p: str) -> list[date] | None:
        if v is _MISSING:
            return None
        out: list[date] = []
        seen: set[date] = set()
        ok = True
        for k, item in enumerate(v):
            d = self.day(item, f"{p}[{k}]")
            if d is None:
                ok = False
            elif d in seen:
                self.err(f"{p}[{k}]", f"{d.isoformat()} is listed twice")
                ok = False
            else:
                seen.add(d)
                out.append(d)
        return sorted(out) if ok else None

    def date_range(self, v: Any, p: str, keys: tuple[str, str] = ("from", "to")
                   ) -> DateRange | None:
        o = self.obj(v, p)
        if o is None:
            return None
        k1, k2 = keys
        a = self.day(self.get(o, k1, p, "string"), f"{p}.{k1}")
        b = self.day(self.get(o, k2, p, "string"), f"{p}.{k2}")
        if a is None or b is None:
            return None
        if a > b:
            self.err(p, f"{k1!r} {a.isoformat()} is after {k2!r} {b.isoformat()}")
            return None
        return DateRange(a, b)

    def format_field(self, o: dict, expected: str) -> None:
        fmt = o.get("format", _MISSING)
        if fmt is _MISSING:
            self.err("format", f"is required (expected {expected!r})")
        elif fmt != expected:
            self.err("format", f"{_short(fmt)} is not {expected!r}")

    def deployment(self, v: Any, p: str) -> Deployment | None:
        o = self.obj(v, p)
        if o is None:
            return None
        a = self.get(o, "assessor", p, "nonempty")
        i = self.get(o, "inspection", p, "nonempty")
        s = self.get(o, "specialism", p, "string")
        raw_days = self.get(o, "days", p, "array")
        days = self.date_list(raw_days, f"{p}.days")
        if _MISSING in (a, i, s) or days is None:
            return None
        return Deployment(a, i, s, tuple(days))


class _InstanceParser(_Parser):
    def parse(self) -> Instance:
        root = self.obj(self.data, "")
        if root is None:
            raise InvalidInstance(["instance: expected a JSON object at the top level, got "
                                   + _type_name(self.data)])
        self.format_field(root, INSTANCE_FORMAT)
        known = {"format", "horizon", "non_working_days", "policy", "areas", "assessors",
                 "inspections", "pinned"}
        for k in root:
            if k not in known:
                self.err(str(k), "unknown field")

        horizon = None
        h = self.get(root, "horizon", "", "object")
        if h is not _MISSING:
            horizon = self.date_range(h, "horizon", ("start", "end"))

        nwd = self.date_list(self.get(root, "non_working_days", "", "array", required=False,
                                      default=[]), "non_working_days") or []

        policy = self.policy(root)
        areas = self.areas(self.get(root, "areas", "", "array"))
        area_ids = {a.id for a in areas}
        raw_assessors = self.get(root, "assessors", "", "array")
        assessors = self.assessors(raw_assessors, area_ids)
        inspections = self.inspections(self.get(root, "inspections", "", "array"), area_ids)
        raw_inspections = root.get("inspections")
        if isinstance(raw_inspections, list):
            self.preference_ids(raw_assessors, {v["id"] for v in raw_inspections
                                                if isinstance(v, dict)
                                                and isinstance(v.get("id"), str)})
        pinned_raw = self.get(root, "pinned", "", "array", required=False, default=[])
        pinned: list[tuple[int, Deployment]] = []
        if pinned_raw is not _MISSING:
            for k, v in enumerate(pinned_raw):
                d = self.deployment(v, f"pinned[{k}]")
                if d is not None:
                    pinned.append((k, d))

        if self.errors or horizon is None:
            if not self.errors:
                self.err("horizon", "is required")
            raise InvalidInstance(self.errors)
        inst = Instance(horizon, frozenset(nwd), policy, tuple(areas), tuple(assessors),
                        tuple(inspections), tuple(d for _, d in pinned))
        # Pinned deployments: each must keep every hard rule on its own (rules 1-4, 6 and the
        # cross-checks between pinned are left to the solver, which reports 'infeasible').
        for k, d in pinned:
            for msg in pinned_errors(inst, d):
                self.err(f"pinned[{k}]", msg)
        if self.errors:
            raise InvalidInstance(self.errors)
        return inst

    def policy(self, root: dict) -> Policy:
        pol = self.get(root, "policy", "", "object", required=False, default={})
        if pol is _MISSING:
            return Policy()
        m = self.get(pol, "max_deployments_per_assessor", "policy", "integer",
                     required=False, default=DEFAULT_MAX_DEPLOYMENTS)
        if m is not _MISSING and m < 1:
            self.err("policy.max_deployments_per_assessor", f"{m} must be at least 1")
            m = _MISSING
        order = self.objective_order(pol)
        return Policy(DEFAULT_MAX_DEPLOYMENTS if m is _MISSING else m, order)

    def objective_order(self, pol: dict) -> tuple[str, ...]:
        """policy.objective: level names, each at most once, seats_filled first."""
        raw = self.get(pol, "objective", "policy", "array", required=False, default=None)
        if raw is None or raw is _MISSING:
            return DEFAULT_OBJECTIVE
        if not raw:
            self.err("policy.objective", f"must list the levels, {FIRST_LEVEL!r} first")
        names: list[str] = []
        for k, name in enumerate(raw):
            p = f"policy.objective[{k}]"
            if name not in LEVEL_BY_NAME:
                self.err(p, f"{_short(name)} is not a level (one of {', '.join(LEVEL_BY_NAME)})")
            elif name in names:
                self.err(p, f"{name!r} is listed twice")
            elif k == 0 and name != FIRST_LEVEL:
                self.err(p, f"{name!r} cannot come first: {FIRST_LEVEL!r} is always the first "
                            "level (no softer aim ever costs a seat)")
            names.append(name)
        return tuple(names)

    def preferences(self, o: dict, p: str) -> tuple[Any, Any]:
        """An assessor's keen and rather_not lists (their ids are checked against the inspections
        once those are read: :meth:`preference_ids`)."""
        pref = self.get(o, "preferences", p, "object", required=False, default={})
        if pref is _MISSING:
            return _MISSING, _MISSING
        for key in pref:
            if key not in ("keen", "rather_not"):
                self.err(f"{p}.preferences.{key}", "unknown field (expected keen or rather_not)")
        lists = []
        for key in ("keen", "rather_not"):
            ids = self.get(pref, key, f"{p}.preferences", "array", required=False, default=[])
            if ids is not _MISSING:
                for j, iid in enumerate(ids):
                    if self.check_kind(iid, f"{p}.preferences.{key}[{j}]", "string") is _MISSING:
                        ids = _MISSING
                        break
            lists.append(ids)
        return lists[0], lists[1]

    def preference_ids(self, raw: Any, inspection_ids: set[str]) -> None:
        """Each preference names an inspection of the instance, and none is in both lists."""
        if raw is _MISSING:
            return
        for k, v in enumerate(raw):
            pref = v.get("preferences") if isinstance(v, dict) else None
            if not isinstance(pref, dict):
                continue
            p = f"assessors[{k}].preferences"
            for key in ("keen", "rather_not"):
                ids = pref.get(key)
                for j, iid in enumerate(ids if isinstance(ids, list) else []):
                    if isinstance(iid, str) and iid not in inspection_ids:
                        self.err(f"{p}.{key}[{j}]", f"unknown inspection id {iid!r}")
            keen = pref.get("keen")
            for j, iid in enumerate(pref.get("rather_not") or []):
                if isinstance(keen, list) and isinstance(iid, str) and iid in keen:
                    self.err(f"{p}.rather_not[{j}]",
                             f"{iid!r} is also in keen: an inspection is one or the other")

    def unique_id(self, o: dict, p: str, seen: dict[str, str]) -> Any:
        i = self.get(o, "id", p, "nonempty")
        if i is not _MISSING:
            if i in seen:
                self.err(f"{p}.id", f"duplicate id {i!r} (also {seen[i]})")
            else:
                seen[i] = p
        return i

    def areas(self, raw: Any) -> list[Area]:
        out: list[Area] = []
        if raw is _MISSING:
            return out
        seen: dict[str, str] = {}
        for k, v in enumerate(raw):
            p = f"areas[{k}]"
            o = self.obj(v, p)
            if o is None:
                continue
            i = self.unique_id(o, p, seen)
            name = self.get(o, "name", p, "string", required=False, default="")
            lat = self.get(o, "lat", p, "number")
            lon = self.get(o, "lon", p, "number")
            if lat is not _MISSING and not -90 <= lat <= 90:
                self.err(f"{p}.lat", f"{lat} is outside -90..90")
                lat = _MISSING
            if lon is not _MISSING and not -180 <= lon <= 180:
                self.err(f"{p}.lon", f"{lon} is outside -180..180")
                lon = _MISSING
            if _MISSING not in (i, name, lat, lon):
                out.append(Area(i, name, float(lat), float(lon)))
        return out

    def assessors(self, raw: Any, area_ids: set[str]) -> list[Assessor]:
        out: list[Assessor] = []
        if raw is _MISSING:
            return out
        seen: dict[str, str] = {}
        for k, v in enumerate(raw):
            p = f"assessors[{k}]"
            o = self.obj(v, p)
            if o is None:
                continue
            n0 = len(self.errors)
            i = self.unique_id(o, p, seen)
            name = self.get(o, "name", p, "string", required=False, default="")
            specs = self.specialisms(o, p)
            sector = self.get(o, "sector", p, "string")
            if sector is not _MISSING and sector not in SECTORS:
                self.err(f"{p}.sector", f"{_short(sector)} is not one of {', '.join(SECTORS)}")
            home = self.get(o, "home_area", p, "nonempty")
            if home is not _MISSING and home not in area_ids:
                self.err(f"{p}.home_area", f"unknown area id {home!r}")
            employer = self.get(o, "employer", p, "string")
            g = self.get(o, "agreement", p, "object", required=False, default=None)
            agreement = None if g is None or g is _MISSING else self.agreement(g, f"{p}.agreement")
            unav: list[DateRange] = []
            u = self.get(o, "unavailable", p, "array", required=False, default=[])
            if u is not _MISSING:
                for j, r in enumerate(u):
                    dr = self.date_range(r, f"{p}.unavailable[{j}]")
                    if dr:
                        unav.append(dr)
            keen, rather_not = self.preferences(o, p)
            if len(self.errors) == n0:
                out.append(Assessor(i, name, tuple(specs), sector, home, employer, agreement,
                                    tuple(unav), tuple(keen), tuple(rather_not)))
        return out

    def specialisms(self, o: dict, p: str) -> Any:
        specs = self.get(o, "specialisms", p, "array")
        if specs is _MISSING:
            return specs
        if not specs:
            self.err(f"{p}.specialisms", "must list at least one specialism")
        for j, s in enumerate(specs):
            if s not in SPECIALISMS:
                self.err(f"{p}.specialisms[{j}]",
                         f"{_short(s)} is not one of {', '.join(SPECIALISMS)}")
            elif s in specs[:j]:
                self.err(f"{p}.specialisms[{j}]", f"{s!r} is listed twice")
        return specs

    def agreement(self, g: dict, gp: str) -> Agreement | None:
        a = self.day(self.get(g, "from", gp, "string"), f"{gp}.from")
        b = self.day(self.get(g, "to", gp, "string"), f"{gp}.to")
        mpd = self.get(g, "max_days_per_deployment", gp, "integer")
        tot = self.get(g, "max_days_total", gp, "integer")
        if a and b and a > b:
            self.err(gp, f"'from' {a.isoformat()} is after 'to' {b.isoformat()}")
        if mpd is not _MISSING and mpd < 0:
            self.err(f"{gp}.max_days_per_deployment", f"{mpd} must not be negative")
        if tot is not _MISSING and tot < 0:
            self.err(f"{gp}.max_days_total", f"{tot} must not be negative")
        if a and b and _MISSING not in (mpd, tot):
            return Agreement(a, b, mpd, tot)
        return None

    def inspections(self, raw: Any, area_ids: set[str]) -> list[Inspection]:
        out: list[Inspection] = []
        if raw is _MISSING:
            return out
        seen: dict[str, str] = {}
        for k, v in enumerate(raw):
            p = f"inspections[{k}]"
            o = self.obj(v, p)
            if o is None:
                continue
            n0 = len(self.errors)
            i = self.unique_id(o, p, seen)
            title = self.get(o, "title", p, "string", required=False, default="")
            area = self.get(o, "area", p, "nonempty")
            if area is not _MISSING and area not in area_ids:
                self.err(f"{p}.area", f"unknown area id {area!r}")
            exc = self.get(o, "excluded_employers", p, "array", required=False, default=[])
            if exc is not _MISSING:
                for j, e in enumerate(exc):
                    if not isinstance(e, str):
                        self.err(f"{p}.excluded_employers[{j}]",
                                 f"expected string, got {_type_name(e)}")
            days, mand = self.inspection_days(o, p)
            seats = self.seats(o, p, mand)
            if len(self.errors) == n0 and days is not None and mand is not None:
                out.append(Inspection(i, title, area, tuple(exc), tuple(days), tuple(mand),
                                      tuple(seats)))
        return out

    def inspection_days(self, o: dict, p: str) -> tuple[list[date] | None, list[date] | None]:
        days = self.date_list(self.get(o, "days", p, "array"), f"{p}.days")
        if days is not None and not days:
            self.err(f"{p}.days", "must list at least one day")
        mand = self.date_list(self.get(o, "mandatory_days", p, "array", required=False,
                                       default=[]), f"{p}.mandatory_days")
        if days is not None and mand is not None:
            dset = set(days)
            for j, d in enumerate(mand):
                if d not in dset:
                    self.err(f"{p}.mandatory_days[{j}]",
                             f"{d.isoformat()} is not one of the inspection's days")
            if len(mand) > MAX_DEPLOYMENT_DAYS:
                self.err(f"{p}.mandatory_days",
                         f"{len(mand)} mandatory days exceed the {MAX_DEPLOYMENT_DAYS}-day "
                         "maximum deployment")
        return days, mand

    def seats(self, o: dict, p: str, mand: list[date] | None) -> list[Seat]:
        seats: list[Seat] = []
        sraw = self.get(o, "seats", p, "array")
        if sraw is _MISSING:
            return seats
        spec_seen: set[str] = set()
        for j, s in enumerate(sraw):
            sp = f"{p}.seats[{j}]"
            so = self.obj(s, sp)
            if so is None:
                continue
            m0 = len(self.errors)
            spec = self.get(so, "specialism", sp, "string")
            if spec is not _MISSING:
                if spec not in SPECIALISMS:
                    self.err(f"{sp}.specialism",
                             f"{_short(spec)} is not one of {', '.join(SPECIALISMS)}")
                elif spec in spec_seen:
                    self.err(f"{sp}.specialism",
                             f"a second {spec!r} seat: plans name seats by specialism, "
                             "so give one seat per specialism with a count")
                spec_seen.add(spec)
            cnt = self.get(so, "count", sp, "integer")
            if cnt is not _MISSING and cnt < 1:
                self.err(f"{sp}.count", f"{cnt} must be at least 1")
            lo, hi = self.seat_days(so, sp, mand)
            if len(self.errors) == m0:
                seats.append(Seat(spec, cnt, lo, hi))
        return seats

    def seat_days(self, so: dict, sp: str, mand: list[date] | None) -> tuple[Any, Any]:
        lo = self.get(so, "min_days", sp, "integer")
        hi = self.get(so, "max_days", sp, "integer")
        for key, val in (("min_days", lo), ("max_days", hi)):
            if val is _MISSING:
                continue
            if val < MIN_DEPLOYMENT_DAYS:
                self.err(f"{sp}.{key}", f"{val} is below the {MIN_DEPLOYMENT_DAYS}-day minimum")
            elif val > MAX_DEPLOYMENT_DAYS:
                self.err(f"{sp}.{key}", f"{val} is above the {MAX_DEPLOYMENT_DAYS}-day maximum")
        if lo is not _MISSING and hi is not _MISSING and lo > hi:
            self.err(f"{sp}.min_days", f"{lo} is greater than max_days {hi}")
        if mand is not None and hi is not _MISSING and len(mand) > hi:
            self.err(f"{sp}.max_days", f"{hi} is fewer than the inspection's "
                                       f"{len(mand)} mandatory days")
        return lo, hi


class _PlanParser(_Parser):
    def parse(self) -> Plan:
        root = self.obj(self.data, "")
        if root is None:
            raise InvalidPlan(["plan: expected a JSON object at the top level, got "
                               + _type_name(self.data)])
        self.format_field(root, PLAN_FORMAT)
        status = self.get(root, "status", "", "string")
        if status is not _MISSING and status not in STATUSES:
            self.err("status", f"{_short(status)} is not one of {', '.join(STATUSES)}")
        objective = self.figures(root, "objective")
        bound = self.figures(root, "bound")
        secs = self.get(root, "solve_seconds", "", "number", required=False, default=0.0)
        deps: list[Deployment] = []
        raw = self.get(root, "deployments", "", "array")
        if raw is not _MISSING:
            for k, v in enumerate(raw):
                d = self.deployment(v, f"deployments[{k}]")
                if d is not None:
                    deps.append(d)
        unfilled: list[Unfilled] = []
        raw = self.get(root, "unfilled", "", "array", required=False, default=[])
        if raw is not _MISSING:
            for k, v in enumerate(raw):
                p = f"unfilled[{k}]"
                o = self.obj(v, p)
                if o is None:
                    continue
                vals = [self.get(o, key, p, kind) for key, kind in
                        (("inspection", "string"), ("specialism", "string"),
                         ("missing", "integer"), ("holders", "integer"),
                         ("deployed_here", "integer"))]
                exc = self.get(o, "excluded", p, "object", required=False, default={})
                sug = self.get(o, "suggestions", p, "array", required=False, default=[])
                if exc is not _MISSING:
                    for key, val in exc.items():
                        self.check_kind(val, f"{p}.excluded.{key}", "integer")
                if _MISSING not in vals and exc is not _MISSING and sug is not _MISSING:
                    iid, spec, missing, holders, here = vals
                    unfilled.append(Unfilled(iid, spec, missing, holders, here, dict(exc),
                                             tuple(str(s) for s in sug)))
        if self.errors:
            raise InvalidPlan(self.errors)
        return Plan(status, objective, bound, float(secs), tuple(deps), tuple(unfilled))

    def figures(self, root: dict, key: str) -> dict | None:
        v = root.get(key)
        if v is None:
            return None
        if not isinstance(v, dict):
            self.err(key, f"expected an object or null, got {_type_name(v)}")
            return None
        out: dict[str, Any] = {}
        for k in v:         # in the plan's order: the instance's order of the levels
            if k not in OBJECTIVE_KEYS:
                continue
            if key == "bound" and v[k] is None:
                out[k] = None       # no bound: a level below one not proven (plan schema)
            else:
                x = self.check_kind(v[k], f"{key}.{k}", "number")
                if x is not _MISSING:
                    out[k] = x
        return out
