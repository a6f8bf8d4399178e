"""The CSV export: an attachment, the filters applied, no special-category details, and no cell a
spreadsheet would run as a formula."""
from __future__ import annotations

import csv
import io
from datetime import date

from scheduler.models import AuditEvent
from tests import factories


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
    assert death[header.index("Notification due")] == "2027-12-29"
    assert death[header.index("Report due")] == "2028-01-21"
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
    assert "Jamie Secret" not in text and "2012-05-01" not in text and "Private circumstances" not in text


def test_cells_that_a_spreadsheet_would_run_as_formulas_are_quoted(client, db, inspector):
    factories.NotificationFactory(notifier_name='=HYPERLINK("http://evil.example","click")')
    factories.NotificationFactory(notifier_name="+44 1382 000000")
    factories.NotificationFactory(notifier_name="@SUM(A1:A9)")
    factories.NotificationFactory(notifier_name="-2+3")
    rows = _csv(client.get("/notifications/export.csv"))
    names = sorted(r[rows[0].index("Person notifying")] for r in rows[1:])
    assert names == ["'+44 1382 000000", "'-2+3", "'=HYPERLINK(\"http://evil.example\",\"click\")", "'@SUM(A1:A9)"]
