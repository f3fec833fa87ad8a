"""Commands that bring transcripts in and list what came in: ``import`` and ``comments``."""

from __future__ import annotations

import sys

import click

from workbench.cli.common import FORMATS, echo_json, open_store


@click.command("import")
@click.argument("project", type=click.Path(dir_okay=False))
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option("--group", help="Focus group name (default: each file's name without extension).")
@click.option("--code", help="Short code used in comment refs, e.g. FG1 (default: FG<n>).")
@click.option(
    "--kind",
    type=click.Choice(["individual", "multi"]),
    help="Individual stakeholder group or multi-stakeholder group.",
)
@click.option("--date", help="Date of the focus group (YYYY-MM-DD).")
@click.option("--stakeholders", help="Stakeholder group(s) present, free text.")
@click.option(
    "--roster",
    type=click.Path(exists=True, dir_okay=False),
    help="CSV (speaker,role) or TOML ([speakers]) file mapping speakers to roles.",
)
@click.option(
    "--role",
    "roles",
    multiple=True,
    metavar="LABEL=ROLE",
    help="Give speaker LABEL the role ROLE (repeatable); LABEL is read as a label in any case.",
)
@click.option(
    "--speaker",
    "speakers",
    multiple=True,
    metavar="LABEL",
    help="LABEL is a speaker label in these files, in any case and spacing (repeatable).",
)
@click.option("--encoding", help="Force a text encoding instead of detecting it.")
@click.option(
    "--force",
    is_flag=True,
    help="Import a file even though its turns are mostly those of a transcript "
    "already in the project (a corrected version: `transcripts replace`).",
)
@click.option(
    "--dry-run",
    is_flag=True,
    help="Say how the files read and show the first turns as they would be stored; write nothing.",
)
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True)
def import_(
    project,
    files,
    group,
    code,
    kind,
    date,
    stakeholders,
    roster,
    roles,
    speakers,
    encoding,
    force,
    dry_run,
    fmt,
) -> None:
    """Import transcript FILES into PROJECT (all or nothing).

    Formats are detected from the content: plain text or Markdown with speaker
    labels (Otter, Rev, PDF-extracted, timestamped, chat logs...), WebVTT (Zoom,
    Teams), SRT, Word .docx, LibreOffice .odt, .rtf and PDF. Every import says how
    each file was read: the label styles, each speaker's turns and role, the lines
    set aside, and what looks wrong; --dry-run says it without importing.
    """
    from workbench.ingest.importer import GroupMeta, import_transcripts
    from workbench.project.roles import parse_role_options

    store = open_store(project)
    meta = GroupMeta(name=group, code=code, kind=kind, date=date, stakeholders=stakeholders)
    reports = import_transcripts(
        store,
        list(files),
        meta,
        roster,
        parse_role_options(roles),
        encoding,
        speakers,
        force,
        dry_run,
    )
    if fmt == "json":
        echo_json([r.as_dict() for r in reports])
        return
    for report in reports:
        click.echo(format_report(report, dry_run))
    if dry_run:
        click.echo("Nothing was written (--dry-run).")


from workbench.ingest.plan import format_report  # noqa: E402  (the reading as text: CLI and app alike)


@click.command()
@click.argument("project", type=click.Path(dir_okay=False))
@click.option("--group", help="Only this focus group (name or code).")
@click.option(
    "--where",
    "where",
    multiple=True,
    metavar="CONDITION",
    help="Only the comments of participants (or groups) meeting it, e.g. site=Leeds "
    "(repeatable: all must hold).",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "csv", "json"]), default="text", show_default=True
)
def comments(project: str, group: str | None, where: tuple[str, ...], fmt: str) -> None:
    """Every comment: ref, group, order, speaker, role, excluded flag, text, word count."""
    from workbench.project.status import comment_rows
    from workbench.project.where import parse

    store = open_store(project)
    rows = comment_rows(store, group, parse(store, where))
    if fmt == "json":
        echo_json(rows)
    elif fmt == "csv":
        import csv

        writer = csv.DictWriter(
            sys.stdout, fieldnames=list(rows[0]) if rows else ["ref"], lineterminator="\n"
        )
        writer.writeheader()
        writer.writerows(rows)
    else:
        for row in rows:
            flags = [f"{row['words']} words"]
            if row["excluded"]:
                flags.insert(0, "excluded")
            role = f" ({row['role']})" if row["role"] else ""
            click.echo(f"{row['ref']}  {row['speaker']}{role} · {' · '.join(flags)}")
            for line in row["text"].splitlines():
                click.echo(f"    {line}")
