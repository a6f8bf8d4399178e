"""What-if builds: a *variant* of a finished build, with a different order of aims and changes that
are never saved to the programme (a mandatory day moved or dropped, an assessor unavailable on some
days, a seat added, resized or removed).

A variant is a solve run of its own. What it varies is stored, typed, in its scope
(``RunScope.variant``). It is built from the very instance the build it varies was solved on (the
same data, read at that build's time), with the changes applied to that instance only: nothing in
the database's inspections or assessors is read again or written. A pinned or confirmed deployment
that the changes break (it misses a moved mandatory day, falls on days the assessor is now away, or
sits on a seat removed) is no longer held in place in the variant: it is re-planned like any other.
A variant can never be published (``scheduler.teams.plans.publish`` refuses it).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from scheduler.formatting import long_date, person
from scheduler.models import AIMS, Specialism
from solver import instance as si
from solver.check import pinned_conflicts


@dataclass(frozen=True)
class DayChange:
    """A mandatory day of an inspection moved to another of its days, or dropped (to: None)."""

    inspection: str
    day: date
    to: date | None = None

    def describe(self) -> str:
        if self.to is None:
            return f"{self.inspection}: {long_date(self.day)} is no longer a mandatory day"
        return f"{self.inspection}: the mandatory day {long_date(self.day)} moves to {long_date(self.to)}"


@dataclass(frozen=True)
class Away:
    """An assessor unavailable from start to end (inclusive)."""

    assessor: str
    name: str
    start: date
    end: date

    def describe(self) -> str:
        when = long_date(self.start) if self.start == self.end else \
            f"from {long_date(self.start)} to {long_date(self.end)}"
        return f"{person(self.name, self.assessor)} is unavailable {'on ' if self.start == self.end else ''}{when}"


@dataclass(frozen=True)
class SeatChange:
    """An inspection's seat of one specialism set to ``count`` places (0: no such seat)."""

    inspection: str
    specialism: str
    count: int

    def describe(self) -> str:
        label = Specialism(self.specialism).label
        if self.count == 0:
            return f"{self.inspection}: no {label.lower()} seat"
        return f"{self.inspection}: {self.count} {label.lower()} place{'s' if self.count != 1 else ''}"


@dataclass(frozen=True)
class Variant:
    """What a variant changes, against the build ``of_run``."""

    of_run: int
    aims: str | None = None                     # a preset of models.AIMS; None: the build's own order
    day: DayChange | None = None
    away: Away | None = None
    seat: SeatChange | None = None

    def changes(self) -> list[str]:
        """Each change in words, the aims first."""
        out = [f"Aims weighed in this order: {AIMS[self.aims][1]}"] if self.aims else []
        return out + [c.describe() for c in (self.day, self.away, self.seat) if c is not None]

    def to_json(self) -> dict:
        return {"of_run": self.of_run, "aims": self.aims,
                "day": None if self.day is None else {
                    "inspection": self.day.inspection, "day": self.day.day.isoformat(),
                    "to": self.day.to.isoformat() if self.day.to else None},
                "away": None if self.away is None else {
                    "assessor": self.away.assessor, "name": self.away.name,
                    "start": self.away.start.isoformat(), "end": self.away.end.isoformat()},
                "seat": None if self.seat is None else {
                    "inspection": self.seat.inspection, "specialism": self.seat.specialism,
                    "count": self.seat.count}}

    @staticmethod
    def of(data: dict | None) -> "Variant | None":
        if not data:
            return None
        day, away, seat = data.get("day"), data.get("away"), data.get("seat")
        return Variant(
            int(data["of_run"]), data.get("aims"),
            DayChange(day["inspection"], date.fromisoformat(day["day"]),
                      date.fromisoformat(day["to"]) if day.get("to") else None) if day else None,
            Away(away["assessor"], away["name"], date.fromisoformat(away["start"]),
                 date.fromisoformat(away["end"])) if away else None,
            SeatChange(seat["inspection"], seat["specialism"], int(seat["count"])) if seat else None)

    def apply(self, instance: si.Instance) -> tuple[si.Instance, list[si.Deployment]]:
        """The instance with these changes, and the pinned deployments they broke (no longer pinned)."""
        policy = instance.policy if self.aims is None else replace(instance.policy, objective=AIMS[self.aims][0])
        inspections = tuple(self._inspection(i) for i in instance.inspections)
        assessors = tuple(self._assessor(a) for a in instance.assessors)
        changed = si.Instance(instance.horizon, instance.non_working_days, policy, instance.areas, assessors,
                              inspections, instance.pinned)
        broken = {k for v in pinned_conflicts(changed) for k in v.deployments}
        released = [p for k, p in enumerate(changed.pinned) if k in broken]
        kept = tuple(p for k, p in enumerate(changed.pinned) if k not in broken)
        return replace(changed, pinned=kept), released

    def _inspection(self, i: si.Inspection) -> si.Inspection:
        if self.day is not None and self.day.inspection == i.id:
            mandatory = {d for d in i.mandatory_days if d != self.day.day} | ({self.day.to} if self.day.to else set())
            i = replace(i, mandatory_days=tuple(sorted(mandatory)))
        if self.seat is not None and self.seat.inspection == i.id:
            old = i.seat(self.seat.specialism)
            others = [s for s in i.seats if s.specialism != self.seat.specialism]
            if self.seat.count:
                others.append(replace(old, count=self.seat.count) if old else
                              si.Seat(self.seat.specialism, self.seat.count, si.MIN_DEPLOYMENT_DAYS,
                                      si.MAX_DEPLOYMENT_DAYS))
            i = replace(i, seats=tuple(sorted(others, key=lambda s: s.specialism)))
        return i

    def _assessor(self, a: si.Assessor) -> si.Assessor:
        if self.away is None or self.away.assessor != a.id:
            return a
        return replace(a, unavailable=tuple(sorted(a.unavailable + (si.DateRange(self.away.start, self.away.end),),
                                                   key=lambda r: (r.start, r.end))))


def aims_of(instance: si.Instance) -> str | None:
    """The preset whose order an instance optimises (None if it matches none)."""
    return next((name for name, (levels, _) in AIMS.items() if levels == tuple(instance.policy.objective)), None)

