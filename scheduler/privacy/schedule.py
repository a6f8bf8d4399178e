"""The retention schedule: how long each kind of record is kept and what happens then.

This is the one place the periods live. `flask retention run` applies them (scheduler.privacy.
retention), the admins' "Personal data" page shows them and the privacy notice is written from
them, so the three cannot disagree. Each period is configurable (config.py, environment variables
named in `setting`); the defaults and why are in docs/privacy.md.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta
from flask import current_app

# A used signed link's record must outlive the link itself, or the link would work again: the
# longest-lived links (partner notification links) can be signed for 90 days.
LONGEST_LINK_LIFETIME = timedelta(days=90)


@dataclass(frozen=True)
class RetentionRule:
    key: str
    records: str        # what is kept, in words
    setting: str        # the config key holding the period
    unit: str           # "months" or "days"
    starts: str         # when the period starts, in words
    then: str           # what happens at its end

    @property
    def amount(self) -> int:
        return int(current_app.config[self.setting])

    @property
    def period(self) -> relativedelta:
        return relativedelta(**{self.unit: self.amount})

    def cutoff(self, today: date) -> date:
        """Records whose period started before this day have run their course."""
        return today - self.period

    def cutoff_time(self, now: datetime) -> datetime:
        return now - self.period

    @property
    def period_in_words(self) -> str:
        n = self.amount
        if self.unit == "months" and n % 12 == 0:
            years = n // 12
            return f"{years} year{'s' if years != 1 else ''}"
        unit = self.unit if n != 1 else self.unit[:-1]
        return f"{n} {unit}"


APPLICATIONS = RetentionRule(
    "applications", "Applications that were not admitted", "RETENTION_APPLICATION_MONTHS", "months",
    "after their campaign closes",
    "The applicant's personal details are erased; the anonymous application stays in the campaign's counts.")
ASSESSORS = RetentionRule(
    "assessors", "Associate assessors who have left", "RETENTION_ASSESSOR_MONTHS", "months",
    "after their last deployment (or after they joined, if never deployed)",
    "Their personal details are erased and their account closed; their deployments stay as anonymous "
    "history so past years' figures do not change.")
NOTIFICATIONS = RetentionRule(
    "notifications", "Notifications", "NOTIFICATION_RETENTION_DAYS", "days",
    "after they close (the review date)",
    "A strategic inspector reviews the record and confirms its deletion; a tombstone keeps the "
    "reference, kind, area and dates, nothing about the people.")
OUTBOX = RetentionRule(
    "outbox", "Copies of emails the service sent", "RETENTION_OUTBOX_DAYS", "days",
    "after they were sent", "Deleted.")
LINKS = RetentionRule(
    "links", "Records of used and expired signed links", "RETENTION_LINK_DAYS", "days",
    "after the link expired", "Deleted.")
SESSIONS = RetentionRule(
    "sessions", "Records of ended sign-in sessions (with the address they came from)",
    "RETENTION_SESSION_DAYS", "days", "after the session ended", "Deleted.")
AUDIT = RetentionRule(
    "audit", "The audit log of who did what", "RETENTION_AUDIT_MONTHS", "months",
    "after the event",
    "Deleted. Before then, when a person's details are erased, their personal values in the log are "
    "replaced with \u201cerased\u201d.")

RULES: tuple[RetentionRule, ...] = (APPLICATIONS, ASSESSORS, NOTIFICATIONS, OUTBOX, LINKS, SESSIONS, AUDIT)
