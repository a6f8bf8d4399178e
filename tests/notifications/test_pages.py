"""Each page of the register works for an inspector: logging, viewing (audited), status, extension,
feedback, filters and the dashboard."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from scheduler.models import AuditEvent, Extension, Notification
from tests import factories
from tests.notifications.conftest import TODAY, gov_date


def _events(db, action):
    return list(db.session.scalars(db.select(AuditEvent).filter_by(action=action).order_by(AuditEvent.id)))


def _death(**kwargs):
    return factories.NotificationFactory(**kwargs)


DEATH_FORM = {
    "partnership": "fife",
    "subject_name": "Jamie Example",
    "subject_dob": gov_date(date(2011, 4, 2)),
    "legal_basis": "compulsory_supervision_order",
    "placement": "foster",
    "event_date": gov_date(date(2028, 1, 6)),
    "event_time": "7.05",
    "cause": "Not yet known",
    "learning_review": "no",
    "notified_on": gov_date(date(2028, 1, 7)),
    "notified_time": "09:15",
    "notifier_name": "Pat Manager",
    "notifier_contact": "pat.manager@fife.test.example",
}


# ------------------------------------------------------------ logging

def test_choosing_a_kind_leads_to_that_kinds_form(client, inspector):
    page = client.get("/notifications/new")
    assert page.status_code == 200
    assert len(page.soup.select("input[name=kind]")) == 4
    response = client.post("/notifications/new", data={"kind": "serious_incident_review"})
    assert response.headers["Location"].endswith("/notifications/new/serious_incident_review")


def test_choosing_no_kind_says_what_to_do(client, inspector):
    page = client.post("/notifications/new", data={})
    assert "Select what you are notifying" in page.get_data(as_text=True)
    assert page.soup.title.text.startswith("Error: ")


def test_inspector_logs_a_death_and_sees_the_28_day_report_due_date(client, db, inspector):
    page = client.get("/notifications/new/looked_after_death")
    assert page.status_code == 200
    response = client.post("/notifications/new/looked_after_death", data=DEATH_FORM)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    n = db.session.scalar(db.select(Notification))
    assert (n.kind, n.area_id, n.subject_name, n.event_time) == ("looked_after_death", "fife", "Jamie Example", "07:05")
    assert n.notified_at == datetime(2028, 1, 7, 9, 15) and n.created_by_id == inspector.id
    assert n.details == {"legal_basis": "compulsory_supervision_order", "placement": "foster",
                         "cause": "Not yet known", "learning_review": "no"}
    assert [e.after["kind"] for e in _events(db, "notification.logged")] == ["looked_after_death"]
    view = client.get(response.headers["Location"])
    report = view.soup.find("td", attrs={"data-deadline": "report"})
    assert "3 February 2028" in report.text  # 6 January + 28 days
    notify = view.soup.find("td", attrs={"data-deadline": "notification"})
    assert "7 January 2028" in notify.text  # next working day after Thursday 6 January
    assert "Notification N" in view.soup.h1.text


def test_a_learning_review_held_means_no_report_deadline(client, db, inspector):
    client.post("/notifications/new/looked_after_death", data={**DEATH_FORM, "learning_review": "yes"})
    n = db.session.scalar(db.select(Notification))
    assert n.learning_review_held
    view = client.get(f"/notifications/{n.id}")
    assert view.soup.find("td", attrs={"data-deadline": "report"}) is None


def test_an_empty_death_form_names_every_missing_answer_in_govuk_style(client, db, inspector):
    page = client.post("/notifications/new/looked_after_death", data={})
    text = page.get_data(as_text=True)
    for message in ["Select the partnership (council area) that notified",
                    "Enter the full name of the child or young person",
                    "Enter their date of birth", "Select the legal basis for being looked after",
                    "Enter the date of death", "Enter the date the partnership notified",
                    "Enter the time the partnership notified", "Enter the name of the person notifying"]:
        assert message in text, message
    assert "Not a valid" not in text and "This field is required" not in text
    assert db.session.scalar(db.select(db.func.count()).select_from(Notification)) == 0


def test_bad_dates_and_times_are_explained_and_what_was_typed_is_kept(client, db, inspector):
    data = {**DEATH_FORM, "event_date": ["31", "2", "2027"], "subject_dob": ["", "4", "2011"],
            "notified_time": "25:99", "notifier_name": "Kept Name"}
    page = client.post("/notifications/new/looked_after_death", data=data)
    text = page.get_data(as_text=True)
    assert "Date of death must be a real date" in text
    assert "Date of birth must include a day" in text
    assert "Time notified must be a real time in the 24-hour clock, like 14:30" in text
    assert page.soup.find("input", attrs={"name": "notifier_name"})["value"] == "Kept Name"
    assert page.soup.find("input", id="event_date")["value"] == "31"
    assert page.soup.select_one(".govuk-error-summary a[href='#event_date']")  # lands on the day box


def test_dates_in_the_future_and_out_of_order_are_refused(client, db, inspector):
    page = client.post("/notifications/new/looked_after_death", data={
        **DEATH_FORM, "event_date": gov_date(TODAY + timedelta(days=1))})
    assert "Date of death must be today or in the past" in page.get_data(as_text=True)
    page = client.post("/notifications/new/looked_after_death", data={
        **DEATH_FORM, "notified_on": gov_date(date(2028, 1, 5))})
    assert "Date notified must be the same as or after the date of death" in page.get_data(as_text=True)
    page = client.post("/notifications/new/looked_after_death", data={
        **DEATH_FORM, "subject_dob": gov_date(date(2028, 1, 7))})
    assert "Date of birth must be before the date of death" in page.get_data(as_text=True)


@pytest.mark.parametrize("kind,answers,due", [
    ("learning_review_children", {"review_type_named": "significant_case_review", "will_proceed": "yes",
                                  "report_expected_on": gov_date(date(2028, 6, 30))}, "30 June 2028"),
    ("learning_review_adults", {"outcome": "Recommendations accepted"}, "11 January 2028"),
    ("serious_incident_review", {"subject_name": "Sam Example", "order_type": "community_payback_order",
                                 "harm": "serious_harm", "summary": "Charged with assault to severe injury"},
     "11 January 2028"),
])
def test_each_kind_has_its_own_form_and_clock(client, db, inspector, kind, answers, due):
    data = {"partnership": "dundee-city", "event_date": gov_date(date(2028, 1, 4)),
            "notified_on": gov_date(date(2028, 1, 5)), "notified_time": "10:00",
            "notifier_name": "Chris Lead", "notifier_contact": "01382 000000", **answers}
    response = client.post(f"/notifications/new/{kind}", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    n = db.session.scalar(db.select(Notification))
    assert n.kind == kind
    page = client.get(f"/notifications/{n.id}")
    assert due in page.soup.find("table").text


def test_old_review_names_are_kept_as_named_by_the_partnership(client, db, inspector):
    page = client.get("/notifications/new/learning_review_children")
    labels = [label.text.strip() for label in page.soup.select("input[name=review_type_named] + label")]
    assert labels == ["Learning review", "Initial case review (earlier term)", "Significant case review (earlier term)"]


def test_an_unknown_kind_is_not_found(client, inspector):
    assert client.get("/notifications/new/something-else").status_code == 404


# ------------------------------------------------------------ viewing

def test_every_view_of_a_record_is_audited(client, db, inspector):
    n = _death()
    client.get(f"/notifications/{n.id}")
    client.get(f"/notifications/{n.id}")
    events = _events(db, "notification.viewed")
    assert [(e.object_id, e.user_id) for e in events] == [(str(n.id), inspector.id)] * 2


def test_the_record_shows_personal_details_deadlines_and_history(client, db, inspector):
    n = _death(event_date=date(2027, 12, 24))
    page = client.get(f"/notifications/{n.id}")
    text = page.soup.get_text(" ")
    assert "Jamie Test" in text and "Compulsory supervision order" in text and "Foster care" in text
    assert "29 December 2027" in page.soup.find("td", attrs={"data-deadline": "notification"}).text
    tags = [t.text.strip() for t in page.soup.select("table .govuk-tag")]
    assert tags == ["Met", "On time"]  # notified 24 Dec; report due 21 Jan, 11 days away
    assert "Opened the record." in page.soup.find_all("table")[-1].text


def test_a_missing_record_is_not_found_and_not_audited(client, db, inspector):
    assert client.get("/notifications/999999").status_code == 404
    assert _events(db, "notification.viewed") == []


# ------------------------------------------------------------ status

def test_report_received_needs_its_date_and_stops_the_report_clock(client, db, inspector):
    n = _death(event_date=date(2027, 12, 24))
    page = client.get(f"/notifications/{n.id}/status")
    assert [i["value"] for i in page.soup.select("input[name=status]")] == ["report_due", "report_received", "closed"]
    version = page.soup.find("input", attrs={"name": "version"})["value"]
    page = client.post(f"/notifications/{n.id}/status", data={"status": "report_received", "version": version})
    assert "Enter the date the report arrived" in page.get_data(as_text=True)
    response = client.post(f"/notifications/{n.id}/status", data={
        "status": "report_received", "on_date": gov_date(date(2028, 1, 8)), "version": version})
    assert response.status_code == 302
    db.session.refresh(n)
    assert (n.status, n.report_received_on) == ("report_received", date(2028, 1, 8))
    [event] = _events(db, "notification.status_changed")
    assert event.before == {"status": "received"}
    assert event.after == {"status": "report_received", "report_received_on": "2028-01-08"}
    view = client.get(f"/notifications/{n.id}")
    assert [t.text.strip() for t in view.soup.select("table .govuk-tag")] == ["Met", "Met"]


def test_closing_records_the_date_and_ends_status_changes(client, db, inspector):
    n = _death(status="feedback_given")
    response = client.post(f"/notifications/{n.id}/status", data={"status": "closed", "version": str(n.version_id)})
    assert response.status_code == 302
    db.session.refresh(n)
    assert (n.status, n.closed_on) == ("closed", TODAY)
    assert client.get(f"/notifications/{n.id}/status").status_code == 302


def test_status_cannot_move_backwards(client, db, inspector):
    n = _death(status="report_received")
    page = client.post(f"/notifications/{n.id}/status", data={"status": "received", "version": str(n.version_id)})
    assert page.status_code == 200 and "Select the new status" in page.get_data(as_text=True)
    assert "Not a valid choice" not in page.get_data(as_text=True)
    db.session.refresh(n)
    assert n.status == "report_received"


def test_a_stale_form_gets_the_someone_else_changed_this_page(client, db, inspector):
    n = _death()
    stale = str(n.version_id)
    client.post(f"/notifications/{n.id}/status", data={"status": "report_due", "version": stale})
    response = client.post(f"/notifications/{n.id}/status", data={"status": "closed", "version": stale})
    assert response.status_code == 409
    db.session.refresh(n)
    assert n.status == "report_due"


# ------------------------------------------------------------ extensions

def test_an_extension_moves_the_due_date_and_turns_overdue_into_on_time(client, db, inspector):
    n = _death(event_date=date(2027, 12, 1))  # report due 29 December 2027: overdue on 10 January
    assert "Overdue" in client.get(f"/notifications/{n.id}").soup.find_all("table")[0].text
    page = client.get(f"/notifications/{n.id}/extension")
    assert "29 December 2027" in page.soup.get_text()
    response = client.post(f"/notifications/{n.id}/extension", data={
        "new_due_on": gov_date(date(2028, 1, 31)), "reason": "Waiting for the post-mortem report",
        "version": page.soup.find("input", attrs={"name": "version"})["value"]})
    assert response.status_code == 302
    [extension] = db.session.scalars(db.select(Extension)).all()
    assert (extension.previous_due_on, extension.new_due_on, extension.granted_by_id) == (
        date(2027, 12, 29), date(2028, 1, 31), inspector.id)
    [event] = _events(db, "notification.extension_granted")
    assert event.before == {"report_due_on": "2027-12-29"}
    assert event.after == {"report_due_on": "2028-01-31", "reason": "Waiting for the post-mortem report"}
    view = client.get(f"/notifications/{n.id}")
    report = view.soup.find("td", attrs={"data-deadline": "report"})
    assert "31 January 2028" in report.text and "extended from 29 December 2027" in report.text
    assert report.find_next("td").find_next("td").text.strip() == "On time"


def test_an_extension_must_be_later_and_have_a_reason(client, db, inspector):
    n = _death(event_date=date(2027, 12, 24))  # report due 21 January 2028
    page = client.post(f"/notifications/{n.id}/extension", data={
        "new_due_on": gov_date(date(2028, 1, 21)), "reason": "", "version": str(n.version_id)})
    text = page.get_data(as_text=True)
    assert "Enter the reason for the extension" in text
    page = client.post(f"/notifications/{n.id}/extension", data={
        "new_due_on": gov_date(date(2028, 1, 21)), "reason": "Because", "version": str(n.version_id)})
    assert "New due date must be after the current due date, 21 January 2028" in page.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(Extension)) == 0


def test_a_second_extension_starts_from_the_first(client, db, inspector):
    n = _death(event_date=date(2027, 12, 24))
    factories.ExtensionFactory(notification=n, previous_due_on=date(2028, 1, 21), new_due_on=date(2028, 2, 4))
    page = client.post(f"/notifications/{n.id}/extension", data={
        "new_due_on": gov_date(date(2028, 2, 1)), "reason": "More time", "version": str(n.version_id)})
    assert "after the current due date, 4 February 2028" in page.get_data(as_text=True)


def test_no_extension_without_an_open_report_deadline(client, db, inspector):
    n = _death(learning_review_held=True)
    response = client.get(f"/notifications/{n.id}/extension")
    assert response.status_code == 302


# ------------------------------------------------------------ feedback

def test_feedback_is_dated_recorded_and_moves_the_status(client, db, inspector):
    n = _death(status="report_received", report_received_on=date(2028, 1, 5))
    page = client.get(f"/notifications/{n.id}/feedback")
    assert page.soup.find("input", id="given_on-year")["value"] == "2028"
    response = client.post(f"/notifications/{n.id}/feedback", data={
        "given_on": gov_date(date(2028, 1, 9)), "text": "Thorough; chronology could be clearer.",
        "version": str(n.version_id)})
    assert response.status_code == 302
    db.session.refresh(n)
    assert n.status == "feedback_given"
    assert [(f.given_on, f.text) for f in n.feedback] == [(date(2028, 1, 9), "Thorough; chronology could be clearer.")]
    [event] = _events(db, "notification.feedback_recorded")
    assert event.before == {"status": "report_received"} and event.after["status"] == "feedback_given"
    assert "chronology could be clearer" in client.get(f"/notifications/{n.id}").get_data(as_text=True)


def test_feedback_needs_text(client, db, inspector):
    n = _death()
    page = client.post(f"/notifications/{n.id}/feedback", data={"given_on": gov_date(TODAY), "text": "",
                                                                 "version": str(n.version_id)})
    assert "Enter the feedback" in page.get_data(as_text=True)


# ------------------------------------------------------------ the register

def _refs(page):
    return [a.text for a in page.soup.select("tbody th a")]


def test_register_is_sorted_by_next_due_date_and_shows_no_names(client, db, inspector):
    later = _death(event_date=date(2027, 12, 24))   # report due 21 Jan
    sooner = _death(event_date=date(2027, 12, 17))  # report due 14 Jan
    closed = _death(event_date=date(2027, 11, 1), status="closed", closed_on=date(2027, 12, 1))
    page = client.get("/notifications")
    assert _refs(page) == [sooner.reference, later.reference, closed.reference]
    assert "Jamie Test" not in page.get_data(as_text=True)


def test_register_filters_by_kind_partnership_status_and_deadline_state(client, db, inspector):
    due_soon = _death(event_date=date(2027, 12, 17))
    overdue = _death(event_date=date(2027, 12, 1), area=factories.area("angus"))
    sir = _death(kind="serious_incident_review", event_date=date(2028, 1, 3),
                 notified_at=datetime(2028, 1, 4, 9, 0), status="report_due", details={})
    assert _refs(client.get("/notifications?kind=serious_incident_review")) == [sir.reference]
    assert _refs(client.get("/notifications?partnership=angus")) == [overdue.reference]
    assert _refs(client.get("/notifications?status=report_due")) == [sir.reference]
    assert _refs(client.get("/notifications?deadline=due_soon")) == [due_soon.reference]
    assert _refs(client.get("/notifications?deadline=overdue")) == [overdue.reference]
    page = client.get("/notifications?kind=nonsense&deadline=overdue")
    assert _refs(page) == [overdue.reference]


def test_records_past_the_retention_period_are_flagged_and_filterable(app, client, db, inspector):
    old = _death(event_date=date(2021, 1, 4), notified_at=datetime(2021, 1, 4, 12, 0),
                 received_at=datetime(2021, 1, 4, 12, 0), status="closed", closed_on=date(2022, 1, 10))
    recent = _death(received_at=datetime(2028, 1, 5, 9, 0))
    assert app.config["NOTIFICATION_RETENTION_DAYS"] == 6 * 365 + 2  # closed 10 Jan 2022: review on 11 Jan 2028
    try:
        assert _refs(client.get("/notifications?retention=y")) == []
        app.config["NOTIFICATION_RETENTION_DAYS"] = 6 * 365 + 1
        page = client.get("/notifications?retention=y")
        assert _refs(page) == [old.reference]
        assert "Retention review" in page.soup.find("tbody").text
        assert recent.reference in _refs(client.get("/notifications"))
        assert "due for a retention review" in client.get(f"/notifications/{old.id}").get_data(as_text=True)
    finally:
        app.config["NOTIFICATION_RETENTION_DAYS"] = 6 * 365 + 2


# ------------------------------------------------------------ dashboard

def test_dashboard_shows_due_this_week_overdue_by_partnership_and_national_counts(client, db, inspector):
    due = _death(event_date=date(2027, 12, 17))                                  # report due Fri 14 Jan
    _death(event_date=date(2027, 12, 1), area=factories.area("angus"))          # overdue
    _death(event_date=date(2027, 12, 2), area=factories.area("angus"))          # overdue
    page = client.get("/notifications/dashboard")
    assert page.status_code == 200
    tables = page.soup.find_all("table")
    assert due.reference in tables[0].text and "14 January 2028" in tables[0].text
    assert [td.text.strip() for td in tables[1].select("tbody tr > *")] == ["Angus", "2"]
    national = tables[2].select("tbody tr")
    assert [c.text.strip() for c in national[0].find_all("td")] == [
        "2027 Q4 (October to December)", "Death of a looked-after child or young person", "3", "5", "3", "60%"]
    svg = page.soup.find("svg", attrs={"role": "img"})
    assert svg is not None and svg.find("title").text == "Notifications by kind and quarter"
    assert "60% on time" in svg.text


def test_no_page_of_the_register_uses_inline_styles_or_scripts(client, db, inspector):
    n = _death()
    for url in ["/notifications", "/notifications/dashboard", f"/notifications/{n.id}", "/notifications/new",
                "/notifications/new/looked_after_death", f"/notifications/{n.id}/extension",
                f"/notifications/{n.id}/status", f"/notifications/{n.id}/feedback", "/notifications/partner-links"]:
        page = client.get(url)
        assert page.status_code == 200, url
        assert page.soup.find(attrs={"style": True}) is None, url
        assert page.soup.find("style") is None, url
        assert page.soup.find("main").find("script") is None, url
