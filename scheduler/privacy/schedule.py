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
        if self.unit == "days" and n >= 730:
            return f"{n:,} days (about {round(n / 365.25)} years)"
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


# ---------------------------------------------------------------- the privacy notice

PUBLIC_TASK = ("Public task (UK GDPR Article 6(1)(e)): recruiting associate assessors and carrying out "
               "joint inspections are part of our statutory scrutiny functions.")
SUBSTANTIAL_PUBLIC_INTEREST = (
    "Public task (Article 6(1)(e)); because these are special category data (health, and sometimes "
    "ethnicity or religion), also substantial public interest (Article 9(2)(g)): statutory and "
    "government purposes, Data Protection Act 2018, Schedule 1, paragraph 6.")


@dataclass(frozen=True)
class DataKind:
    """One kind of personal data the privacy notice describes. Who can see and change it is read from
    the access rules of the pages that show (`shown_on`) and change (`changed_on`) it."""

    title: str
    what: str
    why: str
    basis: str
    shown_on: tuple[str, ...]
    changed_on: tuple[str, ...]
    also: str
    rules: tuple[RetentionRule, ...]


DATA_KINDS: tuple[DataKind, ...] = (
    DataKind("If you apply to be an associate assessor",
             "Your name, email address, phone number, employer, job title, the area you live in, your "
             "experience, any conflicts of interest you declare and your employer contact's name and email "
             "address.",
             "To decide whether to admit you as an associate assessor.", PUBLIC_TASK,
             ("recruitment.application",), ("recruitment.application_reject", "recruitment.application_admit"),
             "", (APPLICATIONS,)),
    DataKind("If you are an associate assessor",
             "Your profile (name, contact details, employer, job title, specialisms, home area), your "
             "availability, your employer's agreement to release you and your deployments.",
             "To plan inspection teams that avoid conflicts of interest and agree your release with your "
             "employer.", PUBLIC_TASK,
             ("assessors.profile", "teams.index"), ("assessors.decide", "teams.index"),
             "You see and change your own details on your pages. Your employer contact sees the agreement "
             "and deployments they are asked to confirm.", (ASSESSORS,)),
    DataKind("If you are an employer contact",
             "Your name and email address, and your answers to requests to release an assessor.",
             "To agree an assessor's release with their employer.", PUBLIC_TASK,
             ("assessors.profile",), (), "", (ASSESSORS, APPLICATIONS)),
    DataKind("Notifications from partnerships",
             "Details of deaths of looked-after children and young people, learning reviews and serious "
             "incident reviews: the person concerned, what happened, and the name and contact details of "
             "the person who notified us.",
             "To quality-assure how partnerships respond, as part of our scrutiny functions.",
             SUBSTANTIAL_PUBLIC_INTEREST,
             ("notifications.view",), ("notifications.move_status", "notifications.feedback"),
             "Every time someone opens a notification it is recorded.", (NOTIFICATIONS,)),
    DataKind("Records of use",
             "Copies of the emails we send you, when you signed in and from which internet address, "
             "and an audit log of changes made to records and by whom.",
             "To keep the service secure and to show what was done and by whom.", PUBLIC_TASK,
             ("recruitment.outbox", "privacy.person"), (), "",
             (OUTBOX, LINKS, SESSIONS, AUDIT)),
)


def roles_allowed(endpoints: tuple[str, ...]) -> list[str]:
    """The roles that may open any of these pages, as their users know them (from the access rules)."""
    from scheduler.access import PUBLIC, declared_access
    from scheduler.models import Role

    allowed: set[str] = set()
    for endpoint in endpoints:
        rule = declared_access(current_app.view_functions[endpoint])
        allowed |= set(Role) if rule == PUBLIC else set(rule or ())
    return [Role(r).label for r in Role if r.value in allowed]
