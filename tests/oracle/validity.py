"""Is the instance valid input (else exit 2, each problem named by its JSON path), and do its
pinned deployments contradict each other (then the solve is ``infeasible``)?

Covers the spec's list of invalid input for the shapes the generator makes; the instances are
otherwise well-formed JSON of the right types.
"""
from __future__ import annotations

from datetime import date

from .checker import between_faults
from .problem import INT64_MAX, MAX_DAYS, MIN_DAYS, SENSE, Problem


def _ints(value, path: str):
    """Every integer in the document with its path (absurd sizes are invalid input)."""
    if isinstance(value, bool):
        return
    if isinstance(value, int):
        yield path, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _ints(v, f"{path}.{k}" if path else k)
    elif isinstance(value, list):
        for k, v in enumerate(value):
            yield from _ints(v, f"{path}[{k}]")


def _duplicate_ids(data: dict) -> list[tuple[str, str]]:
    out = []
    for key in ("areas", "assessors", "inspections"):
        seen = set()
        for k, x in enumerate(data[key]):
            if x["id"] in seen:
                out.append((f"{key}[{k}].id", f"duplicate id {x['id']!r}"))
            seen.add(x["id"])
    return out


def _references(data: dict) -> list[tuple[str, str]]:
    areas = {a["id"] for a in data["areas"]}
    out = [(f"assessors[{k}].home_area", "unknown area") for k, a in enumerate(data["assessors"])
           if a["home_area"] not in areas]
    out += [(f"inspections[{k}].area", "unknown area") for k, i in enumerate(data["inspections"])
            if i["area"] not in areas]
    return out


def _seat_problems(data: dict) -> list[tuple[str, str]]:
    out = []
    for k, i in enumerate(data["inspections"]):
        days = set(i["days"])
        for j, m in enumerate(i["mandatory_days"]):
            if m not in days:
                out.append((f"inspections[{k}].mandatory_days[{j}]", "not one of the days"))
        specs = set()
        for j, s in enumerate(i["seats"]):
            p = f"inspections[{k}].seats[{j}]"
            if s["specialism"] in specs:
                out.append((p, "a second seat of one specialism"))
            specs.add(s["specialism"])
            if s["count"] < 1:
                out.append((f"{p}.count", "below 1"))
            for key in ("min_days", "max_days"):
                if not MIN_DAYS <= s[key] <= MAX_DAYS:
                    out.append((f"{p}.{key}", "outside 4-12"))
            if s["min_days"] > s["max_days"]:
                out.append((p, "min_days above max_days"))
            if s["max_days"] < len(i["mandatory_days"]):
                out.append((f"{p}.max_days", "fewer than the mandatory days"))
    return out


def _preference_problems(data: dict) -> list[tuple[str, str]]:
    """Each preference names an inspection of the instance; none is both keen and rather not."""
    inspections = {i["id"] for i in data["inspections"]}
    out = []
    for k, a in enumerate(data["assessors"]):
        pref = a.get("preferences") or {}
        for key in pref:
            if key not in ("keen", "rather_not"):
                out.append((f"assessors[{k}].preferences.{key}", "not a preference list"))
        for key in ("keen", "rather_not"):
            for j, iid in enumerate(pref.get(key, [])):
                if iid not in inspections:
                    out.append((f"assessors[{k}].preferences.{key}[{j}]", "unknown inspection"))
                elif key == "rather_not" and iid in pref.get("keen", []):
                    out.append((f"assessors[{k}].preferences.rather_not[{j}]", "also keen"))
    return out


def _order_problems(data: dict) -> list[tuple[str, str]]:
    """policy.objective: known level names, each once, seats_filled first."""
    order = (data.get("policy") or {}).get("objective")
    if order is None:
        return []
    if not order:
        return [("policy.objective", "empty")]
    out = []
    for k, name in enumerate(order):
        if name not in SENSE:
            out.append((f"policy.objective[{k}]", "unknown level"))
        elif name in order[:k]:
            out.append((f"policy.objective[{k}]", "repeated"))
        elif k == 0 and name != "seats_filled":
            out.append((f"policy.objective[{k}]", "seats_filled is always first"))
    return out


def _pin_problems(problem: Problem) -> list[tuple[str, str]]:
    """Each pinned deployment keeps rules 1-4 and the agreement total on its own."""
    out = []
    for k, p in enumerate(problem.pinned):
        faults = problem.deployment_faults(p)
        g = (problem.assessors.get(p.assessor) or {}).get("agreement")
        if not faults and len(p.days) > g["max_days_total"]:
            out.append((f"pinned[{k}]", "more days than the agreement total"))
        out += [(f"pinned[{k}]", f"rule {f.rule}: {f.reason}") for f in faults]
    return out


def input_problems(data: dict) -> list[tuple[str, str]]:
    """(path, reason) for everything that makes the instance invalid input."""
    out = [(p, "integer beyond 64 bits") for p, v in _ints(data, "") if abs(v) > INT64_MAX]
    out += _duplicate_ids(data) + _references(data) + _seat_problems(data)
    out += _preference_problems(data) + _order_problems(data)
    for k, a in enumerate(data["assessors"]):
        g = a.get("agreement")
        if g and date.fromisoformat(g["from"]) > date.fromisoformat(g["to"]):
            out.append((f"assessors[{k}].agreement", "from after to"))
    if out:   # the pins are judged only on an otherwise sound instance
        return out
    return _pin_problems(Problem(data))


def pin_contradictions(problem: Problem) -> list[str]:
    """Valid pins that cannot all be kept together (seat counts, double booking, caps)."""
    return [str(v).replace("deployments[", "pinned[")
            for v in between_faults(problem, list(problem.pinned))]

