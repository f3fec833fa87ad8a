"""Commands that bring transcripts in and list what came in: ``import`` and ``comments``."""

from __future__ import annotations

import sys

import click

from workbench.cli.common import FORMATS, _echo_json, _open


@click.command("import")
@click.argument("project", type=click.Path(dir_okay=False))
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option("--group", help="Focus group name (default: each file's name without extension).")
@click.option("--code", help="Short code used in comment refs, e.g. FG1 (default: FG<n>).")
@click.option("--kind", type=click.Choice(["individual", "multi"]),
              help="Individual stakeholder group or multi-stakeholder group.")
@click.option("--date", help="Date of the focus group (YYYY-MM-DD).")
@click.option("--stakeholders", help="Stakeholder group(s) present, free text.")
@click.option("--roster", type=click.Path(exists=True, dir_okay=False),
              help="CSV (speaker,role) or TOML ([speakers]) file mapping speakers to roles.")
@click.option("--role", "roles", multiple=True, metavar="LABEL=ROLE",
              help="Give speaker LABEL the role ROLE (repeatable).")
@click.option("--encoding", help="Force a text encoding instead of detecting it.")
@click.option("--force", is_flag=True, help="Import a file even though its turns are mostly those of a transcript "
                                            "already in the project (a corrected version: `transcripts replace`).")
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True)
def import_(project, files, group, code, kind, date, stakeholders, roster, roles, encoding, force, fmt) -> None:
    """Import transcript FILES into PROJECT (all or nothing).

    Formats are detected from the content: plain text or Markdown with speaker
    labels (Otter, Rev, PDF-extracted, timestamped...), WebVTT (Zoom, Teams), SRT
    and Word .docx.
    """
    from workbench.ingest.importer import GroupMeta, import_transcripts
    from workbench.project.roles import parse_role_options

    store = _open(project)
    meta = GroupMeta(name=group, code=code, kind=kind, date=date, stakeholders=stakeholders)
    reports = import_transcripts(store, list(files), meta, roster, parse_role_options(roles), encoding, force)
    if fmt == "json":
        _echo_json([r.as_dict() for r in reports])
        return
    for report in reports:
        click.echo(format_report(report))


def format_report(report) -> str:
    """The per-file import report as text."""
    head = f"{report.path} → group {report.group!r}: {report.status}"
    if report.status == "unchanged":
        return "\n".join([head, *(f"  note: {w}" for w in report.warnings)])
    lines = [
        f"{head} ({report.format}, {report.encoding})",
        f"  {report.comments} comments ({report.codable} to code, "
        f"{report.comments - report.codable} excluded), {len(report.speakers)} speakers, "
        f"{report.words:,} words",
    ]
    if report.unknown_speaker:
        lines.append(f"  {report.unknown_speaker} comment(s) with speaker 'unknown' (no label in the file)")
    sources = {"roster": "from the roster", "--role": "from --role", "tag": "from its ~tag",
               "label": "the label names it", "project": "as before in this project"}
    for s in report.speakers:
        # "Facilitator: Facilitator (from label)" said the role twice; say where it came from.
        role = f"{s.role} ({sources.get(s.role_source, s.role_source)})" if s.role else "no role"
        lines.append(f"    {s.label}: {role}, {s.comments} comment(s)")
    lines += [f"  warning: {w}" for w in report.warnings]
    return "\n".join(lines)


@click.command()
@click.argument("project", type=click.Path(dir_okay=False))
@click.option("--group", help="Only this focus group (name or code).")
@click.option("--format", "fmt", type=click.Choice(["text", "csv", "json"]), default="text", show_default=True)
def comments(project: str, group: str | None, fmt: str) -> None:
    """Every comment: ref, group, order, speaker, role, excluded flag, text, word count."""
    from workbench.project.status import comment_rows

    rows = comment_rows(_open(project), group)
    if fmt == "json":
        _echo_json(rows)
    elif fmt == "csv":
        import csv

        writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]) if rows else ["ref"], lineterminator="\n")
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
