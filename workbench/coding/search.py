"""Full-text search over comments: turning what a coder types into an FTS5 query,
and finding the matched words to highlight."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workbench.store import Store

_TERM = re.compile(r"\w+", re.UNICODE)


def terms(query: str) -> list[str]:
    return _TERM.findall(query.lower())


def fts_query(query: str) -> str | None:
    """Every word must occur, as a word prefix: "listen plan" finds "listened ... planning".

    Words are quoted, so FTS5 syntax characters typed by a coder never cause an error.
    """
    words = terms(query)
    return " ".join(f'"{w}"*' for w in words) if words else None


def highlight_spans(text: str, query: str) -> list[tuple[int, int]]:
    """Character spans of ``text`` to highlight for ``query`` (word prefixes, any case)."""
    words = terms(query)
    if not words:
        return []
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\w*", re.IGNORECASE)
    return [m.span() for m in pattern.finditer(text)]


def search(store: Store, query: str) -> list[int]:
    match = fts_query(query)
    return store.search_comments(match) if match else []
