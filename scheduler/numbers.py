"""Whole numbers typed by people or carried in addresses: read one way, never a 500.

`str.isdigit()` is true for "²" and "①", which `int()` refuses, and `int()` reads any length, which
the database refuses beyond its column: both were 500s. Every number from a query string, a form
or a URL is read here."""
from __future__ import annotations

from werkzeug.routing import IntegerConverter

# Every id column is a 32-bit INTEGER on PostgreSQL.
MAX_ID = 2**31 - 1
MAX_PAGE = 100_000


def whole_number(text: str | None, *, maximum: int = MAX_ID) -> int | None:
    """text as a whole number from 0 to maximum, written in the digits 0 to 9; None otherwise."""
    text = (text or "").strip()
    if text.isascii() and text.isdigit() and len(text) <= len(str(maximum)) and int(text) <= maximum:
        return int(text)
    return None


def page_arg(args) -> int:
    """The ?page= number: the first page for anything that is not one, as lists always did; a
    number past the end is left to the list (which shows its last page)."""
    number = whole_number(args.get("page"), maximum=MAX_PAGE)
    return number or 1


class IdConverter(IntegerConverter):
    """<int:...> in routes: an id beyond the database's integers is a 404, not a database error."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)
