"""The ``workbench`` command line: every non-interactive step, scriptable.

Only ``click`` is imported at module level; each command imports what it needs,
so ``workbench --help`` stays fast (spaCy, pandas and Textual load on demand).
A :class:`~workbench.errors.WorkbenchError` becomes ``error: <message>`` on
stderr and exit status 1.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

FORMATS = click.Choice(["text", "json"])


def _open(project: str):
    from workbench.store import Store

    return Store.open(project)


def _echo_json(data) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def _table(headers: list[str], rows: list[list], right: set[int] = frozenset()) -> str:
    cells = [[str(h) for h in headers]] + [["" if v is None else str(v) for v in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = []
    for n, row in enumerate(cells):
        parts = [c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths))]
        lines.append("  ".join(parts).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="workbench")
def cli() -> None:
    """Workbench: code focus group transcripts with two analysts, reconcile, report.

    Start with `workbench demo`, or `workbench init PROJECT` and `workbench import`.
    """


@cli.command()
@click.argument("project", type=click.Path(dir_okay=False))
@click.option("--codebook", "codebook_path", type=click.Path(exists=True, dir_okay=False),
              help="Codebook TOML file (default: the bundled coproduction codebook).")
@click.option("--name", help="Project name (default: the file name).")
def init(project: str, codebook_path: str | None, name: str | None) -> None:
    """Create a new project file PROJECT with a codebook."""
    from workbench.project.lifecycle import init_project

    store = init_project(project, codebook_path, name)
    book = store.active_codebook()
    click.echo(
        f"Created {project} with codebook {book['name']!r} {book['version']} "
        f"({len(store.categories())} categories, {len(store.themes())} themes)."
    )


@cli.command("import")
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
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True)
def import_(project, files, group, code, kind, date, stakeholders, roster, roles, encoding, fmt) -> None:
    """Import transcript FILES into PROJECT (all or nothing).

    Formats are detected from the content: plain text or Markdown with speaker
    labels (Otter, Rev, PDF-extracted, timestamped...), WebVTT (Zoom, Teams), SRT
    and Word .docx.
    """
    from workbench.ingest.importer import GroupMeta, import_transcripts
    from workbench.project.roles import parse_role_options

    store = _open(project)
    meta = GroupMeta(name=group, code=code, kind=kind, date=date, stakeholders=stakeholders)
    reports = import_transcripts(store, list(files), meta, roster, parse_role_options(roles), encoding)
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
    for s in report.speakers:
        role = f"{s.role} (from {s.role_source})" if s.role else "no role"
        lines.append(f"    {s.label}: {role}, {s.comments} comment(s)")
    lines += [f"  warning: {w}" for w in report.warnings]
    return "\n".join(lines)


@cli.command()
@click.argument("project", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True)
def status(project: str, fmt: str) -> None:
    """Summary of PROJECT: codebook, focus groups, comments, speakers, coders."""
    from workbench.project.status import project_status

    data = project_status(_open(project))
    if fmt == "json":
        _echo_json(data)
        return
    click.echo(format_status(data))


def format_status(data: dict) -> str:
    book = data["codebook"]
    lines = [
        f"Project {data['name']!r} ({data['path']}), schema {data['schema_version']}",
        f"Codebook: {book['name']!r} {book['version']} (sha256 {book['sha256'][:12]}), "
        f"{book['categories']} categories, {book['themes']} themes",
        "",
    ]
    groups = data["groups"]
    if groups:
        rows = [
            [g["code"], g["name"], g["kind"] or "-", g["date"] or "-", g["transcripts"],
             g["speakers"], g["comments"], g["codable"], f"{g['words']:,}"]
            for g in groups
        ]
        totals = data["totals"]
        rows.append(["", "total", "", "", totals["transcripts"], totals["speakers"],
                     totals["comments"], totals["codable"], f"{totals['words']:,}"])
        lines.append(_table(
            ["code", "group", "kind", "date", "files", "speakers", "comments", "to code", "words"],
            rows, right={4, 5, 6, 7, 8},
        ))
    else:
        lines.append("No focus groups yet: add transcripts with `workbench import`.")
    lines.append("")
    missing = data["speakers_without_role"]
    lines.append("Speakers without a role: " + (", ".join(missing) if missing else "none"))
    lines.append(f"Comments without a speaker: {data['totals']['no_speaker']}")
    coders, coded, total = data["coders"], data["coded"], data["totals"]["codable"]
    lines.append("Coders: " + (", ".join(f"{c} ({coded.get(c, 0)}/{total} coded)" for c in coders)
                               if coders else "none yet"))
    if "agreed" in coded:
        lines.append(f"Agreed coding: {coded['agreed']}/{total} comments")
    return "\n".join(lines)


@cli.command()
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


@cli.command()
@click.argument("project", type=click.Path(dir_okay=False))
@click.option("--replace", "replacement", type=click.Path(exists=True, dir_okay=False),
              help="Install this codebook file instead of the current one.")
@click.option("--force", is_flag=True, help="Replace even though codings exist (audited).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "toml"]), default="text", show_default=True)
def codebook(project: str, replacement: str | None, force: bool, fmt: str) -> None:
    """Show the project's codebook, or replace it with --replace."""
    from workbench.project.lifecycle import replace_codebook

    store = _open(project)
    if replacement:
        outcome = replace_codebook(store, replacement, force)
        click.echo(f"Codebook {outcome}: {store.active_codebook()['name']!r} from {replacement}")
        return
    book = store.active_codebook()
    if fmt == "toml":
        click.echo(book["content"], nl=False)
        return
    cats, themes = store.categories(), store.themes()
    if fmt == "json":
        _echo_json({"codebook": {k: book[k] for k in ("key", "name", "version", "sha256", "source_name")},
                    "categories": cats, "themes": themes})
        return
    click.echo(f"{book['name']} {book['version']} (sha256 {book['sha256'][:12]}, from {book['source_name']})")
    click.echo("\nCategories")
    click.echo(_table(["key", "shortcut", "name", "themes"],
                      [[c["key"], c["shortcut"], c["name"], "yes" if c["takes_themes"] else "no"] for c in cats]))
    click.echo("\nThemes")
    click.echo(_table(["key", "shortcut", "name", "definition"],
                      [[t["key"], t["shortcut"], t["name"], t["definition"]] for t in themes]))


