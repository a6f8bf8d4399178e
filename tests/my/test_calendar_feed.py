"""The private calendar feed: parses as iCalendar, holds only this assessor's live deployments with
stable UIDs, lives at a secret URL that can be reset (the old URL then stops working)."""
from __future__ import annotations

from datetime import date

from icalendar import Calendar

from scheduler.models import AuditEvent
from tests import factories


def _feed_url(client) -> str:
    page = client.get("/my")
    return page.soup.find("input", id="calendar-feed-url")["value"]


def _events(client, url):
    response = client.get(url.replace("http://localhost", ""))
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    return [c for c in Calendar.from_ical(response.data).walk("VEVENT")]


def test_the_feed_parses_and_holds_only_my_live_deployments(client, db, me, someone_else):
    mine = factories.DeploymentFactory(assessor=me, inspection__title="Joint inspection in Angus")
    factories.DeploymentFactory(assessor=me, inspection__title="Declined one", status="assessor_declined")
    factories.DeploymentFactory(assessor=someone_else, inspection__title="Someone else's inspection")
    events = _events(client, _feed_url(client))
    assert len(events) == 1
    event = events[0]
    assert str(event["summary"]) == "Joint inspection in Angus (proposed)"
    assert event.decoded("dtstart") == date(2027, 3, 1)
    assert event.decoded("dtend") == date(2027, 3, 6)  # all-day: the day after the last day
    assert str(event["uid"]).startswith(f"deployment-{mine.id}-")
    assert "dtstamp" in event
    assert str(event["status"]) == "TENTATIVE"


def test_an_accepted_deployment_says_so_in_the_calendar_until_the_employer_confirms(client, db, me):
    deployment = factories.DeploymentFactory(assessor=me, inspection__title="Joint inspection in Angus")
    db.session.commit()
    client.post(f"/my/deployments/{deployment.id}", data={"answer": "accept", "version": str(deployment.version_id)})
    [event] = _events(client, _feed_url(client))
    assert str(event["summary"]) == "Joint inspection in Angus (you accepted)"
    assert str(event["status"]) == "TENTATIVE"  # the employer has still to confirm


def test_uids_are_stable_between_fetches_and_runs_of_days_become_separate_events(client, db, me):
    inspection = factories.InspectionFactory(starts_on=date(2027, 3, 1), ends_on=date(2027, 3, 12))
    deployment = factories.DeploymentFactory(assessor=me, inspection=inspection, day_count=8,
                                             status="employer_confirmed")
    url = _feed_url(client)
    first = _events(client, url)
    second = _events(client, url)
    assert [str(e["uid"]) for e in first] == [str(e["uid"]) for e in second]
    assert len(first) == 2  # Monday to Friday, then Monday to Wednesday
    assert {e.decoded("dtstart") for e in first} == {date(2027, 3, 1), date(2027, 3, 8)}
    assert all(str(e["status"]) == "CONFIRMED" and "(confirmed)" in str(e["summary"]) for e in first)
    assert deployment.day_count == 8


def test_an_unknown_token_is_not_found(client, db, me):
    _feed_url(client)
    assert client.get("/calendar/" + "x" * 43 + ".ics").status_code == 404
    assert client.get("/calendar/short.ics").status_code == 404


def test_the_feed_needs_no_sign_in(app, client, db, me):
    url = _feed_url(client)
    anonymous = app.test_client()
    assert anonymous.get(url.replace("http://localhost", "")).status_code == 200


def test_resetting_the_feed_invalidates_the_old_url(client, db, me):
    factories.DeploymentFactory(assessor=me)
    old = _feed_url(client)
    token = old.rsplit("/", 1)[1].removesuffix(".ics")
    assert len(token) >= 43  # 32 random bytes, URL-safe
    page = client.post("/my/calendar/reset", follow_redirects=True)
    assert "The old link no longer works" in page.get_data(as_text=True)
    new = page.soup.find("input", id="calendar-feed-url")["value"]
    assert new != old
    assert client.get(old.replace("http://localhost", "")).status_code == 404
    assert len(_events(client, new)) == 1
    assert db.session.scalar(db.select(AuditEvent).filter_by(action="assessor.calendar_reset")).object_id == str(me.id)


def test_the_overview_explains_how_to_subscribe(client, db, me):
    page = client.get("/my")
    text = page.get_data(as_text=True)
    assert "How to subscribe" in text and "Do not share it" in text
    assert page.soup.find("label", attrs={"for": "calendar-feed-url"})
