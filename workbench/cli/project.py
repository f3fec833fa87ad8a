"""Commands on the project itself: ``init``, ``status``, ``codebook``, ``roles``, ``speakers``,
``audit``, ``demo``, ``open``, ``backup`` and ``restore``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from workbench.cli.common import FORMATS, echo_json, open_store, run_app, text_table
from workbench.cli.ingest import format_report

if TYPE_CHECKING:
    from workbench.store import Store


@click.command()
@click.argument("project", type=click.Path(dir_okay=False))
@click.option("--codebook", "codebook_path", type=click.Path(exists=True, dir_okay=False),
              help="Codebook file: TOML, or a CSV/Excel codebook with a code column (default: the bundled "
                   "coproduction codebook).")
@click.option("--name", help="Project name (default: the file name).")
def init(project: str, codebook_path: str | None, name: str | None) -> None:
    """Create a new project file PROJECT with a codebook."""
    from pathlib import Path

    from workbench.project.codebook import load_codebook
    from workbench.project.lifecycle import active_codebook, init_project

    loaded = load_codebook(codebook_path) if codebook_path else None
    store = init_project(
        project, codebook=loaded, source_name=Path(codebook_path).name if codebook_path else None
    )
    book = active_codebook(store)
    click.echo(
        f"Created {project} with codebook {book['name']!r} {book['version']} "
        f"({len(store.categories())} categories, {len(store.themes())} themes)."
    )
    _codebook_notes(loaded, project, codebook_path)


def _codebook_notes(loaded, project: str, path: str | None) -> None:
    """What reading a CSV or Excel codebook guessed, and where its TOML is."""
    if loaded is None or not loaded.notes:
        return
    click.echo(f"Read {path}:")
    for note in loaded.notes:
        click.echo(f"  {note}")
    click.echo(f"The codebook is kept as TOML: `workbench codebook {project} --format toml` writes it.")


@click.command()
@click.argument("project", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True)
def status(project: str, fmt: str) -> None:
    """Summary of PROJECT: codebook, focus groups, comments, speakers, coders."""
    from workbench.project.status import project_status
    from workbench.reconcile.consensus import project_counts

    store = open_store(project)
    data = project_status(store)
    data["reconciliation"] = project_counts(store) if store.reconciliations() else None
    if fmt == "json":
        echo_json(data)
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
        lines.append(text_table(
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
    for coder, n in data.get("needs_theme", {}).items():
        lines.append(f"{coder}: {n} behaviour comment(s) still need a theme (not counted as coded)")
    used = {c: v for c, v in data.get("codebook_used", {}).items() if v}
    if used and any(len(v) > 1 or v[0]["version"] != book["version"] for v in used.values()):
        from workbench.project.versions import cite

        lines.append("Codebook versions the coding used: " + "; ".join(f"{c} {cite(v)}" for c, v in used.items()))
    elif used:
        lines.append(f"Every coding was made with codebook version {book['version']}.")
    for coder, refs in data.get("to_review", {}).items():
        shown = ", ".join(refs[:8]) + (" ..." if len(refs) > 8 else "")
        lines.append(f"{coder}: {len(refs)} coding(s) made before their comment's text was corrected, to review: "
                     f"{shown}")
    if data.get("reconciliation"):
        from workbench.reconcile.changes import counts_line

        lines.append("Reconciliation: " + counts_line(data["reconciliation"]))
    return "\n".join(lines)


@click.command()
@click.argument("project", type=click.Path(dir_okay=False))
@click.option("--replace", "replacement", type=click.Path(exists=True, dir_okay=False),
              help="Install this codebook file (TOML, or a CSV/Excel codebook) instead of the current one.")
@click.option("--force", is_flag=True, help="Replace even though codings exist (audited).")
@click.option("--version", "version", help="With --replace: the new codebook's version (default: its own, "
                                           "bumped if that names another codebook of this project).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "toml"]), default="text", show_default=True)
def codebook(project: str, replacement: str | None, force: bool, version: str | None, fmt: str) -> None:
    """Show the project's codebook, or replace it with --replace."""
    from workbench.project.codebook import load_codebook
    from workbench.project.lifecycle import replace_codebook

    store = open_store(project)
    if version is not None and not replacement:
        raise click.UsageError("--version goes with --replace FILE")
    if replacement:
        loaded = load_codebook(replacement)
        outcome = replace_codebook(store, replacement, force, version, codebook=loaded)
        book, declared = store.active_codebook(), loaded.version
        bumped = outcome == "replaced" and version is None and book["version"] != declared
        click.echo(f"Codebook {outcome}: {book['name']!r} version {book['version']} from {replacement}"
                   + (f" (the file says {declared}, the version of a codebook this project used already; "
                      "--version sets another)" if bumped else ""))
        _codebook_notes(loaded, project, replacement)
        return
    book = store.active_codebook()
    if fmt == "toml":
        click.echo(book["content"], nl=False)
        return
    cats, themes = store.categories(), store.themes()
    if fmt == "json":
        fields = ("key", "name", "version", "sha256", "source_name")
        echo_json({"codebook": {k: book[k] for k in fields}, "categories": cats, "themes": themes})
        return
    click.echo(f"{book['name']} {book['version']} (sha256 {book['sha256'][:12]}, from {book['source_name']})")
    click.echo("\nCategories")
    click.echo(text_table(["key", "shortcut", "name", "themes"],
                          [[c["key"], c["shortcut"], c["name"],
                            "yes" if c["takes_themes"] else "no"] for c in cats]))
    click.echo("\nThemes")
    click.echo(text_table(["key", "shortcut", "name", "definition"],
                          [[t["key"], t["shortcut"], t["name"], t["definition"]] for t in themes]))


