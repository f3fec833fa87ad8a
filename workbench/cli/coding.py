"""Coding commands: ``code`` (the coding screen), ``codings import``/``codings export`` (sheets),
``coders`` (list, rename, remove) and ``memos`` (a coding's memos, searchable)."""

from __future__ import annotations

import click

from workbench.cli.common import open_store, run_app


@click.command()
@click.argument("project", type=click.Path(dir_okay=False))
@click.option("--coder", required=True, help="Your coder name.")
@click.option(
    "--new",
    "new",
    is_flag=True,
    help="Start a new coder of that name (a name the project has not seen "
    "is refused without it: a typo would start a coder by mistake).",
)
@click.option(
    "--training",
    is_flag=True,
    help="Code the training set blind, as a trainee (see `workbench training`).",
)
@click.option(
    "--retest",
    is_flag=True,
    help="Recode your retest sample blind to your first coding (see `workbench retest`).",
)
def code(project: str, coder: str, new: bool, training: bool, retest: bool) -> None:
    """Open the coding screen on PROJECT as coder NAME (--new for a coder not seen before)."""
    from workbench.coding.coder import check_new

    if training and retest:
        raise click.UsageError("give --training or --retest, not both")
    store = open_store(project)
    mode = "training" if training else "retest" if retest else None
    if mode:
        from workbench.evidence.blind import check

        coder = check(store, coder, mode)  # refuse here, on the command line, not inside the app
    else:  # a study coder: a name not seen before starts one only with --new
        coder, note = check_new(store, coder, new)
        if note:
            click.echo(f"note: {note}", err=True)
    run_app(store, coder, mode=mode)


@click.group()
def codings() -> None:
    """Import and export coding sheets (CSV or Excel)."""


@codings.command("import")
@click.argument("project", type=click.Path(dir_okay=False))
@click.argument("sheet", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--agreed",
    is_flag=True,
    help="The sheet holds the agreed (reconciled) coding; no coder column needed.",
)
@click.option("--overwrite", is_flag=True, help="Replace codings that already exist (audited).")
def codings_import(project: str, sheet: str, agreed: bool, overwrite: bool) -> None:
    """Import SHEET (one row per comment and coder: ref, coder, category, themes, memo, unsure, exemplar)."""
    from workbench.exchange.sheets import import_sheet

    result = import_sheet(open_store(project), sheet, agreed=agreed, overwrite=overwrite)
    who = ", ".join(f"{name} ({rows} rows)" for name, rows in result.coders.items())
    click.echo(
        f"Imported {sheet}: {who}; {result.new} new, {result.changed} changed, "
        f"{result.unchanged} unchanged coding(s)."
    )
    if result.backup:
        click.echo(f"The project was backed up first: {result.backup}", err=True)
    if result.needs_theme:
        shown = ", ".join(result.needs_theme[:10]) + (
            " ..." if len(result.needs_theme) > 10 else ""
        )
        click.echo(
            f"{len(result.needs_theme)} behaviour comment(s) have no theme yet and are not counted as "
            f"coded: {shown}"
        )


@codings.command("export")
@click.argument("project", type=click.Path(dir_okay=False))
@click.option("--coder", help="Only this coder (default: every coder).")
@click.option("--agreed", is_flag=True, help="The agreed (reconciled) coding.")
@click.option("--onehot", is_flag=True, help="One row per comment with a 0/1 column per theme.")
@click.option(
    "--template",
    is_flag=True,
    help="A blank sheet for --coder NAME: every comment to code, no codes.",
)
@click.option(
    "--out", required=True, type=click.Path(dir_okay=False), help="Output file: .csv or .xlsx."
)
@click.option(
    "--force", is_flag=True, help="Replace an existing file that this project did not write."
)
def codings_export(
    project: str,
    coder: str | None,
    agreed: bool,
    onehot: bool,
    template: bool,
    out: str,
    force: bool,
) -> None:
    """Export codings as a sheet that `workbench codings import` reads back."""
    from workbench.exchange.sheets import export_sheet

    if coder and agreed:
        raise click.UsageError("give --coder or --agreed, not both")
    if template and (agreed or onehot or not coder):
        raise click.UsageError(
            "--template needs --coder NAME (the coder who will fill it in), without "
            "--agreed or --onehot"
        )
    rows = export_sheet(open_store(project), out, coder, agreed, onehot, template, force)
    click.echo(f"Wrote {rows} row(s) to {out}.")