@cli.command()
@click.argument("project", type=click.Path(dir_okay=False))
@click.option("--add", nargs=2, metavar="KEY NAME", help="Add a role, e.g. --add Sibling 'Sibling'.")
@click.option("--excluded", is_flag=True, help="With --add: comments of this role are not coded by default.")
def roles(project: str, add: tuple[str, str] | None, excluded: bool) -> None:
    """List the project's speaker roles, or add one."""
    from workbench.project.roles import find_role, Role

    store = _open(project)
    if add:
        key, name = add
        known = [Role(r["key"], r["name"], bool(r["excluded"]), tuple(r["aliases"])) for r in store.roles()]
        if find_role(key, known) or find_role(name, known):
            raise click.ClickException(f"--add {key} {name!r}: a role with this key or name already exists")
        with store.transaction():
            store.add_role(key, name, excluded)
            store.audit("create", "role", key, after={"name": name, "excluded": excluded})
    click.echo(_table(["key", "name", "coded", "also matches"],
                      [[r["key"], r["name"], "no" if r["excluded"] else "yes", ", ".join(r["aliases"])]
                       for r in store.roles()]))


@cli.command()
@click.argument("project", type=click.Path(dir_okay=False))
@click.option("--group", help="Only this focus group (name or code).")
@click.option("--set", "assignments", multiple=True, metavar="LABEL=ROLE",
              help="Give speaker LABEL (in --group) the role ROLE; re-derives exclusion of their comments.")
