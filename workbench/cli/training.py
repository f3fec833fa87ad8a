"""Coder training and test-retest commands: ``training`` (mark the training set, report a trainee)
and ``retest`` (draw a coder's retest sample, report their intra-coder agreement). The blind
coding itself is ``workbench code PROJECT --coder NAME --training|--retest``."""

from __future__ import annotations

import click

from workbench.cli.common import emit, open_store, text_table

FORMATS = click.Choice(["text", "md", "json", "csv", "sentence"])


@click.command()
@click.argument("project", type=click.Path(dir_okay=False))
@click.option("--coder", help="Report this trainee's agreement with the gold coding.")
@click.option(
    "--mark",
    "refs",
    multiple=True,
    metavar="REF",
    help="Add comments (refs, or a comma list) to the training set.",
)
@click.option(
    "--sample", type=int, help="Add this many agreed comments drawn at random to the training set."
)
@click.option(
    "--unmark",
    "unrefs",
    multiple=True,
    metavar="REF",
    help="Take comments out of the training set.",
)
@click.option("--as", "actor", help="Who marks the set (the lead; default: your login).")
@click.option(
    "--seed", type=int, default=1, show_default=True, help="Seed of --sample and of the bootstrap."
)
@click.option(
    "--target", type=float, default=0.80, show_default=True, help="Calibration target for kappa."
)
@click.option(
    "--bootstrap",
    type=int,
    default=1000,
    show_default=True,
    help="Bootstrap resamples for the CIs.",
)
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False), help="Write the report to this file.")
@click.option(
    "--force",
    is_flag=True,
    help="With --out: replace an existing file that this project did not write.",
)
def training(
    project, coder, refs, sample, unrefs, actor, seed, target, bootstrap, fmt, out, force
) -> None:
    """The training set and a trainee's calibration against its gold (agreed) coding.

    A lead marks the set (--mark or --sample); a trainee codes it blind with `workbench code
    PROJECT --coder NAME --training`; --coder NAME reports their kappa, alpha and AC1 with CIs
    per layer and theme, and their disagreements with the gold rationale. Without options: the
    set and each trainee's progress."""
    from workbench.evidence import text
    from workbench.evidence import training as T

    actions = sum(map(bool, (refs, sample, unrefs, coder)))
    if actions > 1:
        raise click.UsageError("give one of --mark, --sample, --unmark or --coder")
    store = open_store(project)
    split = [r for ref in refs for r in ref.split(",")]
    if split:
        done = T.mark(store, split, actor)
        click.echo(
            f"Training set: {done['marked']} comment(s) added, {done['refreshed']} gold coding(s) refreshed; "
            f"{done['total']} in the set."
        )
    elif sample is not None:
        done = T.sample(store, sample, seed, actor)
        click.echo(
            f"Training set: {done['marked']} comment(s) drawn at random (seed {seed}); "
            f"{done['total']} in the set."
        )
    elif unrefs:
        done = T.unmark(store, [r for ref in unrefs for r in ref.split(",")], actor)
        click.echo(
            f"Training set: {done['unmarked']} comment(s) taken out; {done['total']} in the set."
        )
    elif coder:
        result = T.training_report(store, coder, bootstrap, seed, target)
        emit(_report(text, result, fmt), out, store, force)
    else:
        state = T.status(store)
        if not state["comments"]:
            click.echo(
                "No training set yet: `workbench training PROJECT --mark REF ...` or `--sample N`."
            )
            return
        click.echo(
            f"Training set: {state['comments']} comments ("
            + ", ".join(f"{name} {n}" for name, n in state["by_category"].items())
            + ")."
        )
        if state["trainees"]:
            rows = [[t["person"], t["coded"], t["of"]] for t in state["trainees"]]
            click.echo(text_table(["trainee", "coded", "of"], rows, {1, 2}))


@click.command()
@click.argument("project", type=click.Path(dir_okay=False))
@click.option("--coder", required=True, help="The coder retested.")
@click.option(
    "--draw", type=int, help="Draw a retest sample of this many of the coder's coded comments."
)
@click.option(
    "--min-days",
    type=float,
    default=0.0,
    show_default=True,
    help="With --draw: only comments first coded at least this many days ago.",
)
@click.option(
    "--discard", is_flag=True, help="Delete the coder's retest sample and its recoding (audited)."
)
@click.option("--as", "actor", help="Who draws the sample (default: your login).")
@click.option(
    "--seed", type=int, default=1, show_default=True, help="Seed of the draw and of the bootstrap."
)
@click.option(
    "--bootstrap",
    type=int,
    default=1000,
    show_default=True,
    help="Bootstrap resamples for the CIs.",
)
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False), help="Write the report to this file.")
@click.option(
    "--force",
    is_flag=True,
    help="With --out: replace an existing file that this project did not write.",
)
def retest(
    project, coder, draw, min_days, discard, actor, seed, bootstrap, fmt, out, force
) -> None:
    """Test-retest (intra-coder) reliability: draw a random sample of a coder's own comments, which
    they recode blind with `workbench code PROJECT --coder NAME --retest` after a delay; without
    --draw, report kappa, alpha and AC1 with CIs of their first coding against the recoding."""
    from workbench.evidence import retest as R
    from workbench.evidence import text

    if draw is not None and discard:
        raise click.UsageError("give --draw or --discard, not both")
    store = open_store(project)
    if draw is not None:
        done = R.draw(store, coder, draw, seed, min_days, actor)
        click.echo(
            f"Drew {done['size']} of {done['person']}'s {done['coded']} coded comments (seed {seed}); "
            f"recode them with `workbench code {project} --coder {done['person']} --retest`."
        )
    elif discard:
        done = R.discard(store, coder, actor)
        click.echo(
            f"Discarded {done['person']}'s retest sample of {done['discarded']} comments "
            f"({done['recodings_deleted']} recoding(s) deleted)."
        )
    else:
        emit(_report(text, R.retest_report(store, coder, bootstrap, seed), fmt), out, store, force)


def _report(text, result: dict, fmt: str) -> str:
    """A training or retest report in ``fmt``; ``text`` is the Markdown as plain text."""
    if fmt != "text":
        return text.render(result, fmt)
    from workbench.plain import markdown_to_text

    return markdown_to_text(text.render(result, "md"))
