"""What-if builds: a variant of a finished build (another order of aims, a mandatory day moved or
dropped, an assessor away, a seat changed) is solved on that build's data with the changes applied
to its instance only, says on every page that it is a variant, and can never be published; any two
builds compare side by side, every count equal to the list it summarises."""
from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from scheduler.extensions import db
from scheduler.models import (
    AIMS,
    Assessor,
    AuditEvent,
    Inspection,
    InspectionDay,
    OutboxMessage,
    Seat,
    SolveRun,
    Unavailability,
)
from scheduler.planning import RunScope, aims_of
from scheduler.teams import plans
from scheduler.teams.compare import compare
from scheduler.teams.forms import NOTHING_VARIED
from solver.check import check
from tests import factories as f
from tests.teams.conftest import build_run, live

MOVE_FIRST_MANDATORY_DAY = {"mandatory_day": "I0001|2027-03-01", "day_action": "move",
                            "new_day": ["3", "3", "2027"]}


def build_variant(client, run, **data):
    """Press Build the variant (solves run inline in tests) and return the variant."""
    form = {"aims": aims_of(plans.instance_of(run)), **data}
    response = client.post(f"/teams/runs/{run.id}/variant", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    variant = db.session.get(SolveRun, int(response.headers["Location"].rstrip("/").split("/")[-1]))
    db.session.refresh(variant)
    assert variant.status == "finished", variant.error
    return variant


def programme_rows():
    """Everything a variant may vary, as stored: inspections' days, seats, assessors' unavailability."""
    return (sorted(db.session.execute(sa.select(InspectionDay.inspection_id, InspectionDay.day,
                                                InspectionDay.mandatory))),
            sorted(db.session.execute(sa.select(Seat.inspection_id, Seat.specialism, Seat.count))),
            sorted(db.session.execute(sa.select(Unavailability.assessor_id, Unavailability.starts_on,
                                                Unavailability.ends_on))),
            sorted(db.session.execute(sa.select(Inspection.id, Inspection.status, Inspection.version_id))),
            sorted(db.session.execute(sa.select(Assessor.id, Assessor.status))))


def built_name(reference: str) -> str:
    return db.session.scalar(sa.select(Assessor.name).filter_by(reference=reference))


@pytest.fixture()
def built(client, sign_in, programme):
    sign_in("coordinator")
    run = build_run(client)
    assert run.status == "finished", run.error
    return run


def test_a_variant_moves_a_mandatory_day_in_its_own_instance_and_leaves_the_programme_untouched(client, built):
    before = programme_rows()
    variant = build_variant(client, built, **MOVE_FIRST_MANDATORY_DAY)
    recorded = RunScope.of(variant.scope).variant
    assert recorded is not None and recorded.of_run == built.id
    assert (recorded.day.inspection, recorded.day.day, recorded.day.to) == ("I0001", date(2027, 3, 1), date(2027, 3, 3))
    assert plans.instance_of(variant).inspection_by_id["I0001"].mandatory_days == (date(2027, 3, 3),)
    assert plans.instance_of(built).inspection_by_id["I0001"].mandatory_days == (date(2027, 3, 1),)
    on_i1 = [d for d in plans.plan_of(variant).deployments if d.inspection == "I0001"]
    assert on_i1 and all(date(2027, 3, 3) in d.days for d in on_i1)
    assert check(plans.instance_of(variant), plans.plan_of(variant)).ok
    assert programme_rows() == before
    assert live() == []
    assert db.session.scalar(sa.select(AuditEvent).filter_by(action="teams.variant_requested",
                                                             object_id=str(variant.id))) is not None


def test_a_variant_applies_other_aims_an_assessor_away_and_a_changed_seat_only_to_its_instance(client, built):
    before = programme_rows()
    variant = build_variant(client, built, aims="with_wishes", assessor="A00001", away_from=["1", "3", "2027"],
                            away_to=["31", "3", "2027"], seat_inspection="I0002", seat_specialism="justice",
                            seat_count="1")
    instance = plans.instance_of(variant)
    assert instance.policy.objective == AIMS["with_wishes"][0]
    assert (date(2027, 3, 1), date(2027, 3, 31)) in [(r.start, r.end)
                                                     for r in instance.assessor_by_id["A00001"].unavailable]
    assert ([(s.specialism, s.count) for s in instance.inspection_by_id["I0002"].seats]
            == [("children", 1), ("justice", 1)])
    assert "A00001" not in {d.assessor for d in plans.plan_of(variant).deployments}
    assert programme_rows() == before
    notice = " ".join(client.get(f"/teams/runs/{variant.id}").soup.select_one("#variant-notice").get_text(" ").split())
    assert f"Aims weighed in this order: {AIMS['with_wishes'][1]}" in notice
    assert f"{built_name('A00001')} (A00001) is unavailable from 1 March 2027 to 31 March 2027" in notice
    assert "I0002: 1 justice social work place" in notice


def test_a_confirmed_deployment_a_variant_breaks_is_planned_afresh_there_and_stays_as_it_is_on_record(
        client, sign_in, programme):
    confirmed = f.DeploymentFactory(assessor=programme.assessors[0], inspection=programme.inspections[0],
                                    status="employer_confirmed")            # 1 to 5 March
    db.session.flush()
    sign_in("coordinator")
    run = build_run(client, ["I0001"])
    assert [p.assessor for p in plans.instance_of(run).pinned] == ["A00001"]
    variant = build_variant(client, run, mandatory_day="I0001|2027-03-01", day_action="move",
                            new_day=["10", "3", "2027"])
    assert plans.instance_of(variant).pinned == ()
    name = programme.assessors[0].name
    assert RunScope.of(variant.scope).released == (f"{name} (A00001) on I0001",)
    notice = client.get(f"/teams/runs/{variant.id}").soup.select_one("#variant-released").get_text(" ")
    assert f"Planned afresh, as these changes break it: confirmed or pinned deployment of " \
        f"{name} (A00001) on I0001" in " ".join(notice.split())
    assert all(date(2027, 3, 10) in d.days for d in plans.plan_of(variant).deployments)
    db.session.refresh(confirmed)
    assert (confirmed.status, confirmed.days) == ("employer_confirmed", [f"2027-03-0{n}" for n in range(1, 6)])


def test_a_seat_set_to_no_places_is_removed_from_the_variant(client, built):
    variant = build_variant(client, built, seat_inspection="I0001", seat_specialism="children", seat_count="0")
    assert plans.instance_of(variant).inspection_by_id["I0001"].seats == ()
    assert not [d for d in plans.plan_of(variant).deployments if d.inspection == "I0001"]


def test_every_page_of_a_variant_says_it_is_a_variant_and_offers_no_publishing(client, built):
    variant = build_variant(client, built, **MOVE_FIRST_MANDATORY_DAY)
    pages = [f"/teams/runs/{variant.id}", f"/teams/runs/{variant.id}/seats/I0001/children",
             f"/teams/runs/{variant.id}/variant", f"/teams/runs/{variant.id}/compare?other={built.id}"]
    for path in pages:
        page = client.get(path)
        assert page.status_code == 200, path
        notice = page.soup.select_one("#variant-notice")
        assert notice is not None, path
        words = " ".join(notice.get_text(" ").split())
        assert f"is a variant of build {built.id} : what-if teams that cannot be published" in words, path
        assert "I0001: the mandatory day 1 March 2027 moves to 3 March 2027" in words, path
        assert page.soup.find(string=lambda s: s and "Check and publish" in s) is None, path
    assert client.get(f"/teams/runs/{variant.id}").soup.h1.get_text().startswith("Variant: teams built on")
    original = client.get(f"/teams/runs/{built.id}")
    assert original.soup.select_one("#variant-notice") is None
    assert original.soup.find("a", string="Build a variant") is not None
    assert original.soup.find("a", string="Compare with another build") is not None


def test_a_variant_cannot_be_published(client, built):
    variant = build_variant(client, built, **MOVE_FIRST_MANDATORY_DAY)
    mail_before = db.session.scalar(sa.select(sa.func.count(OutboxMessage.id)))
    response = client.post(f"/teams/runs/{variant.id}/publish")
    assert response.status_code == 302
    db.session.refresh(variant)
    assert (variant.published_at, variant.version) == (None, None)
    assert live() == []
    assert db.session.scalar(sa.select(sa.func.count(OutboxMessage.id))) == mail_before
    assert db.session.scalar(sa.select(AuditEvent).filter_by(action="teams.published")) is None
    check = client.get(f"/teams/runs/{variant.id}/publish", follow_redirects=True)
    assert "A variant is a what-if build: it cannot be published" in check.soup.get_text(" ")
    with pytest.raises(plans.PublishConflict):
        plans.publish(variant)
    db.session.rollback()
    assert client.post(f"/teams/runs/{built.id}/publish").status_code == 302     # the original still can
    assert len(live()) == 3


def test_a_variant_of_a_variant_adds_its_changes_to_the_variants_data(client, built):
    first = build_variant(client, built, **MOVE_FIRST_MANDATORY_DAY)
    second = build_variant(client, first, seat_inspection="I0002", seat_specialism="children", seat_count="2")
    instance = plans.instance_of(second)
    assert instance.inspection_by_id["I0001"].mandatory_days == (date(2027, 3, 3),)
    assert instance.inspection_by_id["I0002"].seat("children").count == 2


@pytest.mark.parametrize(("data", "field", "message"), [
    ({}, "aims", NOTHING_VARIED),
    ({"day_action": "drop"}, "mandatory_day", "Select the mandatory day to move or drop"),
    ({"mandatory_day": "I0001|2027-03-01"}, "day_action",
     "Select whether the mandatory day moves or is no longer mandatory"),
    ({"mandatory_day": "I0009|2027-03-01", "day_action": "drop"}, "mandatory_day",
     "Select a mandatory day of this build's inspections"),
    ({"mandatory_day": "I0001|2027-03-01", "day_action": "move"}, "new_day", "Enter the new date of the mandatory day"),
    ({"mandatory_day": "I0001|2027-03-01", "day_action": "move", "new_day": ["6", "3", "2027"]}, "new_day",
     "The new date must be one of I0001's days, from 1 March 2027 to 12 March 2027"),
    ({"mandatory_day": "I0001|2027-03-01", "day_action": "move", "new_day": ["1", "3", "2027"]}, "new_day",
     "1 March 2027 is already a mandatory day of I0001"),
    ({"mandatory_day": "I0001|2027-03-01", "day_action": "move", "new_day": ["3", "", "2027"]}, "new_day",
     "The new date of the mandatory day must include a month"),
    ({"away_from": ["2", "3", "2027"]}, "assessor", "Enter the name or reference of the assessor who is unavailable"),
    ({"assessor": "A09999", "away_from": ["2", "3", "2027"]}, "assessor", "No assessor has the reference A09999"),
    ({"assessor": "A00001"}, "away_from", "Enter the first day the assessor is unavailable"),
    ({"assessor": "A00001", "away_from": ["9", "3", "2027"], "away_to": ["2", "3", "2027"]}, "away_to",
     "The last day they are unavailable must be on or after the first day"),
    ({"assessor": "A00001", "away_from": ["1", "6", "2027"]}, "away_from",
     "The days must overlap the period this build plans"),
    ({"seat_count": "2"}, "seat_inspection", "Select the inspection whose seat changes"),
    ({"seat_inspection": "I0001", "seat_count": "1"}, "seat_specialism", "Select the specialism of the seat"),
    ({"seat_inspection": "I0001", "seat_specialism": "children"}, "seat_count", "Enter the number of places"),
    ({"seat_inspection": "I0001", "seat_specialism": "children", "seat_count": "two"}, "seat_count",
     "The number of places must be a whole number from 0 to 20"),
    ({"seat_inspection": "I0001", "seat_specialism": "children", "seat_count": "2"}, "seat_count",
     "I0001 already has 2 children and young people places: enter a different number"),
])
def test_the_variant_form_names_the_field_that_is_wrong_and_keeps_what_was_typed(client, built, data, field,
                                                                                  message):
    runs = db.session.scalar(sa.select(sa.func.count(SolveRun.id)))
    response = client.post(f"/teams/runs/{built.id}/variant",
                           data={"aims": aims_of(plans.instance_of(built)), **data})
    assert response.status_code == 400
    error = response.soup.select_one(f"#{field}-error, #{field}-date-error")
    assert error is not None, response.soup.select(".govuk-error-message")
    assert message in error.get_text(" ")
    assert response.soup.title.get_text().startswith("Error: Build a variant of build")
    for name, value in data.items():
        if isinstance(value, list):
            continue
        typed = response.soup.select_one(f"[name={name}][value='{value}']") or response.soup.select_one(
            f"select[name={name}] option[value='{value}'][selected]")
        if name in ("assessor", "seat_count"):
            typed = response.soup.select_one(f"input[name={name}]")
            assert typed["value"] == value
        elif typed is not None and typed.name == "input" and typed.get("type") == "radio":
            assert typed.has_attr("checked")
    for name, value in data.items():
        if isinstance(value, list):
            assert [response.soup.select_one(f"#{name}{suffix}")["value"]
                    for suffix in ("", "-month", "-year")] == value
    assert db.session.scalar(sa.select(sa.func.count(SolveRun.id))) == runs


def test_only_a_finished_build_has_variants_and_comparisons(client, built):
    failed = SolveRun(status="failed", scope=built.scope, error="stopped")
    db.session.add(failed)
    db.session.flush()
    assert client.get(f"/teams/runs/{failed.id}/variant").status_code == 404
    assert client.get(f"/teams/runs/{failed.id}/compare").status_code == 404
    assert client.get(f"/teams/runs/{built.id}/compare?other={failed.id}").status_code == 400


def test_the_comparison_counts_equal_the_lists_they_summarise(client, built):
    variant = build_variant(client, built, **MOVE_FIRST_MANDATORY_DAY, seat_inspection="I0002",
                            seat_specialism="children", seat_count="0")
    comparison = compare(built, variant)
    assert comparison.seats_filled(0) == sum(r.filled[0] for r in comparison.seats) == 3
    assert comparison.seats_filled(1) == sum(r.filled[1] for r in comparison.seats) == 2
    assert comparison.places(1) == 2
    ours = plans.plan_of(built).deployments
    assert len(comparison.only[0]) + len(comparison.changed) + len(comparison.same) == len(ours)
    theirs = plans.plan_of(variant).deployments
    assert len(comparison.only[1]) + len(comparison.changed) + len(comparison.same) == len(theirs)
    assert [o.inspection for o in comparison.only[0]].count("I0002") == 1
    assert all(date(2027, 3, 3) in c.days[1] for c in comparison.changed)

    page = client.get(f"/teams/runs/{built.id}/compare?other={variant.id}")
    assert page.status_code == 200
    soup = page.soup

    def count(name: str) -> int:
        return int(soup.select_one(f'[data-count="{name}"]').get_text())

    for side in (0, 1):
        table = soup.select_one(f"#only-{side}")
        assert count(f"only-{side}") == len(comparison.only[side]) == (len(table.select("tbody tr")) if table else 0)
    changed = soup.select_one("#changed")
    assert count("changed") == len(comparison.changed) == (len(changed.select("tbody tr")) if changed else 0)
    for side, key in ((0, "a"), (1, "b")):
        cells = soup.select(f"#seats tbody tr td:nth-of-type({side + 1})")
        assert count(f"filled-{key}") == sum(int(td["data-filled"]) for td in cells)
        assert count(f"places-{key}") == sum(int(td["data-places"]) for td in cells)
    aims = {tr["data-level"]: tr for tr in soup.select("#aims tbody tr")}
    assert aims["seats_filled"].select("td")[0].get_text() == "3"
    assert aims["seats_filled"].select("td")[1].get_text() == "Proven best"
    assert "Not in this build" not in soup.select_one("#seats").get_text()


def test_the_same_assessor_and_days_on_another_seat_is_another_deployment_in_the_comparison(built):
    """On the justice seat in one build and the children seat in the other: each build has a deployment
    the other lacks, not one deployment 'the same in both'."""
    moved = dict(plans.plan_of(built).to_json())
    first = dict(moved["deployments"][0])
    first["specialism"] = next(s for s in ("children", "adults", "justice") if s != first["specialism"])
    moved["deployments"] = [first, *moved["deployments"][1:]]
    other = SolveRun(status="finished", scope=built.scope, instance=built.instance, plan=moved)
    db.session.add(other)
    db.session.flush()
    comparison = compare(built, other)
    assert [(o.inspection, o.specialism) for o in comparison.only[0]] == [
        (first["inspection"], plans.plan_of(built).deployments[0].specialism)]
    assert [(o.inspection, o.specialism) for o in comparison.only[1]] == [(first["inspection"], first["specialism"])]
    assert len(comparison.same) == len(moved["deployments"]) - 1 and comparison.changed == []


def test_the_comparison_shows_each_aims_value_and_proof_for_builds_with_different_aims(client, built):
    variant = build_variant(client, built, aims="with_wishes_and_partnerships")
    rows = {r.level: r for r in compare(built, variant).aims}
    assert rows["partnerships_reached"].proven[0] is None          # not one of the first build's aims
    assert rows["partnerships_reached"].proven[1] is True
    assert rows["partnerships_reached"].values[0] == rows["partnerships_reached"].values[1] is not None
    assert rows["seats_filled"].values == (3, 3)


@pytest.mark.parametrize(("query", "message"), [("other=", "Select the build to compare with"),
                                                ("other=99999", "Select a finished build from the list")])
def test_the_comparison_asks_for_a_build_from_its_list(client, built, query, message):
    page = client.get(f"/teams/runs/{built.id}/compare?{query}")
    assert page.status_code == 400
    assert message in page.soup.select_one("#other-error").get_text(" ")


def test_the_comparison_lists_the_other_finished_builds(client, built):
    variant = build_variant(client, built, **MOVE_FIRST_MANDATORY_DAY)
    options = [o.get_text() for o in client.get(f"/teams/runs/{built.id}/compare").soup.select("#other option")]
    assert any(f"Build {variant.id}" in o and f"variant of build {built.id}" in o for o in options)
    assert not any(f"Build {built.id}," in o for o in options)


def test_the_recent_builds_mark_a_variant_and_the_build_it_varies(client, built):
    variant = build_variant(client, built, **MOVE_FIRST_MANDATORY_DAY)
    rows = {tr.select_one("a").get_text(" ").split()[1]: " ".join(tr.get_text(" ").split())
            for tr in client.get("/teams/").soup.select("tbody tr") if tr.select_one("a[href^='/teams/runs/']")}
    assert f"Variant of build {built.id}: cannot be published" in rows[str(variant.id)]
    assert "Variant of" not in rows[str(built.id)]
