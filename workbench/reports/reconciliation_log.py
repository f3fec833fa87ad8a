"""The reconciliation log as a report: Word, Excel, CSV, Markdown or JSON (records), for
``workbench reconcile --log`` and ``report --all`` (``reconcile.log`` builds the entries)."""

from __future__ import annotations

import json
from pathlib import Path

from workbench.reconcile.log import COLUMNS, reconciliation_log, rows
from workbench.store import Store

FORMATS = ("md", "csv", "xlsx", "docx", "json")


def log_table(store: Store, entries=None):
    """The log as a report table (one row per reconciled comment)."""
    import pandas as pd

    from workbench.reports.tables import Table

    entries = reconciliation_log(store) if entries is None else entries
    body = rows(entries)
    decided = sum(1 for e in entries if not e.decision.startswith(("agreed automatically", "deferred")))
    notes = [f"{len(entries)} reconciled comment(s): {decided} decided by the team, "
             f"{sum(1 for e in entries if e.decision.startswith('agreed automatically'))} agreed automatically, "
             f"{sum(1 for e in entries if e.decision == 'deferred')} deferred. Each coder's coding is the one the "
             "decision was made on; a comment changed since says so under decision."]
    return Table("reconciliation_log", "Reconciliation log", list(COLUMNS), body,
                 pd.DataFrame(body, columns=COLUMNS), notes)


def render_json(entries) -> str:
    return json.dumps([e.as_dict() for e in entries], ensure_ascii=False, indent=2) + "\n"


def log_writer(store: Store, path: str | Path, fmt: str | None = None, entries=None):
    """``write(file)`` for :class:`workbench.output.Output`: the log in ``fmt`` (default: by the
    suffix of ``path``); JSON is a list of records."""
    from workbench.reports.exports import format_for, writer

    entries = reconciliation_log(store) if entries is None else entries
    if format_for(path, fmt) == "json":
        text = render_json(entries)
        return lambda target: Path(target).write_text(text, encoding="utf-8")
    return writer(log_table(store, entries), path, fmt)
