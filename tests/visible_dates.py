"""People read dates as "5 April 2027": a page's visible text must hold no ISO date (2027-04-05) and
no date in digits (5 4 2027, 05/04/2027). Input values are not text, so a date box keeps its digits;
a GOV.UK date hint ("For example, 5 4 2027") is the one place digits are how to type a date."""
from __future__ import annotations

import re
from collections.abc import Iterable

from bs4 import BeautifulSoup, Comment

ISO_DATE = re.compile(r"\b\d{4}-\d{1,2}-\d{1,2}\b")
DIGIT_DATE = re.compile(r"\b\d{1,2}[ /.]\d{1,2}[ /.]\d{4}\b")
HINT = "For example, "
NOT_TEXT = {"script", "style", "template", "textarea"}


def dates_in_digits(soup: BeautifulSoup, typed: Iterable[str] = ()) -> list[str]:
    """Each date written in digits in the page's visible text (the title included), in context;
    apart from what the person typed (``typed``), which a page may show back to them as it was."""
    typed = {" ".join(str(t).split()) for t in typed}
    found = []
    for node in soup.find_all(string=True):
        if isinstance(node, Comment) or any(p.name in NOT_TEXT for p in node.parents):
            continue
        text = str(node)
        for pattern in (ISO_DATE, DIGIT_DATE):
            for match in pattern.finditer(text):
                if pattern is DIGIT_DATE and text[:match.start()].endswith(HINT):
                    continue
                if any(" ".join(match.group(0).split()) in t for t in typed):
                    continue
                found.append(" ".join(text[max(0, match.start() - 30):match.end() + 10].split()))
    return found
