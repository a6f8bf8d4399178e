"""Moving through a page as a keyboard user does, shared by the browser journeys."""
from __future__ import annotations

from datetime import date


def tab_to(page, selector: str, limit: int = 120) -> None:
    """Press Tab until the element matching `selector` has the focus."""
    for _ in range(limit):
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"could not reach {selector} with the Tab key")


def type_date(page, field: str, d: date) -> None:
    """Day, month and year boxes, one after another with Tab, as a keyboard user fills them."""
    tab_to(page, f"#{field}")
    page.keyboard.type(str(d.day))
    page.keyboard.press("Tab")
    page.keyboard.type(str(d.month))
    page.keyboard.press("Tab")
    page.keyboard.type(str(d.year))
