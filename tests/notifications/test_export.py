"""The CSV export: an attachment, the filters applied, no special-category details, and no cell a
spreadsheet would run as a formula."""
from __future__ import annotations

import csv
import io
from datetime import date

from scheduler.models import AuditEvent
from tests import factories
from tests.csv_words import assert_in_words, rows_of


def _csv(response):
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


def test_export_is_a_csv_attachment_with_a_header_and_a_row_per_notification(client, db, inspector):
    factories.NotificationFactory(event_date=date(2027, 12, 24))
    factories.NotificationFactory(kind="serious_incident_review", details={}, area=factories.area("angus"))
    response = client.get("/notifications/export.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="notifications-2028-01-10.csv"'
    rows = _csv(response)
    assert rows[0][:3] == ["Reference", "Kind", "Partnership"]
    assert len(rows) == 3
    death = next(r for r in rows if r[1].startswith("Death"))
    header = rows[0]
    assert death[header.index("Notification due")] == "29 December 2027"
    assert death[header.index("Report due")] == "21 January 2028"
    assert death[header.index("Report deadline")] == "On time"


def test_export_applies_the_register_filters_and_is_audited(client, db, inspector):
    factories.NotificationFactory()
    factories.NotificationFactory(area=factories.area("angus"))
    rows = _csv(client.get("/notifications/export.csv?partnership=angus"))
    assert [r[2] for r in rows[1:]] == ["Angus"]
    [event] = db.session.scalars(db.select(AuditEvent).filter_by(action="notification.exported")).all()
    assert event.after == {"rows": 1, "filters": {"area_id": "angus"}}


def test_export_leaves_out_names_dates_of_birth_and_circumstances(client, db, inspector):
    factories.NotificationFactory(subject_name="Jamie Secret", details={"cause": "Private circumstances"})
    text = client.get("/notifications/export.csv").get_data(as_text=True)
    assert "Jamie Secret" not in text and "Private circumstances" not in text
    assert "1 May 2012" not in text and "2012-05-01" not in text  # the date of birth, either way


def test_cells_that_a_spreadsheet_would_run_as_formulas_are_quoted(client, db, inspector):
    factories.NotificationFactory(notifier_name='=HYPERLINK("http://evil.example","click")')
    factories.NotificationFactory(notifier_name="+44 1382 000000")
    factories.NotificationFactory(notifier_name="@SUM(A1:A9)")
    factories.NotificationFactory(notifier_name="-2+3")
    rows = _csv(client.get("/notifications/export.csv"))
    names = sorted(r[rows[0].index("Person notifying")] for r in rows[1:])
    assert names == ["'+44 1382 000000", "'-2+3", "'=HYPERLINK(\"http://evil.example\",\"click\")", "'@SUM(A1:A9)"]


def test_the_export_is_in_words(client, db, inspector):
    """Kinds, sources, statuses, review types, yes and no, dates and times as the pages write them."""
    extended = factories.NotificationFactory(event_date=date(2027, 12, 1))
    factories.ExtensionFactory(notification=extended, previous_due_on=date(2027, 12, 29),
                               new_due_on=date(2028, 2, 4))
    factories.NotificationFactory(kind="learning_review_children", source="partner_link", status="report_due",
                                  details={"review_type_named": "learning_review", "will_proceed": "yes"})
    closed = factories.NotificationFactory(status="closed", closed_on=date(2028, 1, 7),
                                           report_received_on=date(2028, 1, 3))
    factories.FeedbackFactory(notification=closed, given_on=date(2028, 1, 5))
    rows = rows_of(client.get("/notifications/export.csv"))
    assert_in_words(rows)
    header = rows[0]
    by_source = {r[header.index("Source")] for r in rows[1:]}
    assert by_source == {"Logged by an inspector", "Sent by the partnership online"}
    review = next(r for r in rows[1:] if r[header.index("Kind")] == "Learning review (children)")
    assert review[header.index("Review type as named")] == "Learning review"
    assert review[header.index("Status")] == "Report due"
    assert review[header.index("Notified at (UK time)")] == "24 December 2027 at 15:00"
    death = next(r for r in rows[1:] if r[header.index("Extended")] == "Yes")
    assert death[header.index("Report due")] == "4 February 2028"
    done = next(r for r in rows[1:] if r[header.index("Status")] == "Closed")
    assert [done[header.index(c)] for c in ("Report received", "Feedback given", "Closed", "Retention review due")] \
        == ["3 January 2028", "5 January 2028", "7 January 2028", "No"]
