"""The ``report`` command: report tables, figures and the run history."""

from __future__ import annotations

import click

from workbench.cli.common import open_store, progress_lines, text_table

REPORT_TABLES = ("categories", "themes", "exemplars", "roles", "groups", "cooccurrence",
                 "theme-quotes", "behaviours")
REPORT_FORMATS = ("md", "csv", "xlsx", "docx", "tex", "html", "json")


@click.command()
@click.argument("project", type=click.Path(dir_okay=False))
@click.option("--table", "names", multiple=True, type=click.Choice(REPORT_TABLES),
              help="Table to compute (repeatable).")
@click.option("--all", "everything", is_flag=True,
              help="Every table in every format, figures and methods, into --out DIR.")
@click.option("--format", "fmt", type=click.Choice(REPORT_FORMATS), help="Default: from --out's suffix, else md.")
@click.option("--out", type=click.Path(), help="Output file (a folder with --all).")
@click.option("--coder", help="Report one coder's coding instead of the agreed coding (for audit).")
@click.option("--provisional", is_flag=True, help="Allow comments not yet agreed (tables are marked provisional).")
@click.option("--groups", help="Category table for these group codes only, comma-separated (e.g. FG1,FG2).")
@click.option("--all-quotes", is_flag=True, help="Exemplar table with every quote, not only marked exemplars.")
@click.option("--theme", "quote_themes", multiple=True,
              help="With --table theme-quotes: this theme's comments (key or name; repeatable; default every theme).")
@click.option("--by", "by", metavar="ATTRIBUTE",
              help="The themes, behaviours and categories tables by an attribute (e.g. site), or "
                   "by role or group: counts and % of comments, and of participants.")
@click.option("--where", "where", multiple=True, metavar="CONDITION",
              help="Only the comments of participants (or groups) meeting it, e.g. condition=CF or "
                   "age>=40 (repeatable: all must hold).")
@click.option("--participants", "participants", is_flag=True,
              help="Table 3 (--table themes) with the participants who raised each theme, beside "
                   "the comments.")
@click.option("--figure", type=click.Path(dir_okay=False), help="Also write the theme chart (.png or .svg).")
@click.option("--history", is_flag=True, help="List earlier report runs and the coding they were computed from.")
@click.option("--force", is_flag=True, help="Replace existing files that this project did not write.")
def report(project, names, everything, fmt, out, coder, provisional, groups, all_quotes,
           quote_themes, by, where, participants, figure, history, force) -> None:
    """Report tables from the agreed coding: Word, Excel, LaTeX, Markdown, CSV, HTML, JSON.

    `--table theme-quotes` lists every comment carrying a theme (one table per theme, with
    its definition and counts; `--theme` picks themes); it is not part of --all. `--table
    behaviours` (effective and ineffective comments by focus group, or `--by` an attribute)
    is not either; --all adds the tables by every declared attribute.

    Every run is saved in the project with a fingerprint of the coding it read
    (see --history), so a number in a manuscript can be traced to its coding.
    """
    from workbench.reports import runs as R

    store = open_store(project)
    if history:
        runs = R.history(store)
        headers = ["run", "at", "by", "tables", "coding", "codebook", "fingerprint", "outputs"]
        click.echo(text_table(headers,
                              [[r["id"], r["at"][:19], r["actor"], ",".join(r["tables"]),
                                r["parameters"]["coder"], r["parameters"].get("codebook", "-"),
                                r["fingerprint"][:12], len(r["outputs"])]
                               for r in runs]) if runs else "No report runs yet.")
        return
    if everything:
        if not out:
            raise click.UsageError("--all needs --out DIR")
        written, record = R.export_all(store, out, coder, provisional,
                                       progress=progress_lines(),
                                       force=force)
        click.echo(f"Wrote {len(written)} files to {out} (run {record['run']}, coding {record['fingerprint'][:12]}, "
                   f"codebook {record['parameters']['codebook']}).")
        return
    if not names:
        raise click.UsageError("name a table with --table, or use --all or --history")
    if quote_themes and "theme-quotes" not in names:
        raise click.UsageError("--theme picks the themes of --table theme-quotes; add --table theme-quotes")
    if participants and "themes" not in names:
        raise click.UsageError("--participants adds a column to --table themes; add --table themes")
    from workbench.output import for_project
    from workbench.project.where import parse

    chosen_where = parse(store, where)
    output = for_project(store, force)  # --out and --figure: checked first, written together
    for path, option in ((out, "--out"), (figure, "--figure")):
        if path:
            output.check(path, option)
    tables, record = R.build(store, list(names), coder, provisional,
                             groups.split(",") if groups else None, all_quotes,
                             list(quote_themes) or None, by, chosen_where, participants)
    from workbench.reports.exports import render, writer

    outputs = []
    if out:
        output.add(out, writer(tables, out, fmt))
        outputs.append(out)
    else:
        chosen = fmt or "md"
        if chosen in ("xlsx", "docx"):
            raise click.UsageError(f"--format {chosen} needs --out FILE")
        click.echo("\n\n".join(render(t, chosen) for t in tables))
    if figure:
        from workbench.reports.figures import chart_writer

        theme = next((t for t in tables if t.key == "themes"), None)
        if theme is None:
            theme = R.build(store, ["themes"], coder, provisional)[0][0]
        output.add(figure, chart_writer(theme, figure), "--figure")
        outputs.append(figure)
    output.commit()
    run = R.save_run(store, tables, record, outputs)
    if outputs:
        click.echo(f"Wrote {', '.join(outputs)} (run {run}, coding {record['fingerprint'][:12]}, "
                   f"codebook {record['parameters']['codebook']}).")
