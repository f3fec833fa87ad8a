"""Commands on the project itself: ``init``, ``status``, ``codebook``, ``demo`` and ``open``.

Who speaks (``roles``, ``speakers``) is :mod:`.speakers`; the audit trail, backups and
restoring one are :mod:`.history`."""

from __future__ import annotations

import click

from workbench.cli.common import FORMATS, echo_json, open_store, run_app, text_table
from workbench.cli.ingest import format_report


@click.command()
@click.argument("project", type=click.Path(dir_okay=False))
@click.option(
    "--codebook",
    "codebook_path",
    type=click.Path(exists=True, dir_okay=False),
    help="Codebook file: TOML, or a CSV/Excel codebook with a code column (default: the bundled "
    "coproduction codebook).",
)
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
    click.echo(
        f"The codebook is kept as TOML: `workbench codebook {project} --format toml` writes it."
    )


@click.command()
@click.argument("project", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True)
def status(project: str, fmt: str) -> None:
    """Summary of PROJECT: codebook, focus groups, comments, speakers, coders."""
    from workbench.project.status import project_status
    from workbench.reconcile.project import project_counts

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
            [
                g["code"],
                g["name"],
                g["kind"] or "-",
                g["date"] or "-",
                g["transcripts"],
                g["speakers"],
                g["comments"],
                g["codable"],
                f"{g['words']:,}",
            ]
            for g in groups
        ]
        totals = data["totals"]
        rows.append(
            [
                "",
                "total",
                "",
                "",
                totals["transcripts"],
                totals["speakers"],
                totals["comments"],
                totals["codable"],
                f"{totals['words']:,}",
            ]
        )
        lines.append(
            text_table(
                [
                    "code",
                    "group",
                    "kind",
                    "date",
                    "files",
                    "speakers",
                    "comments",
                    "to code",
                    "words",
                ],
                rows,
                right={4, 5, 6, 7, 8},
            )
        )
    else:
        lines.append("No focus groups yet: add transcripts with `workbench import`.")
    lines.append("")
    missing = data["speakers_without_role"]
    lines.append("Speakers without a role: " + (", ".join(missing) if missing else "none"))
    lines.append(f"Comments without a speaker: {data['totals']['no_speaker']}")
    coders, coded, total = data["coders"], data["coded"], data["totals"]["codable"]
    lines.append(
        "Coders: "
        + (
            ", ".join(f"{c} ({coded.get(c, 0)}/{total} coded)" for c in coders)
            if coders
            else "none yet"
        )
    )
    if "agreed" in coded:
        lines.append(f"Agreed coding: {coded['agreed']}/{total} comments")
    for coder, n in data.get("needs_theme", {}).items():
        lines.append(f"{coder}: {n} behaviour comment(s) still need a theme (not counted as coded)")
    used = {c: v for c, v in data.get("codebook_used", {}).items() if v}
    if used and any(len(v) > 1 or v[0]["version"] != book["version"] for v in used.values()):
        from workbench.project.versions import cite

        lines.append(
            "Codebook versions the coding used: "
            + "; ".join(f"{c} {cite(v)}" for c, v in used.items())
        )
    elif used:
        lines.append(f"Every coding was made with codebook version {book['version']}.")
    for coder, refs in data.get("to_review", {}).items():
        shown = ", ".join(refs[:8]) + (" ..." if len(refs) > 8 else "")
        lines.append(
            f"{coder}: {len(refs)} coding(s) made before their comment's text was corrected, to review: "
            f"{shown}"
        )
    if data.get("reconciliation"):
        from workbench.reconcile.changes import counts_line

        lines.append("Reconciliation: " + counts_line(data["reconciliation"]))
    return "\n".join(lines)


@click.command()
@click.argument("project", type=click.Path(dir_okay=False))
@click.option(
    "--replace",
    "replacement",
    type=click.Path(exists=True, dir_okay=False),
    help="Install this codebook file (TOML, or a CSV/Excel codebook) instead of the current one.",
)
@click.option("--force", is_flag=True, help="Replace even though codings exist (audited).")
@click.option(
    "--version",
    "version",
    help="With --replace: the new codebook's version (default: its own, "
    "bumped if that names another codebook of this project).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "toml"]),
    default="text",
    show_default=True,
)
def codebook(
    project: str, replacement: str | None, force: bool, version: str | None, fmt: str
) -> None:
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
        click.echo(
            f"Codebook {outcome}: {book['name']!r} version {book['version']} from {replacement}"
            + (
                f" (the file says {declared}, the version of a codebook this project used already; "
                "--version sets another)"
                if bumped
                else ""
            )
        )
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
    click.echo(
        f"{book['name']} {book['version']} (sha256 {book['sha256'][:12]}, from {book['source_name']})"
    )
    click.echo("\nCategories")
    click.echo(
        text_table(
            ["key", "shortcut", "name", "themes"],
            [[c.key, c.shortcut, c.name, "yes" if c.takes_themes else "no"] for c in cats],
        )
    )
    click.echo("\nThemes")
    click.echo(
        text_table(
            ["key", "shortcut", "name", "definition"],
            [[t.key, t.shortcut, t.name, t.definition] for t in themes],
        )
    )


@click.command()
@click.option(
    "--no-ui", is_flag=True, help="Build the demo project and print a summary; do not open the app."
)
@click.option(
    "--project",
    "path",
    default="workbench-demo.db",
    show_default=True,
    type=click.Path(dir_okay=False),
    help="Where the demo project file is built (or reopened).",
)
@click.option("--rebuild", is_flag=True, help="Delete the demo project first and build it anew.")
@click.option(
    "--coded",
    is_flag=True,
    help="Also two analysts' codings, round 1 and the lead's reconciliation.",
)
def demo(no_ui: bool, path: str, rebuild: bool, coded: bool) -> None:
    """Build (or reopen) the demo project from the bundled fictional transcripts."""
    from workbench.demo import build_demo, code_demo

    store, reports = build_demo(path, rebuild)
    if coded:
        done = code_demo(store)
        if done["coded"]:
            click.echo(
                f"Coded by {' and '.join(done['coders'])}; agreement frozen as round {done['round']}; "
                f"{done['automatic']} identical codings agreed, {done['decided']} decided by the lead.",
                err=True,
            )
        else:
            click.echo(
                "The demo project already has codings; left as it is (--rebuild starts afresh).",
                err=True,
            )
    if no_ui:
        for report in reports:
            click.echo(format_report(report))
        from workbench.project.status import project_status

        click.echo("")
        click.echo(format_status(project_status(store)))
        return
    run_app(store)


@click.command("open")
@click.argument("project", type=click.Path(dir_okay=False))
def open_(project: str) -> None:
    """Open PROJECT in the terminal app."""
    run_app(open_store(project))
