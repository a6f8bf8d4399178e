"""After any write, the team builder's "must change" flags are exactly what checking every published
deployment again would give, though only the deployments a write may have changed are checked again
(issue 14): the others keep the flags worked out before, found through the change log."""
from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from scheduler import data_cache
from scheduler.extensions import db as _db
from scheduler.models import DataChange, Deployment
from scheduler.models.policy import DEFAULT_AIMS
from scheduler.planning import flagged_deployments
from scheduler.planning import flags as flags_module
from tests import factories as f
from tests.conftest import TEST_REDIS_URL

TODAY = date(2027, 1, 1)


@pytest.fixture()
def teams(programme):
    """A00001 and A00002 on I0001 (its two children places), A00003 on I0002 (its one): all keep the rules."""
    i1, i2 = programme.inspections
    a1, a2, a3 = programme.assessors[:3]
    for a, i in ((a1, i1), (a2, i1), (a3, i2)):
        f.DeploymentFactory(assessor=a, inspection=i, status="employer_confirmed")
    _db.session.commit()
    return programme


def other_session_writes(sql: str, **params) -> None:
    """A write committed on its own connection (another worker, psql), not through the app's session."""
    _db.session.commit()
    with _db.engine.begin() as conn:
        conn.execute(sa.text(sql), params)


def shown() -> dict[str, list[str]]:
    """The flags as the team builder shows them: 'A00001 on I0001' -> reasons."""
    _db.session.commit()
    return {f"{d.assessor.reference} on {d.inspection.reference}": reasons
            for d, reasons in flagged_deployments(today=TODAY)}


def checked_afresh() -> dict[str, list[str]]:
    """The flags from checking every deployment again, with nothing to build on."""
    _db.session.commit()
    found, _ = flags_module._flag_reasons(TODAY, None)
    labels = {d.id: f"{d.assessor.reference} on {d.inspection.reference}"
              for d in _db.session.scalars(sa.select(Deployment))}
    return {labels[i]: reasons for i, reasons in found}


def assessor_id(reference: str) -> int:
    return _db.session.scalar(sa.text("SELECT id FROM assessor WHERE reference = :r"), {"r": reference})


def inspection_id(reference: str) -> int:
    return _db.session.scalar(sa.text("SELECT id FROM inspection WHERE reference = :r"), {"r": reference})


def unavailable(reference: str, day: str) -> None:
    other_session_writes("INSERT INTO unavailability (assessor_id, starts_on, ends_on, reason) "
                         "VALUES (:a, :day, :day, 'ill')", a=assessor_id(reference), day=day)


@pytest.fixture()
def builds(monkeypatch):
    """The inspections each build for the flags covered (references, in order)."""
    covered: list[list[str]] = []
    real = flags_module.build_ids

    def build_ids(ids, *args, **kw):
        planning = real(ids, *args, **kw)
        covered.append(planning.in_scope)
        return planning

    monkeypatch.setattr(flags_module, "build_ids", build_ids)
    return covered


def test_an_assessor_made_unavailable_has_their_deployment_flagged_and_the_others_keep_theirs(teams):
    assert shown() == {}
    unavailable("A00001", "2027-03-02")
    assert list(shown()) == ["A00001 on I0001"] and "unavailable" in shown()["A00001 on I0001"][0]
    assert shown() == checked_afresh()


def test_the_flag_goes_with_the_unavailability(teams):
    unavailable("A00001", "2027-03-02")
    assert list(shown()) == ["A00001 on I0001"]
    other_session_writes("DELETE FROM unavailability WHERE assessor_id = :a", a=assessor_id("A00001"))
    assert shown() == {} == checked_afresh()


def test_a_write_about_one_assessor_checks_again_only_what_their_deployments_are_checked_with(teams, builds):
    shown()
    unavailable("A00003", "2027-03-16")
    assert list(shown()) == ["A00003 on I0002"]
    assert builds[-1] == ["I0002"]
    assert shown() == checked_afresh()


def test_a_seat_cut_flags_the_deployments_on_that_inspection_and_no_other(teams):
    shown()
    other_session_writes("UPDATE seat SET count = 1 WHERE inspection_id = :i", i=inspection_id("I0001"))
    assert sorted(shown()) == ["A00001 on I0001", "A00002 on I0001"]
    assert shown() == checked_afresh()


