"""Every HTML page the tests render is parsed and checked against the service's page rules."""
from __future__ import annotations

from collections import Counter, defaultdict

from bs4 import BeautifulSoup, Tag

UNLABELLED_OK = {"hidden", "submit", "button", "image", "reset"}
# Inputs that only mean something as a group: a radio always asks a question of its group; two or
# more boxes sharing a name (a date's day, month and year, a set of checkboxes) do too.
GROUP_CONTAINERS = ("govuk-date-input", "govuk-radios", "govuk-checkboxes")


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

    problems += label_problems(soup) + group_problems(soup) + error_message_problems(soup)
    problems += form_problems(soup) + table_problems(soup)

    if problems:
        raise PageProblem(f"Page {url or ''}: " + "; ".join(problems))
    return soup


def label_problems(soup: BeautifulSoup) -> list[str]:
    """Fields that no label names (or that name themselves with aria)."""
    problems: list[str] = []
    labelled = {label.get("for") for label in soup.find_all("label") if label.get("for")}
    for field in soup.find_all(["input", "select", "textarea"]):
        if field.name == "input" and field.get("type", "text") in UNLABELLED_OK:
            continue
        if field.get("aria-label") or field.get("aria-labelledby") or field.find_parent("label"):
            continue
        if field.get("id") not in labelled:
            problems.append(f"has an unlabelled field {field.get('name') or field.get('id')!r}")
    return problems


def form_problems(soup: BeautifulSoup) -> list[str]:
    """Forms without an action, and POST forms without a CSRF token."""
    problems: list[str] = []
    for form in soup.find_all("form"):
        if not form.get("action"):
            problems.append(f"has a form with no action ({form.get('id') or form.get('class')})")
        if form.get("method", "get").lower() == "post" and not form.find("input", attrs={"name": "csrf_token"}):
            problems.append(f"has a POST form to {form.get('action')!r} without a CSRF token")
    return problems


def table_problems(soup: BeautifulSoup) -> list[str]:
    """Data tables outside a labelled, focusable scroll region."""
    problems: list[str] = []
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
    return problems


def visible_text(element: Tag | None) -> str:
    """The text a sighted user sees in `element`: nothing inside a visually hidden or hidden part."""
    if element is None or any(_hidden(e) for e in (element, *element.parents)):
        return ""
    parts = []
    for text in element.find_all(string=True):
        between = []
        for parent in text.parents:
            if parent is element:
                break
            between.append(parent)
        if not any(_hidden(e) for e in between):
            parts.append(text)
    return " ".join(" ".join(parts).split())


def _hidden(element: Tag) -> bool:
    return isinstance(element, Tag) and (
        "govuk-visually-hidden" in (element.get("class") or []) or element.has_attr("hidden"))


def legend_of(fieldset: Tag | None) -> Tag | None:
    """A fieldset's legend: its first child element, if that is a <legend> (as HTML requires)."""
    first = fieldset.find(True, recursive=False) if fieldset is not None else None
    return first if first is not None and first.name == "legend" else None


def _text(element: Tag | None) -> str:
    return " ".join(element.get_text(" ", strip=True).split()) if element is not None else ""


def _shown_control(element: Tag) -> bool:
    return element.name in ("select", "textarea") or (
        element.name == "input" and element.get("type", "text").lower() not in UNLABELLED_OK)


def _describe(inputs: list[Tag]) -> str:
    return repr(inputs[0].get("name") or inputs[0].get("id"))


