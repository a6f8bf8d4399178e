"""Changing a notification: every problem on a form in one round, each naming its field as the label
does; a closed notification reopened by a strategic inspector with a reason (audited, in its history);
the history in sentences; a form saved from a stale copy keeps what was typed beside what is saved."""
from __future__ import annotations

import re
from datetime import date

import pytest

from scheduler.models import AuditEvent, Extension, Feedback, Notification
from tests import factories
from tests.notifications.conftest import TODAY, gov_date


def _notification(**kwargs) -> Notification:
    return factories.NotificationFactory(**kwargs)


def _errors(page) -> dict[str, str]:
    """The error summary as {field id: message}."""
    return {a["href"].lstrip("#"): a.get_text(strip=True) for a in page.soup.select(".govuk-error-summary__list a")}


def _label_words(page, field_id: str) -> set[str]:
    """The words of the label or legend that names the field whose box has this id."""
    box = page.soup.find(id=field_id)
    fieldset = box.find_parent("fieldset")
    name = fieldset.find("legend") if fieldset else page.soup.find("label", attrs={"for": field_id})
    words = re.findall(r"[a-z]+", name.get_text(" ").lower().replace("(optional)", ""))
    return set(words) - {"a", "an", "the", "of", "or", "to", "at", "they", "were", "on", "be", "will", "its",
                         "their", "is", "it", "as", "by"}


def _each_error_names_its_field(page) -> None:
    errors = _errors(page)
    assert errors
    for field_id, message in errors.items():
        missing = _label_words(page, field_id) - set(re.findall(r"[a-z]+", message.lower()))
        assert not missing, (field_id, message, missing)


# ------------------------------------------------------------ every problem in one round

def test_an_extension_shows_a_too_early_date_and_a_missing_reason_together(client, db, inspector):
    n = _notification()  # report due 21 January 2028
    page = client.post(f"/notifications/{n.id}/extension", data={
        "new_due_on": gov_date(date(2028, 1, 20)), "reason": "", "version": str(n.version_id)})
    assert _errors(page) == {"new_due_on": "New due date must be after the current due date, 21 January 2028",
                             "reason": "Enter the reason for the extension"}
    _each_error_names_its_field(page)
    assert db.session.scalar(db.select(db.func.count()).select_from(Extension)) == 0


def test_feedback_shows_a_date_before_the_death_and_missing_feedback_together(client, db, inspector):
    n = _notification()  # died 24 December 2027
    page = client.post(f"/notifications/{n.id}/feedback", data={
        "given_on": gov_date(date(2027, 12, 1)), "text": "", "version": str(n.version_id)})
    assert _errors(page) == {"given_on": "Date the feedback was given must be on or after the date of death",
                             "text": "Enter the feedback"}
    _each_error_names_its_field(page)
    assert db.session.scalar(db.select(db.func.count()).select_from(Feedback)) == 0


def test_status_shows_a_missing_status_and_a_date_before_the_death_together(client, db, inspector):
    n = _notification()
    page = client.post(f"/notifications/{n.id}/status", data={
        "on_date": gov_date(date(2027, 12, 1)), "version": str(n.version_id)})
    assert _errors(page) == {"status": "Select the new status",
                             "on_date": "Date the report arrived must be on or after the date of death"}
    _each_error_names_its_field(page)


@pytest.mark.parametrize("kind", ["looked_after_death", "learning_review_children", "learning_review_adults",
                                  "serious_incident_review"])
def test_an_empty_notification_form_names_every_field_as_its_label_does(client, db, inspector, kind):
    page = client.post(f"/notifications/new/{kind}", data={})
    assert "partnership" in _errors(page) and "notifier_name" in _errors(page)
    _each_error_names_its_field(page)


def test_a_partners_empty_form_names_every_field_as_its_label_does(client, db):
    from scheduler.links import make_token
    link = factories.PartnerLinkFactory()
    db.session.commit()
    token = make_token("notification-form", link.id)
    page = client.post(f"/notifications/partner/{token}/serious_incident_review", data={})
    assert set(_errors(page)) >= {"subject_name", "order_type", "harm", "event_date", "summary"}
    _each_error_names_its_field(page)


