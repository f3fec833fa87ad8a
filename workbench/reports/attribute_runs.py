"""Report runs by attribute: the value of an attribute beside each comment, the report frame
narrowed by ``--where``, and the tables by attribute for ``report --by NAME`` and ``--all``.

``by`` is a declared attribute (of participants or of focus groups) or one every project has:
``role`` (the speaker's stakeholder role) and ``group`` (the focus group).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workbench.errors import WorkbenchError
from workbench.store import Store

if TYPE_CHECKING:  # pandas is imported when a report is built, not with the module
    import pandas as pd

    from workbench.project.where import Where
    from workbench.reports.tables import Table
    from workbench.store.codebook import Category, Theme

# Tables that take --by, and the tables by attribute --all adds for every declared attribute.
BY_TABLES = ("themes", "behaviours", "categories")


def with_values(store: Store, df: pd.DataFrame, by: str) -> tuple[pd.DataFrame, str, list[str]]:
    """``df`` with a ``value`` column for ``by``; (frame, label, order of the values)."""
    from workbench.project.attributes import sort_key
    from workbench.reports.crosstabs import role_order

    name = " ".join(by.split())
    if name.lower() == "role":
        return df.assign(value=df["role"]), "role", role_order(df["role"].dropna())
    if name.lower() == "group":
        order = [g.code for g in store.groups()]
        return df.assign(value=df["group_code"]), "focus group", order
    attribute = store.attribute_named(name)
    if attribute is None:
        names = ", ".join(["role", "group", *(a.name for a in store.attributes())])
        raise WorkbenchError(
            f"--by {by!r}: no attribute of that name (choose from {names}); declare "
            "attributes with `workbench participants attribute` or a roster's columns"
        )
    if attribute.scope == "group":
        codes = {g.id: g.code for g in store.groups()}
        by_code = {
            codes[gid]: v[attribute.name]
            for gid, v in store.group_values().items()
            if attribute.name in v
        }
        values = df["group_code"].map(by_code)
    else:
        by_id = {
            pid: v[attribute.name]
            for pid, v in store.participant_values().items()
            if attribute.name in v
        }
        values = df["participant"].map(by_id)
    order = sorted((v for v in values.dropna().unique() if v), key=lambda v: sort_key(attribute, v))
    if attribute.type == "choice":
        order = [c for c in attribute.choices if c in set(order)] + [
            v for v in order if v not in attribute.choices
        ]
    return df.assign(value=values), attribute.name, order


def narrowed(store: Store, df: pd.DataFrame, where: Where | None) -> pd.DataFrame:
    """Only the comments that meet ``where`` (a :class:`workbench.project.where.Where`)."""
    if not where:
        return df
    pairs, codes = where.speakers_and_groups(store)
    keep = [
        (pairs is None or (g, s) in pairs) and (codes is None or g in codes)
        for g, s in zip(df["group_code"].tolist(), df["speaker"].tolist(), strict=True)
    ]
    out = df[keep]
    if out.empty:
        raise WorkbenchError(f"--where {where}: no codable comment meets it")
    return out


def by_tables(
    store: Store,
    df: pd.DataFrame,
    names: list[str],
    by: str,
    categories: list[Category],
    themes: list[Theme],
    provisional: bool,
) -> list[Table]:
    """The tables of ``names`` (themes, behaviours, categories) by ``by``."""
    from workbench.reports import attributes as A

    bad = [n for n in names if n not in BY_TABLES]
    if bad:
        raise WorkbenchError(
            f"--by {by}: only the tables {', '.join(BY_TABLES)} are by an attribute, "
            f"not {', '.join(bad)}; ask for those without --by"
        )
    framed, label, order = with_values(store, df, by)
    key = label.replace(" ", "_")
    out: list[Table] = []
    for name in names:
        if name == "themes":
            out.append(
                A.themes_by(
                    framed,
                    categories,
                    themes,
                    label,
                    order,
                    allow_provisional=provisional,
                    key=f"themes_by_{key}",
                )
            )
        elif name == "behaviours":
            out.append(
                A.behaviours_by(
                    framed,
                    categories,
                    label,
                    order,
                    allow_provisional=provisional,
                    key=f"behaviours_by_{key}",
                )
            )
        else:
            out.append(
                A.categories_by(
                    framed,
                    categories,
                    label,
                    order,
                    allow_provisional=provisional,
                    key=f"categories_by_{key}",
                )
            )
    return out


def every_attribute(
    store: Store,
    df: pd.DataFrame,
    categories: list[Category],
    themes: list[Theme],
    provisional: bool,
) -> list[Table]:
    """For ``--all``: the three tables by each declared attribute, in declaration order."""
    out = []
    for attribute in store.attributes():
        out += by_tables(
            store, df, list(BY_TABLES), attribute.name, categories, themes, provisional
        )
    return out
