"""Reports from a project: which tables, from which coding, and a record of each run.

Tables are computed (by :mod:`workbench.reports.tables`) from the agreed coding, or from one
coder's coding for audit. Every run is saved in the project with its parameters, the
time, and a fingerprint of the coding it was computed from, so a number cited in a
manuscript can be traced to the coding that produced it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.coding.coder import coding_of
from workbench.errors import WorkbenchError
from workbench.project.lifecycle import active_codebook
from workbench.store import Store, default_actor
from workbench.store.coding_records import Coder

if TYPE_CHECKING:  # pandas is imported when a report is built, not with the module
    import pandas as pd

    from workbench.output import Output
    from workbench.project.where import Where
    from workbench.reports.tables import Table
    from workbench.store.codebook import Category, Theme

TABLES = ("categories", "themes", "exemplars", "roles", "groups", "cooccurrence")
# Tables asked for by name only, not part of --all: a theme's comments (one table per theme).
ON_REQUEST = ("theme-quotes", "behaviours")
FORMATS = ("md", "csv", "xlsx", "docx", "tex", "html", "json")


def coding_source(store: Store, coder: str | None = None) -> Coder:
    """The coder whose coding a report reads: the agreed coding unless ``coder`` is given."""
    return coding_of(
        store, coder, "there is no agreed coding yet", "--coder NAME reports one coder"
    )


def codebook_cited(store: Store, coder: str) -> str:
    """The codebook a report's coding was made with: 'Coproduction of healthcare, version 1.1'."""
    from workbench.project.versions import cite, versions_used

    book = active_codebook(store)
    return f"{book['name']}, {cite(versions_used(store, coder)) or 'version ' + book['version']}"


def frame(store: Store, coder: Coder) -> pd.DataFrame:
    """The coding as the DataFrame :mod:`workbench.reports.tables` expects (one row per codable comment)."""
    import pandas as pd

    names, rows = store.coding_table(coder.id)
    columns = [
        "ref",
        "group_code",
        "group_name",
        "group_kind",
        "group_position",
        "speaker",
        "role",
        "participant",
        "category",
        "themes",
        "exemplar",
        "text",
    ]
    return pd.DataFrame.from_records(rows, columns=names)[columns]


def fingerprint(df: pd.DataFrame) -> str:
    """SHA-256 of the coding a table reads: every comment's ref, category and themes."""
    pairs = list(zip(df["category"].tolist(), df["themes"].tolist(), strict=True))
    tails = {p: f"\t{p[0] or ''}\t{','.join(p[1])}\n" for p in set(pairs)}  # a few hundred
    return hashlib.sha256(
        "".join(
            [f"{ref}{tails[p]}" for ref, p in zip(df["ref"].tolist(), pairs, strict=True)]
        ).encode()
    ).hexdigest()


def build(
    store: Store,
    names: list[str],
    coder: str | None = None,
    provisional: bool = False,
    groups: list[str] | None = None,
    all_quotes: bool = False,
    quote_themes: list[str] | None = None,
    by: str | None = None,
    where: Where | None = None,
    participants: bool = False,
    attributes: bool = False,
) -> tuple[list[Table], dict[str, Any]]:
    """Compute the named tables; return them and the run's record (saved with :func:`save_run`).
    ``quote_themes``: the themes (keys or names) of ``theme-quotes``, default every theme.
    ``by``: the themes, behaviours and categories tables by an attribute; ``where``: only the
    comments meeting it (a ``workbench.project.where.Where``); ``participants``: Table 3 with
    the participants who raised each theme; ``attributes``: also the tables by every declared
    attribute (``--all``; :mod:`workbench.reports.attribute_runs`)."""
    from workbench.reports import attribute_runs as AR
    from workbench.reports import tables as T

    unknown = [n for n in names if n not in TABLES + ON_REQUEST]
    if unknown:
        raise WorkbenchError(
            f"unknown table(s) {', '.join(unknown)}; choose from {', '.join(TABLES + ON_REQUEST)}"
        )
    asked_names = list(names)
    source = coding_source(store, coder)
    df = frame(store, source)
    if df.empty:
        raise WorkbenchError("the project has no codable comments yet; import transcripts first")
    df = AR.narrowed(store, df, where)
    categories, themes = store.categories(), store.themes()
    whose = "" if source.kind == "agreed" else f" (coder {source.name})"
    whose += f" ({where})" if where else ""
    built: list[Table] = []
    shared = TableInputs(store, df, categories, themes, provisional, groups, all_quotes)
    try:
        if by:
            built += AR.by_tables(store, df, names, by, categories, themes, provisional)
            names = []
        for name in names:
            if name == "behaviours":
                built += AR.by_tables(store, df, [name], "group", categories, themes, provisional)
            elif name == "theme-quotes":
                from workbench.reports.quotes import quote_tables

                built += quote_tables(df, categories, themes, quote_themes, provisional)
            else:
                built += tables_named(shared, name)
        if attributes:
            built += AR.every_attribute(store, df, categories, themes, provisional)
    except T.NotAgreedError as exc:
        if source.kind == "agreed":
            raise
        shown = ", ".join(exc.refs[:5]) + (", ..." if exc.count > 5 else "")
        raise WorkbenchError(
            f"{source.name} has not coded {exc.count} comment(s) yet ({shown}); "
            "code them, or ask for a provisional table (--provisional) that leaves "
            "them out"
        ) from None
    if participants:
        from workbench.reports.attributes import with_participants

        built = [
            with_participants(t, df, categories, provisional) if t.key == "themes" else t
            for t in built
        ]
    for table in built:
        table.title += whose
    asked: dict[str, Any] = {"by": by} if by else {}
    asked.update({"where": str(where)} if where else {})
    asked.update({"participants": True} if participants else {})
    record = {
        "tables": asked_names,
        "parameters": {
            "coder": source.name,
            "codebook": codebook_cited(store, source.name),
            "provisional": provisional,
            "groups": groups,
            "all_quotes": all_quotes,
            **({"themes": quote_themes} if quote_themes else {}),
            **asked,
        },
        "fingerprint": fingerprint(df),
        "comments": len(df),
        "not_agreed": len(T.unagreed(df)),
    }
    return built, record


