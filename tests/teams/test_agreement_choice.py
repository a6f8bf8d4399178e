"""Which employer agreement applies is one rule: the planner gives the solver the agreement that
covers the inspections' dates, and the deployment's confirmation request goes to that agreement's
contact, even when the assessor has a newer agreement for a later period."""
from __future__ import annotations

from datetime import date, datetime
from types import SimpleNamespace

import pytest

from scheduler.employer.deployments import contact_for
from scheduler.planning import Scope, agreements, build
from tests import factories


def _agreement(gid: int, start: date, end: date, made: int) -> SimpleNamespace:
    return SimpleNamespace(id=gid, valid_from=start, valid_to=end, created_at=datetime(2026, 1, made))


SPRING = _agreement(1, date(2026, 6, 1), date(2027, 3, 31), made=5)
NEXT_YEAR = _agreement(2, date(2027, 4, 1), date(2028, 3, 31), made=20)
SAME_PERIOD_LATER = _agreement(3, date(2026, 6, 1), date(2027, 3, 31), made=25)


@pytest.mark.parametrize(("agreed", "start", "end", "expected"), [
    ([SPRING, NEXT_YEAR], date(2027, 3, 1), date(2027, 3, 12), SPRING),       # newer, but for later days
    ([SPRING, NEXT_YEAR], date(2027, 5, 3), date(2027, 5, 14), NEXT_YEAR),
    ([SPRING, NEXT_YEAR], date(2027, 3, 29), date(2027, 4, 9), NEXT_YEAR),    # 9 days in the later one
    ([SPRING, SAME_PERIOD_LATER], date(2027, 3, 1), date(2027, 3, 12), SAME_PERIOD_LATER),   # tie: latest
    ([], date(2027, 3, 1), date(2027, 3, 12), None),
])
def test_the_agreement_that_applies_is_the_one_covering_most_of_the_dates(agreed, start, end, expected):
    assert agreements.applicable(agreed, start, end) is expected


def test_the_planner_and_the_confirmation_request_use_the_same_agreement(app, db):
    assessor = factories.AssessorFactory()
    march = factories.AgreementFactory(assessor=assessor, contact_email="march.manager@fife.gov.uk",
                                       valid_from=date(2026, 6, 1), valid_to=date(2027, 3, 31),
                                       days_per_deployment=5, total_days=10)
    db.session.flush()
    factories.AgreementFactory(assessor=assessor, contact_email="new.manager@fife.gov.uk",
                               valid_from=date(2027, 4, 1), valid_to=date(2028, 3, 31),
                               days_per_deployment=12, total_days=24)
    deployment = factories.DeploymentFactory(assessor=assessor)      # 1–12 March 2027
    factories.SeatFactory(inspection=deployment.inspection)
    db.session.flush()
    db.session.expire(assessor, ["agreements"])

    assert assessor.current_agreement.contact_email == "new.manager@fife.gov.uk"   # the newest ...
    assert contact_for(deployment) == march                                         # ... is not the one
    planned = build(Scope(references=(deployment.inspection.reference,)))
    [solver_assessor] = [a for a in planned.instance.assessors if a.id == assessor.reference]
    assert (solver_assessor.agreement.end, solver_assessor.agreement.max_days_total) == (date(2027, 3, 31), 10)
