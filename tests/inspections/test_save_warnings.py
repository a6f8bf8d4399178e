"""Before an inspection is saved the coordinator is warned, and confirms to save anyway: an edit
that breaks published teams lists the deployments it breaks and offers to re-plan them; a new
inspection like another in the programme (same area and type, overlapping dates) is pointed out.
Nothing is stored before they confirm, and nothing they typed is lost."""
from __future__ import annotations

from datetime import date

import pytest

from scheduler.extensions import db
from scheduler.models import Inspection
from tests import factories as f
from tests.inspections.helpers import employer_id, inspection_form
from tests.teams.conftest import make_assessor


def _count() -> int:
    return db.session.scalar(db.select(db.func.count(Inspection.id)))


def _save_anyway(data: dict, page) -> dict:
    acknowledged = page.soup.find("input", attrs={"name": "acknowledged"})["value"]
    return {**{k: v for k, v in data.items() if k != "save"}, "acknowledged": acknowledged,
            "save_anyway": "Save anyway"}


def _text(node) -> str:
    return " ".join(node.get_text(" ").split())


# ----------------------------------------------------------------------------- a new inspection like another

def test_a_new_inspection_like_another_is_pointed_out_before_it_is_saved(client, sign_in):
    earlier = f.InspectionFactory(reference="I0007", title="Joint inspection of children's services in Angus",
                                  starts_on=date(2027, 3, 8), ends_on=date(2027, 3, 19))
    sign_in("coordinator")
    data = inspection_form(title="Angus children, spring")

    page = client.post("/inspections/new", data=data)

    assert page.status_code == 200 and _count() == 1                # nothing stored yet
    alike = _text(page.soup.find(id="alike-inspections"))
    assert "I0007: Joint inspection of children's services in Angus" in alike
    assert "Monday 8 March 2027 to Friday 19 March 2027" in alike
    assert page.soup.find(id="title")["value"] == "Angus children, spring"      # kept as typed
    assert page.soup.find("a", string=lambda s: s and "I0007" in s)["href"] == f"/inspections/{earlier.id}"

    saved = client.post("/inspections/new", data=_save_anyway(data, page))

    assert saved.status_code == 302 and _count() == 2


@pytest.mark.parametrize("change", [
    {"area_id": "fife", "proposed_for": "fife", "excluded_employers": []},      # another area
    {"type": "adults"},                                                           # another type
    {"starts_on": ["15", "3", "2027"], "ends_on": ["26", "3", "2027"]},          # after it ends
])
def test_a_new_inspection_unlike_the_others_is_saved_straight_away(client, sign_in, change):
    f.InspectionFactory(reference="I0007", starts_on=date(2027, 3, 1), ends_on=date(2027, 3, 12))
    sign_in("coordinator")
    start = date(2027, 3, 15) if "starts_on" in change else date(2027, 3, 1)
    end = date(2027, 3, 26) if "starts_on" in change else date(2027, 3, 12)
    response = client.post("/inspections/new", data=inspection_form(start, end, **change))
    assert response.status_code == 302 and _count() == 2


def test_a_cancelled_inspection_is_no_look_alike(client, sign_in):
    f.InspectionFactory(reference="I0007", status="cancelled")
    sign_in("coordinator")
    assert client.post("/inspections/new", data=inspection_form()).status_code == 302


# ----------------------------------------------------------------------------- an edit that breaks published teams

@pytest.fixture()
def published(db):
    """I0001 in Angus, 1 to 12 March 2027 (mandatory 1 March), two children's places of 4 to 8
    days, both taken: Ailsa for 1 to 5 March (proposed), Brodie for 1 to 4 and 8 March (confirmed)."""
    i = f.InspectionFactory(reference="I0001", working_days__mandatory=[date(2027, 3, 1)])
    f.SeatFactory(inspection=i, count=2, min_days=4, max_days=8)
    ailsa = make_assessor(reference="A00001", name="Ailsa MacKay")
    brodie = make_assessor(reference="A00002", name="Brodie Nairn")
    f.DeploymentFactory(assessor=ailsa, inspection=i, days=[f"2027-03-0{n}" for n in range(1, 6)])
    f.DeploymentFactory(assessor=brodie, inspection=i, status="employer_confirmed",
                        days=["2027-03-01", "2027-03-02", "2027-03-03", "2027-03-04", "2027-03-08"])
    db.session.commit()
    return i


