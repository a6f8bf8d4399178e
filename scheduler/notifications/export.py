"""The register's CSV export, in the words the pages use: labels for every code, dates as
"5 April 2027" and times as "5 April 2027 at 14:30" (UK time)."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from scheduler.formatting import long_date
from scheduler.models import NotificationSource

from .forms import CHOICE_LABELS
from .register import Row, to_uk

CSV_COLUMNS = [
    "Reference", "Kind", "Partnership", "Event date", "Notified at (UK time)", "Received at (UK time)",
    "Source", "Status", "Person notifying", "Review type as named", "Notification due", "Notification deadline",
    "Report due", "Report deadline", "Extended", "Report received", "Feedback given", "Closed",
    "Retention review due",
]


def _when(moment: datetime) -> str:
    return f"{long_date(moment)} at {moment:%H:%M}"


def _yes_no(flag: bool) -> str:
    return "Yes" if flag else "No"


def csv_rows(selected: list[Row]) -> Iterator[list]:
    """The register's rows for the CSV export (one per CSV_COLUMNS), in the words the pages use.
    Names, dates of birth and circumstances are left out: the export is for tracking deadlines, and
    special-category details stay behind the audited record page."""
    review_types = CHOICE_LABELS["review_type_named"]
    for row in selected:
        n = row.notification
        by_clock = {d.clock.value: d for d in row.deadlines}
        notify, report = by_clock.get("notification"), by_clock.get("report")
        review_type = (n.details or {}).get("review_type_named", "")
        yield [
            n.reference, n.kind_label, n.area.name, long_date(n.event_date),
            _when(n.notified_at), _when(to_uk(n.received_at)),
            NotificationSource(n.source).label, n.status_label, n.notifier_name,
            review_types.get(review_type, review_type),
            long_date(notify.due_on) if notify else "", notify.state.label if notify else "",
            long_date(report.due_on) if report else "", report.state.label if report else "",
            _yes_no(bool(report and report.extended)),
            long_date(n.report_received_on),
            long_date(max(f.given_on for f in n.feedback)) if n.feedback else "",
            long_date(n.closed_on),
            _yes_no(row.retention_due),
        ]
