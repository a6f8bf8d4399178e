"""Builders for small hand-made instances."""
from __future__ import annotations

import copy
import json
from pathlib import Path

DATA = Path(__file__).parent / "data"

AREAS = [{"id": "fife", "name": "Fife", "lat": 56.20, "lon": -3.15},
         {"id": "angus", "name": "Angus", "lat": 56.64, "lon": -2.89},
         {"id": "glasgow-city", "name": "Glasgow City", "lat": 55.86, "lon": -4.25},
         {"id": "highland", "name": "Highland", "lat": 57.48, "lon": -4.22}]


def tiny() -> dict:
    return json.loads((DATA / "tiny.json").read_text())


def march(*days: int) -> list[str]:
    return [f"2027-03-{d:02d}" for d in days]


def assessor(id, *, specs=("children",), home="fife", employer="Fife Council", frm=1, to=31,
             per=12, total=24, unavailable=(), agreement=True, name=None) -> dict:
    a = {"id": id, "name": name or id, "specialisms": list(specs), "sector": "statutory",
         "home_area": home, "employer": employer,
         "unavailable": [{"from": f"2027-03-{f:02d}", "to": f"2027-03-{t:02d}"}
                         for f, t in unavailable]}
    if agreement:
        a["agreement"] = {"from": f"2027-03-{frm:02d}", "to": f"2027-03-{to:02d}",
                          "max_days_per_deployment": per, "max_days_total": total}
    return a


def inspection(id, days, *, mandatory=(), area="angus", seats=(("children", 1, 4, 12),),
               excluded=()) -> dict:
    return {"id": id, "title": id, "area": area, "excluded_employers": list(excluded),
            "days": march(*days), "mandatory_days": march(*mandatory),
            "seats": [{"specialism": s, "count": c, "min_days": lo, "max_days": hi}
                      for s, c, lo, hi in seats]}


def instance(assessors, inspections, *, pinned=(), nwd=(), k=2) -> dict:
    return {"format": "assessor-deployment-instance/1",
            "horizon": {"start": "2027-03-01", "end": "2027-03-31"},
            "non_working_days": march(*nwd), "policy": {"max_deployments_per_assessor": k},
            "areas": copy.deepcopy(AREAS), "assessors": list(assessors),
            "inspections": list(inspections), "pinned": list(pinned)}
