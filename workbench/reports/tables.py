"""Report tables computed from the agreed coding (the study's Tables 1-4 and more).

Pure functions: no database, no UI, no files. Each takes a pandas DataFrame of the agreed
coding (one row per codable comment, in transcript order) with columns

    ref, group_code, group_name, group_kind, group_position, speaker, role,
    category (key or None when not yet agreed), themes (tuple of keys), exemplar, text

and the codebook's records in codebook order (:class:`~workbench.store.codebook.Category`,
:class:`~workbench.store.codebook.Theme`), and returns a :class:`Table` holding both the
display strings and the numbers behind them, ready for :mod:`workbench.reports.exports`.

Reports are computed from the data, never copied: the study's own text says the effective
share "ranged from 67% to 93%" while its table has 58%, a slip the notes here cannot make.

Tables must come from the *agreed* coding. A comment without an agreed category makes every
table wrong, so each function raises :class:`NotAgreedError` unless the caller explicitly
accepts a provisional table (``allow_provisional=True``), which is then titled and noted so.

Per-coder tables (e.g. to show analysts where they differ) need no code of their own: pass
a frame built from one coder's coding under the same contract. Themes by role, by group and
their co-occurrence are :mod:`workbench.reports.crosstabs`.
"""

from __future__ import annotations

import operator
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, SupportsIndex

import pandas as pd

from workbench.errors import WorkbenchError
from workbench.reports.derived import derived
from workbench.store.codebook import Category, Theme

DASH = "–"  # shown for a percentage of nothing


@dataclass
class Table:
    """One report table: display strings for manuscripts plus the numbers behind them."""

    key: str  # stable short name: file/sheet names, LaTeX labels
    title: str
    columns: list[str]
    rows: list[list[str]]
    data: pd.DataFrame  # the numeric table (counts, percentages as ints)
    notes: list[str] = field(default_factory=list)
    number: int | None = None  # "Table 3." in exports; None lets the exporter number it
    # Headers for a page (Word, Excel) where they differ from the compact ones on screen and
    # in text formats (group names for group codes).
    print_columns: list[str] | None = None

    def heading(self, number: int | None = None) -> str:
        """'Table 3. Title' when numbered, else the bare title."""
        n = self.number or number
        return f"Table {n}. {self.title}" if n else self.title

    def as_dict(self, number: int | None = None) -> dict[str, Any]:
        """The table as JSON-ready data (``--format json``, report runs): the display strings,
        and the numeric frame as pandas' 'split' orientation."""
        import json

        return {
            "key": self.key,
            "title": self.title,
            "heading": self.heading(number),
            "columns": self.columns,
            "rows": self.rows,
            "notes": self.notes,
            "data": json.loads(self.data.to_json(orient="split", force_ascii=False)),
        }

    @property
    def align(self) -> list[str]:
        """'l' or 'r' per column: numeric columns (every cell starts with a digit) go right."""
        out = []
        for j in range(len(self.columns)):
            cells = [r[j] for r in self.rows if r[j]]
            numeric = j > 0 and cells and all(c[0].isdigit() or c == DASH for c in cells)
            out.append("r" if numeric else "l")
        return out


class NotAgreedError(WorkbenchError, ValueError):
    """Some comments have no agreed category yet, so a final table would be wrong."""

    def __init__(self, refs: list[str]):
        self.refs = list(refs)
        self.count = len(self.refs)
        shown = ", ".join(self.refs[:5]) + (", ..." if self.count > 5 else "")
        super().__init__(
            f"{self.count} comment(s) have no agreed category yet ({shown}); reconcile them "
            "first, or ask for a provisional table that excludes them"
        )


def percent(numerator: SupportsIndex, denominator: SupportsIndex) -> int:
    """Whole percentage rounded half up (62.5 -> 63), exactly, in integer arithmetic.

    Python's round() rounds half to even (62.5 -> 62) and floats cannot represent most
    shares exactly, so neither matches the study's printed numbers.
    """
    num, den = operator.index(numerator), operator.index(denominator)
    if num < 0 or den <= 0:
        raise ValueError(f"percent({num}, {den}): need a count >= 0 of a positive total")
    return (200 * num + den) // (2 * den)


def percent_text(num: int, den: int) -> str:
    """The share as a table shows it: '58%' (rounded half up), or a dash for a share of nothing."""
    return f"{percent(num, den)}%" if den else DASH


def unagreed(df: pd.DataFrame) -> list[str]:
    """Refs of comments with no agreed category, in transcript order."""
    return df.loc[df["category"].isna(), "ref"].astype(str).tolist()