def _edit(i: Inspection, **change) -> dict:
    return inspection_form(version_id=str(i.version_id), title="Renamed while editing", **change)


BREAKING = {   # name: (the change, as a function: form data needs the app; who it breaks)
    "a working day taken away": (lambda: {"working_days": [d for d in inspection_form()["working_days"]
                                                           if d != "2027-03-05"]}, ["Ailsa MacKay (A00001)"]),
    "a new mandatory day": (lambda: {"mandatory_days": ["2027-03-01", "2027-03-05"]}, ["Brodie Nairn (A00002)"]),
    "fewer seats": (lambda: {"children_count": "1"}, ["Ailsa MacKay (A00001)", "Brodie Nairn (A00002)"]),
    "a longer minimum": (lambda: {"children_min": "6"}, ["Ailsa MacKay (A00001)", "Brodie Nairn (A00002)"]),
    "the assessors' own area": (lambda: {"area_id": "fife", "proposed_for": "fife",
                                         "excluded_employers": [str(employer_id("Fife Council"))]},
                                ["Ailsa MacKay (A00001)", "Brodie Nairn (A00002)"]),
}


@pytest.mark.parametrize("name", list(BREAKING))
def test_an_edit_that_breaks_published_teams_lists_them_and_saves_only_when_confirmed(
        client, sign_in, published, name):
    change, broken = BREAKING[name]
    version = published.version_id
    sign_in("coordinator")
    data = _edit(published, **change())

    page = client.post(f"/inspections/{published.id}/edit", data=data)

    assert page.status_code == 200
    db.session.expire_all()
    assert db.session.get(Inspection, published.id).version_id == version      # nothing stored
    rows = page.soup.select("#broken-deployments tbody tr")
    assert sorted(_text(r.th) for r in rows) == broken
    assert all("rule" in _text(r) for r in rows)                                # each says what it breaks
    assert page.soup.find(id="replan-link")["href"] == "/teams/?inspections=I0001"
    assert page.soup.find(id="title")["value"] == "Renamed while editing"        # kept as typed

    saved = client.post(f"/inspections/{published.id}/edit", data=_save_anyway(data, page))

    assert saved.status_code == 302
    db.session.expire_all()
    assert db.session.get(Inspection, published.id).title == "Renamed while editing"


def test_an_edit_that_breaks_nothing_is_saved_straight_away(client, sign_in, published):
    sign_in("coordinator")
    # one more seat and a later end: every published deployment still fits
    response = client.post(f"/inspections/{published.id}/edit", data=_edit(published, children_count="3"))
    assert response.status_code == 302


def test_pressing_save_again_after_the_warning_does_not_save(client, sign_in, published):
    sign_in("coordinator")
    data = _edit(published, children_count="1")
    page = client.post(f"/inspections/{published.id}/edit", data=data)
    again = client.post(f"/inspections/{published.id}/edit",
                        data={**data, "acknowledged": page.soup.find("input", attrs={"name": "acknowledged"})["value"]})
    assert again.status_code == 200 and again.soup.find(id="broken-deployments")


def test_save_anyway_after_a_further_breaking_change_warns_again(client, sign_in, published):
    sign_in("coordinator")
    data = _edit(published, children_count="1")
    page = client.post(f"/inspections/{published.id}/edit", data=data)
    # they also add a mandatory day Brodie does not work before pressing "Save anyway"
    more = {**_save_anyway(data, page), "mandatory_days": ["2027-03-01", "2027-03-05"]}
    again = client.post(f"/inspections/{published.id}/edit", data=more)
    assert again.status_code == 200
    assert "mandatory" in _text(again.soup.find(id="broken-deployments")).lower()


def test_the_team_builder_opens_with_the_inspection_to_re_plan_chosen(client, sign_in, published):
    sign_in("coordinator")
    page = client.get("/teams/?inspections=I0001")
    box = page.soup.find("input", attrs={"name": "inspections", "value": "I0001"})
    assert box is not None and box.has_attr("checked")
