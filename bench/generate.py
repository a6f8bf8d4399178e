"""Generate realistic Scottish deployment instances (spec format ``assessor-deployment-instance/1``).

Tiers:

* ``national`` — 200 assessors, 24 inspections over a year (the programme as it is today);
* ``large``    — 2,000 assessors, 240 inspections (ten times the programme);
* ``ofsted``   — 5,000 assessors, 1,200 inspections (an England-sized inspectorate);
* ``regional-64``, ``regional-90``, ``regional-117`` — 64, 90 and 117 assessors, 24 inspections
  (the smaller pools of issue 10); ``regional`` names all three (:func:`tier_names`).

Every instance is a pure function of ``(tier, seed)``. Some seeds are *scarce-pool* seeds
(``seed % 4 == 3``): justice specialists are few and justice seats many, so the pool must repeat.

    python -m bench.generate --tier national --seed 1 --out x.json
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
from dataclasses import dataclass
from typing import Any

from scheduler import reference as ref
from scheduler.workdays import scottish_bank_holidays, working_days

FORMAT = "assessor-deployment-instance/1"


@dataclass(frozen=True)
class Tier:
    name: str
    assessors: int
    inspections: int


TIERS: dict[str, Tier] = {
    "national": Tier("national", 200, 24),
    "large": Tier("large", 2_000, 240),
    "ofsted": Tier("ofsted", 5_000, 1_200),
    "regional-64": Tier("regional-64", 64, 24),
    "regional-90": Tier("regional-90", 90, 24),
    "regional-117": Tier("regional-117", 117, 24),
}
# a name for several tiers at once (``--tiers regional``)
TIER_GROUPS: dict[str, tuple[str, ...]] = {
    "regional": ("regional-64", "regional-90", "regional-117"),
}

YEAR = 2027
HORIZON_START = dt.date(2027, 1, 4)
HORIZON_END = dt.date(2027, 12, 17)


def tier_names(spec: str) -> list[str]:
    """The tiers of a comma-separated list, groups expanded ("national,regional")."""
    names = [n.strip() for n in spec.split(",") if n.strip()]
    return [t for n in names for t in TIER_GROUPS.get(n, (n,))]


def is_scarce(seed: int) -> bool:
    """Scarce-pool seeds: few justice specialists, many justice seats."""
    return seed % 4 == 3


def bank_holidays_between(start: dt.date, end: dt.date) -> list[dt.date]:
    return sorted(d for d in scottish_bank_holidays(range(start.year, end.year + 1)) if start <= d <= end)


def _iso(d: dt.date) -> str:
    return d.isoformat()


def _monday(d: dt.date) -> dt.date:
    return d - dt.timedelta(days=d.weekday())


def _specialisms(rng: random.Random, scarce: bool) -> list[str]:
    # Children-heavy pool; in scarce seeds justice holders are rare.
    weights = {"children": 50, "adults": 32, "justice": 18}
    if scarce:
        weights = {"children": 56, "adults": 40, "justice": 4}
    names = list(weights)
    first = rng.choices(names, weights=[weights[n] for n in names])[0]
    chosen = [first]
    if rng.random() < 0.12:
        others = [n for n in names if n != first]
        second = rng.choices(others, weights=[weights[n] for n in others])[0]
        chosen.append(second)
    return sorted(chosen, key=ref.SPECIALISMS.index)


def _employer(rng: random.Random, sector: str, specialisms: list[str], home: ref.CouncilArea) -> str:
    main = specialisms[0]
    if sector == "third":
        options = ref.national_employers_for(main, "third") or tuple(
            e for e in ref.NATIONAL_EMPLOYERS if e.sector == "third"
        )
        return rng.choice(options).name
    r = rng.random()
    national = ref.national_employers_for(main, "statutory")
    if r < 0.08 and national:
        return rng.choice(national).name
    if r < 0.08 + (0.40 if main == "adults" else 0.25):
        return home.nhs_board
    return home.council


def _date_range(rng: random.Random, lo: dt.date, hi: dt.date) -> dt.date:
    return lo + dt.timedelta(days=rng.randrange((hi - lo).days + 1))


def _agreement(rng: random.Random) -> dict[str, Any] | None:
    if rng.random() < 0.10:
        return None  # employer has not (yet) agreed a release
    start, end = HORIZON_START, HORIZON_END
    r = rng.random()
    if r < 0.20:  # agreed from a later start (new post, budget year)
        start = _monday(_date_range(rng, dt.date(YEAR, 2, 1), dt.date(YEAR, 7, 1)))
    elif r < 0.40:  # agreed until a date (secondment, retirement, restructure)
        end = _date_range(rng, dt.date(YEAR, 6, 1), dt.date(YEAR, 11, 30))
    elif r < 0.45:  # a window in the middle of the year
        start = _monday(_date_range(rng, dt.date(YEAR, 2, 1), dt.date(YEAR, 5, 1)))
        end = _date_range(rng, dt.date(YEAR, 8, 1), dt.date(YEAR, 11, 30))
    per = rng.choices(range(4, 13), weights=[2, 3, 10, 14, 16, 14, 10, 3, 3])[0]
    total = rng.choices([8, 10, 12, 14, 16, 18, 20, 24], weights=[6, 10, 14, 12, 18, 10, 10, 6])[0]
    total = max(total, per)
    return {
        "from": _iso(start), "to": _iso(end),
        "max_days_per_deployment": per, "max_days_total": total,
    }


def _unavailable(rng: random.Random) -> list[dict[str, str]]:
    ranges: list[tuple[dt.date, dt.date]] = []
    # Summer holiday (Scottish school holidays run from late June to mid August).
    if rng.random() < 0.8:
        s = _monday(_date_range(rng, dt.date(YEAR, 6, 28), dt.date(YEAR, 8, 2)))
        ranges.append((s, s + dt.timedelta(days=rng.choice([4, 11, 11, 18]))))
    # October week, Easter or a winter break.
    for lo, hi in ((dt.date(YEAR, 10, 4), dt.date(YEAR, 10, 18)),
                   (dt.date(YEAR, 3, 29), dt.date(YEAR, 4, 12)),
                   (dt.date(YEAR, 2, 8), dt.date(YEAR, 2, 15))):
        if rng.random() < 0.3:
            s = _monday(_date_range(rng, lo, hi))
            ranges.append((s, s + dt.timedelta(days=4)))
    # Single days (training, court, board meetings).
    for _ in range(rng.choice([0, 0, 1, 2, 3])):
        d = _date_range(rng, HORIZON_START, HORIZON_END)
        ranges.append((d, d))
    # A few people are away for a fortnight or more (leave, major project, illness).
    if rng.random() < 0.08:
        s = _monday(_date_range(rng, HORIZON_START, dt.date(YEAR, 11, 1)))
        ranges.append((s, s + dt.timedelta(days=rng.choice([11, 25, 39]))))
    ranges.sort()
    return [{"from": _iso(a), "to": _iso(b)} for a, b in ranges]


def _assessors(rng: random.Random, n: int, scarce: bool) -> list[dict[str, Any]]:
    areas = ref.COUNCIL_AREAS
    weights = [a.population for a in areas]
    out = []
    used_names: set[str] = set()
    for k in range(1, n + 1):
        specs = _specialisms(rng, scarce)
        sector = "third" if rng.random() < 0.35 else "statutory"
        home = rng.choices(areas, weights=weights)[0]
        name = f"{rng.choice(ref.FIRST_NAMES)} {rng.choice(ref.SURNAMES)}"
        while name in used_names and len(used_names) < 5000:
            name = f"{rng.choice(ref.FIRST_NAMES)} {rng.choice(ref.SURNAMES)}"
        used_names.add(name)
        a: dict[str, Any] = {
            "id": f"A{k:05d}",
            "name": name,
            "specialisms": specs,
            "sector": sector,
            "home_area": home.id,
            "employer": _employer(rng, sector, specs, home),
        }
        agreement = _agreement(rng)
        if agreement is not None:
            a["agreement"] = agreement
        a["unavailable"] = _unavailable(rng)
        out.append(a)
    return out


def _seat(rng: random.Random, specialism: str, count: int, n_mandatory: int) -> dict[str, Any]:
    min_days = rng.choice([4, 4, 5, 6, 6])
    min_days = max(min_days, min(n_mandatory, 12))
    max_days = rng.choice([8, 8, 10, 10, 12])
    max_days = max(max_days, min_days)
    return {"specialism": specialism, "count": count, "min_days": min_days, "max_days": max_days}


def _inspections(rng: random.Random, n: int, scarce: bool) -> list[dict[str, Any]]:
    areas = ref.COUNCIL_AREAS
    weights = [a.population ** 0.5 for a in areas]  # small areas are inspected too
    kinds = ["children", "adults", "justice", "thematic"]
    kind_w = [45, 25, 18, 12] if not scarce else [35, 20, 35, 10]
    out = []
    last_start = HORIZON_END - dt.timedelta(weeks=10)
    for k in range(1, n + 1):
        kind = rng.choices(kinds, weights=kind_w)[0]
        a = rng.choices(areas, weights=weights)[0]
        weeks = rng.randint(6, 10)
        start = _monday(_date_range(rng, HORIZON_START, last_start))
        start = max(start, HORIZON_START)
        end = start + dt.timedelta(weeks=weeks) - dt.timedelta(days=3)  # ends on a Friday
        end = min(end, HORIZON_END)
        days = working_days(start, end)
        # Briefing on the first working day; fieldwork week about two thirds of the way through.
        fw_monday = start + dt.timedelta(weeks=max(2, (2 * weeks) // 3 - 1))
        fieldwork = [d for d in days if fw_monday <= d <= fw_monday + dt.timedelta(days=4)]
        mandatory = sorted({days[0], *fieldwork})
        if kind == "thematic":
            topic = rng.choice(ref.THEMATIC_TOPICS)
            title = ref.INSPECTION_TYPES["thematic"].format(topic=topic) + f" (fieldwork in {a.name})"
            specs = rng.sample(list(ref.SPECIALISMS), rng.choice([1, 2]))
            seats = [_seat(rng, s, rng.randint(1, 2), len(mandatory)) for s in specs]
        else:
            title = ref.INSPECTION_TYPES[kind].format(area=a.name)
            seats = [_seat(rng, kind, rng.choice([2, 3, 3, 4, 4]), len(mandatory))]
            for other in ref.SPECIALISMS:
                if other != kind and rng.random() < 0.5:
                    seats.append(_seat(rng, other, rng.randint(1, 2), len(mandatory)))
        if scarce and kind == "justice":
            seats[0]["count"] = rng.randint(3, 4)
        seats.sort(key=lambda s: ref.SPECIALISMS.index(s["specialism"]))
        out.append({
            "id": f"I{k:04d}",
            "title": title,
            "area": a.id,
            "excluded_employers": list(ref.excluded_employers_for(a.id)),
            "days": [_iso(d) for d in days],
            "mandatory_days": [_iso(d) for d in mandatory],
            "seats": seats,
        })
    out.sort(key=lambda i: (i["days"][0], i["id"]))
    for k, insp in enumerate(out, start=1):  # ids in date order, as a programme is numbered
        insp["id"] = f"I{k:04d}"
    return out


def generate(tier: str, seed: int) -> dict[str, Any]:
    """A spec-format instance for ``tier`` (a key of TIERS), deterministic in ``seed``."""
    if tier not in TIERS:
        raise ValueError(f"unknown tier {tier!r}; choose from {', '.join(TIERS)}")
    t = TIERS[tier]
    rng = random.Random(f"assessor-scheduler/{tier}/{seed}")
    scarce = is_scarce(seed)
    bank = bank_holidays_between(HORIZON_START, HORIZON_END)
    assessors = _assessors(rng, t.assessors, scarce)
    inspections = _inspections(rng, t.inspections, scarce)
    return {
        "format": FORMAT,
        "horizon": {"start": _iso(HORIZON_START), "end": _iso(HORIZON_END)},
        "non_working_days": [_iso(d) for d in bank],
        "policy": {"max_deployments_per_assessor": 2},
        "areas": [
            {"id": a.id, "name": a.name, "lat": a.lat, "lon": a.lon} for a in ref.COUNCIL_AREAS
        ],
        "assessors": assessors,
        "inspections": inspections,
        "pinned": [],
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.split("\n")[0])
    p.add_argument("--tier", choices=list(TIERS), default="national")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out", help="write here instead of standard output")
    args = p.parse_args(argv)
    inst = generate(args.tier, args.seed)
    text = json.dumps(inst, indent=1, ensure_ascii=False)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(text + "\n")
    else:
        sys.stdout.write(text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