@dataclass(frozen=True)
class TableInputs:
    """What the study's tables share: the coding's frame, the codebook, and the options."""

    store: Store
    df: pd.DataFrame
    categories: list[Category]
    themes: list[Theme]
    provisional: bool = False
    groups: list[str] | None = None
    all_quotes: bool = False


def tables_named(inputs: TableInputs, name: str) -> list[Table]:
    """The table(s) ``name`` of :data:`TABLES` (``categories`` is two: Tables 1 and 2)."""
    from workbench.reports import crosstabs as X
    from workbench.reports import tables as T

    df, categories, themes = inputs.df, inputs.categories, inputs.themes
    provisional = inputs.provisional
    if name == "categories":
        return _category_tables(inputs.store, df, categories, inputs.groups, provisional)
    if name == "themes":
        return [T.theme_table(df, categories, themes, allow_provisional=provisional)]
    if name == "exemplars":
        return [
            T.exemplar_table(
                df,
                categories,
                themes,
                marked_only=not inputs.all_quotes,
                allow_provisional=provisional,
            )
        ]
    if name == "roles":
        return [X.theme_by_role_table(df, categories, themes, allow_provisional=provisional)]
    if name == "groups":
        return [X.theme_by_group_table(df, categories, themes, allow_provisional=provisional)]
    return [X.cooccurrence_table(df, categories, themes, allow_provisional=provisional)]


def _category_tables(
    store: Store,
    df: pd.DataFrame,
    categories: list[Category],
    groups: list[str] | None,
    provisional: bool,
) -> list[Table]:
    """Study Tables 1 and 2: the individual and the multi-stakeholder groups, each its own table."""
    from workbench.reports import tables as T

    if groups:
        return [T.category_table(df, categories, groups, allow_provisional=provisional)]

    kinds = {"individual": "individual stakeholder groups", "multi": "multi-stakeholder groups"}
    out = []
    all_groups = store.groups()
    for kind, label in kinds.items():
        codes = [g.code for g in all_groups if g.kind == kind]
        if codes:
            title = f"Comments by category in the {label}, count (row %)"
            out.append(
                T.category_table(
                    df,
                    categories,
                    codes,
                    title=title,
                    allow_provisional=provisional,
                    key=f"categories_{kind}",
                )
            )
    rest = [g.code for g in all_groups if g.kind not in kinds]
    if rest or not out:
        out.append(T.category_table(df, categories, rest or None, allow_provisional=provisional))
    return out


def save_run(
    store: Store,
    tables: list[Table],
    record: dict[str, Any],
    outputs: list[str] | None = None,
    actor: str | None = None,
) -> int:
    """Store a report run: what was computed, from which coding, and every number shown."""
    from workbench.reports.exports import table_dict

    results = [table_dict(t) for t in tables]
    book = active_codebook(store)
    with store.transaction():
        run_id = store.add_report_run(
            actor or default_actor(),
            record["tables"],
            record["parameters"],
            record["fingerprint"],
            book["sha256"],
            results,
            outputs or [],
        )
        store.audit(
            "report",
            "report_run",
            str(run_id),
            after={
                "tables": record["tables"],
                "fingerprint": record["fingerprint"],
                "outputs": outputs or [],
            },
            actor=actor,
        )
    return run_id


def export(
    tables: list[Table], out: str | Path, fmt: str | None = None, output: Output | None = None
) -> Path:
    """Write ``tables`` to ``out`` (see :func:`workbench.reports.exports.write` and :mod:`workbench.output`)."""
    from workbench.reports.exports import write

    return write(tables, out, fmt, output)


def history(store: Store) -> list[dict[str, Any]]:
    return store.report_runs()
