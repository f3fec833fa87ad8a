"""Commands on the project's history: ``audit`` (the audit trail), ``backup`` (a checked copy,
or the list of those made) and ``restore`` (a backup put back as the project)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from workbench.cli.common import open_store, text_table


@click.command()
@click.argument("project", type=click.Path(dir_okay=False))
@click.option(
    "--format", "fmt", type=click.Choice(["text", "csv", "json"]), default="text", show_default=True
)
@click.option(
    "--out", type=click.Path(dir_okay=False), help="Write to this file instead of the screen."
)
@click.option(
    "--action",
    "actions",
    multiple=True,
    help="Only these actions (e.g. reconcile, import); repeatable.",
)
@click.option(
    "--force",
    is_flag=True,
    help="With --out: replace an existing file that this project did not write.",
)
def audit(project: str, fmt: str, out: str | None, actions: tuple[str, ...], force: bool) -> None:
    """The audit trail: every import, coding and reconciliation decision (who, when, before, after)."""
    import io

    store = open_store(project)
    output = None
    if out:
        from workbench.output import for_project

        output = for_project(store, force)
        output.check(out)
    rows = store.audit_rows()
    if actions:
        rows = [r for r in rows if r["action"] in actions]
    buffer = io.StringIO()
    handle = buffer if out else sys.stdout
    if fmt == "json":
        for row in rows:
            for key in ("before", "after"):
                row[key] = json.loads(row[key]) if row[key] is not None else None
        handle.write(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        import csv

        writer = csv.DictWriter(
            handle,
            fieldnames=[
                "id",
                "at",
                "actor",
                "action",
                "entity",
                "entity_ref",
                "before",
                "after",
                "note",
            ],
            lineterminator="\n",
        )
        writer.writeheader()
        writer.writerows(rows)
    else:
        for row in rows:
            change = (
                f" {row['before'] or '-'} → {row['after'] or '-'}"
                if row["before"] or row["after"]
                else ""
            )
            note = f"  ({row['note']})" if row["note"] else ""
            handle.write(
                f"{row['at']}  {row['actor']}  {row['action']} {row['entity']} "
                f"{row['entity_ref'] or ''}{change}{note}\n"
            )
    if out and output is not None:  # (set together)
        output.write_text(out, buffer.getvalue(), newline="")
        click.echo(f"Wrote {len(rows)} audit row(s) to {out}.")


@click.command()
@click.argument("project", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--out",
    type=click.Path(dir_okay=False),
    help="The backup file (default: PROJECT.backups/<time>-manual.db).",
)
@click.option(
    "--list",
    "list_",
    is_flag=True,
    help="List the backups made of PROJECT and what their checks said.",
)
def backup(project: str, out: str | None, list_: bool) -> None:
    """A consistent copy of PROJECT, safe to take while others code (SQLite's online backup),
    checked with SQLite's quick_check before it is kept: a damaged project is refused."""
    from workbench.project.backups import backup_project

    store = open_store(project)
    if list_:
        rows = [
            [
                r.made_at[:19].replace("T", " "),
                r.reason,
                "passed" if r.passed else f"failed: {r.check_result}",
                "" if r.kept and Path(r.path).exists() else "(gone)",
                r.path,
            ]
            for r in store.backups()
        ]
        click.echo(
            text_table(["made (UTC)", "reason", "check", "", "file"], rows)
            if rows
            else "No backups recorded yet: `workbench backup PROJECT`."
        )
        return
    record = backup_project(store, out)
    click.echo(f"Backed up to {record.path} ({record.size:,} bytes; passed SQLite's check).")


@click.command()
@click.argument("backup_file", metavar="BACKUP", type=click.Path(dir_okay=False))
@click.argument("project", type=click.Path(dir_okay=False))
@click.option(
    "--force",
    is_flag=True,
    help="Restore even while other processes have PROJECT open (they then see the "
    "restored project), or over a file there that SQLite cannot read.",
)
def restore(backup_file: str, project: str, force: bool) -> None:
    """Put the backup BACKUP back as PROJECT. The project as it is now is kept in
    PROJECT.backups/ first; refused while another process has PROJECT open, unless --force."""
    from workbench.project.backups import restore_project

    result = restore_project(backup_file, project, force)
    for notice in result.notices:
        click.echo(f"note: {notice}", err=True)
    upgraded = (
        f"; upgraded from schema {result.schema_from} to {result.schema_to}"
        if result.schema_from != result.schema_to
        else ""
    )
    click.echo(f"Restored {project} from {backup_file}{upgraded}.")
    if result.kept:
        check = "passed its check" if result.kept_check == "ok" else f"check: {result.kept_check}"
        click.echo(f"The project as it was is kept as {result.kept} ({check}).")
    if result.others:
        click.echo(
            f"{result.others} other process(es) had the project open: they now see the "
            "restored project.",
            err=True,
        )
