"""Two people acting on the same record at the same moment: exactly one wins, the other is told,
nothing is half done and nobody is emailed twice."""
from __future__ import annotations

from scheduler.models import AuditEvent, OutboxMessage
from tests import factories

from .conftest import at_once

TRIALS = 5


def test_of_two_coordinators_deciding_one_specialism_request_at_once_exactly_one_wins(app, postgresql, sign_in):
    db = postgresql
    approver, rejecter = app.test_client(), app.test_client()
    sign_in("coordinator", client=approver)
    sign_in("coordinator", client=rejecter)
    for _ in range(TRIALS):
        change = factories.SpecialismChangeRequestFactory(requests_children=False, requests_adults=True)
        db.session.commit()
        url = f"/assessors/{change.assessor.id}/specialism-requests/{change.id}"
        pages = at_once(lambda: approver.post(url, data={"decision": "approve"}, follow_redirects=True),
                        lambda: rejecter.post(url, data={"decision": "reject"}, follow_redirects=True))
        assert [p.status_code for p in pages] == [200, 200]
        texts = [p.get_data(as_text=True) for p in pages]
        assert sum("You approved" in t or "You rejected" in t for t in texts) == 1
        assert sum("Someone has already decided this request" in t for t in texts) == 1
        db.session.expire_all()
        db.session.refresh(change)
        held = tuple(s.value for s in change.assessor.specialisms)
        assert (change.status, held) in {("approved", ("adults",)), ("rejected", ("children",))}
        mails = db.session.scalars(db.select(OutboxMessage).filter_by(recipient=change.assessor.email)).all()
        assert len(mails) == 1 and ("was approved" in mails[0].body) == (change.status == "approved")
        assert db.session.scalar(db.select(db.func.count()).select_from(AuditEvent).where(
            AuditEvent.object_type == "specialism_change_request",
            AuditEvent.object_id == str(change.id))) == 1


def test_of_two_admins_erasing_one_assessor_at_once_exactly_one_erases_and_the_other_is_told(app, postgresql, sign_in):
    from scheduler.privacy.people import SubjectKind, url_key

    db = postgresql
    first, second = app.test_client(), app.test_client()
    sign_in("admin", client=first)
    sign_in("admin", client=second)
    for _ in range(TRIALS):
        assessor = factories.AssessorFactory()
        db.session.commit()
        email = assessor.email
        url = f"/personal-data/person/erase?kind=assessor&key={url_key(SubjectKind.ASSESSOR, str(assessor.id))}"
        form = {"reason": "Asked by email on 3 May 2028", "confirm": "y"}
        pages = at_once(lambda: first.post(url, data=form, follow_redirects=True),
                        lambda: second.post(url, data=form, follow_redirects=True))
        assert [p.status_code for p in pages] == [200, 200]
        texts = [p.get_data(as_text=True) for p in pages]
        assert sum("personal details erased" in t for t in texts) == 1
        assert sum("Another admin has just erased" in t for t in texts) == 1
        events = db.session.scalars(db.select(AuditEvent.action).where(
            AuditEvent.object_type == "assessor", AuditEvent.object_id == str(assessor.id),
            AuditEvent.action.in_(["person.erased", "person.erasure_notified"]))).all()
        assert sorted(events) == ["person.erased", "person.erasure_notified"]
        notices = db.session.scalars(db.select(OutboxMessage).filter_by(
            subject="We have erased your personal information")).all()
        assert len([m for m in notices if m.recipient in (email, "erased")]) >= 1
        db.session.execute(db.delete(OutboxMessage))
        db.session.commit()
