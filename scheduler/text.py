"""Text as the search compares it: accents and case folded away, so "MacKay", "mackay" and "Mackáy"
are the same word. Used by the assessor's search column, the directory's query and the name lookup."""
from __future__ import annotations

import unicodedata


def fold(text: str | None) -> str:
    """Lower case, without accents, spaces collapsed: 'Siobhán  MacKay' -> 'siobhan mackay'."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


def words(text: str | None) -> list[str]:
    """The folded words of a search, each matched as part of a word."""
    return fold(text).split()
