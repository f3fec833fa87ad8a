"""Coding commands: ``code`` (the coding screen) and ``codings import``/``codings export`` (sheets)."""

from __future__ import annotations

import click

from workbench.cli.common import _open, _run_app


@click.command()
@click.argument("project", type=click.Path(dir_okay=False))
@click.option("--coder", required=True, help="Your coder name (created on first use).")
def code(project: str, coder: str) -> None:
    """Open the coding screen on PROJECT as coder NAME."""
    from workbench.coding.coder import validate_name

    store = _open(project)
    validate_name(coder)
    _run_app(store, coder)


@click.group()
def codings() -> None:
    """Import and export coding sheets (CSV or Excel)."""


@codings.command("import")
@click.argument("project", type=click.Path(dir_okay=False))
@click.argument("sheet", type=click.Path(exists=True, dir_okay=False))
@click.option("--agreed", is_flag=True, help="The sheet holds the agreed (reconciled) coding; no coder column needed.")
@click.option("--overwrite", is_flag=True, help="Replace codings that already exist (audited).")
def codings_import(project: str, sheet: str, agreed: bool, overwrite: bool) -> None:
    """Import SHEET (one row per comment and coder: ref, coder, category, themes, memo, unsure, exemplar)."""
    from workbench.exchange.sheets import import_sheet

    result = import_sheet(_open(project), sheet, agreed=agreed, overwrite=overwrite)
    who = ", ".join(f"{name} ({rows} rows)" for name, rows in result.coders.items())
    click.echo(f"Imported {sheet}: {who}; {result.new} new, {result.changed} changed, "
               f"{result.unchanged} unchanged coding(s).")


@codings.command("export")
@click.argument("project", type=click.Path(dir_okay=False))
@click.option("--coder", help="Only this coder (default: every coder).")
@click.option("--agreed", is_flag=True, help="The agreed (reconciled) coding.")
@click.option("--onehot", is_flag=True, help="One row per comment with a 0/1 column per theme.")
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="Output file: .csv or .xlsx.")
@click.option("--force", is_flag=True, help="Replace an existing file that this project did not write.")
def codings_export(project: str, coder: str | None, agreed: bool, onehot: bool, out: str, force: bool) -> None:
    """Export codings as a sheet that `workbench codings import` reads back."""
    from workbench.exchange.sheets import (
        COLUMNS,
        INFO_COLUMNS,
        onehot_rows,
        sheet_rows,
        write_table,
    )
    from workbench.output import for_project

    if coder and agreed:
        raise click.UsageError("give --coder or --agreed, not both")
    store = _open(project)
    output = for_project(store, force)
    output.check(out)
    if onehot:
        rows = onehot_rows(store, coder, agreed)
        columns = ["ref", "coder", "category", *(t["name"] for t in store.themes())]
    else:
        rows = sheet_rows(store, coder, agreed)
        columns = COLUMNS + INFO_COLUMNS
    write_table(rows, out, columns, "Agreed coding" if agreed else "Codings", output)
    click.echo(f"Wrote {len(rows)} row(s) to {out}.")
