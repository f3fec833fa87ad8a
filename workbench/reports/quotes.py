"""Browse by theme: every comment a coding gives a theme, with the theme's definition and
counts, as the app's theme screen shows it and ``workbench report --table theme-quotes``
exports it (one table per theme, through :mod:`workbench.reports.exports`).

:func:`theme_quotes` is plain Python over coding rows (``Store.coded_comments`` dicts or a
report frame's records), so the app shows a theme without loading pandas; :func:`quote_tables`
makes the report :class:`~workbench.reports.tables.Table` of each theme (pandas, on export).
Quotes carry the speaker's role, never their name: the study identifies participants by
role only.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from workbench.errors import WorkbenchError

if TYPE_CHECKING:  # pandas is imported on export, not with the module
    import pandas as pd

    from workbench.reports.tables import Table
    from workbench.store.codebook import Category, Theme

TABLE = "theme-quotes"


@dataclass
class ThemeQuotes:
    """One theme in one coding: the comments carrying it, in transcript order."""

    theme: Theme
    # ref, group_code, group, role, polarity, exemplar, text
    quotes: list[dict[str, Any]] = field(default_factory=list)
    behaviour: int = 0  # behaviour comments in the coding (of which these carry the theme)

    @property
    def count(self) -> int:
        return len(self.quotes)

    @property
    def effective(self) -> int:
        return sum(1 for q in self.quotes if q["polarity"] == "effective")

    @property
    def ineffective(self) -> int:
        return sum(1 for q in self.quotes if q["polarity"] == "ineffective")

    def by_role(self) -> list[tuple[str, int]]:
        """(role, comments) of the speakers who raised the theme, most first."""
        return Counter(q["role"] for q in self.quotes).most_common()

    def summary(self) -> str:
        """One sentence: how many carry it, its polarity and who raised it."""
        from workbench.reports.tables import percent

        if not self.quotes:
            return (
                f"No comment of the {self.behaviour} behaviour comments carries {self.theme.name}."
            )
        polar = self.effective + self.ineffective
        split = (
            (
                f" ({self.effective} effective, {self.ineffective} ineffective; "
                f"{percent(self.effective, polar)}% effective)"
            )
            if polar
            else ""
        )
        roles = ", ".join(f"{role} {n}" for role, n in self.by_role())
        verb = "carries" if self.count == 1 else "carry"  # "1 of the 13 ... carries"
        return (
            f"{self.count} of the {self.behaviour} behaviour comments {verb} {self.theme.name}{split}; "
            f"by role: {roles}."
        )


def theme_quotes(
    rows: Iterable[Mapping[Any, Any]], categories: list[Category], themes: list[Theme]
) -> dict[str, ThemeQuotes]:
    """Every theme (in codebook order) with the comments of ``rows`` carrying it.

    ``rows``: coding rows (store dicts or a frame's records) in transcript order with ``ref``,
    ``group_code``, ``group_name``, ``role``, ``category``, ``themes`` (keys), ``exemplar`` and
    ``text``.
    """
    # The behaviour categories: those that take themes. Their polarity (effective or
    # ineffective) where the codebook gives one, else the category's name.
    behaviours = {c.key: c.polarity or c.name for c in categories if c.takes_themes}
    out = {t.key: ThemeQuotes(t) for t in themes}
    behaviour = 0
    for row in rows:
        if row["category"] not in behaviours:
            continue
        behaviour += 1
        for key in row["themes"] or ():
            if key in out:
                out[key].quotes.append(
                    {
                        "ref": row["ref"],
                        "group_code": row["group_code"],
                        "group": row["group_name"],
                        "role": row["role"]
                        if isinstance(row["role"], str) and row["role"]
                        else "unknown",
                        "polarity": behaviours[row["category"]],
                        "exemplar": bool(row["exemplar"]),
                        "text": str(row["text"]).strip(),
                    }
                )
    for quotes in out.values():
        quotes.behaviour = behaviour
    return out


def resolve_themes(themes: list[Theme], wanted: list[str] | None) -> list[str]:
    """Theme keys for ``wanted`` (keys or names, any case); every theme when None."""
    if not wanted:
        return [t.key for t in themes]
    lookup = {}
    for t in themes:
        lookup[t.key.casefold()] = lookup[t.name.casefold()] = t.key
    keys, unknown = [], []
    for name in wanted:
        key = lookup.get(name.strip().casefold())
        (keys.append(key) if key else unknown.append(name))
    if unknown:
        raise WorkbenchError(
            f"--theme {', '.join(unknown)}: no such theme in the codebook (themes: "
            + ", ".join(t.key for t in themes)
            + ")"
        )
    return list(dict.fromkeys(keys))


def quote_tables(
    df: pd.DataFrame,
    categories: list[Category],
    themes: list[Theme],
    wanted: list[str] | None = None,
    allow_provisional: bool = False,
) -> list[Table]:
    """One report table per theme (``wanted``: keys or names; default every theme): its
    comments with ref, focus group, role, behaviour, exemplar mark and quote; the notes give
    the definition and the counts. Refused while comments are not agreed, unless provisional."""
    import pandas as pd

    from workbench.reports.tables import NotAgreedError, Table, unagreed

    keys = resolve_themes(themes, wanted)
    missing = unagreed(df)
    if missing and not allow_provisional:
        raise NotAgreedError(missing)
    suffix = " (provisional)" if missing else ""
    notes = (
        [
            f"Provisional: {len(missing)} comment(s) had no agreed category yet and are left out "
            f"(first: {', '.join(missing[:5])})."
        ]
        if missing
        else []
    )
    every = theme_quotes(df.to_dict("records"), categories, themes)
    tables = []
    for key in keys:
        found = every[key]
        columns = ["ref", "group_code", "group", "role", "polarity", "exemplar", "text"]
        data = pd.DataFrame(found.quotes, columns=columns)
        rows = [
            [
                q["ref"],
                q["group_code"],
                q["role"],
                q["polarity"][:1].upper() + q["polarity"][1:],
                "*" if q["exemplar"] else "",
                q["text"],
            ]
            for q in found.quotes
        ]
        table_notes = [
            *notes,
            f"{found.theme.name}: {found.theme.definition or 'no definition'}.",
            found.summary(),
        ]
        if any(q["exemplar"] for q in found.quotes):
            table_notes.append("* marked as an exemplar quote.")
        tables.append(
            Table(
                f"quotes_{key}",
                f"Comments coded {found.theme.name}{suffix}",
                ["Ref", "Group", "Role", "Behaviour", "Exemplar", "Quote"],
                rows,
                data,
                table_notes,
            )
        )
    return tables