def speakers(project: str, group: str | None, assignments: tuple[str, ...]) -> None:
    """List speakers with their roles and comment counts, or set a speaker's role."""
    from workbench.project.status import set_speaker_roles

    store = _open(project)
    if assignments:
        if not group:
            raise click.UsageError("--set needs --group: speaker labels are per focus group")
        set_speaker_roles(store, group, assignments)
    group_row = store.group_by_name(group) if group else None
    if group and group_row is None:
        raise click.ClickException(f"--group {group!r}: no such focus group")
    rows = store.speakers(group_row["id"] if group_row else None)
    click.echo(_table(["group", "speaker", "role", "comments", "words"],
                      [[s["group_name"], s["label"], s["role_key"] or "-", s["comments"], s["words"]]
                       for s in rows], right={3, 4}))


@cli.command()
@click.argument("project", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["text", "csv", "json"]), default="text", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False), help="Write to this file instead of the screen.")
@click.option("--action", "actions", multiple=True, help="Only these actions (e.g. reconcile, import); repeatable.")
def audit(project: str, fmt: str, out: str | None, actions: tuple[str, ...]) -> None:
    """The audit trail: every import, coding and reconciliation decision (who, when, before, after)."""
    rows = _open(project).audit_rows()
    if actions:
        rows = [r for r in rows if r["action"] in actions]
    handle = open(out, "w", newline="", encoding="utf-8") if out else sys.stdout
    try:
        if fmt == "json":
            for row in rows:
                for key in ("before", "after"):
                    row[key] = json.loads(row[key]) if row[key] is not None else None
            handle.write(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
        elif fmt == "csv":
            import csv

            writer = csv.DictWriter(handle, fieldnames=["id", "at", "actor", "action", "entity", "entity_ref",
                                                        "before", "after", "note"], lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
        else:
            for row in rows:
                change = f" {row['before'] or '-'} → {row['after'] or '-'}" if row["before"] or row["after"] else ""
                note = f"  ({row['note']})" if row["note"] else ""
                handle.write(f"{row['at']}  {row['actor']}  {row['action']} {row['entity']} "
                             f"{row['entity_ref'] or ''}{change}{note}\n")
    finally:
        if out:
            handle.close()
    if out:
        click.echo(f"Wrote {len(rows)} audit row(s) to {out}.")


@cli.command()
@click.argument("project", type=click.Path(dir_okay=False))
@click.option("--coders", nargs=2, metavar="A B", help="The two coders to compare (default: every coder).")
@click.option("--group", help="Only this focus group (name or code).")
@click.option("--format", "fmt", type=click.Choice(["text", "md", "json", "csv"]), default="text", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False), help="Write to this file instead of the screen.")
@click.option("--bootstrap", default=1000, show_default=True, help="Bootstrap resamples for the alphas' CIs (0: none).")
@click.option("--seed", default=1, show_default=True, help="Seed of the bootstrap (same seed, same CIs).")
@click.option("--freeze", is_flag=True, help="Save this report as the next agreement round (round 1: before reconciling).")
@click.option("--label", help="With --freeze: the round's name (default 'round N').")
@click.option("--rounds", "show_rounds", is_flag=True, help="Show the frozen rounds side by side.")
def agreement(project, coders, group, fmt, out, bootstrap, seed, freeze, label, show_rounds) -> None:
    """Inter-coder agreement: percent, Cohen's kappa, Krippendorff's alpha, Gwet's AC1, per layer and theme."""
    from workbench.agreement import reliability as Rel

    store = _open(project)
    if show_rounds:
        rounds = store.rounds()
        if not rounds:
            raise click.ClickException("no frozen rounds yet: `workbench agreement PROJECT --freeze`")
        if fmt == "json":
            text = json.dumps(rounds, indent=2, ensure_ascii=False)
        else:
            header, body = Rel.rounds_table(rounds)
            if fmt == "csv":
                import csv
                import io

                buffer = io.StringIO()
                csv.writer(buffer, lineterminator="\n").writerows([header, *body])
                text = buffer.getvalue()
            elif fmt == "md":
                text = "\n".join(["| " + " | ".join(header) + " |", "|" + "---|" * len(header),
                                  *("| " + " | ".join(row) + " |" for row in body)])
            else:
                text = _table(header, body)
        _emit(text, out)
        return
    report = Rel.project_agreement(store, list(coders) if coders else None, group, bootstrap, seed)
    if freeze:
        number = Rel.freeze_round(store, report, label)
        click.echo(f"Frozen as agreement round {number}.", err=True)
    if fmt == "json":
        text = json.dumps(report, indent=2, ensure_ascii=False)
    elif fmt == "csv":
        import csv
        import io

        rows = Rel.rows(report)
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        text = buffer.getvalue()
    else:
        text = Rel.markdown(report)
    _emit(text, out)


def _emit(text: str, out: str | None) -> None:
    if out:
        Path(out).write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
        click.echo(f"Wrote {out}.", err=True)
    else:
        click.echo(text)


REPORT_TABLES = ("categories", "themes", "exemplars", "roles", "groups", "cooccurrence")
REPORT_FORMATS = ("md", "csv", "xlsx", "docx", "tex", "html", "json")


@cli.command()
@click.argument("project", type=click.Path(dir_okay=False))
@click.option("--table", "names", multiple=True, type=click.Choice(REPORT_TABLES),
              help="Table to compute (repeatable).")
@click.option("--all", "everything", is_flag=True, help="Every table in every format, figures and methods, into --out DIR.")
@click.option("--format", "fmt", type=click.Choice(REPORT_FORMATS), help="Default: from --out's suffix, else md.")
@click.option("--out", type=click.Path(), help="Output file (a folder with --all).")
@click.option("--coder", help="Report one coder's coding instead of the agreed coding (for audit).")
@click.option("--provisional", is_flag=True, help="Allow comments not yet agreed (tables are marked provisional).")
@click.option("--groups", help="Category table for these group codes only, comma-separated (e.g. FG1,FG2).")
@click.option("--all-quotes", is_flag=True, help="Exemplar table with every quote, not only marked exemplars.")
@click.option("--figure", type=click.Path(dir_okay=False), help="Also write the theme chart (.png or .svg).")
@click.option("--history", is_flag=True, help="List earlier report runs and the coding they were computed from.")
def report(project, names, everything, fmt, out, coder, provisional, groups, all_quotes, figure, history) -> None:
    """Report tables from the agreed coding: Word, Excel, LaTeX, Markdown, CSV, HTML, JSON.

    Every run is saved in the project with a fingerprint of the coding it read
    (see --history), so a number in a manuscript can be traced to its coding.
    """
    from workbench.reports import runs as R

    store = _open(project)
    if history:
        runs = R.history(store)
        click.echo(_table(["run", "at", "by", "tables", "coding", "fingerprint", "outputs"],
                          [[r["id"], r["at"][:19], r["actor"], ",".join(r["tables"]), r["parameters"]["coder"],
                            r["fingerprint"][:12], len(r["outputs"])] for r in runs]) if runs else "No report runs yet.")
        return
    if everything:
        if not out:
            raise click.UsageError("--all needs --out DIR")
        written, record = R.export_all(store, out, coder, provisional,
                                       progress=lambda done, total: click.echo(f"  {done}/{total}", err=True))
        click.echo(f"Wrote {len(written)} files to {out} (run {record['run']}, coding {record['fingerprint'][:12]}).")
        return
    if not names:
        raise click.UsageError("name a table with --table, or use --all or --history")
    tables, record = R.build(store, list(names), coder, provisional,
                             groups.split(",") if groups else None, all_quotes)
    from workbench.reports.exports import render

    outputs = []
    if out:
        R.export(tables, out, fmt)
        outputs.append(out)
    else:
        chosen = fmt or "md"
        if chosen in ("xlsx", "docx"):
            raise click.UsageError(f"--format {chosen} needs --out FILE")
        click.echo("\n\n".join(render(t, chosen) for t in tables))
    if figure:
        from workbench.reports.figures import theme_chart

        theme = next((t for t in tables if t.key == "themes"), None)
        if theme is None:
            theme = R.build(store, ["themes"], coder, provisional)[0][0]
        theme_chart(theme, figure)
        outputs.append(figure)
    run = R.save_run(store, tables, record, outputs)
    if outputs:
        click.echo(f"Wrote {', '.join(outputs)} (run {run}, coding {record['fingerprint'][:12]}).")


@cli.group()
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
def codings_export(project: str, coder: str | None, agreed: bool, onehot: bool, out: str) -> None:
    """Export codings as a sheet that `workbench codings import` reads back."""
    from workbench.exchange.sheets import COLUMNS, INFO_COLUMNS, onehot_rows, sheet_rows, write_table

    if coder and agreed:
        raise click.UsageError("give --coder or --agreed, not both")
    store = _open(project)
    if onehot:
        rows = onehot_rows(store, coder, agreed)
        columns = ["ref", "coder", "category", *(t["name"] for t in store.themes())]
    else:
        rows = sheet_rows(store, coder, agreed)
        columns = COLUMNS + INFO_COLUMNS
    write_table(rows, out, columns, "Agreed coding" if agreed else "Codings")
    click.echo(f"Wrote {len(rows)} row(s) to {out}.")


@cli.command()
@click.option("--no-ui", is_flag=True, help="Build the demo project and print a summary; do not open the app.")
@click.option("--project", "path", default="workbench-demo.db", show_default=True, type=click.Path(dir_okay=False),
              help="Where the demo project file is built (or reopened).")
@click.option("--rebuild", is_flag=True, help="Delete the demo project first and build it anew.")
def demo(no_ui: bool, path: str, rebuild: bool) -> None:
    """Build (or reopen) the demo project from the bundled fictional transcripts."""
    from workbench.ingest.demo import build_demo

    store, reports = build_demo(path, rebuild)
    if no_ui:
        for report in reports:
            click.echo(format_report(report))
        from workbench.project.status import project_status

        click.echo("")
        click.echo(format_status(project_status(store)))
        return
    _run_app(store)


@cli.command()
@click.argument("project", type=click.Path(dir_okay=False))
@click.option("--coder", required=True, help="Your coder name (created on first use).")
def code(project: str, coder: str) -> None:
    """Open the coding screen on PROJECT as coder NAME."""
    from workbench.coding.coder import validate_name

    store = _open(project)
    validate_name(coder)
    _run_app(store, coder)


@cli.command()
@click.argument("project", type=click.Path(dir_okay=False))
@click.option("--coders", nargs=2, required=True, metavar="A B", help="The two coders to reconcile.")
@click.option("--as", "actor", required=True, help="Who records the decisions (the audit trail names them).")
@click.option("--no-ui", is_flag=True, help="Record identical codings as agreed and list the disagreements; no app.")
def reconcile(project: str, coders: tuple[str, str], actor: str, no_ui: bool) -> None:
    """Open the reconciliation screen: walk through every disagreement of coders A and B."""
    from workbench.reconcile.consensus import Reconciliation

    store = _open(project)
    rec = Reconciliation(store, *coders, actor)  # fail here, with a message, on unknown coders
    if not no_ui:
        _run_app(store, reconcile=(*coders, actor))
        return
    added = rec.auto_agree()
    progress = rec.progress()
    click.echo(f"{added} identical coding(s) recorded as agreed now; "
               + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in progress.items()) + ".")
    queue = [i for i in rec.queue() if i.status in (None, "deferred")]
    if queue:
        click.echo(_table(["ref", "why", "status", *rec.names],
                          [[i.ref, ", ".join(i.reasons), i.status or "open",
                            *(_short_coding(c) for c in i.codings.values())] for i in queue]))


