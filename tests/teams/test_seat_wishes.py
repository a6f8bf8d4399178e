"""Where a coordinator decides who takes a seat, the candidates say who asked to join the
inspection and who would rather not (with their notes): on a build's seat and on the seat as
published now."""
from __future__ import annotations

from scheduler.extensions import db
from tests import factories as f
from tests.teams.conftest import build_run


def _wishes_in_candidates(page) -> dict[str, str]:
    table = page.soup.find("caption", string="Candidates, best first").find_parent("table")
    heads = [th.get_text(strip=True) for th in table.find("thead").find_all("th")]
    column = heads.index("Their wish")
    out = {}
    for tr in table.find("tbody").find_all("tr"):
        cells = tr.find_all(["th", "td"])
        ref = cells[0].get_text(strip=True).rsplit("(", 1)[1].rstrip(")")
        out[ref] = cells[column].get_text(" ", strip=True)
    return out


def test_a_builds_seat_tags_the_candidates_who_asked_to_join_or_would_rather_not(client, sign_in, programme):
    a1, a2, a3, a4, _ = programme.assessors
    i1, i2 = programme.inspections
    f.PreferenceFactory(assessor=a1, inspection=i1, kind="keen", note="Worked with this partnership before")
    f.PreferenceFactory(assessor=a3, inspection=i1, kind="rather_not")
    f.PreferenceFactory(assessor=a4, inspection=i2, kind="keen")          # another inspection: not shown here
    db.session.flush()
    sign_in("coordinator")
    run = build_run(client)
    wishes = _wishes_in_candidates(client.get(f"/teams/runs/{run.id}/seats/I0001/children"))
    assert wishes["A00001"] == "Asked to join “Worked with this partnership before”"
    assert wishes["A00003"] == "Rather not"
    assert wishes["A00002"] == wishes["A00004"] == ""


def test_the_published_seat_tags_the_candidates_wishes_too(client, sign_in, programme):
    a1, a2, *_ = programme.assessors
    f.PreferenceFactory(assessor=a2, inspection=programme.inspections[1], kind="rather_not", note="Too far")
    db.session.flush()
    sign_in("coordinator")
    wishes = _wishes_in_candidates(client.get("/teams/seats/I0002/children"))
    assert wishes["A00002"] == "Rather not “Too far”"
    assert wishes["A00001"] == ""
