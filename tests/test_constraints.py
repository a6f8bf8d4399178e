"""The database itself refuses what the code of practice forbids, even if a form is bypassed."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from scheduler.models import Area, Employer
from tests import factories


def _refused(db, make):
    with pytest.raises(IntegrityError):
        make()
        db.session.flush()
    db.session.rollback()


def test_the_32_council_areas_are_seeded_by_migration(db):
    assert db.session.scalar(db.select(db.func.count()).select_from(Area)) == 32
    fife = db.session.get(Area, "fife")
    assert fife.name == "Fife" and 55 < fife.lat < 59


def test_each_area_is_served_by_its_council_and_nhs_board(db):
    council = db.session.scalar(db.select(Employer).filter_by(name="Fife Council"))
    board = db.session.scalar(db.select(Employer).filter_by(name="NHS Tayside"))
    assert [a.id for a in council.areas] == ["fife"]
    assert {"angus", "dundee-city", "perth-and-kinross"} <= {a.id for a in board.areas}


@pytest.mark.parametrize("days", [3, 13, 0])
def test_a_deployment_outside_4_to_12_days_cannot_be_stored(db, days):
    _refused(db, lambda: factories.DeploymentFactory(day_count=days))


@pytest.mark.parametrize("days", [4, 12])
def test_deployments_of_4_and_12_days_are_stored(db, days):
    factories.DeploymentFactory(day_count=days)
    db.session.flush()


def test_a_seat_with_min_above_max_cannot_be_stored(db):
    _refused(db, lambda: factories.SeatFactory(min_days=9, max_days=6))


def test_a_seat_outside_4_to_12_days_cannot_be_stored(db):
    _refused(db, lambda: factories.SeatFactory(min_days=2, max_days=6))


def test_an_unavailability_that_ends_before_it_starts_cannot_be_stored(db):
    _refused(db, lambda: factories.UnavailabilityFactory(starts_on=date(2027, 5, 2), ends_on=date(2027, 5, 1)))


def test_an_agreement_outside_4_to_12_days_per_deployment_cannot_be_stored(db):
    _refused(db, lambda: factories.AgreementFactory(days_per_deployment=14))


def test_an_assessor_must_hold_a_specialism(db):
    _refused(db, lambda: factories.AssessorFactory(holds_children=False))


def test_an_unknown_role_cannot_be_stored(db):
    _refused(db, lambda: factories.UserFactory(role="superuser"))


def test_two_editors_of_one_assessor_cannot_overwrite_each_other(app, db):
    assessor = factories.AssessorFactory()
    db.session.commit()
    other = db.session.session_factory()  # a second person's session
    theirs = other.get(type(assessor), assessor.id)
    theirs.phone = "0131 111 1111"
    other.commit()
    other.close()
    assessor.phone = "0131 222 2222"
    with pytest.raises(StaleDataError):
        db.session.commit()
    db.session.rollback()


def test_a_preference_is_keen_or_rather_not_and_one_per_assessor_and_inspection(db):
    _refused(db, lambda: factories.PreferenceFactory(kind="maybe"))
    wish = factories.PreferenceFactory(kind="rather_not")
    db.session.flush()
    _refused(db, lambda: factories.PreferenceFactory(assessor=wish.assessor, inspection=wish.inspection))