# ------------------------------------------------------------ reopening

def _closed(**kwargs) -> Notification:
    return _notification(status="closed", closed_on=date(2028, 1, 7), **kwargs)


def test_an_inspector_reopens_a_closed_notification_with_a_reason(client, db, inspector):
    n = _closed(report_received_on=date(2028, 1, 5))
    view = client.get(f"/notifications/{n.id}")
    assert view.soup.find("a", string=re.compile("Reopen"))["href"] == f"/notifications/{n.id}/reopen"
    page = client.get(f"/notifications/{n.id}/reopen")
    assert "report received" in page.soup.find("main").get_text(" ")  # says where it will stand
    response = client.post(f"/notifications/{n.id}/reopen", data={
        "reason": "The partnership sent an addendum to the report", "version": str(n.version_id)})
    assert response.status_code == 302
    db.session.refresh(n)
    assert (n.status, n.closed_on) == ("report_received", None)
    [event] = db.session.scalars(db.select(AuditEvent).filter_by(action="notification.reopened")).all()
    assert (event.user_id, event.object_id) == (inspector.id, str(n.id)) and event.at is not None
    assert event.before == {"status": "closed", "closed_on": "2028-01-07"}
    assert event.after == {"status": "report_received", "reason": "The partnership sent an addendum to the report"}
    history = client.get(f"/notifications/{n.id}").soup.find_all("table")[-1]
    latest = [td.get_text(strip=True) for td in history.select("tbody tr")[1].find_all("td")]  # [0]: this view
    assert latest[1] == inspector.email
    assert latest[2] == ("Reopened (it had closed on 7 January 2028); status now Report received. "
                         "Reason: The partnership sent an addendum to the report")


@pytest.mark.parametrize("facts,status", [
    ({}, "received"),
    ({"report_received_on": date(2028, 1, 5)}, "report_received"),
    ({"feedback": True}, "feedback_given"),
])
def test_a_reopened_notification_stands_where_its_facts_put_it(client, db, inspector, facts, status):
    n = _closed(**{k: v for k, v in facts.items() if k != "feedback"})
    if facts.get("feedback"):
        factories.FeedbackFactory(notification=n, given_on=date(2028, 1, 6))
    client.post(f"/notifications/{n.id}/reopen", data={"reason": "Asked again", "version": str(n.version_id)})
    db.session.refresh(n)
    assert n.status == status


def test_reopening_needs_a_reason_and_changes_nothing_without_one(client, db, inspector):
    n = _closed()
    page = client.post(f"/notifications/{n.id}/reopen", data={"reason": "  ", "version": str(n.version_id)})
    assert page.status_code == 200
    assert _errors(page) == {"reason": "Enter the reason for reopening"}
    _each_error_names_its_field(page)
    db.session.refresh(n)
    assert n.status == "closed" and n.closed_on == date(2028, 1, 7)


def test_only_a_closed_notification_can_be_reopened(client, db, inspector):
    n = _notification(status="feedback_given")
    response = client.post(f"/notifications/{n.id}/reopen", data={"reason": "Why", "version": str(n.version_id)})
    assert response.status_code == 302
    assert client.get(f"/notifications/{n.id}").soup.find("a", string=re.compile("Reopen")) is None
    assert db.session.scalar(db.select(db.func.count()).select_from(AuditEvent)
                             .filter_by(action="notification.reopened")) == 0


@pytest.mark.parametrize("role", ["admin", "coordinator", "assessor"])
def test_no_one_but_a_strategic_inspector_may_reopen(client, db, sign_in, role):
    n = _closed()
    sign_in(role)
    assert client.get(f"/notifications/{n.id}/reopen").status_code == 403
    response = client.post(f"/notifications/{n.id}/reopen", data={"reason": "Let me", "version": str(n.version_id)})
    assert response.status_code == 403
    db.session.refresh(n)
    assert n.status == "closed"


def test_a_reopened_notification_can_be_closed_again(client, db, inspector):
    n = _closed()
    client.post(f"/notifications/{n.id}/reopen", data={"reason": "Late report", "version": str(n.version_id)})
    db.session.refresh(n)
    client.post(f"/notifications/{n.id}/status", data={"status": "closed", "version": str(n.version_id)})
    db.session.refresh(n)
    assert (n.status, n.closed_on) == ("closed", TODAY)


