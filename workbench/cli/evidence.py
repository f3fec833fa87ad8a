"""Methods-evidence commands: ``saturation``, ``validity`` and ``checklist`` (and, in
``cli/training``, ``training`` and ``retest``). Only click at module level."""

from __future__ import annotations

import click

from workbench.cli.common import emit, open_store

TEXT_FORMATS = click.Choice(["text", "md", "json", "csv"])


@click.command()
@click.argument("project", type=click.Path(dir_okay=False))
@click.option("--coder", help="A coder's coding instead of the agreed coding.")
@click.option(
    "--base",
    type=int,
    help="Base size: the first groups, whose themes are the denominator "
    "(default: 4, or with fewer than 6 groups the largest base that leaves the run, stated).",
)
@click.option(
    "--run",
    "run_length",
    type=int,
    default=2,
    show_default=True,
    help="Run length: the groups in which new themes are counted.",
)
@click.option(
    "--min-comments",
    type=int,
    default=1,
    show_default=True,
    help="Code-frequency variant: a theme counts as found once coded on this many comments.",
)
@click.option(
    "--order",
    default="dates",
    show_default=True,
    help="The order the groups were held: dates, import, or group codes, e.g. FG2,FG1,FG3.",
)
@click.option(
    "--orders",
    type=int,
    default=1000,
    show_default=True,
    help="Random orders for the order-independent version (every order when there are fewer).",
)
@click.option("--seed", type=int, default=1, show_default=True, help="Seed of the random orders.")
@click.option(
    "--provisional",
    is_flag=True,
    help="Allow comments the coding has not reached yet (marked provisional).",
)
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
    type=click.Choice(["text", "md", "json", "csv", "sentence"]),
    default="text",
    show_default=True,
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False),
    help="Write to this file (.docx/.xlsx/.tex/.html too).",
)
@click.option(
    "--figure", type=click.Path(dir_okay=False), help="Also write the figure (.png or .svg)."
)
@click.option(
    "--force", is_flag=True, help="Replace existing files that this project did not write."
)
def saturation(
    project,
    coder,
    base,
    run_length,
    min_comments,
    order,
    orders,
    seed,
    provisional,
    where,
    fmt,
    out,
    figure,
    force,
) -> None:
    """Thematic saturation (Guest, Namey & Chen 2020): new themes per focus group in the order held,
    the saturation ratio of each run at <=5% and 0% new information, and the share of group orders
    that reach saturation. Each run is recorded (see `workbench report --history`)."""
    from workbench.evidence import saturation_report as S
    from workbench.evidence.saturation import Params
    from workbench.evidence.saturation_project import saturation as assess
    from workbench.evidence.saturation_project import save_run
    from workbench.output import for_project

    store = open_store(project)
    output = for_project(store, force)  # --out and --figure: checked first, written together
    for path, option in ((out, "--out"), (figure, "--figure")):
        if path:
            output.check(path, option)
    from workbench.project.where import parse

    result = assess(
        store,
        Params(base=base, run=run_length, min_comments=min_comments),
        coder,
        order,
        orders,
        seed,
        provisional,
        parse(store, where),
    )
    outputs = []
    if out and out.lower().endswith((".docx", ".xlsx", ".tex", ".html")):
        from workbench.reports.exports import writer

        output.add(out, writer(S.tables(result), out))
    elif out:
        output.add(
            out, lambda tmp: tmp.write_text(_render(S, result, fmt) + "\n", encoding="utf-8")
        )
    else:
        click.echo(_render(S, result, fmt))
    if out:
        outputs.append(out)
    if figure:
        from workbench.evidence.figures import saturation_chart

        kind = "svg" if figure.lower().endswith(".svg") else "png"
        output.add(figure, lambda tmp: saturation_chart(result, tmp, kind), "--figure")
        outputs.append(figure)
    output.commit()
    for path in outputs:
        click.echo(f"Wrote {path}.", err=True)
    run = save_run(store, result, outputs)
    click.echo(f"Saturation run {run} recorded (counts {result['fingerprint'][:12]}).", err=True)


def _render(S, result: dict, fmt: str) -> str:
    """A saturation report in ``fmt``; ``text`` is the Markdown as plain text."""
    if fmt != "text":
        return S.render(result, fmt)
    from workbench.plain import markdown_to_text

    return markdown_to_text(S.render(result, "md"))


@click.command()
@click.argument("project", type=click.Path(dir_okay=False))
@click.option(
    "--format", "fmt", type=click.Choice(["text", "md", "json"]), default="text", show_default=True
)
@click.option(
    "--out", type=click.Path(dir_okay=False), help="Write to this file instead of the screen."
)
@click.option(
    "--force",
    is_flag=True,
    help="With --out: replace an existing file that this project did not write.",
)
def validity(project, fmt, out, force) -> None:
    """Coder validity from reconciliation: how often each coder's coding was taken into the agreed
    coding, on the disagreements and overall, per category and per theme (as CAT reports it)."""
    import json

    from workbench.evidence.validity import coder_validity, markdown

    store = open_store(project)
    result = coder_validity(store)
    if fmt == "json":
        text = json.dumps(result, indent=2, ensure_ascii=False)
    else:
        from workbench.plain import markdown_to_text

        text = markdown(result) if fmt == "md" else markdown_to_text(markdown(result))
    emit(text, out, store, force)


@click.command()
@click.argument("project", type=click.Path(dir_okay=False))
@click.option(
    "--guideline",
    type=click.Choice(["coreq", "srqr"], case_sensitive=False),
    default="coreq",
    show_default=True,
    help="COREQ (32 items, Tong et al. 2007) or SRQR (21 items, O'Brien et al. 2014).",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False),
    help="Write .md, .docx or .json (default: Markdown on screen).",
)
@click.option(
    "--base",
    type=int,
    help="Saturation base size (default: the last saturation run's, else 4 or "
    "with fewer than 6 groups the largest that leaves the run).",
)
@click.option(
    "--run", "run_length", type=int, help="Saturation run length (default: the last run's, else 2)."
)
@click.option(
    "--order", help="Saturation order of the groups (default: the last run's, else dates)."
)
@click.option(
    "--force",
    is_flag=True,
    help="With --out: replace an existing file that this project did not write.",
)
def checklist(project, guideline, out, base, run_length, order, force) -> None:
    """Fill a reporting checklist from the project: page-ready text for the items it can answer,
    and what the authors still need to write for the rest."""
    from workbench.evidence.checklist import checklist as fill
    from workbench.evidence.checklist import markdown, write

    store = open_store(project)
    result = fill(store, guideline, base=base, run=run_length, order=order)
    c = result["counts"]
    if out:
        from pathlib import Path

        from workbench.output import for_project

        fmt = {".docx": "docx", ".json": "json"}.get(Path(out).suffix.lower(), "md")
        for_project(store, force).write(out, lambda tmp: write(result, tmp, fmt))
        click.echo(
            f"Wrote {out}: {c['drafted']} drafted, {c['partly drafted']} partly drafted, "
            f"{c['for the authors']} for the authors.",
            err=True,
        )
    else:
        click.echo(markdown(result))