@click.command()
@click.argument("project", type=click.Path(dir_okay=False))
@click.option("--add", nargs=2, metavar="KEY NAME", help="Add a role, e.g. --add Sibling 'Sibling'.")
@click.option("--excluded", is_flag=True, help="With --add: comments of this role are not coded by default.")
def roles(project: str, add: tuple[str, str] | None, excluded: bool) -> None:
    """List the project's speaker roles, or add one."""
    from workbench.project.roles import find_role

    store = open_store(project)
    if add:
        key, name = add
        known = store.roles()
        if find_role(key, known) or find_role(name, known):
            raise click.ClickException(f"--add {key} {name!r}: a role with this key or name already exists")
        with store.transaction():
            store.add_role(key, name, excluded)
            store.audit("create", "role", key, after={"name": name, "excluded": excluded})
    click.echo(text_table(["key", "name", "coded", "also matches"],
                          [[r.key, r.name, "no" if r.excluded else "yes",
                            ", ".join(r.aliases)] for r in store.roles()]))


@click.command()
@click.argument("project", type=click.Path(dir_okay=False))
@click.option("--group", help="Only this focus group (name or code).")
@click.option("--set", "assignments", multiple=True, metavar="LABEL=ROLE",
              help="Give speaker LABEL (in --group) the role ROLE; re-derives exclusion of their comments.")
@click.option("--rename", "renames", multiple=True, metavar="OLD=NEW", help="Call speaker OLD (in --group) NEW.")
@click.option("--merge", "merges", multiple=True, metavar="FROM=INTO",
              help="Make FROM's comments INTO's (one person under two labels, in --group).")
@click.option("--comment", "ref", metavar="REF", help="With --speaker: the comment (e.g. FG1-006) to give a speaker.")
@click.option("--speaker", "label", metavar="LABEL", help="With --comment: its speaker (a new one if none matches).")
@click.option("--force", is_flag=True, help="Change the speaker of coded comments too (their codings are kept).")
def speakers(project: str, group: str | None, assignments: tuple[str, ...], renames: tuple[str, ...],
             merges: tuple[str, ...], ref: str | None, label: str | None, force: bool) -> None:
    """List speakers with their roles and comment counts; set a role, rename a label, merge two
    labels into one speaker, or give one comment its speaker (every change audited)."""
    from workbench.project import speakers as fix

    store = open_store(project)
    if (ref is None) != (label is None):
        raise click.UsageError("--comment and --speaker go together: --comment FG1-006 --speaker p3")
    if (assignments or renames or merges) and not group:
        raise click.UsageError("--set, --rename and --merge need --group: speaker labels are per focus group")
    if group:  # (--set, --rename and --merge need it: checked above)
        _change_speakers(store, group, assignments, renames, merges, force)
    if ref is not None and label is not None:  # (both or neither: checked above)
        click.echo(fix.set_comment_speaker(store, ref, label, force).message)
    group_row = store.group_by_name(group) if group else None
    if group and group_row is None:
        raise click.ClickException(f"--group {group!r}: no such focus group")
    rows = store.speakers(group_row.id if group_row else None)
    click.echo(text_table(["group", "speaker", "role", "comments", "words"],
                          [[s.group_name, s.label, s.role_key or "-", s.comments,
                            s.words] for s in rows], right={3, 4}))


def _change_speakers(
    store: Store, group: str, assignments: tuple[str, ...], renames: tuple[str, ...],
    merges: tuple[str, ...], force: bool,
) -> None:
    """``speakers --set/--rename/--merge`` in one group."""
    from workbench.project import speakers as fix
    from workbench.project.status import set_speaker_roles

    if assignments:
        set_speaker_roles(store, group, assignments)
    for option, pairs, run in (
        ("--rename", renames, lambda a, b: fix.rename_speaker(store, group, a, b)),
        ("--merge", merges, lambda a, b: fix.merge_speakers(store, group, a, b, force)),
    ):
        for pair in pairs:
            old, sep, new = pair.rpartition("=")
            if not sep or not old.strip() or not new.strip():
                raise click.UsageError(
                    f"{option} {pair!r}: expected {option[2:].upper()} LABEL=LABEL"
                )
            click.echo(run(old.strip(), new.strip()).message)


