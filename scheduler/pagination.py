"""govukPagination parameters for a paged table (one way for every list)."""
from __future__ import annotations

from collections.abc import Callable


def pagination(number: int, pages: int, href: Callable[[int], str], label: str) -> dict:
    """First, last, current and its neighbours, with ellipses between; {} when there is one page.
    ``href(n)``: the link to page n; ``label``: the landmark's name ("Pages of assessors")."""
    if pages <= 1:
        return {}
    wanted = sorted({1, pages, number - 1, number, number + 1} & set(range(1, pages + 1)))
    items: list[dict] = []
    previous = 0
    for n in wanted:
        if n - previous > 1:
            items.append({"ellipsis": True})
        items.append({"number": n, "href": href(n), "current": n == number})
        previous = n
    params: dict = {"items": items, "landmarkLabel": label}
    if number > 1:
        params["previous"] = {"href": href(number - 1)}
    if number < pages:
        params["next"] = {"href": href(number + 1)}
    return params