def agreed_rows(df: pd.DataFrame, allow_provisional: bool) -> tuple[pd.DataFrame, str, list[str]]:
    """(agreed rows, title suffix, notes), or NotAgreedError when some are not agreed."""
    missing = unagreed(df)
    if not missing:
        return df, "", []
    if not allow_provisional:
        raise NotAgreedError(missing)
    note = (
        f"Provisional: {len(missing)} comment(s) had no agreed category yet and are "
        f"excluded (first: {', '.join(missing[:5])})."
    )
    return df[df["category"].notna()], " (provisional)", [note]


def _polarity(categories: list[Category]) -> dict[str, str]:
    """Category key -> polarity, for the behaviour categories (those with a polarity)."""
    return {c.key: c.polarity for c in categories if c.polarity}


def behaviour_rows(df: pd.DataFrame, categories: list[Category]) -> pd.DataFrame:
    """Behaviour comments with a 'polarity' column (derived once per frame: :func:`derived`)."""
    pol = _polarity(categories)
    return derived(df, ("behaviour", tuple(pol.items())), lambda: _behaviour_of(df, pol))


def _behaviour_of(df: pd.DataFrame, pol: dict[str, str]) -> pd.DataFrame:
    out = df[df["category"].isin(list(pol))].copy()
    out["polarity"] = out["category"].map(pol)
    # Tolerate lists or a missing value from callers; the contract says a tuple.
    carried = out["themes"].tolist()
    if set(map(type, carried)) - {tuple}:
        out["themes"] = [tuple(ts) if isinstance(ts, (list, tuple)) else () for ts in carried]
    return out


def theme_counts(beh: pd.DataFrame, themes: list[Theme]) -> pd.DataFrame:
    """Per theme: comments, effective, ineffective; sorted by count desc, ties codebook order."""
    keys = [t.key for t in themes]
    return derived(beh, ("theme counts", tuple(keys)), lambda: _theme_counts_of(beh, keys))


