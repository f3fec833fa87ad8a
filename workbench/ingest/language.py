"""Words and sentences of comment text.

Sentence boundaries come from spaCy's blank English pipeline with the rule-based
sentencizer (no model download). spaCy is imported on first use only: importing
it costs most of a second, which the CLI and the app must not pay at start-up.

Word counts follow the word-processor convention: a word is a run of
non-whitespace holding at least one letter or digit, so "don't", "well-known" and
"co-production" are one word each and a lone dash is none. They are computed with
``str.split`` rather than spaCy because the import must keep up with a
million-word corpus; ``tests/test_language.py`` checks them against spaCy's
tokens (re-joined where spaCy splits inside a word) on real transcripts.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # spaCy loads when a text is first split
    from spacy.language import Language

_PUNCT_TOKEN = re.compile(r"(?<!\S)[^\w\s]+(?!\S)")  # "—", "...", "-" standing alone
# Text whose only whitespace is the plain space (isprintable() is then True) can be
# screened with a literal space, which the regex engine scans for twice as fast.
_SPACE_THEN_PUNCT = re.compile(r" [^\w\s]")


def word_count(text: str) -> int:
    if text.isprintable():
        # Words separated by single spaces (most comments): counting the spaces allocates
        # nothing, unlike split(), which builds a string per word of a million-word import.
        if "  " in text or text[:1] == " " or text[-1:] == " ":
            count = len(text.split())
        else:
            count = text.count(" ") + 1 if text else 0
        # Most comments have no free-standing punctuation: skip the slower scan then.
        suspect = _SPACE_THEN_PUNCT.search(text) is not None or (
            text[:1] != "" and not text[0].isalnum()
        )
    else:
        count = len(text.split())
        suspect = True
    if suspect:
        count -= len(_PUNCT_TOKEN.findall(text))
    return count


@lru_cache(maxsize=1)
def nlp() -> Language:
    """The shared blank English pipeline with a sentencizer (built once, lazily)."""
    import spacy

    pipeline = spacy.blank("en")
    pipeline.add_pipe("sentencizer")
    return pipeline


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans of ``text`` as ``(start, end)`` character offsets, end exclusive.

    Spans cover the text without gaps except whitespace, so splitting a comment at
    a sentence boundary loses nothing.
    """
    doc = nlp()(text)
    spans = []
    for sent in doc.sents:
        start, end = sent.start_char, sent.end_char
        if text[start:end].strip():
            spans.append((start, end))
    return spans


def split_points(text: str) -> list[int]:
    """Character offsets where ``text`` may be split into two comments."""
    return [start for start, _ in sentences(text)[1:]]