def group_problems(soup: BeautifulSoup) -> list[str]:
    """Each group of inputs (date boxes, radios, checkboxes) sits in one fieldset, and every fieldset
    has a legend asking its question: without one a screen reader announces "Day", "Yes" or
    "Children" and nothing else."""
    groups: dict[tuple[int, str], list[Tag]] = defaultdict(list)
    for field in soup.find_all("input"):
        if field.get("type", "text").lower() in UNLABELLED_OK or not field.get("name"):
            continue
        groups[(id(field.find_parent("form")), field["name"])].append(field)
    found = [inputs for inputs in groups.values()
             if len(inputs) > 1 or inputs[0].get("type", "").lower() == "radio"]
    seen = {id(field) for inputs in found for field in inputs}
    for container in soup.find_all(class_=GROUP_CONTAINERS):
        inputs = [f for f in container.find_all("input") if _shown_control(f)]
        if (len(inputs) > 1 or "govuk-radios" in container["class"]) and inputs \
                and not any(id(f) in seen for f in inputs):
            found.append(inputs)
            seen.update(id(f) for f in inputs)
    problems = []
    for inputs in found:
        fieldset = inputs[0].find_parent("fieldset")
        if fieldset is None or any(fieldset not in f.parents for f in inputs):
            problems.append(f"has a group of inputs {_describe(inputs)} that is not in one <fieldset>")
    for fieldset in soup.find_all("fieldset"):
        inputs = fieldset.find_all(_shown_control)
        if inputs and not _text(legend_of(fieldset)):
            problems.append(f"has a group of inputs {_describe(inputs)} whose fieldset has no legend "
                            "asking its question")
    return problems


def in_group(soup: BeautifulSoup, control: Tag) -> bool:
    """Whether `control` is one of a group of inputs that only a legend can name: a radio, a date
    box, or one of several checkboxes (a lone checkbox, "I understand ...", is named by its label)."""
    kind = control.get("type", "text").lower()
    if kind == "radio" or control.find_parent(class_="govuk-date-input"):
        return True
    if kind != "checkbox":
        return False
    form = control.find_parent("form") or soup
    return len(form.find_all("input", attrs={"name": control.get("name")})) > 1 if control.get("name") else False


def field_name_shown(soup: BeautifulSoup, target: Tag) -> str:
    """What a sighted user reads as the name of the field `target` (a control, or a group's
    element): the legend of its group for radios, checkboxes and date boxes, else its own label."""
    if target.name in ("input", "select", "textarea") and not in_group(soup, target):
        label = soup.find("label", attrs={"for": target.get("id")}) if target.get("id") else None
        return visible_text(label or target.find_parent("label"))
    fieldset = target if target.name == "fieldset" else target.find_parent("fieldset")
    return visible_text(legend_of(fieldset))


def is_field(target: Tag) -> bool:
    """A form control, or part of one field's form group (not a heading or table the summary links to)."""
    return (target.name in ("input", "select", "textarea", "fieldset")
            or target.find_parent(class_="govuk-form-group") is not None
            or bool(set(target.get("class") or []) & set(GROUP_CONTAINERS)))


def error_message_problems(soup: BeautifulSoup) -> list[str]:
    """Every error message, and every link in the error summary, belongs to a field whose label or
    legend is on the screen: "Enter the start date" must point at something that says "Start date"."""
    problems = []
    for message in soup.find_all(class_="govuk-error-message"):
        text = " ".join(message.get_text(" ", strip=True).split())
        group = message.find_parent(class_="govuk-form-group")
        fieldset = message.find_parent("fieldset")
        if fieldset is not None and group is not None and group in fieldset.parents:
            named = visible_text(legend_of(fieldset))  # the message is the group's, as for radios
        else:
            control = group.find(_shown_control) if group is not None else None
            if control is None:
                problems.append(f"has an error message {text!r} that belongs to no field")
                continue
            named = field_name_shown(soup, control)
        if not named:
            problems.append(f"has an error message {text!r} on a field with no visible label or legend")
    for link in soup.select(".govuk-error-summary a"):
        href = link.get("href") or ""
        text = " ".join(link.get_text(" ", strip=True).split())
        if not href.startswith("#"):
            continue
        target = soup.find(id=href[1:])
        if target is None:
            problems.append(f"has an error summary link {text!r} to {href}, which is not on the page")
        elif is_field(target) and not field_name_shown(soup, target):
            problems.append(f"has an error summary link {text!r} to a field with no visible label or legend")
    return problems
