"""An assessor's profile for coordinators: details and history, and approving or rejecting a change
of specialisms (audited, the assessor told)."""
from __future__ import annotations

from datetime import date

from scheduler.models import AuditEvent, OutboxMessage
from scheduler.my import availability
from tests import factories


def test_the_profile_shows_agreements_unavailability_deployments_and_history(client, db, coordinator):
    a = factories.AssessorFactory(name="Fiona Kerr")
    factories.AgreementFactory(assessor=a, contact_name="Jane Manager")
    factories.UnavailabilityFactory(assessor=a, reason="Annual leave")
    factories.DeploymentFactory(assessor=a, status="assessor_declined", decline_reason="Own inspection that week",
                                inspection__title="Joint inspection in Angus")
    db.session.flush()
    from scheduler.audit import record

    record("unavailability.added", object_type="assessor", object_id=a.id,
           after={"starts_on": "2027-05-03", "ends_on": "2027-05-07", "reason": "Training"})
    record("something.else", object_type="assessor", object_id=a.id + 1000)
    page = client.get(f"/assessors/{a.id}")
    text = page.get_data(as_text=True)
    assert page.soup.h1.get_text(strip=True) == "Fiona Kerr"
    for expected in ("Jane Manager", "Monday 5 April to Friday 16 April 2027", "Annual leave",
                     "Joint inspection in Angus", "Own inspection that week",
                     "Recorded as unavailable from 3 May to 7 May 2027: “Training”"):
        assert expected in text
    assert "something.else" not in text and "unavailability.added" not in text


def test_an_unknown_assessor_is_not_found(client, db, coordinator):
    assert client.get("/assessors/999999").status_code == 404


def test_approving_a_specialism_change_applies_it_and_is_audited(client, db, coordinator):
    change = factories.SpecialismChangeRequestFactory(requests_children=False, requests_adults=True,
                                                      requests_justice=True)
    assessor = change.assessor
    db.session.commit()
    page = client.get(f"/assessors/{assessor.id}")
    assert "Change of specialisms to approve" in page.get_data(as_text=True)
    page = client.post(f"/assessors/{assessor.id}/specialism-requests/{change.id}",
                       data={"decision": "approve", "note": "Confirmed with their manager"}, follow_redirects=True)
    assert "You approved" in page.get_data(as_text=True)
    db.session.refresh(change)
    db.session.refresh(assessor)
    assert change.status == "approved" and change.decided_by_id == coordinator.id and change.decided_at
    assert [s.value for s in assessor.specialisms] == ["adults", "justice"]
    event = db.session.scalar(db.select(AuditEvent).filter_by(action="specialism_change.approved"))
    assert event.before["specialisms"] == ["children"] and event.after["specialisms"] == ["adults", "justice"]
    mail = db.session.scalar(db.select(OutboxMessage).filter_by(recipient=assessor.email))
    assert "Confirmed with their manager" in mail.body


def test_rejecting_a_specialism_change_leaves_the_specialisms(client, db, coordinator):
    change = factories.SpecialismChangeRequestFactory()
    db.session.commit()
    client.post(f"/assessors/{change.assessor.id}/specialism-requests/{change.id}", data={"decision": "reject"})
    db.session.refresh(change)
    assert change.status == "rejected"
    assert [s.value for s in change.assessor.specialisms] == ["children"]


def test_a_decision_needs_an_answer_and_cannot_be_made_twice(client, db, coordinator):
    change = factories.SpecialismChangeRequestFactory()
    db.session.commit()
    url = f"/assessors/{change.assessor.id}/specialism-requests/{change.id}"
    page = client.post(url, data={})
    assert "Select whether you approve the change" in page.get_data(as_text=True)
    client.post(url, data={"decision": "reject"})
    page = client.post(url, data={"decision": "approve"}, follow_redirects=True)
    assert "Someone has already decided this request" in page.get_data(as_text=True)
    db.session.refresh(change)
    assert change.status == "rejected"


def test_a_request_is_decided_only_on_its_own_assessors_page(client, db, coordinator):
    change = factories.SpecialismChangeRequestFactory()
    other = factories.AssessorFactory()
    db.session.commit()
    response = client.post(f"/assessors/{other.id}/specialism-requests/{change.id}", data={"decision": "approve"})
    assert response.status_code == 404


def history(page) -> list[str]:
    return [" ".join(li.get_text(" ").split()) for li in page.soup.select("#history + ol > li")]


