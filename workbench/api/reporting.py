"""The scripting API's reports: tables computed, written and recorded, and every table at once
(re-exported by :mod:`workbench.api`)."""

from __future__ import annotations

from pathlib import Path

from workbench.reports.runs import TABLES
from workbench.store import Store


def tables(
    project: Store,
    names: list[str] | tuple[str, ...] = TABLES,
    *,
    coder: str | None = None,
    provisional: bool = False,
    groups: list[str] | None = None,
    all_quotes: bool = False,
    themes: list[str] | None = None,
    by: str | None = None,
    where: list[str] | None = None,
    participants: bool = False,
) -> list:
    """Compute report tables (not recorded: see :func:`write_report`); each has ``.rows`` and ``.data``.
    ``"theme-quotes"`` is one table per theme (``themes``: which, by key or name; default all).
    ``by``: themes, behaviours and categories by an attribute; ``where``: conditions such as
    ``["condition=CF"]``; ``participants``: Table 3 with the participants who raised each theme."""
    from workbench.project.where import parse
    from workbench.reports.writing import ReportRequest, build_report

    request = ReportRequest(
        tuple(names),
        coder,
        provisional,
        _tuple(groups),
        all_quotes,
        _tuple(themes),
        by,
        parse(project, where or []),
        participants,
    )
    return build_report(project, request).tables


def _tuple(items: list[str] | None) -> tuple[str, ...] | None:
    return None if items is None else tuple(items)


def write_report(
    project: Store,
    names: list[str] | tuple[str, ...],
    out: str | Path,
    *,
    fmt: str | None = None,
    coder: str | None = None,
    provisional: bool = False,
    groups: list[str] | None = None,
    all_quotes: bool = False,
    themes: list[str] | None = None,
    force: bool = False,
) -> int:
    """Write tables to ``out`` (format from the suffix or ``fmt``) and record the run; its id.
    ``out`` is never the project, nor a file there that the project did not write, unless ``force``."""
    from workbench.output import for_project
    from workbench.reports.writing import ReportRequest
    from workbench.reports.writing import write_report as write

    request = ReportRequest(
        tuple(names), coder, provisional, _tuple(groups), all_quotes, _tuple(themes), format=fmt
    )
    return write(project, request, out, for_project(project, force)).run


def write_all(
    project: Store,
    folder: str | Path,
    *,
    coder: str | None = None,
    provisional: bool = False,
    force: bool = False,
) -> list[Path]:
    """Every table in every format, the theme figure and the methods paragraph (`report --all`)."""
    from workbench.reports.writing import write_all as write

    return [Path(p) for p in write(project, folder, coder, provisional, force=force).outputs]
