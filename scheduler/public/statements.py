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


# Fixed in this round (November 2026): groups without a legend (1.3.1, 3.3.2), pages that scrolled
# sideways at 320 px and the timeline's keyboard scrolling (1.4.10, 2.1.1), and no warning before an
# idle session ended (2.2.1).
KNOWN_ISSUES: tuple[KnownIssue, ...] = ()
# Pages the checks by hand and at phone width have not reached yet: said, so that nobody reads
# "compliant" as "every page was tried".
NOT_YET_TESTED: tuple[str, ...] = (
    "the check-your-answers and application-sent pages of an application at phone width",
    "pages showing an error, at phone width",
    "the recovery codes page and a coordinator's decision on a specialism request at phone width",
    "browser zoom at 400% (we test text at 200% and a 320 pixel wide screen instead)",
)