# ------------------------------------------------------------ history in words

def test_the_history_tells_each_change_in_a_sentence_with_dates_in_words(client, db, inspector):
    n = _notification()  # died 24 December 2027: report due 21 January 2028

    def post(path, data):
        db.session.refresh(n)
        response = client.post(f"/notifications/{n.id}/{path}", data={**data, "version": str(n.version_id)})
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]

    post("status", {"status": "report_due"})
    post("extension", {"new_due_on": gov_date(date(2028, 2, 4)), "reason": "Post-mortem delayed"})
    post("status", {"status": "report_received", "on_date": gov_date(date(2028, 1, 8))})
    post("feedback", {"given_on": gov_date(date(2028, 1, 9)), "text": "Thorough"})
    post("feedback", {"given_on": gov_date(date(2028, 1, 10)), "text": "One more point"})
    post("status", {"status": "closed"})
    post("reopen", {"reason": "A question from the partnership"})
    page = client.get(f"/notifications/{n.id}")
    rows = page.soup.find_all("table")[-1].select("tbody tr")
    sentences = [r.find_all("td")[2].get_text(strip=True) for r in rows]
    assert sentences == [
        "Opened the record.",
        "Reopened (it had closed on 10 January 2028); status now Feedback given. "
        "Reason: A question from the partnership",
        "Closed on 10 January 2028.",
        "Feedback given on 10 January 2028 recorded.",
        "Feedback given on 9 January 2028 recorded. Status changed from Report received to Feedback given.",
        "Status changed from Report due to Report received. The report arrived on 8 January 2028.",
        "Report due date moved from 21 January 2028 to 4 February 2028. Reason: Post-mortem delayed",
        "Status changed from Received to Report due.",
    ]


def test_a_partners_notification_says_how_it_arrived(client, db, inspector):
    n = _notification(source="partner_link")
    db.session.add(AuditEvent(action="notification.partner_submitted", object_type="notification",
                              object_id=str(n.id), after={"kind": n.kind}))
    db.session.commit()
    rows = client.get(f"/notifications/{n.id}").soup.find_all("table")[-1].select("tbody tr")
    assert [td.get_text(strip=True) for td in rows[-1].find_all("td")][1:] == [
        "Partnership (online form)", "Sent by the partnership through its partner link."]


def test_every_change_the_register_records_has_a_sentence():
    """An action recorded about one notification without a sentence would be left out of its history."""
    from pathlib import Path

    from scheduler.notifications.history import SENTENCES
    source = Path("scheduler/notifications/routes.py").read_text()
    recorded = set(re.findall(r'record\("(notification\.\w+)", object_type="notification", object_id=', source))
    assert recorded - {"notification.deleted"} == set(SENTENCES)  # deleted: the record is gone


# ------------------------------------------------------------ a stale copy

CHANGES = {
    "status": ({"status": "report_due"}, "Change the status of"),
    "extension": ({"new_due_on": gov_date(date(2028, 3, 1)), "reason": "My typed reason"}, "Grant an extension"),
    "feedback": ({"given_on": gov_date(date(2028, 1, 9)), "text": "My typed feedback"}, "Record feedback"),
}