def test_a_fellow_deployment_s_flag_changes_when_the_other_breaks_a_rule_by_itself(teams):
    """Over a full seat both deployments are flagged; once one breaks a rule by itself it leaves the
    seat's count, and the other is checked again though the write did not concern it."""
    other_session_writes("UPDATE seat SET count = 1 WHERE inspection_id = :i", i=inspection_id("I0001"))
    assert sorted(shown()) == ["A00001 on I0001", "A00002 on I0001"]
    unavailable("A00001", "2027-03-02")
    assert list(shown()) == ["A00001 on I0001"]
    assert shown() == checked_afresh()


def test_a_deployment_checked_again_is_checked_with_its_assessor_s_others_as_they_stand(teams):
    """A00002's agreed 8 days cannot cover 5 on I0001 and 5 on I0002, but the one on I0002 breaks a
    rule by itself (A00002 is unavailable then), so it alone is flagged. A write about A00001 has
    A00002's deployment on I0001 checked again (they share a seat): with the one on I0002 as it stands."""
    other_session_writes("UPDATE employer_agreement SET total_days = 8 WHERE assessor_id = :a", a=assessor_id("A00002"))
    other_session_writes("UPDATE seat SET count = 2 WHERE inspection_id = :i", i=inspection_id("I0002"))
    f.DeploymentFactory(assessor=teams.assessors[1], inspection=teams.inspections[1], status="employer_confirmed")
    assert sorted(shown()) == ["A00002 on I0001", "A00002 on I0002"]
    unavailable("A00002", "2027-03-16")
    assert sorted(shown()) == ["A00002 on I0002"]
    unavailable("A00001", "2027-03-02")
    assert sorted(shown()) == ["A00001 on I0001", "A00002 on I0002"]
    assert shown() == checked_afresh()


def test_a_deployment_checked_again_is_checked_under_the_agreement_for_the_whole_programme(teams):
    """A00001 has agreements to 10 March and from 11 March: over the programme (1-26 March) the
    later one applies, so the deployment on I0001 (1-5 March) is outside it. Checked again after a
    write about A00001, with I0001 alone in the build, it still is."""
    a1 = teams.assessors[0]
    other_session_writes("UPDATE employer_agreement SET valid_from = '2027-03-11' WHERE assessor_id = :a", a=a1.id)
    f.AgreementFactory(assessor=a1, valid_from=date(2027, 1, 1), valid_to=date(2027, 3, 10))
    assert list(shown()) == ["A00001 on I0001"]
    unavailable("A00001", "2027-03-22")
    assert list(shown()) == ["A00001 on I0001"] and shown() == checked_afresh()


def test_deployments_on_a_cancelled_inspection_leave_the_flags_and_come_back_with_it(teams):
    other_session_writes("UPDATE seat SET count = 1 WHERE inspection_id = :i", i=inspection_id("I0001"))
    assert len(shown()) == 2
    other_session_writes("UPDATE inspection SET status = 'cancelled' WHERE id = :i", i=inspection_id("I0001"))
    assert shown() == {}
    other_session_writes("UPDATE inspection SET status = 'planned' WHERE id = :i", i=inspection_id("I0001"))
    assert len(shown()) == 2 and shown() == checked_afresh()


WRITES = [   # in this order; :a1 is A00001's id, :i1 I0001's
    "INSERT INTO unavailability (assessor_id, starts_on, ends_on, reason) VALUES (:a1, '2027-03-03', "
     "'2027-03-04', 'leave')",
    "UPDATE assessor SET status = 'paused' WHERE id = :a2",
    "UPDATE seat SET max_days = 4 WHERE inspection_id = :i2",
    "DELETE FROM unavailability WHERE assessor_id = :a1",
    "UPDATE deployment SET status = 'assessor_declined' WHERE assessor_id = :a3",
    "UPDATE assessor SET status = 'active' WHERE id = :a2",
    "UPDATE seat SET max_days = 6 WHERE inspection_id = :i2",
    "DELETE FROM inspection_day WHERE inspection_id = :i1 AND day = '2027-03-01'",
    "UPDATE employer_agreement SET total_days = days_per_deployment WHERE assessor_id = :a1",
    "UPDATE deployment SET status = 'employer_confirmed' WHERE assessor_id = :a3",
    "UPDATE deployment SET assessor_id = :a4 WHERE assessor_id = :a2",
    "INSERT INTO planning_policy (id, max_deployments_per_assessor, aims, updated_at) "
    f"VALUES (1, 1, '{DEFAULT_AIMS}', '2026-11-28')",
    "INSERT INTO inspection_day (inspection_id, day, mandatory) VALUES (:i1, '2027-03-01', true)",
]