@click.group()
def coders() -> None:
    """List, rename and remove coders."""


@coders.command("list")
@click.argument("project", type=click.Path(dir_okay=False))
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def coders_list(project: str, fmt: str) -> None:
    """Every coder (people, the agreed coding, model coders) with their codings."""
    from workbench.cli.common import echo_json, text_table
    from workbench.coding.coder import coder_list

    rows = coder_list(open_store(project))
    if fmt == "json":
        echo_json(rows)
    elif rows:
        click.echo(
            text_table(
                ["coder", "kind", "codings", "suggestions", "since"],
                [
                    [
                        r["name"],
                        r["kind"],
                        r["codings"],
                        "on" if r["suggestions"] else "",
                        r["created_at"][:10],
                    ]
                    for r in rows
                ],
                right={2},
            )
        )
    else:
        click.echo("No coders yet.")


@coders.command("rename")
@click.argument("project", type=click.Path(dir_okay=False))
@click.argument("old")
@click.argument("new")
def coders_rename(project: str, old: str, new: str) -> None:
    """Rename coder OLD to NEW (their codings stay theirs; audited)."""
    from workbench.coding.coder import rename_coder

    click.echo(f"Renamed {old} to {rename_coder(open_store(project), old, new)}.")


@coders.command("remove")
@click.argument("project", type=click.Path(dir_okay=False))
@click.argument("name")
@click.option(
    "--force", is_flag=True, help="Also remove their codings (after an automatic backup; audited)."
)
def coders_remove(project: str, name: str, force: bool) -> None:
    """Remove coder NAME: refused while they have codings, unless --force."""
    from workbench.coding.coder import remove_coder

    done = remove_coder(open_store(project), name, force)
    click.echo(
        f"Removed {done['name']}"
        + (f" and {done['codings']} coding(s); backup: {done['backup']}" if done["codings"] else "")
        + "."
    )


@click.command()
@click.argument("project", type=click.Path(dir_okay=False))
@click.option("--coder", help="This coder's memos (default: the agreed coding's).")
@click.option(
    "--search",
    default="",
    help="Only memos with every one of these words (word prefixes), or this ref.",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "csv", "json"]), default="text", show_default=True
)
@click.option(
    "--out", type=click.Path(dir_okay=False), help="Write to this file instead of the terminal."
)
@click.option(
    "--force",
    is_flag=True,
    help="With --out: replace an existing file that this project did not write.",
)
def memos(
    project: str, coder: str | None, search: str, fmt: str, out: str | None, force: bool
) -> None:
    """The memos of a coding in transcript order, each with its comment and codes."""
    import csv
    import io
    import json

    from workbench.cli.common import emit
    from workbench.coding.memos import memos as find
    from workbench.coding.views import whose_named

    store = open_store(project)
    whose = whose_named(store, coder)
    found = find(store, whose, search)
    names = {c.key: c.name for c in store.categories(include_retired=True)}
    names.update({t.key: t.name for t in store.themes(include_retired=True)})
    rows = [m.as_dict(names) for m in found]
    if fmt == "json":
        text = json.dumps(rows, indent=2, ensure_ascii=False)
    elif fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(
            buffer,
            fieldnames=[
                "ref",
                "group",
                "speaker",
                "role",
                "category",
                "themes",
                "memo",
                "comment",
                "updated",
            ],
            lineterminator="\n",
        )
        writer.writeheader()
        writer.writerows(rows)
        text = buffer.getvalue()
    else:
        blocks = [
            f"{r['ref']}  {r['category']}{' · ' + r['themes'] if r['themes'] else ''}  "
            f"({r['speaker']}{', ' + r['role'] if r['role'] else ''})\n"
            + "\n".join(("    " + line).rstrip() for line in r["memo"].splitlines())
            for r in rows
        ]
        matching = f" matching {search!r}" if search.strip() else ""
        text = "\n\n".join(blocks) if rows else f"No memos in {whose.label}{matching}."
    emit(text, out, store, force)
