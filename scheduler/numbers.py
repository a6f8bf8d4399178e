"""Whole numbers typed by people or carried in addresses: read one way, never a 500.

`str.isdigit()` is true for "²" and "①", which `int()` refuses, and `int()` reads any length, which
the database refuses beyond its column: both were 500s. Every number from a query string, a form
or a URL is read here."""
from __future__ import annotations

from flask import abort
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
    """The ?page= number: 1 when absent; a 400 that says so when it is not a page number."""
    raw = args.get("page", "")
    if raw == "":
        return 1
    number = whole_number(raw, maximum=MAX_PAGE)
    if not number:
        abort(400, f"The page number in the address must be a whole number from 1 to {MAX_PAGE:,}.")
    return number


class IdConverter(IntegerConverter):
    """<int:...> in routes: an id beyond the database's integers is a 404, not a database error."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)