def _short_coding(coding) -> str:
    if coding is None or coding.category is None:
        return "not coded"
    return coding.category + (f" [{', '.join(coding.themes)}]" if coding.themes else "") + (
        " (not sure)" if coding.unsure else "")


@cli.group("export")
def refi_export() -> None:
    """Export to the REFI-QDA exchange standard (ATLAS.ti, NVivo, MAXQDA, QualCoder).

    `export qdpx` writes the whole project (transcripts, one selection per comment,
    each coder's codings as that user's codings, the agreed coding as user 'agreed',
    memos as notes, focus groups and roles as variables and cases); `export qdc`
    writes the codebook only. Read them back with `workbench import-qdpx`.
    """


_SCHEMAS_HELP = "Validate against the REFI-QDA XSDs in this folder (Project-mrt2019.xsd, Codebook.xsd) first."


@refi_export.command("qdpx")
@click.argument("project", type=click.Path(dir_okay=False))
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="The .qdpx file to write.")
@click.option("--schemas", type=click.Path(exists=True, file_okay=False), help=_SCHEMAS_HELP)
def refi_export_qdpx(project: str, out: str, schemas: str | None) -> None:
    """Write PROJECT as a REFI-QDA project (.qdpx)."""
    from workbench.exchange.refi import export_qdpx

    summary = export_qdpx(_open(project), out, schemas)
    codings = ", ".join(f"{k} {v}" for k, v in summary.codings.items()) or "none"
    click.echo(f"Wrote {out}: {summary.sources} source(s), {summary.comments} comment selection(s), "
               f"{summary.codes} code(s), users {', '.join(summary.users) or 'none'}; coded comments: {codings}; "
               f"{summary.notes} memo note(s)" + (" (validated)." if schemas else "."))


