"""The codebook as one record, and the one rule of a coding the codebook allows.

:class:`Codebook` is what a codebook is, whether read from a file (the loader in
:mod:`workbench.project.codebook` builds it) or from the project (:meth:`Store.codebook`, the
active codebook with the entries earlier codebooks had and this one retired): its categories in
order (polarity, whether each takes themes, shortcut), its themes in order, version and SHA-256,
and the lookups every layer needs (by key, by shortcut, the behaviour categories, theme order).

:meth:`Codebook.check` is the one place the rule lives; every path that writes a coding (the
coding session, reconciliation and review, sheets, coder packages, REFI-QDA, a model's coding)
asks it and puts its own context (row, package entry, ref) before the reason:

* a category and themes the codebook knows: an unknown key, or a retired one (known, but no
  longer in the codebook in use) that the coding did not have before, is refused;
* themes only on a category that takes themes (never without a category);
* each theme once.

A coding whose category and themes are those it had (a memo or a mark changed, an undo) passes
as it is: codes an older codebook allowed stay until someone changes them. Each check is a few
dictionary lookups, never a read of the project.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Protocol

from workbench.errors import CodingRuleError

__all__ = ["Category", "Codebook", "CodingRuleError", "Theme"]


@dataclass(frozen=True, slots=True)
class Category:
    """One category of the codebook: what a comment is mapped to first."""

    key: str
    name: str
    shortcut: str = ""  # "" = no key: coded from the command palette
    takes_themes: bool = False
    polarity: str | None = None
    description: str = ""
    retired: bool = False  # in an earlier codebook of the project, not in the one in use

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Theme:
    """One behavioural theme of the codebook, given to comments of a category that takes them."""

    key: str
    name: str
    shortcut: str = ""  # "" = no key: coded from the command palette
    definition: str = ""
    retired: bool = False

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


class Codes(Protocol):
    """What the rule reads of a coding (``coding.record.Coding`` has it)."""

    @property
    def category(self) -> str | None: ...

    @property
    def themes(self) -> Sequence[str]: ...


@dataclass(frozen=True)
class Codebook:
    key: str
    name: str
    version: str
    description: str
    categories: tuple[Category, ...]  # in use, in order
    themes: tuple[Theme, ...]  # in use, in order
    source: str = field(default="", compare=False)  # the exact TOML text
    sha256: str = field(default="", compare=False)
    # What reading a CSV or Excel codebook guessed (its layout, columns left aside, names
    # kept apart, entries without a key): shown by ``init`` and ``codebook --replace``.
    notes: tuple[str, ...] = field(default=(), compare=False)
    # A project's entries of earlier codebooks, retired: codings made with them still resolve.
    retired_categories: tuple[Category, ...] = field(default=(), compare=False)
    retired_themes: tuple[Theme, ...] = field(default=(), compare=False)
    _index: _Index = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", _Index(self))

    # -- lookups -------------------------------------------------------------------------

    def category(self, key: str) -> Category:
        """The category ``key`` (retired ones too); KeyError if the codebook never had it."""
        return self._index.categories[key]

    def theme(self, key: str) -> Theme:
        """The theme ``key`` (retired ones too); KeyError if the codebook never had it."""
        return self._index.themes[key]

    def find_category(self, key: str | None) -> Category | None:
        return self._index.categories.get(key) if key is not None else None

    def find_theme(self, key: str) -> Theme | None:
        return self._index.themes.get(key)

    def category_name(self, key: str) -> str:
        """A category's name (its key where the codebook never had it)."""
        entry = self._index.categories.get(key)
        return entry.name if entry else key

    def theme_name(self, key: str) -> str:
        entry = self._index.themes.get(key)
        return entry.name if entry else key

    def takes_themes(self, key: str | None) -> bool:
        entry = self.find_category(key)
        return bool(entry and entry.takes_themes)

    def polarity(self, key: str | None) -> str | None:
        entry = self.find_category(key)
        return entry.polarity if entry else None

    @property
    def behaviours(self) -> tuple[Category, ...]:
        """The categories in use that take themes (the behaviour categories), in order."""
        return self._index.behaviours

    def by_shortcut(self, key: str) -> Category | Theme | None:
        """The entry in use whose shortcut is ``key`` (the loader keeps shortcuts unique)."""
        return self._index.shortcuts.get(key)

    def all_categories(self) -> tuple[Category, ...]:
        """In use, then retired."""
        return self.categories + self.retired_categories

    def all_themes(self) -> tuple[Theme, ...]:
        return self.themes + self.retired_themes

    def theme_position(self, key: str) -> int:
        """A theme's place in the codebook's order (a retired or unknown one after all)."""
        return self._index.order.get(key, len(self.themes))

    def ordered(self, themes: Iterable[str]) -> tuple[str, ...]:
        """Theme keys in codebook order (a retired one, kept from an older codebook, last)."""
        return tuple(sorted(themes, key=self.theme_position))

    def complete(self, coding: Codes) -> bool:
        """Coded as the codebook requires: a category, and a theme where it takes themes."""
        if coding.category is None:
            return False
        return bool(coding.themes) or not self.takes_themes(coding.category)

    # -- the rule ------------------------------------------------------------------------

    def check(
        self, coding: Codes, was: Codes | None = None, *, needs_category: bool = False
    ) -> None:
        """Refuse (:class:`CodingRuleError`) a coding this codebook does not allow. ``was``: the
        coding it replaces (its codes, retired or not, may stay); ``needs_category``: a coding
        without a category is refused too (an agreed coding)."""
        category, themes = coding.category, tuple(coding.themes)
        if (
            was is not None
            and category == was.category
            and len(set(themes)) == len(themes)
            and set(themes) == set(was.themes)
            and (category is not None or not needs_category)
        ):
            return  # the codes as they were: a memo or a mark changed
        index = self._index
        entry = None
        if category is None:
            if needs_category:
                raise CodingRuleError("no category: choose one")
        else:
            entry = index.categories.get(category)
            if entry is None:
                raise CodingRuleError(
                    f"unknown category {category!r} (categories: "
                    f"{', '.join(c.key for c in self.categories)})"
                )
            if entry.retired and (was is None or was.category != category):
                raise CodingRuleError(
                    f"category {entry.name!r} ({category}) is retired: it is not in codebook "
                    f"version {self.version}, so no new coding can use it"
                )
        unknown = [key for key in themes if key not in index.themes]
        if unknown:
            raise CodingRuleError(
                f"unknown theme{'s' * (len(unknown) > 1)} "
                f"{', '.join(map(repr, unknown))} (themes: "
                f"{', '.join(t.key for t in self.themes)})"
            )
        if len(set(themes)) != len(themes):
            twice = next(key for i, key in enumerate(themes) if key in themes[:i])
            raise CodingRuleError(f"theme {index.themes[twice].name!r} is given twice")
        for key in themes:
            theme = index.themes[key]
            if theme.retired and (was is None or key not in was.themes):
                raise CodingRuleError(
                    f"theme {theme.name!r} ({key}) is retired: it is not in codebook "
                    f"version {self.version}, so no new coding can use it"
                )
        if themes and not (entry and entry.takes_themes):
            where = (
                f"category {entry.name!r} takes no themes"
                if entry is not None
                else "themes without a category"
            )
            choose = " or ".join(c.name for c in index.behaviours)
            what = f": choose {choose}" if choose else " (none in this codebook does)"
            raise CodingRuleError(f"{where}: themes go only on a category that takes themes{what}")


class _Index:
    """A codebook's lookups, built once (the rule runs once per coding of a 100,000-row import)."""

    __slots__ = ("behaviours", "categories", "order", "shortcuts", "themes")

    def __init__(self, book: Codebook):
        self.categories = {c.key: c for c in (*book.retired_categories, *book.categories)}
        self.themes = {t.key: t for t in (*book.retired_themes, *book.themes)}
        self.order = {t.key: i for i, t in enumerate(book.themes)}
        self.behaviours = tuple(c for c in book.categories if c.takes_themes)
        self.shortcuts: dict[str, Category | Theme] = {}
        entries: tuple[Category | Theme, ...] = (*book.categories, *book.themes)
        for entry in entries:
            if entry.shortcut:
                self.shortcuts.setdefault(entry.shortcut, entry)
