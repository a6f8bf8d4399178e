"""Small realistic instance generator for the solver's own tests and timings.

(The project's benchmark generator lives in bench/; this one is independent so the solver tests
need nothing outside solver/ and tests/solver/.)

    python -m tests.solver.generator national 1 > national.json   # 200 x 24
    python -m tests.solver.generator large 1                      # 2,000 x 240
    python -m tests.solver.generator huge 1                       # 5,000 x 1,200
Seeds with seed % 4 == 3 are scarce-pool: few justice holders, many justice seats.
"""
from __future__ import annotations

import json
import random
import sys
from datetime import date, timedelta

SIZES = {"tiny": (12, 3), "small": (40, 6), "national": (200, 24), "large": (2000, 240),
         "huge": (5000, 1200)}

AREAS = [("aberdeen-city", 57.15, -2.11), ("aberdeenshire", 57.28, -2.38), ("angus", 56.64, -2.89),
         ("argyll-and-bute", 56.40, -5.48), ("clackmannanshire", 56.15, -3.75),
         ("dumfries-and-galloway", 55.07, -3.61), ("dundee-city", 56.46, -2.97),
         ("east-ayrshire", 55.45, -4.26), ("east-dunbartonshire", 55.94, -4.22),
         ("east-lothian", 55.95, -2.77), ("east-renfrewshire", 55.77, -4.33),
         ("edinburgh", 55.95, -3.19), ("eilean-siar", 58.20, -6.39), ("falkirk", 56.00, -3.78),
         ("fife", 56.20, -3.15), ("glasgow-city", 55.86, -4.25), ("highland", 57.48, -4.22),
         ("inverclyde", 55.90, -4.74), ("midlothian", 55.83, -3.13), ("moray", 57.58, -3.28),
         ("north-ayrshire", 55.64, -4.75), ("north-lanarkshire", 55.86, -3.96),
         ("orkney", 58.98, -2.96), ("perth-and-kinross", 56.40, -3.43),
         ("renfrewshire", 55.85, -4.42), ("scottish-borders", 55.55, -2.79),
         ("shetland", 60.15, -1.15), ("south-ayrshire", 55.46, -4.63),
         ("south-lanarkshire", 55.67, -3.78), ("stirling", 56.12, -3.94),
         ("west-dunbartonshire", 55.95, -4.56), ("west-lothian", 55.90, -3.52)]
SPECS = ("children", "adults", "justice")
THIRD = ["Includem", "Barnardo's Scotland", "Aberlour", "Sacro", "Quarriers", "Action for Children",
         "Crossreach", "Penumbra"]


def working_days(start: date, end: date, nwd: set[date]) -> list[date]:
    out, d = [], start
    while d <= end:
        if d.weekday() < 5 and d not in nwd:
            out.append(d)
        d += timedelta(days=1)
    return out


def generate(n_assessors: int, n_inspections: int, seed: int, *, scarce: bool | None = None,
             year: int = 2027) -> dict:
    rng = random.Random(seed)
    scarce = (seed % 4 == 3) if scarce is None else scarce
    start, end = date(year, 1, 4), date(year, 12, 17)
    nwd = {date(year, 4, 2), date(year, 4, 5), date(year, 5, 3), date(year, 5, 31),
           date(year, 8, 2), date(year, 11, 30)}
    wdays = working_days(start, end, nwd)
    n_areas = len(AREAS) if n_inspections <= 300 else 120
    areas = []
    for k in range(n_areas):
        name, lat, lon = AREAS[k % len(AREAS)]
        if k >= len(AREAS):
            name, lat, lon = f"{name}-{k // len(AREAS)}", lat + rng.uniform(-0.5, 0.5), lon + rng.uniform(-0.5, 0.5)
        areas.append({"id": name, "name": name.replace("-", " ").title(), "lat": round(lat, 3),
                      "lon": round(lon, 3)})
    names = {a["id"]: a["name"] for a in areas}
    councils = {a["id"]: a["name"] + " Council" for a in areas}
    nhs = {a["id"]: "NHS " + a["name"] for a in areas}

    assessors = []
    spec_w = (0.45, 0.4, 0.15) if scarce else (0.4, 0.35, 0.25)
    for k in range(n_assessors):
        home = rng.choice(areas)["id"]
        specs = {rng.choices(SPECS, spec_w)[0]}
        if rng.random() < 0.3:
            specs.add(rng.choices(SPECS, spec_w)[0])
        sector = "third" if rng.random() < 0.3 else "statutory"
        employer = rng.choice(THIRD) if sector == "third" else rng.choice([councils[home], nhs[home]])
        a = {"id": f"A{k:05d}", "name": f"Assessor {k}", "specialisms": sorted(specs),
             "sector": sector, "home_area": home, "employer": employer, "unavailable": []}
        if rng.random() < 0.9:
            s = rng.randrange(0, len(wdays) // 2)
            e = rng.randrange(s + len(wdays) // 3, len(wdays))
            mpd = rng.choice([4, 6, 8, 10, 12, 12])
            a["agreement"] = {"from": wdays[s].isoformat(), "to": wdays[e].isoformat(),
                              "max_days_per_deployment": mpd,
                              "max_days_total": rng.choice([mpd, mpd + 4, 2 * mpd, 24])}
        for _ in range(rng.choice([0, 0, 1, 1, 2, 3])):
            s = rng.randrange(len(wdays) - 10)
            a["unavailable"].append({"from": wdays[s].isoformat(),
                                     "to": wdays[s + rng.randrange(0, 10)].isoformat()})
        assessors.append(a)

    inspections = []
    for k in range(n_inspections):
        area = rng.choice(areas)["id"]
        length = rng.randrange(8, 21)
        s = rng.randrange(0, len(wdays) - length)
        days = wdays[s:s + length]
        mand = sorted(rng.sample(days, rng.randrange(1, 4)))
        kind = rng.choices(SPECS, (0.4, 0.3, 0.3) if not scarce else (0.3, 0.2, 0.5))[0]
        seats = []
        for spec in SPECS:
            if spec == kind or rng.random() < 0.35:
                lo = rng.choice([4, 4, 5, 6])
                hi = rng.choice([h for h in (6, 8, 10, 12) if h >= lo])
                seats.append({"specialism": spec, "count": rng.choice([1, 1, 2, 2, 3]),
                              "min_days": lo, "max_days": hi})
        inspections.append({
            "id": f"I{k:04d}", "title": f"Joint inspection of {kind} services in {names[area]}",
            "area": area, "excluded_employers": [councils[area], nhs[area]],
            "days": [d.isoformat() for d in days],
            "mandatory_days": [d.isoformat() for d in mand], "seats": seats})
    return {"format": "assessor-deployment-instance/1",
            "horizon": {"start": start.isoformat(), "end": end.isoformat()},
            "non_working_days": sorted(d.isoformat() for d in nwd),
            "policy": {"max_deployments_per_assessor": 2},
            "areas": areas, "assessors": assessors, "inspections": inspections, "pinned": []}


def main(argv: list[str]) -> None:
    size, seed = argv[0], int(argv[1])
    n_a, n_i = SIZES[size]
    json.dump(generate(n_a, n_i, seed), sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1:])
