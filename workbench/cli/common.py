"""Helpers shared by the command modules: open a project, print JSON, text tables, write-or-echo.

Used by the command modules of ``workbench.cli`` only (the API and the app have their own). Only
``click`` and the standard library load at import; ``run_app`` is the one place the
command line imports ``workbench.ui`` (Textual), and only when a command opens the app.
"""

from __future__ import annotations

import json

import click

FORMATS = click.Choice(["text", "json"])


def open_store(project: str):
    """Open PROJECT; what the opening found (a stale ``-wal`` set aside) is said on stderr."""
    from workbench.store import Store

    store = Store.open(project)
    for notice in store.notices:
        click.echo(f"note: {notice}", err=True)
    return store


def echo_json(data) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def text_table(
    headers: list[str], rows: list[list], right: set[int] | frozenset[int] = frozenset()
) -> str:
    cells = [[str(h) for h in headers]] + [
        ["" if v is None else str(v) for v in row] for row in rows
    ]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = []
    for n, row in enumerate(cells):
        parts = [
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(parts).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def progress_lines(label: str = ""):
    """A progress callback writing "  label done/total" lines to standard error, or None where
    standard error is not a terminal (a log file or a pipe gets the result, not the ticks)."""
    import sys

    if not sys.stderr.isatty():
        return None
    prefix = f"  {label} " if label else "  "
    return lambda done, total: click.echo(f"{prefix}{done}/{total}", err=True)


def emit(text: str, out: str | None, store=None, force: bool = False) -> None:
    """Print ``text``, or write it to ``out`` by the rule of :mod:`workbench.output` (never the
    project; an existing file only if ``store`` wrote it, or with ``force``)."""
    if out:
        from workbench.output import Output

        ending = text if text.endswith("\n") else text + "\n"
        Output(store.path if store else None, store, force).write_text(out, ending)
        click.echo(f"Wrote {out}.", err=True)
    else:
        click.echo(text)


def run_app(
    store,
    coder: str | None = None,
    reconcile: tuple[str, str, str] | None = None,
    mode: str | None = None,
    review: str | None = None,
    role: str | None = None,
    user: str | None = None,
    served: bool = False,
    review_queue: str = "review",
) -> None:
    """Run the app in this terminal. Refused without one: Textual reads a closed or redirected
    standard input in a busy loop (100% CPU for as long as it runs); a ``served`` app talks to
    its server over pipes through Textual's web driver instead. An unexpected error that ends
    the app is raised here, for ``workbench.cli.failure`` to log and report."""
    import sys

    from workbench.errors import WorkbenchError

    for name, stream in () if served else (("input", sys.stdin), ("output", sys.__stdout__)):
        if stream is None or not stream.isatty():
            raise WorkbenchError(
                f"the app needs a terminal, and standard {name} is not one (it is redirected, "
                "piped or closed); run the command in a terminal window"
            )
    from workbench.cli import process
    from workbench.ui.app import create_app

    app = create_app(store, coder, reconcile, mode=mode, review=review, role=role, user=user)
    app.review_queue = review_queue
    try:
        app.run()
    finally:
        process.install()  # the event loop's signal handlers are gone with it
    unfinished = closed(store)
    ended_by = getattr(app, "ended_by", None)
    if ended_by is not None:  # its terminal closed, or it was told to end: no more output
        raise SystemExit(128 + ended_by)
    if app.failure is not None:
        if unfinished:
            click.echo(f"error: {unfinished}", err=True)
        raise app.failure
    if unfinished:
        raise WorkbenchError(unfinished)


def closed(store) -> str | None:
    """Close the app's project now, not at the process's exit, so that what a full disk kept
    out of the project file (still in its ``-wal``) and where the rescue copy went is said."""
    store.close()
    return store.unfinished
