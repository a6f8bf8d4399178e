"""Downloads: every CSV export and file attachment the service sends goes through here, so each
cell is guarded against spreadsheet formula injection in one place and no export is cached."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from flask import Response

# A spreadsheet treats a cell starting with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """A cell a spreadsheet will not run as a formula: text starting = + - @ (or tab, CR) gets a quote."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def unguarded(text: str) -> str:
    """A cell as it was before safe_cell quoted it, so that an export imports back unchanged."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text


def csv_text(header: Iterable, rows: Iterable[Iterable]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(v) for v in header])
    writer.writerows([safe_cell(v) for v in row] for row in rows)
    return out.getvalue()


def attachment(body: str, filename: str, mimetype: str) -> Response:
    """A download (not shown in the browser, not kept in any cache: exports hold personal data)."""
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "no-store",
    })


def csv_response(filename: str, header: Iterable, rows: Iterable[Iterable]) -> Response:
    return attachment(csv_text(header, rows), filename, "text/csv")