def test_the_history_reads_as_sentences_with_dates_in_words(client, db, coordinator):
    from datetime import datetime

    from scheduler.audit import record

    a = factories.AssessorFactory(name="Fiona Kerr")
    d = factories.DeploymentFactory(assessor=a, inspection__reference="I0012")
    agreement = factories.AgreementFactory(assessor=a, employer=factories.employer("Angus Council"))
    db.session.flush()
    confirmed = record("deployment.employer_confirmed", object_type="deployment", object_id=d.id,
                       before={"status": "proposed"}, after={"status": "employer_confirmed"}, user_id=None)
    confirmed.at = datetime(2027, 5, 4, 10, 30)
    record("agreement.declined", object_type="employer_agreement", object_id=agreement.id,
           after={"decline_reason": "Short-staffed"}, user_id=None).at = datetime(2027, 5, 5, 9, 0)
    record("assessor.status_changed", object_type="assessor", object_id=a.id, before={"status": "active"},
           after={"status": "paused", "note": ""}, user_id=coordinator.id).at = datetime(2027, 5, 6, 9, 0)
    lines = history(client.get(f"/assessors/{a.id}"))
    assert lines[0] == ("Status changed from active to paused, 6 May 2027 10am (UK time), "
                        f"by {coordinator.email} (coordinator)")
    assert lines[1].startswith("Angus Council declined to release them: “Short-staffed”, 5 May 2027")
    assert lines[2].startswith("Employer confirmed the deployment on I0012, 4 May 2027 11:30am (UK time), "
                               "by The employer, through the emailed link")


def test_a_decision_made_by_another_coordinator_after_the_page_was_read_wins_and_no_second_email_goes(
        client, db, coordinator, monkeypatch):
    """The request is read as pending; before this decision is written another coordinator rejects it
    (committed). This approval must change nothing and tell the assessor nothing."""
    from scheduler.assessors import forms
    from scheduler.models import SpecialismChangeRequest, utcnow

    change = factories.SpecialismChangeRequestFactory(requests_children=False, requests_adults=True)
    db.session.commit()
    validate = forms.DecisionForm.validate_on_submit

    def other_coordinator_rejects_first(form):
        db.session.execute(db.update(SpecialismChangeRequest).where(SpecialismChangeRequest.id == change.id)
                           .values(status="rejected", decided_at=utcnow()))
        db.session.commit()
        return validate(form)

    monkeypatch.setattr(forms.DecisionForm, "validate_on_submit", other_coordinator_rejects_first)
    page = client.post(f"/assessors/{change.assessor.id}/specialism-requests/{change.id}",
                       data={"decision": "approve"}, follow_redirects=True)
    assert "Someone has already decided this request" in page.get_data(as_text=True)
    db.session.refresh(change)
    assert change.status == "rejected"
    assert [s.value for s in change.assessor.specialisms] == ["children"]
    assert db.session.scalar(db.select(db.func.count()).select_from(OutboxMessage)) == 0
    assert db.session.scalar(db.select(AuditEvent).filter_by(action="specialism_change.approved")) is None


def test_the_profile_lists_the_inspections_to_come_they_would_like_to_join_or_rather_not_with_notes(
        client, db, coordinator, monkeypatch):
    a = factories.AssessorFactory(name="Fiona Kerr")
    factories.PreferenceFactory(assessor=a, kind="keen", note="I know the partnership well",
                                inspection__title="Joint inspection in Angus", inspection__reference="I0101")
    factories.PreferenceFactory(assessor=a, kind="rather_not", inspection__title="Joint inspection in Moray",
                                inspection__reference="I0102")
    factories.PreferenceFactory(kind="keen", inspection__title="Someone else's wish")
    factories.PreferenceFactory(assessor=a, kind="keen", inspection__title="Over before today",
                                inspection__starts_on=date(2027, 2, 1), inspection__ends_on=date(2027, 2, 5))
    monkeypatch.setattr(availability, "today", lambda: date(2027, 2, 15))
    page = client.get(f"/assessors/{a.id}")
    section = page.soup.find(id="wishes").find_next("table")
    rows = [[cell.get_text(" ", strip=True) for cell in tr.find_all(["th", "td"])]
            for tr in section.find("tbody").find_all("tr")]
    wishes = {row[0]: (row[2], row[3]) for row in rows}
    assert wishes == {"Joint inspection in Angus (I0101)": ("Asked to join", "I know the partnership well"),
                      "Joint inspection in Moray (I0102)": ("Rather not", "No note")}


def test_an_assessor_without_wishes_is_said_to_have_none(client, db, coordinator):
    a = factories.AssessorFactory()
    page = client.get(f"/assessors/{a.id}")
    assert "have not said they'd like to join" in page.soup.find(id="wishes").find_next("p").get_text()
