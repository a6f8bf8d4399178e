"""Why seats stay empty (minimal version; the full explanations module replaces this keeping
the signature ``explain_unfilled(instance, deployments) -> list[Unfilled]``).

Every count comes from :func:`solver.rules.why_not`, so explanations and the model agree.
"""
from __future__ import annotations

from collections import Counter
from typing import Sequence

from .instance import EXCLUDED_KEYS, Deployment, Instance, Unfilled
from .rules import why_not


def explain_unfilled(instance: Instance, deployments: Sequence[Deployment]) -> list[Unfilled]:
    """One entry per seat with vacancies: holders, deployed_here and the first excluding reason
    (spec order) for every other holder.  Holders that could still take the seat (only possible
    in a plan that is not optimal) are counted as ``busy`` and named in a suggestion."""
    by_seat = Counter((d.inspection, d.specialism) for d in deployments)
    here = {(d.assessor, d.inspection, d.specialism) for d in deployments}
    by_assessor: dict[str, list[Deployment]] = {}
    for d in deployments:
        by_assessor.setdefault(d.assessor, []).append(d)
    out: list[Unfilled] = []
    for ins in instance.inspections:
        for seat in ins.seats:
            missing = seat.count - by_seat[(ins.id, seat.specialism)]
            if missing <= 0:
                continue
            holders = [a for a in instance.assessors if seat.specialism in a.specialisms]
            excluded = {k: 0 for k in EXCLUDED_KEYS}
            deployed_here = 0
            suggestions: list[str] = []
            for a in holders:
                if (a.id, ins.id, seat.specialism) in here:
                    deployed_here += 1
                    continue
                r = why_not(instance, a, ins, seat.specialism, by_assessor.get(a.id, ()))
                if r is None:
                    excluded["busy"] += 1
                    suggestions.append(f"{a.id} is free to take this seat")
                    continue
                code = r.code if r.code in excluded else "busy"
                excluded[code] += 1
                if code in ("agreement_days", "agreement_window") and len(suggestions) < 5:
                    suggestions.append(f"ask {a.employer} to extend {a.id}'s agreement: "
                                       f"{r.message}")
            out.append(Unfilled(ins.id, seat.specialism, missing, len(holders), deployed_here,
                                excluded, tuple(suggestions[:5])))
    return out