@pytest.mark.parametrize("path", list(CHANGES))
def test_a_change_saved_from_a_stale_copy_keeps_what_was_typed_beside_what_is_saved(client, db, inspector, path):
    n = _notification()
    stale = str(n.version_id)
    # Someone else grants an extension meanwhile.
    other = client.post(f"/notifications/{n.id}/extension", data={
        "new_due_on": gov_date(date(2028, 2, 4)), "reason": "Theirs", "version": stale})
    assert other.status_code == 302
    data, heading = CHANGES[path]
    page = client.post(f"/notifications/{n.id}/{path}", data={**data, "version": stale})
    assert page.status_code == 409
    assert page.soup.h1.get_text().startswith(heading)  # the form again, not the generic 409 page
    summary = page.soup.select_one(".govuk-error-summary")
    assert "Your changes have not been saved" in summary.get_text(" ")
    assert page.soup.title.text.startswith("Error: ")
    saved = {dt.get_text(strip=True): dt.find_next("dd").get_text(strip=True)
             for dt in page.soup.select("#conflict ~ .govuk-summary-list dt")}
    assert saved["Report due"] == "4 February 2028"
    for name, value in data.items():
        if isinstance(value, str) and name not in ("status",):
            assert value in page.get_data(as_text=True)
    if path == "status":
        assert page.soup.find("input", attrs={"name": "status", "value": "report_due"}).has_attr("checked")
    db.session.refresh(n)
    assert n.status == "received" and len(n.feedback) == 0 and len(n.extensions) == 1
    # Saving again from the refreshed form replaces it, knowingly.
    fresh = page.soup.find("input", attrs={"name": "version"})["value"]
    assert fresh == str(n.version_id)
    if path == "extension":
        data = {**data, "new_due_on": gov_date(date(2028, 3, 1))}
    assert client.post(f"/notifications/{n.id}/{path}", data={**data, "version": fresh}).status_code == 302


def test_a_stale_reopening_shows_who_closed_it_again_and_keeps_the_reason(client, db, inspector):
    n = _closed()
    stale = str(n.version_id)
    client.post(f"/notifications/{n.id}/reopen", data={"reason": "First", "version": stale})
    db.session.refresh(n)
    client.post(f"/notifications/{n.id}/status", data={"status": "closed", "version": str(n.version_id)})
    page = client.post(f"/notifications/{n.id}/reopen", data={"reason": "Second reason", "version": stale})
    assert page.status_code == 409
    assert page.soup.find("textarea", attrs={"name": "reason"}).get_text().strip() == "Second reason"
    saved = {dt.get_text(strip=True): dt.find_next("dd").get_text(strip=True)
             for dt in page.soup.select("#conflict ~ .govuk-summary-list dt")}
    assert saved["Closed"] == "10 January 2028" and saved["Status"] == "Closed"


RACED = {
    "status": ({"status": "report_due"}, "Change the status of", "received"),
    "extension": ({"new_due_on": gov_date(date(2028, 3, 1)), "reason": "Typed before the race"},
                  "Grant an extension", "received"),
    "feedback": ({"given_on": gov_date(date(2028, 1, 9)), "text": "Typed before the race"}, "Record feedback",
                 "received"),
    "reopen": ({"reason": "Typed before the race"}, "Reopen", "closed"),
}


@pytest.mark.parametrize("path", list(RACED))
def test_a_change_that_loses_a_race_at_the_write_gets_the_same_conflict_page(client, db, inspector, monkeypatch,
                                                                             path):
    """Someone saves between our version check and our write: the row's version has moved, the
    write matches nothing (StaleDataError), and the user sees the form, not the generic 409 page."""
    import sqlalchemy as sa

    from scheduler.notifications import routes

    data, heading, status = RACED[path]
    n = _notification(status=status, closed_on=date(2028, 1, 7) if status == "closed" else None)
    original = routes.record

    def someone_else_saves_first(*args, **kwargs):
        table = Notification.__table__
        with db.session.no_autoflush:  # our change stays unwritten until the commit, as in a real race
            db.session.execute(sa.update(table).where(table.c.id == n.id).values(version_id=table.c.version_id + 1))
        return original(*args, **kwargs)

    monkeypatch.setattr(routes, "record", someone_else_saves_first)
    page = client.post(f"/notifications/{n.id}/{path}", data={**data, "version": str(n.version_id)})
    assert page.status_code == 409
    assert page.soup.h1.get_text().startswith(heading)
    assert "Your changes have not been saved" in page.soup.select_one(".govuk-error-summary").get_text(" ")
    if "Typed before the race" in str(data):
        assert "Typed before the race" in page.soup.find("textarea").get_text()
    db.session.refresh(n)
    assert (n.status, len(n.feedback), len(n.extensions)) == (status, 0, 0)
    assert db.session.scalar(db.select(db.func.count()).select_from(AuditEvent)
                             .filter(AuditEvent.action != "notification.viewed")
                             .filter(AuditEvent.action.like("notification.%"))) == 0
