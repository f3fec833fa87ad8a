"""Reports from a project: which tables, from which coding, and a record of each run.

Tables are computed (by :mod:`workbench.reports.tables`) from the agreed coding, or from one
coder's coding for audit. Every run is saved in the project with its parameters, the
time, and a fingerprint of the coding it was computed from, so a number cited in a
manuscript can be traced to the coding that produced it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.coding.coder import coding_of
from workbench.errors import WorkbenchError
from workbench.project.lifecycle import active_codebook
from workbench.store import Store, default_actor

if TYPE_CHECKING:  # pandas is imported when a report is built, not with the module
    import pandas as pd

    from workbench.output import Output
    from workbench.project.where import Where
    from workbench.reports.tables import Table

TABLES = ("categories", "themes", "exemplars", "roles", "groups", "cooccurrence")
# Tables asked for by name only, not part of --all: a theme's comments (one table per theme).
ON_REQUEST = ("theme-quotes", "behaviours")
FORMATS = ("md", "csv", "xlsx", "docx", "tex", "html", "json")


def coding_source(store: Store, coder: str | None = None) -> dict[str, Any]:
    """The coder whose coding a report reads: the agreed coding unless ``coder`` is given."""
    return coding_of(store, coder, "there is no agreed coding yet", "--coder NAME reports one coder")


def codebook_cited(store: Store, coder: str) -> str:
    """The codebook a report's coding was made with: 'Coproduction of healthcare, version 1.1'."""
    from workbench.project.versions import cite, versions_used

    book = active_codebook(store)
    return f"{book['name']}, {cite(versions_used(store, coder)) or 'version ' + book['version']}"


def frame(store: Store, coder: dict[str, Any]) -> pd.DataFrame:
    """The coding as the DataFrame :mod:`workbench.reports.tables` expects (one row per codable comment)."""
    import pandas as pd

    names, rows = store.coding_table(coder["id"])
    columns = ["ref", "group_code", "group_name", "group_kind", "group_position", "speaker", "role",
               "participant", "category", "themes", "exemplar", "text"]
    return pd.DataFrame.from_records(rows, columns=names)[columns]


def fingerprint(df: pd.DataFrame) -> str:
    """SHA-256 of the coding a table reads: every comment's ref, category and themes."""
    pairs = list(zip(df["category"].tolist(), df["themes"].tolist(), strict=True))
    tails = {p: f"\t{p[0] or ''}\t{','.join(p[1])}\n" for p in set(pairs)}  # a few hundred
    return hashlib.sha256("".join([f"{ref}{tails[p]}" for ref, p in zip(df["ref"].tolist(), pairs, strict=True)])
                          .encode()).hexdigest()


