"""What a model learns from: a project's coded comments, and the checks before learning.

The agreed coding by default (the reconciled one a paper reports), or one coder's
own coding where the user asks. Only codable comments with a category count; a
comment's focus group and transcript travel with it, because cross-validation holds
out whole groups (or transcripts), never single comments.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from workbench.coding.coder import coding_of
from workbench.errors import WorkbenchError
from workbench.project.lifecycle import active_codebook
from workbench.store import Store

MIN_PER_CLASS = 5  # coded comments a category or theme needs before it is learnt


@dataclass
class Codebook:
    categories: list[str]  # keys, codebook order
    themes: list[str]
    takes_themes: dict[str, bool]
    effective: list[str]
    ineffective: list[str]
    names: dict[str, str]  # key → name, categories and themes
    sha256: str

    @classmethod
    def of(cls, store: Store) -> Codebook:
        categories, themes = store.categories(), store.themes()
        return cls(
            [c.key for c in categories],
            [t.key for t in themes],
            {c.key: bool(c.takes_themes) for c in categories},
            [c.key for c in categories if c.polarity == "effective"],
            [c.key for c in categories if c.polarity == "ineffective"],
            {**{c.key: c.name for c in categories}, **{t.key: t.name for t in themes}},
            active_codebook(store)["sha256"],
        )


@dataclass
class Training:
    """The coded comments, aligned lists (one entry per comment)."""

    source: str  # the coder whose coding this is ("agreed" by default)
    comment_ids: list[int]
    refs: list[str]
    texts: list[str]
    groups: list[str]  # focus group code
    transcripts: list[int]
    categories: list[str]
    themes: list[tuple[str, ...]]
    codebook: Codebook

    def __len__(self) -> int:
        return len(self.refs)

    def codings(self) -> dict[str, tuple[str, frozenset]]:
        """``{ref: (category, themes)}``, as the agreement statistics take them."""
        return {
            ref: (c, frozenset(t))
            for ref, c, t in zip(self.refs, self.categories, self.themes, strict=True)
        }

    def category_counts(self) -> Counter:
        return Counter(self.categories)

    def theme_counts(self) -> Counter:
        return Counter(t for themes in self.themes for t in themes)


def training_data(store: Store, coder: str | None = None) -> Training:
    """The coded comments of the agreed coding (or of ``coder``); refuses an empty one."""
    found = coding_of(
        store,
        coder,
        "there is no agreed coding to learn from",
        "--coder NAME learns one coder's own coding instead",
    )
    rows = [r for r in store.coded_comments(found.id) if r["category"] is not None]
    if not rows:
        raise WorkbenchError(
            f"the {'agreed coding' if not coder else f'coding of {coder}'} has no coded "
            "comments yet: there is nothing to learn from"
        )
    return Training(
        found.name,
        [r["id"] for r in rows],
        [r["ref"] for r in rows],
        [r["text"] for r in rows],
        [r["group_code"] for r in rows],
        [r["transcript_id"] for r in rows],
        [r["category"] for r in rows],
        [tuple(r["themes"]) for r in rows],
        Codebook.of(store),
    )


@dataclass
class Learnable:
    """Which categories and themes have enough coded comments, and what is left out."""

    categories: list[str]
    themes: list[str]
    too_few: dict[str, int]  # key → coded comments, for those below the minimum
    minimum: int


def learnable(data: Training, minimum: int = MIN_PER_CLASS) -> Learnable:
    """Categories and themes with at least ``minimum`` coded comments; refuses fewer than two
    learnable categories, naming every category's count."""
    book = data.codebook
    cats, themes = data.category_counts(), data.theme_counts()
    ok_cats = [c for c in book.categories if cats[c] >= minimum]
    if len(ok_cats) < 2:
        counts = ", ".join(f"{book.names[c]} {cats[c]}" for c in book.categories)
        raise WorkbenchError(
            f"too few coded comments to learn the categories: each needs at least {minimum} and at least "
            f"two categories must have them (the {data.source} coding has: {counts}); code more "
            "comments, or lower the minimum with --min-per-class"
        )
    ok_themes = [t for t in book.themes if themes[t] >= minimum]
    too_few = {k: cats[k] for k in book.categories if cats[k] < minimum}
    too_few.update({k: themes[k] for k in book.themes if themes[k] < minimum})
    return Learnable(ok_cats, ok_themes, too_few, minimum)


def unit_of(data: Training, by: str) -> list:
    """Each comment's cross-validation unit: its focus group or its transcript."""
    if by == "group":
        return data.groups
    if by == "transcript":
        return data.transcripts
    raise WorkbenchError(f"--by {by!r}: folds are by 'group' or 'transcript', never by comment")
