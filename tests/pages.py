"""Every HTML page the tests render is parsed and checked against the service's page rules."""
from __future__ import annotations

from collections import Counter

from bs4 import BeautifulSoup

UNLABELLED_OK = {"hidden", "submit", "button", "image", "reset"}


class PageProblem(AssertionError):
    pass


def check_page(html: str, *, url: str = "") -> BeautifulSoup:
    soup = BeautifulSoup(html, "html5lib")
    problems: list[str] = []

    h1s = soup.find_all("h1")
    if len(h1s) != 1:
        problems.append(f"has {len(h1s)} h1 elements, expected exactly one")
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    if not title:
        problems.append("has no <title>")
    elif h1s:
        heading = " ".join(h1s[0].get_text(" ", strip=True).split())
        if not (title.startswith(heading) or title.startswith(f"Error: {heading}")):
            problems.append(f"title {title!r} does not start with the h1 {heading!r}")

    ids = Counter(el["id"] for el in soup.find_all(id=True))
    duplicated = sorted(i for i, n in ids.items() if n > 1)
    if duplicated:
        problems.append(f"repeats ids {duplicated}")

    labelled = {label.get("for") for label in soup.find_all("label") if label.get("for")}
    for field in soup.find_all(["input", "select", "textarea"]):
        if field.name == "input" and field.get("type", "text") in UNLABELLED_OK:
            continue
        if field.get("aria-label") or field.get("aria-labelledby") or field.find_parent("label"):
            continue
        if field.get("id") not in labelled:
            problems.append(f"has an unlabelled field {field.get('name') or field.get('id')!r}")

    for form in soup.find_all("form"):
        if not form.get("action"):
            problems.append(f"has a form with no action ({form.get('id') or form.get('class')})")
        if form.get("method", "get").lower() == "post" and not form.find("input", attrs={"name": "csrf_token"}):
            problems.append(f"has a POST form to {form.get('action')!r} without a CSRF token")

    # WCAG 1.4.10: a data table may be wider than a phone, so it scrolls in its own named region that
    # a keyboard can focus (templates/_table.html), never the page. A month's calendar fits a phone.
    for table in soup.find_all("table"):
        if "app-calendar__table" in table.get("class", []):
            continue
        region = table.find_parent(class_="app-table-scroll")
        if region is None or region.get("role") != "region" or not region.get("aria-label") \
                or region.get("tabindex") != "0":
            caption = table.caption.get_text(" ", strip=True) if table.caption else table.get("id")
            problems.append(f"has a table ({caption!r}) outside a labelled, focusable scroll region")

    if problems:
        raise PageProblem(f"Page {url or ''}: " + "; ".join(problems))
    return soup