@click.command()
@click.argument("project", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["text", "csv", "json"]), default="text", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False), help="Write to this file instead of the screen.")
@click.option("--action", "actions", multiple=True, help="Only these actions (e.g. reconcile, import); repeatable.")
@click.option("--force", is_flag=True, help="With --out: replace an existing file that this project did not write.")
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
    if out and output is not None:  # (set together)
        output.write_text(out, buffer.getvalue(), newline="")
        click.echo(f"Wrote {len(rows)} audit row(s) to {out}.")


@click.command()
@click.option("--no-ui", is_flag=True, help="Build the demo project and print a summary; do not open the app.")
@click.option("--project", "path", default="workbench-demo.db", show_default=True, type=click.Path(dir_okay=False),
              help="Where the demo project file is built (or reopened).")
@click.option("--rebuild", is_flag=True, help="Delete the demo project first and build it anew.")
@click.option("--coded", is_flag=True, help="Also two analysts' codings, round 1 and the lead's reconciliation.")
def demo(no_ui: bool, path: str, rebuild: bool, coded: bool) -> None:
    """Build (or reopen) the demo project from the bundled fictional transcripts."""
    from workbench.demo import build_demo, code_demo

    store, reports = build_demo(path, rebuild)
    if coded:
        done = code_demo(store)
        if done["coded"]:
            click.echo(f"Coded by {' and '.join(done['coders'])}; agreement frozen as round {done['round']}; "
                       f"{done['automatic']} identical codings agreed, {done['decided']} decided by the lead.",
                       err=True)
        else:
            click.echo("The demo project already has codings; left as it is (--rebuild starts afresh).", err=True)
    if no_ui:
        for report in reports:
            click.echo(format_report(report))
        from workbench.project.status import project_status

        click.echo("")
        click.echo(format_status(project_status(store)))
        return
    run_app(store)


@click.command()
@click.argument("project", type=click.Path(exists=True, dir_okay=False))
@click.option("--out", type=click.Path(dir_okay=False),
              help="The backup file (default: PROJECT.backups/<time>-manual.db).")
@click.option("--list", "list_", is_flag=True,
              help="List the backups made of PROJECT and what their checks said.")
def backup(project: str, out: str | None, list_: bool) -> None:
    """A consistent copy of PROJECT, safe to take while others code (SQLite's online backup),
    checked with SQLite's quick_check before it is kept: a damaged project is refused."""
    from workbench.project.backups import backup_project

    store = open_store(project)
    if list_:
        rows = [[r.made_at[:19].replace("T", " "), r.reason,
                 "passed" if r.passed else f"failed: {r.check_result}",
                 "" if r.kept and Path(r.path).exists() else "(gone)", r.path]
                for r in store.backups()]
        click.echo(text_table(["made (UTC)", "reason", "check", "", "file"], rows) if rows else
                   "No backups recorded yet: `workbench backup PROJECT`.")
        return
    record = backup_project(store, out)
    click.echo(f"Backed up to {record.path} ({record.size:,} bytes; passed SQLite's check).")


@click.command()
@click.argument("backup_file", metavar="BACKUP", type=click.Path(dir_okay=False))
@click.argument("project", type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True,
              help="Restore even while other processes have PROJECT open (they then see the "
                   "restored project), or over a file there that SQLite cannot read.")
def restore(backup_file: str, project: str, force: bool) -> None:
    """Put the backup BACKUP back as PROJECT. The project as it is now is kept in
    PROJECT.backups/ first; refused while another process has PROJECT open, unless --force."""
    from workbench.project.backups import restore_project

    result = restore_project(backup_file, project, force)
    for notice in result.notices:
        click.echo(f"note: {notice}", err=True)
    upgraded = f"; upgraded from schema {result.schema_from} to {result.schema_to}" \
        if result.schema_from != result.schema_to else ""
    click.echo(f"Restored {project} from {backup_file}{upgraded}.")
    if result.kept:
        check = "passed its check" if result.kept_check == "ok" else f"check: {result.kept_check}"
        click.echo(f"The project as it was is kept as {result.kept} ({check}).")
    if result.others:
        click.echo(f"{result.others} other process(es) had the project open: they now see the "
                   "restored project.", err=True)


@click.command("open")
@click.argument("project", type=click.Path(dir_okay=False))
def open_(project: str) -> None:
    """Open PROJECT in the terminal app."""
    run_app(open_store(project))