@refi_export.command("qdc")
@click.argument("project", type=click.Path(dir_okay=False))
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="The .qdc file to write.")
@click.option("--schemas", type=click.Path(exists=True, file_okay=False), help=_SCHEMAS_HELP)
def refi_export_qdc(project: str, out: str, schemas: str | None) -> None:
    """Write PROJECT's codebook as a REFI-QDA codebook (.qdc)."""
    from workbench.exchange.refi import export_qdc

    summary = export_qdc(_open(project), out, schemas)
    click.echo(f"Wrote {out}: {summary.codes} categories and themes" + (" (validated)." if schemas else "."))


@cli.command("import-qdpx")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--out", "project", required=True, type=click.Path(dir_okay=False),
              help="The new project file to create (must not exist).")
@click.option("--name", help="Project name (default: the name in the file).")
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True)
def refi_import_qdpx(file: str, project: str, name: str | None, fmt: str) -> None:
    """Create a project from a REFI-QDA project FILE (.qdpx) made by Workbench or another program.

    Text sources become focus groups whose comments are parsed from the text; codes
    become categories (top level) and themes (nested); users become coders; each
    coded selection codes the comment it covers (one comment it lies in, or the one
    comment it covers at least half of). Ambiguous selections are listed, not guessed.
    """
    from workbench.exchange.refi import import_qdpx

    report = import_qdpx(file, project, name)
    if fmt == "json":
        _echo_json(report.as_dict())
        return
    click.echo(format_qdpx_report(report))


