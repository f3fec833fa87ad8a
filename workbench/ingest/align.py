"""Aligning a transcript's comments with the turns of a corrected version of it.

Two passes, both order-preserving (a transcript is read in order; a turn never moves):

1. ``difflib.SequenceMatcher`` over the turn texts (whitespace collapsed), with ``autojunk``
   off so that frequent short turns ("Yes.") still anchor: its matching blocks pair the turns
   whose text is unchanged. It finds the longest common runs first, so a turn inserted or
   removed in the middle leaves the turns either side paired.
2. Inside each stretch it could not match (an ``replace`` opcode: some old turns where the new
   file has others), the old and new turns are paired by a dynamic-programming alignment that
   maximises the total word similarity (:func:`similarity`: SequenceMatcher's ratio over the
   words, or the share of a turn standing in the other when one was merged into or split from
   the other) of the pairs, taking only pairs at least :data:`SIMILAR` alike: a corrected turn
   pairs with its correction, an old turn with no counterpart is removed, a new turn is added.
   Stretches too large for the quadratic table (:data:`MAX_CELLS`) pair by position, under the
   same threshold.

Every old turn ends up ``same``, ``changed`` or ``removed``; every new turn ``same``,
``changed`` or ``added``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

SIMILAR = 0.5  # a changed turn keeps at least half its words in order (SequenceMatcher ratio)
CONTAINED, CONTAINED_WORDS = (
    0.8,
    3,
)  # or 80% of a turn of 3+ words stands in the other (merge, split)
_WORD = re.compile(r"\w+")
MAX_CELLS = 250_000  # old x new turns in one unmatched stretch, beyond which pairs go by position


@dataclass(frozen=True)
class Pair:
    """One step of the alignment: old turn ``old`` (None: added) and new turn ``new`` (None:
    removed); ``kind`` "same", "changed", "removed" or "added"; ``similarity`` of a changed pair."""

    old: int | None
    new: int | None
    kind: str
    similarity: float = 1.0

    @property
    def old_turn(self) -> int:
        """``old`` of a pair that has one (same, changed, removed)."""
        if self.old is None:
            raise ValueError("an added turn has no old turn")
        return self.old

    @property
    def new_turn(self) -> int:
        """``new`` of a pair that has one (same, changed, added)."""
        if self.new is None:
            raise ValueError("a removed turn has no new turn")
        return self.new


def _normal(text: str) -> str:
    return " ".join(text.split())


def similarity(a: str, b: str) -> float:
    """How alike two turns are: SequenceMatcher's ratio over their words (any case, without
    punctuation), or, when the shorter turn has :data:`CONTAINED_WORDS` words or more and at
    least :data:`CONTAINED` of them stand in order in the longer (a turn merged into another, or
    split), that share."""
    x, y = _WORD.findall(a.lower()), _WORD.findall(b.lower())
    if not x or not y:
        return 1.0 if x == y else 0.0
    matcher = SequenceMatcher(None, x, y, autojunk=False)
    ratio = matcher.ratio()
    shorter = min(len(x), len(y))
    if shorter >= CONTAINED_WORDS:
        inside = sum(block.size for block in matcher.get_matching_blocks()) / shorter
        if inside >= CONTAINED:
            return max(ratio, inside)
    return ratio


def align(old: list[str], new: list[str]) -> list[Pair]:
    """Pair the old turns with the new (see the module's docstring), in order."""
    a, b = [_normal(t) for t in old], [_normal(t) for t in new]
    out: list[Pair] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            out += [Pair(i1 + k, j1 + k, "same") for k in range(i2 - i1)]
        elif tag == "delete":
            out += [Pair(i, None, "removed") for i in range(i1, i2)]
        elif tag == "insert":
            out += [Pair(None, j, "added") for j in range(j1, j2)]
        else:
            out += _pair_stretch(a, b, i1, i2, j1, j2)
    return out


def _pair_stretch(a: list[str], b: list[str], i1: int, i2: int, j1: int, j2: int) -> list[Pair]:
    n, m = i2 - i1, j2 - j1
    if n * m > MAX_CELLS:
        return _by_position(a, b, i1, i2, j1, j2)
    sim = [[similarity(a[i1 + i], b[j1 + j]) for j in range(m)] for i in range(n)]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        row, above, s = best[i], best[i - 1], sim[i - 1]
        for j in range(1, m + 1):
            pair = above[j - 1] + s[j - 1] if s[j - 1] >= SIMILAR else -1.0
            row[j] = max(above[j], row[j - 1], pair)
    out: list[Pair] = []
    i, j = n, m
    while i or j:
        if (
            i
            and j
            and sim[i - 1][j - 1] >= SIMILAR
            and best[i][j] == best[i - 1][j - 1] + sim[i - 1][j - 1]
        ):
            out.append(Pair(i1 + i - 1, j1 + j - 1, "changed", sim[i - 1][j - 1]))
            i, j = i - 1, j - 1
        elif i and (not j or best[i][j] == best[i - 1][j]):
            out.append(Pair(i1 + i - 1, None, "removed"))
            i -= 1
        else:
            out.append(Pair(None, j1 + j - 1, "added"))
            j -= 1
    return _ordered(out[::-1])


def _by_position(a: list[str], b: list[str], i1: int, i2: int, j1: int, j2: int) -> list[Pair]:
    out: list[Pair] = []
    for k in range(max(i2 - i1, j2 - j1)):
        i, j = (i1 + k if i1 + k < i2 else None), (j1 + k if j1 + k < j2 else None)
        s = similarity(a[i], b[j]) if i is not None and j is not None else 0.0
        if s >= SIMILAR:
            out.append(Pair(i, j, "changed", s))
        else:
            out += [
                p
                for p in (
                    Pair(i, None, "removed") if i is not None else None,
                    Pair(None, j, "added") if j is not None else None,
                )
                if p
            ]
    return out


def _ordered(pairs: list[Pair]) -> list[Pair]:
    """Within a run of unpaired turns, the removed ones before the added (a stable reading)."""
    out, run = [], []
    for p in pairs + [None]:
        if p is not None and p.kind in ("removed", "added"):
            run.append(p)
            continue
        out += sorted(run, key=lambda q: q.kind != "removed")
        run = []
        if p is not None:
            out.append(p)
    return out
