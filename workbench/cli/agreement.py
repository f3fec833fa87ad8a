"""The ``agreement`` command: inter-coder agreement reports and frozen agreement rounds."""

from __future__ import annotations

import json

import click

from workbench.cli.common import emit, open_store, text_table


@click.command()
@click.argument("project", type=click.Path(dir_okay=False))
@click.option(
    "--coders", nargs=2, metavar="A B", help="The two coders to compare (default: every coder)."
)
@click.option("--group", help="Only this focus group (name or code).")
@click.option(
    "--where",
    "where",
    multiple=True,
    metavar="CONDITION",
    help="Only the comments of participants (or groups) meeting it, e.g. condition=CF "
    "(repeatable: all must hold).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "md", "json", "csv", "docx", "xlsx"]),
    default="text",
    show_default=True,
    help="text fits 80 columns; docx and xlsx (with --out) hold the tables as "
    "the report tables do.",
)
@click.option(
    "--out", type=click.Path(dir_okay=False), help="Write to this file instead of the screen."
)
@click.option(
    "--bootstrap",
    default=1000,
    show_default=True,
    help="Bootstrap resamples for the alphas' CIs (0: none).",
)
@click.option(
    "--seed", default=1, show_default=True, help="Seed of the bootstrap (same seed, same CIs)."
)
@click.option(
    "--freeze",
    is_flag=True,
    help="Save this report as the next agreement round (round 1: before reconciling).",
)
@click.option("--label", help="With --freeze: the round's name (default 'round N').")
@click.option("--rounds", "show_rounds", is_flag=True, help="Show the frozen rounds side by side.")
@click.option(
    "--unfreeze",
    type=int,
    metavar="N",
    help="Remove agreement round N (audited, with what it held).",
)
@click.option(
    "--suggested",
    type=click.Choice(["include", "exclude", "separate"]),
    default="include",
    show_default=True,
    help="Codings taken from a model's suggestion: count them, leave out the "
    "comments they touch, or report those comments apart.",
)
@click.option(
    "--force",
    is_flag=True,
    help="With --out: replace an existing file that this project did not write.",
)
def agreement(
    project,
    coders,
    group,
    where,
    fmt,
    out,
    bootstrap,
    seed,
    freeze,
    label,
    show_rounds,
    unfreeze,
    suggested,
    force,
) -> None:
    """Inter-coder agreement: percent, Cohen's kappa, Krippendorff's alpha, Gwet's AC1, per layer and theme."""
    from workbench.agreement import presentation as Show
    from workbench.agreement import reliability as Rel
    from workbench.agreement import rounds as Rounds

    store = open_store(project)
    if unfreeze is not None:
        if freeze or show_rounds:
            raise click.UsageError("--unfreeze N goes alone (not with --freeze or --rounds)")
        removed = Rounds.unfreeze_round(store, unfreeze)
        click.echo(
            f"Removed agreement round {removed.number} ({removed.label}, frozen "
            f"{removed.created_at[:10]} by {removed.created_by}); the audit trail keeps "
            "what it held."
        )
        return
    if fmt in ("docx", "xlsx") and not out:
        raise click.UsageError(f"--format {fmt} writes a file: add --out FILE.{fmt}")
    if out:
        from workbench.output import for_project

        for_project(store, force).check(out)  # before any work, and before --freeze saves a round
    if show_rounds:
        rounds = Rounds.frozen_rounds(store)
        if not rounds:
            raise click.ClickException(
                "no frozen rounds yet: `workbench agreement PROJECT --freeze`"
            )
        if fmt in ("docx", "xlsx"):
            from workbench.reports.agreement_tables import rounds_tables

            _write_tables(store, rounds_tables(rounds), out, fmt, force)
            return
        if fmt == "json":
            text = json.dumps(store.rounds(), indent=2, ensure_ascii=False)  # as kept
        else:
            header, body = Rounds.rounds_table(rounds)
            if fmt == "csv":
                import csv
                import io

                buffer = io.StringIO()
                csv.writer(buffer, lineterminator="\n").writerows([header, *body])
                text = buffer.getvalue()
            elif fmt == "md":
                text = "\n".join(
                    [
                        "| " + " | ".join(header) + " |",
                        "|" + "---|" * len(header),
                        *("| " + " | ".join(row) + " |" for row in body),
                    ]
                )
            else:
                text = text_table(header, body)
        emit(text, out, store, force)
        return
    chosen = list(coders) if coders else None
    from workbench.project.where import parse

    where = parse(store, where)
    if suggested == "separate":
        if freeze:
            raise click.UsageError("--freeze takes one report: use --suggested include or exclude")
        parts = {
            name: Rel.project_agreement(store, chosen, group, bootstrap, seed, mode, where=where)
            for name, mode in (("unassisted", "exclude"), ("assisted", "only"))
        }
        headings = (
            ("unassisted", "Inter-coder agreement: comments without an accepted suggestion"),
            ("assisted", "Inter-coder agreement: comments where a coder accepted a suggestion"),
        )
        if fmt == "json":
            text = json.dumps(
                {name: part.as_dict() for name, part in parts.items()}, indent=2, ensure_ascii=False
            )
        elif fmt in ("csv", "docx", "xlsx"):
            raise click.UsageError("--suggested separate: choose --format text, md or json")
        elif fmt == "text":
            from workbench.reports.agreement_text import text as as_text

            text = "\n\n".join(as_text(parts[name], heading) for name, heading in headings)
        else:
            text = "\n\n".join(Show.markdown(parts[name], heading) for name, heading in headings)
        emit(text, out, store, force)
        return
    report = Rel.project_agreement(store, chosen, group, bootstrap, seed, suggested, where=where)
    if freeze:
        number = Rounds.freeze_round(store, report, label)
        click.echo(f"Frozen as agreement round {number}.", err=True)
    if fmt in ("docx", "xlsx"):
        from workbench.reports.agreement_tables import tables

        _write_tables(store, tables(report), out, fmt, force)
        return
    if fmt == "json":
        text = json.dumps(report.as_dict(), indent=2, ensure_ascii=False)
    elif fmt == "csv":
        import csv
        import io

        rows = Show.rows(report)
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        text = buffer.getvalue()
    elif fmt == "text":
        from workbench.reports.agreement_text import text as as_text

        text = as_text(report)
    else:
        text = Show.markdown(report)
    emit(text, out, store, force)


def _write_tables(store, tables, out: str, fmt: str, force: bool) -> None:
    """Word or Excel, as the report tables are written (the output rule of workbench.output)."""
    from workbench.output import for_project
    from workbench.reports.exports import writer

    for_project(store, force).write(out, writer(tables, out, fmt))
    click.echo(f"Wrote {out}.", err=True)
