"""Exchange commands: REFI-QDA (``export qdpx``/``qdc``, ``import-qdpx``, ``import-qdc``) and
coder packages (``coder export``/``coder import``)."""

from __future__ import annotations

import click

from workbench.cli.common import FORMATS, echo_json, open_store


@click.group("export")
def refi_export() -> None:
    """Export to the REFI-QDA exchange standard (ATLAS.ti, NVivo, MAXQDA, QualCoder).

    `export qdpx` writes the whole project (transcripts, one selection per coder and
    coded comment with that coder's codings, the agreed coding as user 'agreed',
    memos as the selection's description and as notes, focus groups and roles as
    variables and cases, and Workbench's own data for a round trip); `export qdc`
    writes the codebook only. Read them back with `workbench import-qdpx`. An
    existing file is replaced only if this project wrote it (or with --force), and
    never the project itself.
    """


_SCHEMAS_HELP = (
    "Validate against the REFI-QDA XSDs in this folder (Project-mrt2019.xsd, Codebook.xsd) first."
)


@refi_export.command("qdpx")
@click.argument("project", type=click.Path(dir_okay=False))
@click.option(
    "--out", required=True, type=click.Path(dir_okay=False), help="The .qdpx file to write."
)
@click.option("--schemas", type=click.Path(exists=True, file_okay=False), help=_SCHEMAS_HELP)
@click.option(
    "--force", is_flag=True, help="Replace an existing file that this project did not write."
)
def refi_export_qdpx(project: str, out: str, schemas: str | None, force: bool) -> None:
    """Write PROJECT as a REFI-QDA project (.qdpx)."""
    from workbench.exchange.refi import export_qdpx

    summary = export_qdpx(open_store(project), out, schemas, force)
    codings = ", ".join(f"{k} {v}" for k, v in summary.codings.items()) or "none"
    click.echo(
        f"Wrote {out}: {summary.sources} source(s), {summary.comments} comment(s), {summary.selections} "
        "selection(s) (one per coder and coded comment), "
        f"{summary.codes} code(s), users {', '.join(summary.users) or 'none'}; coded comments: {codings}; "
        f"{summary.notes} memo note(s)" + (" (validated)." if schemas else ".")
    )


@refi_export.command("qdc")
@click.argument("project", type=click.Path(dir_okay=False))
@click.option(
    "--out", required=True, type=click.Path(dir_okay=False), help="The .qdc file to write."
)
@click.option("--schemas", type=click.Path(exists=True, file_okay=False), help=_SCHEMAS_HELP)
@click.option(
    "--force", is_flag=True, help="Replace an existing file that this project did not write."
)
def refi_export_qdc(project: str, out: str, schemas: str | None, force: bool) -> None:
    """Write PROJECT's codebook as a REFI-QDA codebook (.qdc)."""
    from workbench.exchange.refi import export_qdc

    summary = export_qdc(open_store(project), out, schemas, force)
    click.echo(
        f"Wrote {out}: {summary.codes} categories and themes"
        + (" (validated)." if schemas else ".")
    )


@click.command("import-qdpx")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--out",
    "project",
    required=True,
    type=click.Path(dir_okay=False),
    help="The new project file to create (must not exist).",
)
@click.option("--name", help="Project name (default: the name in the file).")
@click.option(
    "--sources",
    type=click.Path(exists=True, file_okay=False),
    help="A folder holding source files the project names outside the archive (absolute:// or "
    "relative:// paths); only files inside it are read.",
)
@click.option(
    "--positions",
    type=click.Choice(["auto", "code-points", "utf-16"]),
    default="auto",
    show_default=True,
    help="What selection positions count: decided per source from where selections start and end "
    "(auto), or code points (the standard), or UTF-16 units (as NVivo writes them).",
)
@click.option(
    "--set-attributes/--no-set-attributes",
    default=True,
    show_default=True,
    help="ATLAS.ti document groups named 'name: value' (gender: male) as attributes of "
    "the focus groups of their documents.",
)
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True)
def refi_import_qdpx(
    file: str,
    project: str,
    name: str | None,
    sources: str | None,
    positions: str,
    set_attributes: bool,
    fmt: str,
) -> None:
    """Create a project from a REFI-QDA project FILE (.qdpx) made by Workbench or another program.

    Text sources become focus groups whose comments are parsed from the text; codes
    become categories (top level) and themes (nested); users become coders (not the
    program's own user); each coded selection codes the comment it covers (one comment
    it lies in, or the one comment it covers at least half of). Ambiguous selections
    are listed, not guessed. Source and note files are read from inside FILE only (or
    from --sources DIR); each one not read is listed with the reason.
    """
    from workbench.exchange.refi import import_qdpx

    report = import_qdpx(file, project, name, sources, positions, set_attributes)
    if fmt == "json":
        echo_json(report.as_dict())
        return
    click.echo(format_qdpx_report(report))