def build(store: Store, names: list[str], coder: str | None = None, provisional: bool = False,
          groups: list[str] | None = None, all_quotes: bool = False,
          quote_themes: list[str] | None = None, by: str | None = None, where: Where | None = None,
          participants: bool = False, attributes: bool = False,
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
        raise WorkbenchError(f"unknown table(s) {', '.join(unknown)}; choose from {', '.join(TABLES + ON_REQUEST)}")
    asked_names = list(names)
    source = coding_source(store, coder)
    df = frame(store, source)
    if df.empty:
        raise WorkbenchError("the project has no codable comments yet; import transcripts first")
    df = AR.narrowed(store, df, where)
    categories, themes = store.categories(), store.themes()
    whose = "" if source["kind"] == "agreed" else f" (coder {source['name']})"
    whose += f" ({where})" if where else ""
    built: list[Table] = []
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
                _build_each(store, df, [name], categories, themes, groups, provisional, all_quotes,
                            whose, built)
        if attributes:
            built += AR.every_attribute(store, df, categories, themes, provisional)
    except T.NotAgreedError as exc:
        if source["kind"] == "agreed":
            raise
        shown = ", ".join(exc.refs[:5]) + (", ..." if exc.count > 5 else "")
        raise WorkbenchError(f"{source['name']} has not coded {exc.count} comment(s) yet ({shown}); "
                             "code them, or ask for a provisional table (--provisional) that leaves "
                             "them out") from None
    if participants:
        from workbench.reports.attributes import with_participants

        built = [with_participants(t, df, categories, provisional) if t.key == "themes" else t
                 for t in built]
    for table in built:
        table.title += whose
    asked: dict[str, Any] = {"by": by} if by else {}
    asked.update({"where": str(where)} if where else {})
    asked.update({"participants": True} if participants else {})
    record = {
        "tables": asked_names,
        "parameters": {"coder": source["name"], "codebook": codebook_cited(store, source["name"]),
                       "provisional": provisional, "groups": groups, "all_quotes": all_quotes,
                       **({"themes": quote_themes} if quote_themes else {}), **asked},
        "fingerprint": fingerprint(df),
        "comments": len(df),
        "not_agreed": len(T.unagreed(df)),
    }
    return built, record


def _build_each(store: Store, df: pd.DataFrame, names: list[str], categories: list[dict[str, Any]],
                themes: list[dict[str, Any]], groups: list[str] | None, provisional: bool,
                all_quotes: bool, whose: str, built: list[Table]) -> None:
    from workbench.reports import tables as T

    for name in names:
        if name == "categories":
            built += _category_tables(store, df, categories, groups, provisional)
        elif name == "themes":
            built.append(T.theme_table(df, categories, themes, allow_provisional=provisional))
        elif name == "exemplars":
            built.append(T.exemplar_table(df, categories, themes, marked_only=not all_quotes,
                                          allow_provisional=provisional))
        elif name == "roles":
            built.append(T.theme_by_role_table(df, categories, themes, allow_provisional=provisional))
        elif name == "groups":
            built.append(T.theme_by_group_table(df, categories, themes, allow_provisional=provisional))
        else:
            built.append(T.cooccurrence_table(df, categories, themes, allow_provisional=provisional))


def _category_tables(store: Store, df: pd.DataFrame, categories: list[dict[str, Any]],
                     groups: list[str] | None, provisional: bool) -> list[Table]:
    """Study Tables 1 and 2: the individual and the multi-stakeholder groups, each its own table."""
    from workbench.reports import tables as T

    if groups:
        return [T.category_table(df, categories, groups, allow_provisional=provisional)]

    kinds = {"individual": "individual stakeholder groups", "multi": "multi-stakeholder groups"}
    out = []
    all_groups = store.groups()
    for kind, label in kinds.items():
        codes = [g["code"] for g in all_groups if g["kind"] == kind]
        if codes:
            title = f"Comments by category in the {label}, count (row %)"
            out.append(T.category_table(df, categories, codes, title=title, allow_provisional=provisional,
                                        key=f"categories_{kind}"))
    rest = [g["code"] for g in all_groups if g["kind"] not in kinds]
    if rest or not out:
        out.append(T.category_table(df, categories, rest or None, allow_provisional=provisional))
    return out


def save_run(store: Store, tables: list[Table], record: dict[str, Any],
             outputs: list[str] | None = None, actor: str | None = None) -> int:
    """Store a report run: what was computed, from which coding, and every number shown."""
    from workbench.reports.exports import table_dict

    results = [table_dict(t) for t in tables]
    book = active_codebook(store)
    with store.transaction():
        run_id = store.add_report_run(
            actor or default_actor(), record["tables"], record["parameters"], record["fingerprint"],
            book["sha256"], results, outputs or [],
        )
        store.audit("report", "report_run", str(run_id), after={
            "tables": record["tables"], "fingerprint": record["fingerprint"], "outputs": outputs or []},
            actor=actor)
    return run_id


def export(tables: list[Table], out: str | Path, fmt: str | None = None,
           output: Output | None = None) -> Path:
    """Write ``tables`` to ``out`` (see :func:`workbench.reports.exports.write` and :mod:`workbench.output`)."""
    from workbench.reports.exports import write

    return write(tables, out, fmt, output)


def export_all(store: Store, folder: str | Path, coder: str | None = None, provisional: bool = False,
               progress: Callable[[int, int], None] | None = None,
               force: bool = False) -> tuple[list[Path], dict[str, Any]]:
    """Every table in every format, the theme figure (PNG, SVG) and the methods paragraph, into
    ``folder`` (made if missing). All or nothing, by the rule of :mod:`workbench.output`: every
    file is checked before any is written (a file there that this project did not write is
    refused unless ``force``), and the files replace the old ones only once all are written."""
    from workbench.output import OutputError, for_project
    from workbench.reports.exports import writer
    from workbench.reports.figures import chart_writer
    from workbench.reports.methods import methods_paragraph

    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"--out {folder}: not a folder; --all writes a folder of files")
    tables, record = build(store, list(TABLES), coder, provisional, attributes=True)
    theme = next(t for t in tables if t.key == "themes")
    steps = len(FORMATS) + 3
    done = [0]

    def step(write: Callable[[Path], object]) -> Callable[[Path], None]:
        def run(path: Path) -> None:
            write(path)
            done[0] += 1
            if progress:
                progress(done[0], steps)
        return run

    made = not folder.exists()
    folder.mkdir(parents=True, exist_ok=True)
    output = for_project(store, force)
    written: list[Path] = []
    try:
        for fmt in FORMATS:
            written.append(folder / f"tables.{fmt}")
            output.add(written[-1], step(writer(tables, written[-1], fmt)))
        for fmt in ("png", "svg"):
            written.append(folder / f"themes.{fmt}")
            output.add(written[-1], step(chart_writer(theme, written[-1], fmt)))
        text = methods_paragraph(store) + "\n"
        written.append(folder / "methods.md")
        output.add(written[-1], step(lambda p: p.write_text(text, encoding="utf-8")))
        for path, write in _log_writers(store, folder):  # the reconciliation log, once there is one
            written.append(path)
            output.add(path, write)
        output.commit()
    except BaseException:
        if made:
            folder.rmdir()  # nothing was put in the folder this call made
        raise
    record["run"] = save_run(store, tables, record, [str(p) for p in written])
    return written, record


def _log_writers(store: Store, folder: Path) -> list[tuple[Path, Callable[[Path], None]]]:
    """(path, write) of the reconciliation log in each of its formats; none before any decision."""
    from workbench.reconcile.log import reconciliation_log
    from workbench.reports.reconciliation_log import FORMATS as LOG_FORMATS
    from workbench.reports.reconciliation_log import log_writer

    entries = reconciliation_log(store) if store.reconciliations() else []
    return [(folder / f"reconciliation-log.{fmt}",
             log_writer(store, folder / f"reconciliation-log.{fmt}", fmt, entries))
            for fmt in LOG_FORMATS] if entries else []


def history(store: Store) -> list[dict[str, Any]]:
    return store.report_runs()

