"""Report tables by an attribute (site, condition, age group, role, focus group), and the
number of participants beside the number of comments.

Pure pandas, like :mod:`workbench.reports.tables`, over its frame plus two columns:
``participant`` (the participant id of the comment's speaker; linked speakers share one, so a
person who spoke in two groups counts once) and ``value`` (the attribute's value for the
comment's participant or focus group; None where not recorded). ``order`` lists the values
in the order of the columns (or rows); a comment whose value is missing is counted under
"not recorded".

* :func:`themes_by` — per theme and value: behaviour comments carrying the theme (count and
  % of the value's behaviour comments) and participants who raised it at least once (count
  and % of the value's participants).
* :func:`behaviours_by` — per value: effective and ineffective comments (count, row %).
* :func:`categories_by` — per value: comments per category (count, row %), as Tables 1-2.
* :func:`with_participants` — Table 3 with a column "raised by k of n participants".

A participant of a value is one who made at least one of the table's comments (codable, with
an agreed category) while having that value.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import pandas as pd

from workbench.reports.derived import derived
from workbench.reports.tables import (
    Table,
    agreed_rows,
    behaviour_rows,
    percent,
    percent_text,
    theme_counts,
)
from workbench.store.codebook import Category, Theme

NOT_RECORDED = "not recorded"


def _check(df: pd.DataFrame) -> None:
    missing = [c for c in ("participant", "value") if c not in df.columns]
    if missing:
        raise ValueError(
            f"the frame has no {', '.join(missing)} column (see workbench.reports.attributes)"
        )


def _values(df: pd.DataFrame, order: list[str]) -> tuple[pd.DataFrame, list[str]]:
    """The frame with missing values as NOT_RECORDED, and the columns in order (the missing
    last)."""
    values = df["value"]  # vectorised: a loop over 100,000 pandas values costs ~0.2 s per table
    out = df.assign(value=values.where(values.notna() & (values != ""), NOT_RECORDED))
    present = set(out["value"].unique())
    columns = [v for v in order if v in present] + sorted(present - set(order) - {NOT_RECORDED})
    return out, columns + ([NOT_RECORDED] if NOT_RECORDED in present else [])


def _prepared(
    df: pd.DataFrame, order: list[str], allow_provisional: bool
) -> tuple[pd.DataFrame, list[str], str, list[str]]:
    """(agreed rows with their values, the values in order, title suffix, notes); derived
    once per frame, so the tables by one attribute share their behaviour comments."""
    _check(df)
    agreed, values, suffix, notes = derived(
        df,
        ("prepared", tuple(order), allow_provisional),
        lambda: _prepare(df, order, allow_provisional),
    )
    return agreed, list(values), suffix, list(notes)  # lists of their own: callers add notes


def _prepare(
    df: pd.DataFrame, order: list[str], allow_provisional: bool
) -> tuple[pd.DataFrame, list[str], str, list[str]]:
    agreed, suffix, notes = agreed_rows(df, allow_provisional)
    agreed, values = _values(agreed, order)
    return agreed, values, suffix, notes


def _people(df: pd.DataFrame, by: list[str]) -> dict[Hashable, int]:
    """Distinct participants per ``by`` key (rows with no participant left out)."""
    known = df[df["participant"].notna()]
    if known.empty:
        return {}
    return known.drop_duplicates([*by, "participant"]).groupby(by).size().to_dict()


def themes_by(
    df: pd.DataFrame,
    categories: list[Category],
    themes: list[Theme],
    label: str,
    order: list[str],
    title: str | None = None,
    allow_provisional: bool = False,
    key: str = "themes_by_attribute",
) -> Table:
    """Themes x values of an attribute: comments carrying each theme and participants raising it."""
    agreed, columns, suffix, notes = _prepared(df, order, allow_provisional)
    beh = behaviour_rows(agreed, categories)
    overall = theme_counts(beh, themes)
    beh_n = beh["value"].value_counts().to_dict()
    people = _people(agreed, ["value"])
    everyone = int(agreed["participant"].dropna().nunique())
    long = (
        beh[["value", "participant", "polarity", "themes"]]
        .explode("themes")
        .dropna(subset=["themes"])
    )
    cells = long.groupby(["themes", "value", "polarity"]).size().to_dict()
    raised = _people(long, ["themes", "value"])
    raised_all = _people(long, ["themes"])
    by_key = {t.key: t for t in themes}
    records = []
    for theme in overall.index:
        rec = {"key": theme, "theme": by_key[theme].name}
        for v in columns:
            rec[f"{v}_effective"] = int(cells.get((theme, v, "effective"), 0))
            rec[f"{v}_ineffective"] = int(cells.get((theme, v, "ineffective"), 0))
            rec[v] = rec[f"{v}_effective"] + rec[f"{v}_ineffective"]
            rec[f"{v}_participants"] = int(raised.get((theme, v), 0))
        rec["total"] = int(overall.loc[theme, "comments"])
        rec["total_participants"] = int(raised_all.get(theme, 0))
        records.append(rec)
    data = pd.DataFrame(records)
    heads = ["Theme"]
    for v in columns:
        heads += [
            f"{v}: comments (n={int(beh_n.get(v, 0))})",
            f"{v}: participants (n={int(people.get(v, 0))})",
        ]
    heads += [f"Total: comments (n={len(beh)})", f"Total: participants (n={everyone})"]
    rows = []
    for rec in records:
        row = [rec["theme"]]
        for v in columns:
            row += [
                f"{rec[v]} ({percent_text(rec[v], int(beh_n.get(v, 0)))})",
                f"{rec[f'{v}_participants']} "
                f"({percent_text(rec[f'{v}_participants'], int(people.get(v, 0)))})",
            ]
        row += [
            f"{rec['total']} ({percent_text(rec['total'], len(beh))})",
            f"{rec['total_participants']} ({percent_text(rec['total_participants'], everyone)})",
        ]
        rows.append(row)
    notes += [
        f"Comments: behaviour comments carrying the theme and, in brackets, their share of that "
        f"{label} value's behaviour comments (n). Participants: people who raised the theme at "
        "least "
        f"once and their share of the participants with that value who made a comment (n); a "
        "person "
        "linked across focus groups counts once. The effective/ineffective split of every cell is "
        "in "
        "the numeric data."
    ]
    notes += _missing_note(columns, label)
    return Table(
        key, (title or f"Behavioural themes by {label}") + suffix, heads, rows, data, notes
    )


def behaviours_by(
    df: pd.DataFrame,
    categories: list[Category],
    label: str,
    order: list[str],
    title: str | None = None,
    allow_provisional: bool = False,
    key: str = "behaviours_by_attribute",
) -> Table:
    """Per value: effective and ineffective behaviour comments, count (row %), and participants."""
    agreed, values, suffix, notes = _prepared(df, order, allow_provisional)
    beh = behaviour_rows(agreed, categories)
    counts = beh.groupby(["value", "polarity"]).size().to_dict()
    people = _people(beh, ["value", "polarity"])
    people_any = _people(beh, ["value"])
    records = [
        _behaviour_row(
            v,
            int(counts.get((v, "effective"), 0)),
            int(counts.get((v, "ineffective"), 0)),
            int(people.get((v, "effective"), 0)),
            int(people.get((v, "ineffective"), 0)),
            int(people_any.get(v, 0)),
        )
        for v in values
    ]
    total = beh["polarity"].value_counts()
    records.append(
        _behaviour_row(
            "Total",
            int(total.get("effective", 0)),
            int(total.get("ineffective", 0)),
            _count_people(beh, "effective"),
            _count_people(beh, "ineffective"),
            int(beh["participant"].dropna().nunique()),
        )
    )
    data = pd.DataFrame(records)
    rows = [
        [
            r["value"],
            f"{r['effective']} ({percent_text(r['effective'], r['n'])})",
            f"{r['ineffective']} ({percent_text(r['ineffective'], r['n'])})",
            str(r["n"]),
            f"{r['participants_effective']} / {r['participants_ineffective']} of "
            f"{r['participants']}",
        ]
        for r in records
    ]
    notes += [
        f"Behaviour comments (mapped to effective or ineffective behaviours) per {label} value "
        "and, "
        "in brackets, their share of the row (n). Participants: people with that value who made an "
        "effective / an ineffective behaviour comment, of those who made any."
    ]
    notes += _missing_note(values, label)
    return Table(
        key,
        (title or f"Effective and ineffective behaviours by {label}, count (row %)") + suffix,
        [label.capitalize(), "Effective", "Ineffective", "n", "Participants (eff. / ineff. of n)"],
        rows,
        data,
        notes,
    )


def _behaviour_row(
    value: str, eff: int, ineff: int, people_eff: int, people_ineff: int, people: int
) -> dict[str, Any]:
    return {
        "value": value,
        "effective": eff,
        "ineffective": ineff,
        "n": eff + ineff,
        "effective_pct": percent(eff, eff + ineff) if eff + ineff else None,
        "participants_effective": people_eff,
        "participants_ineffective": people_ineff,
        "participants": people,
    }


def _count_people(beh: pd.DataFrame, polarity: str) -> int:
    return int(beh.loc[beh["polarity"] == polarity, "participant"].dropna().nunique())


def categories_by(
    df: pd.DataFrame,
    categories: list[Category],
    label: str,
    order: list[str],
    title: str | None = None,
    allow_provisional: bool = False,
    key: str = "categories_by_attribute",
) -> Table:
    """Per value: comments per category, count (row %), n and participants (Tables 1-2 by value)."""
    agreed, values, suffix, notes = _prepared(df, order, allow_provisional)
    keys = [c.key for c in categories]
    counts = (
        pd.crosstab(agreed["value"], agreed["category"])
        .reindex(index=values, columns=keys, fill_value=0)
        .astype(int)
    )
    people = _people(agreed, ["value"])
    data = pd.DataFrame({"value": values})
    for k in keys:
        data[k] = counts[k].to_numpy()
    data["n"] = counts.sum(axis=1).to_numpy()
    data["participants"] = [int(people.get(v, 0)) for v in values]
    total = {
        "value": "Total",
        **{k: int(data[k].sum()) for k in keys},
        "n": int(data["n"].sum()),
        "participants": int(agreed["participant"].dropna().nunique()),
    }
    data = pd.concat([data, pd.DataFrame([total])], ignore_index=True)
    for k in keys:
        data[f"{k}_pct"] = [
            percent(c, n) if n else None for c, n in zip(data[k], data["n"], strict=True)
        ]
    rows = [
        [
            r["value"],
            *[f"{r[k]} ({percent_text(r[k], r['n'])})" for k in keys],
            str(r["n"]),
            str(r["participants"]),
        ]
        for _, r in data.iterrows()
    ]
    notes += [
        f"Comments per category for each {label} value and, in brackets, their share of the row "
        "(n); "
        "Participants: people with that value who made a comment (a person linked across focus "
        "groups "
        "counts once)."
    ]
    notes += _missing_note(values, label)
    names = [c.name for c in categories]
    return Table(
        key,
        (title or f"Comments by category and {label}, count (row %)") + suffix,
        [label.capitalize(), *names, "n", "Participants"],
        rows,
        data,
        notes,
    )


def _missing_note(values: list[str], label: str) -> list[str]:
    if NOT_RECORDED in values:
        return [
            f"'{NOT_RECORDED}': comments whose speaker (or focus group) has no {label} recorded, "
            "or whose speaker is unknown."
        ]
    return []


def with_participants(
    table: Table,
    df: pd.DataFrame,
    categories: list[Category],
    allow_provisional: bool = False,
) -> Table:
    """Table 3 with a column: participants who raised each theme at least once, of all the
    participants who made a comment ("raised by 9 of 39 participants")."""
    if "participant" not in df.columns:
        raise ValueError("the frame has no participant column (see workbench.reports.attributes)")
    agreed, _, _ = agreed_rows(df, allow_provisional)
    beh = behaviour_rows(agreed, categories)
    everyone = int(agreed["participant"].dropna().nunique())
    long = beh[["participant", "themes"]].explode("themes").dropna(subset=["themes"])
    raised = _people(long, ["themes"])
    data = table.data.copy()
    data["participants"] = [int(raised.get(k, 0)) for k in data["key"]]
    data["participants_of"] = everyone
    rows = [
        [*row, f"{n} of {everyone} ({percent_text(n, everyone)})"]
        for row, n in zip(table.rows, data["participants"], strict=True)
    ]
    notes = [
        *table.notes,
        f"Participants: people who raised the theme in at least one behaviour comment, "
        f"of the {everyone} participants who made a comment; a person linked across focus "
        "groups counts once.",
    ]
    return Table(
        table.key, table.title, [*table.columns, "Participants"], rows, data, notes, table.number
    )
