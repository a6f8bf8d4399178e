"""An assessor can never read or change another assessor's records: ids from the URL only ever
select among their own rows."""
from __future__ import annotations

from datetime import date

from werkzeug.datastructures import MultiDict

from scheduler.models import Deployment, Unavailability
from tests import factories


def _period_form(client, start: date, end: date) -> MultiDict:
    pairs = [("starts_on", str(start.day)), ("starts_on", str(start.month)), ("starts_on", str(start.year)),
             ("ends_on", str(end.day)), ("ends_on", str(end.month)), ("ends_on", str(end.year)),
             ("reason", "mine now"), ("csrf_token", client.csrf_token())]
    return MultiDict(pairs)


def test_changing_another_assessors_unavailability_is_not_found(client, db, me, someone_else):
    theirs = factories.UnavailabilityFactory(assessor=someone_else)
    db.session.commit()
    assert client.get(f"/my/availability/{theirs.id}").status_code == 404
    response = client.post(f"/my/availability/{theirs.id}",
                           data=_period_form(client, date(2027, 5, 1), date(2027, 5, 2)), csrf=False)
    assert response.status_code == 404
    db.session.refresh(theirs)
    assert (theirs.starts_on, theirs.reason) == (date(2027, 4, 5), "Annual leave")


def test_removing_another_assessors_unavailability_is_not_found(client, db, me, someone_else):
    theirs = factories.UnavailabilityFactory(assessor=someone_else)
    db.session.commit()
    assert client.get(f"/my/availability/{theirs.id}/remove").status_code == 404
    assert client.post(f"/my/availability/{theirs.id}/remove").status_code == 404
    assert db.session.get(Unavailability, theirs.id) is not None


def test_adding_a_period_never_merges_with_another_assessors(client, db, me, someone_else):
    factories.UnavailabilityFactory(assessor=someone_else, starts_on=date(2027, 4, 5), ends_on=date(2027, 4, 16))
    client.post("/my/availability/add", data=_period_form(client, date(2027, 4, 10), date(2027, 4, 20)), csrf=False)
    theirs = db.session.scalar(db.select(Unavailability).filter_by(assessor_id=someone_else.id))
    assert (theirs.starts_on, theirs.ends_on) == (date(2027, 4, 5), date(2027, 4, 16))
    mine = db.session.scalar(db.select(Unavailability).filter_by(assessor_id=me.id))
    assert (mine.starts_on, mine.ends_on) == (date(2027, 4, 10), date(2027, 4, 20))


def test_declining_another_assessors_deployment_is_not_found(client, db, me, someone_else):
    theirs = factories.DeploymentFactory(assessor=someone_else)
    db.session.commit()
    assert client.get(f"/my/deployments/{theirs.id}").status_code == 404
    response = client.post(f"/my/deployments/{theirs.id}",
                           data={"answer": "decline", "reason": "Not me", "version": str(theirs.version_id)})
    assert response.status_code == 404
    db.session.refresh(theirs)
    assert theirs.status == "proposed" and theirs.decline_reason is None


def test_another_assessors_deployments_are_not_listed(client, db, me, someone_else):
    factories.DeploymentFactory(assessor=someone_else, inspection__title="Their secret inspection")
    factories.DeploymentFactory(assessor=me, inspection__title="My own inspection")
    for url in ("/my", "/my/deployments"):
        text = client.get(url).get_data(as_text=True)
        assert "My own inspection" in text and "Their secret inspection" not in text


def test_an_assessor_account_without_a_record_sees_a_message_and_nothing_else(client, db, sign_in):
    sign_in("assessor")
    page = client.get("/my")
    assert page.status_code == 200 and "not set up yet" in page.soup.h1.get_text()
    assert client.get("/my/availability").status_code == 404
    assert client.get("/my/profile").status_code == 404


def test_an_assessor_cannot_open_the_directory(client, db, me, someone_else):
    assert client.get("/assessors").status_code == 403
    assert client.get(f"/assessors/{someone_else.id}").status_code == 403
    assert client.get("/assessors/export.csv").status_code == 403


def test_a_coordinator_cannot_open_assessor_pages(client, db, sign_in):
    sign_in("coordinator")
    assert client.get("/my/availability").status_code == 403
    assert client.post("/my/calendar/reset").status_code == 403
    assert db.session.scalar(db.select(Deployment)) is None
