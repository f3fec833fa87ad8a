"""Report tables that cross the themes with something: stakeholder role, focus group, or the
other themes (co-occurrence).

Pure functions under the contract of :mod:`workbench.reports.tables` (a frame of the agreed
coding, the codebook as plain dicts, a :class:`~workbench.reports.tables.Table` back): cells
are counts of behaviour comments with their share of the column's, so roles or groups that
spoke more are comparable with those that spoke less.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import pandas as pd

from workbench.project.roles import DEFAULT_ROLES
from workbench.reports.tables import (
    Table,
    agreed_rows,
    behaviour_rows,
    group_rows,
    percent_text,
    theme_counts,
)
from workbench.store.codebook import Category, Theme


def role_order(roles: pd.Series) -> list[str]:
    """The study's roles first (HP, PwCHC, Parent, Teen, ...), then others, 'unknown' last."""
    present = list(pd.unique(roles))
    known = [r.key for r in DEFAULT_ROLES if r.key in present]
    rest = [r for r in present if r not in known and r != "unknown"]
    return known + rest + (["unknown"] if "unknown" in present else [])


def _theme_by(
    df: pd.DataFrame,
    categories: list[Category],
    themes: list[Theme],
    column: str,
    order: list[str],
    labels: dict[str, str],
    title: str,
    key: str,
    allow_provisional: bool,
    what: str,
    relabel: Callable[[Any], Any] | None = None,
) -> Table:
    """Themes x (role | group): count and % of that column's behaviour comments.
    ``relabel``: applied to the column's values first (the shared behaviour comments stay as
    they are)."""
    agreed, suffix, notes = agreed_rows(df, allow_provisional)
    beh = behaviour_rows(agreed, categories)
    overall = theme_counts(beh, themes)
    if relabel is not None:
        beh = beh.assign(**{column: [relabel(v) for v in beh[column].tolist()]})
    beh_n = beh[column].value_counts()
    long = beh[[column, "polarity", "themes"]].explode("themes").dropna(subset=["themes"])
    # Every (theme, column value, polarity) count in one grouping, then dictionary lookups.
    cells = long.groupby(["themes", column, "polarity"]).size().to_dict()
    by_key = {t.key: t for t in themes}
    records = []
    for theme in overall.index:
        rec = {"key": theme, "theme": by_key[theme].name}
        for col in order:
            rec[f"{col}_effective"] = int(cells.get((theme, col, "effective"), 0))
            rec[f"{col}_ineffective"] = int(cells.get((theme, col, "ineffective"), 0))
            rec[col] = rec[f"{col}_effective"] + rec[f"{col}_ineffective"]
        rec["total"] = int(overall.loc[theme, "comments"])
        records.append(rec)
    data = pd.DataFrame(records)
    columns = [
        "Theme",
        *[f"{labels[c]} (n={int(beh_n.get(c, 0))})" for c in order],
        f"Total (n={len(beh)})",
    ]
    rows = [
        [
            r["theme"],
            *[f"{r[c]} ({percent_text(r[c], int(beh_n.get(c, 0)))})" for c in order],
            f"{r['total']} ({percent_text(r['total'], len(beh))})",
        ]
        for _, r in data.iterrows()
    ]
    notes += [
        f"Cells are the number of behaviour comments carrying the theme and, in brackets, "
        f"their share of that {what}'s behaviour comments (n in the header), so {what}s "
        "that spoke more are comparable with those that spoke less. The effective/"
        "ineffective split of every cell is in the numeric data."
    ]
    return Table(key, title + suffix, columns, rows, data, notes)


def theme_by_role_table(
    df: pd.DataFrame,
    categories: list[Category],
    themes: list[Theme],
    title: str = "Behavioural themes by stakeholder role",
    allow_provisional: bool = False,
    key: str = "themes_by_role",
) -> Table:
    """Themes x stakeholder role: does each role talk about the same behaviours?"""
    # The roles in order of first appearance (of the raw values, then named: the same order).
    order = role_order(pd.Series(list(dict.fromkeys(map(_role_name, pd.unique(df["role"]))))))
    return _theme_by(
        df,
        categories,
        themes,
        "role",
        order,
        {r: r for r in order},
        title,
        key,
        allow_provisional,
        "role",
        relabel=_role_name,
    )


def _role_name(role: object) -> str:
    return role if isinstance(role, str) and role else "unknown"


def theme_by_group_table(
    df: pd.DataFrame,
    categories: list[Category],
    themes: list[Theme],
    title: str = "Behavioural themes by focus group",
    allow_provisional: bool = False,
    key: str = "themes_by_group",
) -> Table:
    """Themes x focus group (columns by group code; the note names the groups)."""
    info = group_rows(df, None)
    order = info["group_code"].tolist()
    table = _theme_by(
        df,
        categories,
        themes,
        "group_code",
        order,
        {c: c for c in order},
        title,
        key,
        allow_provisional,
        "focus group",
    )
    table.notes.append(
        "Focus groups: "
        + "; ".join(
            f"{c} = {n}" for c, n in zip(info["group_code"], info["group_name"], strict=True)
        )
        + "."
    )
    names = dict(
        zip(info["group_code"], info["group_name"], strict=True)
    )  # Word and Excel: the names
    table.print_columns = [
        table.columns[0],
        *(names[c] + label[len(c) :] for c, label in zip(order, table.columns[1:], strict=False)),
        table.columns[-1],
    ]
    return table


def cooccurrence_table(
    df: pd.DataFrame,
    categories: list[Category],
    themes: list[Theme],
    title: str = "Co-occurrence of behavioural themes",
    allow_provisional: bool = False,
    key: str = "cooccurrence",
) -> Table:
    """Theme x theme: behaviour comments carrying both; the diagonal is the theme's count.

    Columns are numbered (1..k, as the rows) so the matrix fits a manuscript page.
    """
    agreed, suffix, notes = agreed_rows(df, allow_provisional)
    beh = behaviour_rows(agreed, categories)
    order = list(theme_counts(beh, themes).index)
    # Pairs counted over the theme tuples (a comment carries a few of the 14 themes).
    pairs: Counter[tuple[str, str]] = Counter()
    for carried, n in Counter(beh["themes"].tolist()).items():  # each distinct theme tuple once
        for a in carried:
            for b in carried:
                pairs[(a, b)] += n
    data = pd.DataFrame(
        [[pairs[(a, b)] for b in order] for a in order], index=order, columns=order, dtype=int
    )
    by_key = {t.key: t for t in themes}
    rows = [
        [f"{i}. {by_key[k].name}", *[str(v) for v in data.loc[k]]]
        for i, k in enumerate(order, start=1)
    ]
    notes += [
        f"Cells are the number of the {len(beh)} behaviour comments carrying both themes; "
        "the diagonal is the number carrying the theme. Column numbers refer to the rows."
    ]
    return Table(
        key,
        title + suffix,
        ["Theme", *[str(i) for i in range(1, len(order) + 1)]],
        rows,
        data,
        notes,
    )
