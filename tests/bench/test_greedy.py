"""The greedy baseline is the coordinator's method: inspections in date order, each place to the
eligible assessor (rules.why_not against the plan so far) with the fewest deployments, then the
nearest, then the lowest id; a seat stays short only when no one eligible is left."""

from __future__ import annotations

from collections import Counter

import pytest

from bench.generate import generate
from bench.greedy import greedy_deployments
from solver.geography import travel_km
from solver.instance import Instance
from solver.rules import why_not


@pytest.mark.parametrize("seed", [1, 3])
def test_each_place_goes_to_the_first_eligible_assessor_in_the_coordinators_order(seed):
    data = generate("national", seed)
    data["assessors"] = data["assessors"][:80]
    data["inspections"] = data["inspections"][:10]
    inst = Instance.from_json(data)
    deps = greedy_deployments(inst)
    so_far = list(inst.pinned)
    for d in deps[len(inst.pinned):]:
        ins = inst.inspection_by_id[d.inspection]
        count = Counter(x.assessor for x in so_far)
        eligible = [a for a in inst.assessors if why_not(inst, a, ins, d.specialism, so_far) is None]
        best = min(eligible, key=lambda a: (count[a.id], travel_km(inst, a, ins), a.id))
        assert d.assessor == best.id
        so_far.append(d)
    filled = Counter((d.inspection, d.specialism) for d in deps)
    for ins in inst.inspections:
        for seat in ins.seats:
            if filled[(ins.id, seat.specialism)] < seat.count:
                assert all(why_not(inst, a, ins, seat.specialism, deps) is not None
                           for a in inst.assessors), (ins.id, seat.specialism)