def format_qdpx_report(report) -> str:
    lines = [f"Created {report.project} from {report.path}" + (f" ({report.origin})" if report.origin else ""),
             f"Codebook: {report.codebook}: {len(report.categories)} categories, {len(report.themes)} themes"]
    lines += [f"  {line}" for line in report.code_mapping[:40]]
    if len(report.code_mapping) > 40:
        lines.append(f"  … and {len(report.code_mapping) - 40} more codes")
    lines.append("Coders: " + (", ".join(f"{u} → {c}" if u != c else c for u, c in report.coders.items()) or "none"))
    lines.append(f"Sources: {len(report.sources)} imported, {len(report.skipped_sources)} skipped")
    for s in report.sources:
        lines.append(f"  {s['name']} → group {s['group']!r} ({s['code']}): {s['comments']} comments, "
                     f"{s['selections']} selection(s), {s['format']}")
    lines += [f"  skipped: {s}" for s in report.skipped_sources]
    lines.append("Codings: " + (", ".join(f"{k} {v}" for k, v in report.codings.items()) or "none")
                 + f" (from {report.mapped_selections} mapped selection(s))")
    if report.ambiguous:
        lines.append(f"Ambiguous selections, not imported ({len(report.ambiguous)}):")
        for a in report.ambiguous:
            cover = ", ".join(f"{ref} {share:.0%}" for ref, share in a["coverage"].items())
            lines.append(f"  {a['source']} [{a['start']}, {a['end']}) {a['text']!r}: {a['reason']} ({cover}); "
                         f"codes {', '.join(a['codes'])}")
    if report.unmapped:
        lines.append(f"Selections on no comment, not imported ({len(report.unmapped)}):")
        lines += [f"  {u['source']} [{u['start']}, {u['end']}) {u['text']!r}: {u['reason']}" for u in report.unmapped]
    lines += [f"problem: {p}" for p in report.problems]
    lines += [f"warning: {w}" for w in report.warnings]
    return "\n".join(lines)