def _theme_counts_of(beh: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    # Counted in one pass over the theme tuples: explode + crosstab took 5x as long.
    tally: Counter[tuple[str, str]] = Counter()
    # The distinct (polarity, theme tuple) pairs counted first (a few hundred), then their themes.
    distinct = Counter(zip(beh["polarity"].tolist(), beh["themes"].tolist(), strict=True))
    for (polarity, carried), n in distinct.items():
        for theme in carried:
            tally[(theme, polarity)] += n
    counts = pd.DataFrame(
        {
            "effective": [tally[(k, "effective")] for k in keys],
            "ineffective": [tally[(k, "ineffective")] for k in keys],
        },
        index=keys,
    )
    counts["comments"] = counts["effective"] + counts["ineffective"]
    counts["order"] = range(len(keys))
    counts = counts.sort_values(["comments", "order"], ascending=[False, True])
    counts.index.name, counts.columns.name = "key", None
    return counts.drop(columns="order").astype(int)


def group_rows(df: pd.DataFrame, groups: list[str] | None) -> pd.DataFrame:
    """One row per focus group (code, name), in group_position order, optionally filtered."""
    info = (
        df[["group_code", "group_name", "group_position"]]
        .drop_duplicates("group_code")
        .sort_values("group_position")
    )
    if groups is not None:
        unknown = sorted(set(groups) - set(info["group_code"]))
        if unknown:
            raise ValueError(f"no comments for focus group(s) {', '.join(unknown)}")
        info = info[info["group_code"].isin(groups)]
    return info.reset_index(drop=True)


def category_table(
    df: pd.DataFrame,
    categories: list[Category],
    groups: list[str] | None = None,
    title: str = "Comments by category per focus group, count (row %)",
    allow_provisional: bool = False,
    key: str = "categories",
) -> Table:
    """Study Tables 1-2: per focus group, comments per category as 'count (row %)' and n."""
    info = group_rows(df, groups)
    scoped = df[df["group_code"].isin(info["group_code"])]
    agreed, suffix, notes = agreed_rows(scoped, allow_provisional)
    keys = [c.key for c in categories]
    counts = (
        pd.crosstab(agreed["group_code"], agreed["category"])
        .reindex(index=info["group_code"], columns=keys, fill_value=0)
        .astype(int)
    )
    data = pd.DataFrame({"group_code": info["group_code"], "group": info["group_name"]})
    for k in keys:
        data[k] = counts[k].to_numpy()
    data["n"] = counts.sum(axis=1).to_numpy()
    if len(info) > 1:
        total = {"group_code": "total", "group": "Total", **{k: int(data[k].sum()) for k in keys}}
        total["n"] = int(data["n"].sum())
        data = pd.concat([data, pd.DataFrame([total])], ignore_index=True)
    for k in keys:
        data[f"{k}_pct"] = [
            percent(c, n) if n else None for c, n in zip(data[k], data["n"], strict=True)
        ]
    rows = [
        [r["group"], *[f"{r[k]} ({percent_text(r[k], r['n'])})" for k in keys], str(r["n"])]
        for _, r in data.iterrows()
    ]
    notes += [
        "Cells are the number of comments and, in brackets, their share of the focus "
        "group's comments (n); whole percentages rounded half up, so a row may not sum "
        "to 100."
    ]
    return Table(
        key, title + suffix, ["Focus group", *[c.name for c in categories], "n"], rows, data, notes
    )


def theme_table(
    df: pd.DataFrame,
    categories: list[Category],
    themes: list[Theme],
    title: str = "Behavioural themes: comments carrying each theme and share effective",
    allow_provisional: bool = False,
    key: str = "themes",
) -> Table:
    """Study Table 3: per theme, behaviour comments carrying it and the % that were effective."""
    agreed, suffix, notes = agreed_rows(df, allow_provisional)
    beh = behaviour_rows(agreed, categories)
    counts = theme_counts(beh, themes)
    by_key = {t.key: t for t in themes}
    data = counts.reset_index()
    data.insert(1, "theme", [by_key[k].name for k in data["key"]])
    data.insert(2, "definition", [by_key[k].definition for k in data["key"]])
    data["pct_effective"] = [
        percent(e, n) if n else None
        for e, n in zip(data["effective"], data["comments"], strict=True)
    ]
    rows = [
        [
            r["theme"],
            r["definition"],
            str(r["comments"]),
            percent_text(r["effective"], r["comments"]),
        ]
        for _, r in data.iterrows()
    ]
    n_eff = int((beh["polarity"] == "effective").sum())
    notes += [
        f"{len(beh)} comments were mapped to effective or ineffective behaviours "
        f"({n_eff} effective, {len(beh) - n_eff} ineffective)."
    ]
    shares = data["pct_effective"].dropna()
    if len(shares):
        notes.append(
            f"The share of effective comments per theme ranged from {int(shares.min())}% "
            f"to {int(shares.max())}%."
        )
    if len(beh):
        notes.append(
            "A comment can carry several themes, so the counts add up to more than "
            "the number of behaviour comments. Percentages are rounded half up."
        )
    unthemed = int((beh["themes"].map(len) == 0).sum())
    if unthemed:
        notes.append(f"{unthemed} behaviour comment(s) carry no theme.")
    return Table(
        key, title + suffix, ["Theme", "Definition", "Comments", "% effective"], rows, data, notes
    )


def _role_tag(role: object) -> str:
    return "~" + (str(role) if isinstance(role, str) and role else "unknown")


def exemplar_table(
    df: pd.DataFrame,
    categories: list[Category],
    themes: list[Theme],
    marked_only: bool = True,
    title: str = "Exemplar quotes of effective and ineffective coproduction",
    allow_provisional: bool = False,
    key: str = "exemplars",
) -> Table:
    """Study Table 4: per theme, effective then ineffective quotes, each ending '~ROLE'.

    One row per (theme, quote), so every export format stays a plain grid; a quote with
    several themes appears under each. Themes follow the theme table's order.
    """
    agreed, suffix, notes = agreed_rows(df, allow_provisional)
    every = behaviour_rows(agreed, categories)
    beh = every[every["exemplar"].astype(bool)] if marked_only else every
    order = theme_counts(every, themes).index
    by_key = {t.key: t for t in themes}
    # One explode and group, not a scan of every comment per theme (100,000 comments).
    long = (
        beh[["ref", "role", "text", "polarity", "themes"]]
        .explode("themes")
        .dropna(subset=["themes"])
    )
    by_theme = {key: part for key, part in long.groupby("themes", sort=False)}
    records, missing = [], []
    for theme in order:
        carrying = by_theme.get(theme)
        if carrying is None or carrying.empty:
            missing.append(by_key[theme].name)
            continue
        for polarity in ("effective", "ineffective"):
            part = carrying[carrying["polarity"] == polarity]
            quoted = zip(
                part["ref"].tolist(), part["role"].tolist(), part["text"].tolist(), strict=True
            )
            for ref, role, text in quoted:
                records.append(
                    {
                        "key": theme,
                        "theme": by_key[theme].name,
                        "polarity": polarity,
                        "ref": ref,
                        "role": role,
                        "quote": f"{str(text).strip()} {_role_tag(role)}",
                    }
                )
    data = pd.DataFrame(records, columns=["key", "theme", "polarity", "ref", "role", "quote"])
    rows = [[r["theme"], r["polarity"].capitalize(), r["quote"]] for r in records]
    notes += [
        "Quotes are tagged with the speaker's role after a tilde; a quote can be an "
        "exemplar of several themes."
        + ("" if marked_only else " All behaviour comments are listed.")
    ]
    if missing:
        notes.append("No exemplar for: " + ", ".join(missing) + ".")
    return Table(key, title + suffix, ["Theme", "Behaviour", "Quote"], rows, data, notes)
