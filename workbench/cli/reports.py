"""The ``report`` command: report tables, figures and the run history."""

from __future__ import annotations

import click

from workbench.cli.common import open_store, progress_lines, text_table

REPORT_TABLES = (
    "categories",
    "themes",
    "exemplars",
    "roles",
    "groups",
    "cooccurrence",
    "theme-quotes",
    "behaviours",
)
REPORT_FORMATS = ("md", "csv", "xlsx", "docx", "tex", "html", "json")


@click.command()
@click.argument("project", type=click.Path(dir_okay=False))
@click.option(
    "--table",
    "names",
    multiple=True,
    type=click.Choice(REPORT_TABLES),
    help="Table to compute (repeatable).",
)
@click.option(
    "--all",
    "everything",
    is_flag=True,
    help="Every table in every format, figures and methods, into --out DIR.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(REPORT_FORMATS),
    help="Default: from --out's suffix, else md.",
)
@click.option("--out", type=click.Path(), help="Output file (a folder with --all).")
@click.option("--coder", help="Report one coder's coding instead of the agreed coding (for audit).")
@click.option(
    "--provisional",
    is_flag=True,
    help="Allow comments not yet agreed (tables are marked provisional).",
)
@click.option(
    "--groups", help="Category table for these group codes only, comma-separated (e.g. FG1,FG2)."
)
@click.option(
    "--all-quotes", is_flag=True, help="Exemplar table with every quote, not only marked exemplars."
)
@click.option(
    "--theme",
    "quote_themes",
    multiple=True,
    help="With --table theme-quotes: this theme's comments (key or name; repeatable; default every theme).",
)
@click.option(
    "--by",
    "by",
    metavar="ATTRIBUTE",
    help="The themes, behaviours and categories tables by an attribute (e.g. site), or "
    "by role or group: counts and % of comments, and of participants.",
)
@click.option(
    "--where",
    "where",
    multiple=True,
    metavar="CONDITION",
    help="Only the comments of participants (or groups) meeting it, e.g. condition=CF or "
    "age>=40 (repeatable: all must hold).",
)
@click.option(
    "--participants",
    "participants",
    is_flag=True,
    help="Table 3 (--table themes) with the participants who raised each theme, beside "
    "the comments.",
)
@click.option(
    "--figure", type=click.Path(dir_okay=False), help="Also write the theme chart (.png or .svg)."
)
@click.option(
    "--history",
    is_flag=True,
    help="List earlier report runs and the coding they were computed from.",
)
@click.option(
    "--force", is_flag=True, help="Replace existing files that this project did not write."
)
def report(
    project,
    names,
    everything,
    fmt,
    out,
    coder,
    provisional,
    groups,
    all_quotes,
    quote_themes,
    by,
    where,
    participants,
    figure,
    history,
    force,
) -> None:
    """Report tables from the agreed coding: Word, Excel, LaTeX, Markdown, CSV, HTML, JSON.

    `--table theme-quotes` lists every comment carrying a theme (one table per theme, with
    its definition and counts; `--theme` picks themes); it is not part of --all. `--table
    behaviours` (effective and ineffective comments by focus group, or `--by` an attribute)
    is not either; --all adds the tables by every declared attribute.

    Every run is saved in the project with a fingerprint of the coding it read
    (see --history), so a number in a manuscript can be traced to its coding.
    """
    from workbench.reports import runs as R
    from workbench.reports import writing as W

    store = open_store(project)
    if history:
        runs = R.history(store)
        headers = ["run", "at", "by", "tables", "coding", "codebook", "fingerprint", "outputs"]
        click.echo(
            text_table(
                headers,
                [
                    [
                        r["id"],
                        r["at"][:19],
                        r["actor"],
                        ",".join(r["tables"]),
                        r["parameters"]["coder"],
                        r["parameters"].get("codebook", "-"),
                        r["fingerprint"][:12],
                        len(r["outputs"]),
                    ]
                    for r in runs
                ],
            )
            if runs
            else "No report runs yet."
        )
        return
    if everything:
        if not out:
            raise click.UsageError("--all needs --out DIR")
        run = W.write_all(store, out, coder, provisional, progress=progress_lines(), force=force)
        click.echo(
            f"Wrote {len(run.outputs)} files to {out} (run {run.run}, "
            f"coding {run.fingerprint[:12]}, codebook {run.codebook})."
        )
        return
    if not names:
        raise click.UsageError("name a table with --table, or use --all or --history")
    if quote_themes and "theme-quotes" not in names:
        raise click.UsageError(
            "--theme picks the themes of --table theme-quotes; add --table theme-quotes"
        )
    if participants and "themes" not in names:
        raise click.UsageError("--participants adds a column to --table themes; add --table themes")
    if not out and (fmt or "md") in ("xlsx", "docx"):
        raise click.UsageError(f"--format {fmt} needs --out FILE")
    from workbench.output import for_project
    from workbench.project.where import parse
    from workbench.reports.exports import render

    request = W.ReportRequest(
        tuple(names),
        coder,
        provisional,
        tuple(groups.split(",")) if groups else None,
        all_quotes,
        tuple(quote_themes) or None,
        by,
        parse(store, where),
        participants,
        fmt,
    )
    # --out and --figure: checked first, written together
    run = W.write_report(store, request, out, for_project(store, force), figure=figure)
    if not out:
        click.echo("\n\n".join(render(t, fmt or "md") for t in run.tables))
    if run.outputs:
        click.echo(
            f"Wrote {', '.join(run.outputs)} (run {run.run}, coding {run.fingerprint[:12]}, "
            f"codebook {run.codebook})."
        )