@cli.command("import-qdc")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--out", required=True, type=click.Path(dir_okay=False),
              help="The codebook TOML to write (then `workbench init --codebook` or `codebook --replace`).")
def refi_import_qdc(file: str, out: str) -> None:
    """Convert a REFI-QDA codebook FILE (.qdc) into a Workbench codebook TOML file."""
    from workbench.exchange.refi import qdc_to_toml

    if Path(out).exists():
        raise click.ClickException(f"--out {out}: a file already exists here; choose another name")
    text = qdc_to_toml(file)
    Path(out).write_text(text, encoding="utf-8")
    click.echo(f"Wrote {out}; use it with `workbench init PROJECT --codebook {out}`.")


@cli.group("coder")
def coder_package() -> None:
    """Code on separate machines: export one coder's package, merge it into the lead's project."""


@coder_package.command("export")
@click.argument("project", type=click.Path(dir_okay=False))
@click.option("--coder", "name", required=True, help="The coder whose codings to export.")
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="The package file to write (JSON).")
def coder_package_export(project: str, name: str, out: str) -> None:
    """Write coder NAME's codings, memos and flags in PROJECT, with the hashes of the transcripts coded."""
    from workbench.exchange.package import export_package

    result = export_package(_open(project), name, out)
    click.echo(f"Wrote {out}: {result.comments} coded comment(s) of {result.coder} in "
               f"{result.transcripts} transcript(s). Send it to the lead: `workbench coder import PROJECT {out}`.")


@coder_package.command("import")
@click.argument("project", type=click.Path(dir_okay=False))
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--overwrite", is_flag=True, help="Replace codings the project already has differently (audited).")
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True)
def coder_package_import(project: str, file: str, overwrite: bool, fmt: str) -> None:
    """Merge a coder package FILE into PROJECT; refuses mismatching transcripts, lists conflicts."""
    from workbench.exchange.package import import_package

    result = import_package(_open(project), file, overwrite)
    if fmt == "json":
        _echo_json(result.as_dict())
        return
    click.echo(f"Imported {file} for {result.coder}" + (" (new coder)" if result.created_coder else "")
               + f": {result.new} new, {result.replaced} replaced, {result.unchanged} unchanged coding(s); "
               f"{result.kept} coding(s) in the project but not in the package kept.")
    for c in result.conflicts:
        click.echo(f"  replaced {c['ref']}: {c['project']} → {c['package']}")


@cli.command("open")
@click.argument("project", type=click.Path(dir_okay=False))
def open_(project: str) -> None:
    """Open PROJECT in the terminal app."""
    _run_app(_open(project))


def _run_app(store, coder: str | None = None, reconcile: tuple[str, str, str] | None = None) -> None:
    from workbench.ui.app import create_app

    create_app(store, coder, reconcile).run()


def main() -> None:
    from workbench.errors import WorkbenchError

    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except WorkbenchError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    except BrokenPipeError:
        sys.exit(0)
