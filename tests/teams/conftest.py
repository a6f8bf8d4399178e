"""A small arranged programme for the team builder: two inspections in Angus and Dundee,
assessors from Fife and elsewhere with agreements, all in March 2027."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from scheduler.extensions import db as _db
from scheduler.models import Deployment, Inspection, SolveRun
from tests import factories as f

MARCH = date(2027, 3, 1)


@dataclass
class Programme:
    inspections: list
    assessors: list


def make_assessor(**kw):
    agreement = kw.pop("agreement", {})
    a = f.AssessorFactory(**kw)
    if agreement is not None:
        f.AgreementFactory(assessor=a, **agreement)
    return a


@pytest.fixture()
def programme(db):
    """I1 in Angus (children x2, mandatory 1 March), I2 in Dundee (children x1, 15-26 March);
    four children assessors from Fife, one from Angus (own area for I1)."""
    i1 = f.InspectionFactory(reference="I0001", starts_on=date(2027, 3, 1), ends_on=date(2027, 3, 12))
    f.SeatFactory(inspection=i1, specialism="children", count=2, min_days=4, max_days=8)
    i2 = f.InspectionFactory(reference="I0002", area=f.area("dundee-city"), starts_on=date(2027, 3, 15),
                             ends_on=date(2027, 3, 26), title="Joint inspection in Dundee")
    f.SeatFactory(inspection=i2, specialism="children", count=1, min_days=4, max_days=6)
    people = [make_assessor(reference=f"A0000{n}") for n in range(1, 5)]
    people.append(make_assessor(reference="A00005", home_area=f.area("angus"),
                                employer=f.employer("Angus Council")))
    db.session.flush()
    return Programme([i1, i2], people)


def build_run(client, references=None, start="1 3 2027", end="31 3 2027"):
    """Press Build teams (solves run inline in tests) and return the run."""
    data = {"inspections": references} if references else {"start": start.split(), "end": end.split()}
    response = client.post("/teams/build", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    run_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    run = _db.session.get(SolveRun, run_id)
    _db.session.refresh(run)
    return run


def live(inspection_ref: str | None = None) -> list[Deployment]:
    q = _db.select(Deployment).where(Deployment.status.in_(("proposed", "employer_confirmed")))
    if inspection_ref:
        q = q.join(Inspection).where(Inspection.reference == inspection_ref)
    return list(_db.session.scalars(q.order_by(Deployment.id)))
