"""Refilling a seat by hand: who could take it now, best first (the solver's candidates on the
programme as recorded), and offering it to one of them, which proposes the deployment and asks
their employer to confirm. The same rules as the solver decide (solver.rules), and the solver's
checker passes the programme with the new deployment before anything is written."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

import solver
from scheduler import planning
from scheduler.extensions import db
from scheduler.formatting import person
from scheduler.models import Assessor, Deployment, Inspection, Seat
from scheduler.teams import plans
from solver.check import check_deployments
from solver.explain import Holder, candidates
from solver.rules import why_not

from . import status


class Refused(Exception):
    """Why the offer was not made, in a sentence for the coordinator; nothing was written."""


class NoSuchSeat(LookupError):
    """No seat of that specialism on a plannable inspection of that reference: the address is wrong
    (or the inspection was cancelled since), as for the seat's page."""


@dataclass
class SeatNow:
    """A seat as recorded now: who is on it, who declined it, and who could take it."""

    inspection: Inspection
    seat: Seat
    members: list[Deployment]           # live deployments on the seat
    declined: list[Deployment]          # declined by the assessor or their employer, latest first
    instance: solver.Instance
    deployments: list[solver.Deployment]   # every live deployment bearing on the seat (planning.as_recorded)
    candidates: list[Holder]            # every holder of the specialism, best first

    @property
    def vacancies(self) -> int:
        return max(0, self.seat.count - len(self.members))

    @property
    def offerable(self) -> list[Holder]:
        """The candidates an offer can go to now (none while the seat is full)."""
        return [c for c in self.candidates if c.eligible] if self.vacancies else []


def _seat(inspection_ref: str, specialism: str) -> tuple[Inspection, Seat] | None:
    found = db.session.execute(
        sa.select(Inspection, Seat).join(Seat, Seat.inspection_id == Inspection.id)
        .where(Inspection.reference == inspection_ref, Seat.specialism == specialism)).first()
    return (found[0], found[1]) if found else None


def _on_seat(inspection: Inspection, specialism: str, statuses: tuple[str, ...]) -> list[Deployment]:
    return list(db.session.scalars(
        sa.select(Deployment).where(Deployment.inspection_id == inspection.id, Deployment.specialism == specialism,
                                    Deployment.status.in_(statuses))
        .options(joinedload(Deployment.assessor)).order_by(Deployment.id.desc())))


def seat_now(inspection_ref: str, specialism: str) -> SeatNow | None:
    """None if there is no such seat on a plannable inspection."""
    found = _seat(inspection_ref, specialism)
    if found is None or found[0].status not in planning.PLANNABLE:
        return None
    inspection, seat = found
    instance, deployments = planning.as_recorded([inspection.reference])
    if inspection.reference not in instance.inspection_by_id:
        return None                                     # an inspection without working days
    return SeatNow(inspection, seat, _on_seat(inspection, specialism, planning.LIVE[:2]),
                   _on_seat(inspection, specialism, planning.DECLINED), instance, deployments,
                   candidates(instance, inspection.reference, specialism, deployments))


def _take_turn(seat: Seat) -> None:
    """Offers and publishing take turns (plans' lock on PostgreSQL). On SQLite a write first takes
    the database's write lock, so what is read next is what the ones before committed."""
    plans.one_publisher_at_a_time()
    db.session.execute(sa.update(Seat).where(Seat.id == seat.id).values(count=Seat.count)
                       .execution_options(synchronize_session=False))


def offer(inspection_ref: str, specialism: str, assessor_ref: str) -> tuple[Deployment, bool]:
    """Propose the assessor for the seat (the employer is asked to confirm, the assessor told), or
    Refused naming why. Returns the deployment and whether the employer was asked. The caller commits."""
    found = _seat(inspection_ref, specialism)
    if found is None or found[0].status not in planning.PLANNABLE:
        raise NoSuchSeat(inspection_ref, specialism)
    inspection, seat = found
    _take_turn(seat)
    assessor = db.session.scalar(sa.select(Assessor).filter_by(reference=assessor_ref))
    if assessor is None:
        raise Refused(f"There is no assessor {assessor_ref}")
    who = person(assessor.name, assessor.reference)
    members = _on_seat(inspection, specialism, planning.LIVE[:2])
    if len(members) >= seat.count:
        raise Refused(f"Nothing was offered to {who}: the seat is full now ("
                      + ", ".join(person(d.assessor.name, d.assessor.reference) for d in members)
                      + "). Someone may have filled it since you opened this page.")
    instance, deployments = planning.as_recorded([inspection.reference])
    candidate = instance.assessor_by_id.get(assessor.reference)
    if candidate is None:
        raise Refused(f"{who} cannot take this seat: they are not active (paused or left)")
    ins = instance.inspection_by_id[inspection.reference]
    reason = why_not(instance, candidate, ins, specialism, deployments)
    if reason is not None:
        raise Refused(f"{who} cannot take this seat: {reason}")
    new = plans.choose_days(instance, candidate, ins, _days_to_match(inspection, specialism, assessor), deployments)
    if new is None:
        raise Refused(f"{who} cannot take this seat: rule 4 (days): no set of days fits")
    # The checker, on everything recorded plus the offer; only what the offer breaks refuses it.
    trial = [*deployments, new]
    broken = [v for v in check_deployments(instance, trial, require_pinned=False) if len(deployments) in v.deployments]
    if broken:
        raise Refused(f"{who} cannot take this seat: {broken[0].sentence}")
    deployment = status.new_deployment(assessor, inspection, specialism)
    return deployment, status.propose(deployment, list(new.days))


def _days_to_match(inspection: Inspection, specialism: str, assessor: Assessor) -> solver.Deployment:
    """The latest declined deployment's days (the refill keeps them where the rules allow), or
    none: the seat's shortest deployment then."""
    declined = _on_seat(inspection, specialism, planning.DECLINED)
    days = tuple(sorted(date.fromisoformat(x) for x in declined[0].days)) if declined else ()
    return solver.Deployment(assessor.reference, inspection.reference, specialism, days)