def format_qdpx_report(report) -> str:
    lines = [
        f"Created {report.project} from {report.path}"
        + (f" ({report.origin})" if report.origin else ""),
        f"Codebook: {report.codebook}: {len(report.categories)} categories, {len(report.themes)} themes",
    ]
    if report.restored:
        lines.append(f"Restored from {report.restored}")
    lines += [f"  {line}" for line in report.code_mapping[:40]]
    if len(report.code_mapping) > 40:
        lines.append(f"  … and {len(report.code_mapping) - 40} more codes")
    if report.renamed:
        lines.append(
            f"Codes of the same name kept apart, their parent in the name ({len(report.renamed)}):"
        )
        lines += [f"  {line}" for line in report.renamed]
    if report.keyless:
        lines.append(
            f"No shortcut key (past the keys of the keyboard; code them from the command palette, "
            f"ctrl+p): {len(report.keyless)} of {len(report.categories) + len(report.themes)} entries"
        )
    lines.append(
        "Coders: "
        + (", ".join(f"{u} → {c}" if u != c else c for u, c in report.coders.items()) or "none")
    )
    lines += [f"  not a coder: {line}" for line in report.program_users]
    lines.append(f"Sources: {len(report.sources)} imported, {len(report.skipped_sources)} skipped")
    for s in report.sources:
        lines.append(
            f"  {s['name']} → group {s['group']!r} ({s['code']}): {s['comments']} comments, "
            f"{s['selections']} selection(s), {s['format']}"
            + (f", from {s['entry']}" if s.get("entry") else "")
        )
        if s.get("positions"):
            lines.append(f"    positions read as {s['positions']}")
    lines += [f"  skipped: {s}" for s in report.skipped_sources]
    if report.skipped_notes:
        lines.append(f"Notes not read ({len(report.skipped_notes)}):")
        lines += [f"  skipped: {s}" for s in report.skipped_notes]
    if report.not_imported:
        lines.append("Not imported:")
        lines += [f"  {line}" for line in report.not_imported]
    lines.append(
        "Codings: "
        + (", ".join(f"{k} {v}" for k, v in report.codings.items()) or "none")
        + f" (from {report.mapped_selections} mapped selection(s))"
    )
    if report.ambiguous:
        lines.append(f"Ambiguous selections, not imported ({len(report.ambiguous)}):")
        for a in report.ambiguous:
            cover = ", ".join(f"{ref} {share:.0%}" for ref, share in a["coverage"].items())
            lines.append(
                f"  {a['source']} [{a['start']}, {a['end']}) {a['text']!r}: {a['reason']} ({cover}); "
                f"codes {', '.join(a['codes'])}"
            )
    if report.unmapped:
        lines.append(f"Selections on no comment, not imported ({len(report.unmapped)}):")
        lines += [
            f"  {u['source']} [{u['start']}, {u['end']}) {u['text']!r}: {u['reason']}"
            for u in report.unmapped
        ]
    if report.attributes:
        lines.append("Attributes:")
        lines += [f"  {a}" for a in report.attributes]
    lines += [f"problem: {p}" for p in report.problems]
    lines += [f"warning: {w}" for w in report.warnings]
    return "\n".join(lines)


@click.command("import-qdc")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False),
    help="The codebook TOML to write (then `workbench init --codebook` or `codebook --replace`).",
)
@click.option("--force", is_flag=True, help="Replace an existing file.")
def refi_import_qdc(file: str, out: str, force: bool) -> None:
    """Convert a REFI-QDA codebook FILE (.qdc) into a Workbench codebook TOML file."""
    from workbench.exchange.refi import qdc_to_toml
    from workbench.output import Output

    output = Output(force=force)  # no project: any existing file needs --force
    output.check(out)
    notes: list[str] = []
    output.write_text(out, qdc_to_toml(file, notes))
    click.echo(f"Wrote {out}; use it with `workbench init PROJECT --codebook {out}`.")
    for note in notes:
        click.echo(f"  {note}")


@click.group("coder")
def coder_package() -> None:
    """Code on separate machines: export one coder's package, merge it into the lead's project."""


@coder_package.command("export")
@click.argument("project", type=click.Path(dir_okay=False))
@click.option("--coder", "name", required=True, help="The coder whose codings to export.")
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False),
    help="The package file to write (JSON).",
)
@click.option(
    "--force", is_flag=True, help="Replace an existing file that this project did not write."
)
def coder_package_export(project: str, name: str, out: str, force: bool) -> None:
    """Write coder NAME's codings, memos and flags in PROJECT, with the hashes of the transcripts coded."""
    from workbench.exchange.package import export_package

    result = export_package(open_store(project), name, out, force)
    click.echo(
        f"Wrote {out}: {result.comments} coded comment(s) of {result.coder} in "
        f"{result.transcripts} transcript(s). Send it to the lead: `workbench coder import PROJECT {out}`."
    )


@coder_package.command("import")
@click.argument("project", type=click.Path(dir_okay=False))
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--overwrite",
    is_flag=True,
    help="Replace codings the project already has differently (audited).",
)
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True)
def coder_package_import(project: str, file: str, overwrite: bool, fmt: str) -> None:
    """Merge a coder package FILE into PROJECT; refuses mismatching transcripts, lists conflicts."""
    from workbench.exchange.package_import import import_package

    result = import_package(open_store(project), file, overwrite)
    if fmt == "json":
        echo_json(result.as_dict())
        return
    click.echo(
        f"Imported {file} for {result.coder}"
        + (" (new coder)" if result.created_coder else "")
        + f": {result.new} new, {result.replaced} replaced, {result.unchanged} unchanged coding(s); "
        f"{result.kept} coding(s) in the project but not in the package kept."
    )
    for c in result.conflicts:
        click.echo(f"  replaced {c['ref']}: {c['project']} → {c['package']}")
