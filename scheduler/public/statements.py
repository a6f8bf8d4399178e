"""What the privacy notice and the accessibility statement say about themselves and about the
service's known accessibility problems: kept here, beside each other, so a review changes one file.

When a known issue is fixed, remove it from KNOWN_ISSUES and move `reviewed` on; when the service is
tested again, move `ACCESSIBILITY_TESTED` on."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Dates:
    prepared: date
    reviewed: date


PRIVACY_NOTICE = Dates(prepared=date(2026, 11, 26), reviewed=date(2026, 11, 27))
ACCESSIBILITY_STATEMENT = Dates(prepared=date(2026, 11, 26), reviewed=date(2026, 11, 27))
# Automated checks (axe-core) run on every change; this is the last check of the pages by hand.
ACCESSIBILITY_TESTED = date(2026, 11, 27)
# The response the accessibility statement promises to a request for another format.
ACCESSIBLE_FORMAT_WORKING_DAYS = 10


@dataclass(frozen=True)
class KnownIssue:
    problem: str     # what a person meets, in words
    criteria: str    # the WCAG 2.2 success criteria it fails


KNOWN_ISSUES: tuple[KnownIssue, ...] = (
    KnownIssue("On some pages a group of boxes or options is not named by its question: a screen reader "
               "announces only \u201cDay, Month, Year\u201d when you add a time you are unavailable, and the "
               "choices for accepting or declining a deployment and for changing your areas of practice are "
               "not grouped under their question.",
               "1.3.1 Info and relationships, 3.3.2 Labels or instructions"),
    KnownIssue("At phone width (320 CSS pixels, or 400% zoom on a desktop), some pages scroll sideways: "
               "your deployments on your home page, the assessor directory and the inspection programme. "
               "The programme's timeline cannot be scrolled with a keyboard at that width.",
               "1.4.10 Reflow, 2.1.1 Keyboard"),
    KnownIssue("When you are signed in, your session ends after 30 minutes without activity. You are not "
               "warned before it ends and cannot ask for more time, so what you typed on a page you had "
               "not sent is lost.",
               "2.2.1 Timing adjustable"),
)