def test_after_each_of_a_run_of_writes_the_flags_are_those_of_a_check_of_every_deployment(teams):
    refs = {**{f"a{n}": assessor_id(f"A0000{n}") for n in range(1, 6)},
            **{f"i{n}": inspection_id(f"I000{n}") for n in (1, 2)}}
    seen = [shown()]
    for sql in WRITES:
        other_session_writes(sql, **{k: v for k, v in refs.items() if f":{k}" in sql})
        seen.append(shown())
        assert seen[-1] == checked_afresh(), sql
    assert any(seen) and len({repr(s) for s in seen}) > 3     # the writes did change the flags


def test_a_write_that_concerns_every_deployment_has_them_all_checked_again(teams, builds):
    shown()
    other_session_writes("UPDATE employer SET name = name WHERE name = 'Angus Council'")
    shown()
    assert builds[-1] == ["I0001", "I0002"]


def test_flags_worked_out_with_uncommitted_writes_are_never_built_on(teams):
    shown()
    f.UnavailabilityFactory(assessor=teams.assessors[0], starts_on=date(2027, 3, 2), ends_on=date(2027, 3, 2))
    _db.session.flush()
    assert [d.assessor.reference for d, _ in flagged_deployments(today=TODAY)] == ["A00001"]
    _db.session.rollback()
    # the next write on this connection is given the version the rolled-back one had
    f.UnavailabilityFactory(assessor=teams.assessors[4], starts_on=date(2027, 9, 1), ends_on=date(2027, 9, 1))
    assert shown() == {}


def test_a_worker_with_an_older_result_builds_on_it_and_shows_the_same_as_the_others(app, teams, redis_db,
                                                                                      monkeypatch):
    monkeypatch.setitem(app.config, "REDIS_URL", TEST_REDIS_URL)
    first = shown()
    worker_one = (app.extensions.pop("data_cache", None), app.extensions.pop(flags_module.LAST))
    unavailable("A00001", "2027-03-02")
    assert list(shown()) == ["A00001 on I0001"]                   # worker two, on what worker one left
    other_session_writes("UPDATE seat SET max_days = 4 WHERE inspection_id = :i", i=inspection_id("I0002"))
    app.extensions["data_cache"], app.extensions[flags_module.LAST] = worker_one   # two writes behind
    assert first == {} and sorted(shown()) == ["A00001 on I0001", "A00003 on I0002"]
    assert shown() == checked_afresh()


def test_every_table_the_flags_read_logs_what_its_writes_touch(teams, db):
    read: set[str] = set()

    def tables(conn, cursor, statement, *_):
        read.update(t.name for t in db.metadata.sorted_tables if f" {t.name}" in statement
                    or f'"{t.name}"' in statement)

    event.listen(db.engine, "before_cursor_execute", tables)
    try:
        checked_afresh()
    finally:
        event.remove(db.engine, "before_cursor_execute", tables)
    if db.engine.dialect.name == "postgresql":
        logged = set(db.session.scalars(sa.text("SELECT DISTINCT event_object_table FROM information_schema.triggers "
                                                "WHERE trigger_name LIKE 'log_data_change%'")))
    else:
        logged = set(db.session.scalars(sa.text("SELECT DISTINCT tbl_name FROM sqlite_master "
                                                "WHERE type = 'trigger' AND name LIKE '%logs_data_change'")))
    assert "deployment" in read and read - {"data_version", "data_change"} <= logged


def test_the_change_log_says_what_a_write_touched_and_when_it_concerns_everything(teams):
    before = data_cache.writers()
    unavailable("A00002", "2027-03-02")
    other_session_writes("UPDATE inspection SET title = 'Renamed' WHERE id = :i", i=inspection_id("I0002"))
    _db.session.commit()
    assert data_cache.touched_since(before, data_cache.writers()) == ({assessor_id("A00002")},
                                                                       {inspection_id("I0002")})
    other_session_writes("UPDATE area SET name = name WHERE id = 'angus'")
    _db.session.commit()
    assert data_cache.touched_since(before, data_cache.writers()) is None


def test_the_change_log_keeps_a_day(teams):
    _db.session.execute(sa.delete(DataChange))      # earlier tests' rows (the log is kept between tests) are older
    _db.session.commit()
    unavailable("A00001", "2027-03-02")
    written = _db.session.scalar(sa.select(sa.func.max(DataChange.at)))
    assert data_cache.prune_changes(written + data_cache.CHANGES_KEPT - 60) == 0
    assert data_cache.prune_changes(written + data_cache.CHANGES_KEPT + 60) > 0
    assert _db.session.scalar(sa.select(sa.func.count()).select_from(DataChange)) == 0
