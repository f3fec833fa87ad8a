"""The ``suggest`` commands: machine-assisted coding, trained and measured like a coder.

``train``, ``evaluate``, ``show`` (one comment), ``review`` (agreed codings the model
contradicts), ``code --as NAME`` (the model's coding as a coder), ``precode`` (only the
uncoded comments the model is sure of), ``on``/``off`` (the coding screen's suggestions
for one coder), ``status``.
"""

from __future__ import annotations

import json

import click

from workbench.cli.common import echo_json, open_store

_by = click.option(
    "--by",
    type=click.Choice(["group", "transcript"]),
    default="group",
    show_default=True,
    help="Hold out whole focus groups (or transcripts) in cross-validation, never single comments.",
)
_folds = click.option(
    "--folds", default=5, show_default=True, help="Cross-validation folds (at most one per group)."
)
_minimum = click.option(
    "--min-per-class",
    "minimum",
    default=5,
    show_default=True,
    help="Coded comments a category or theme needs to be learnt.",
)
_seed = click.option(
    "--seed", default=1, show_default=True, help="Seed of the folds' fits and bootstrap."
)


def _cross_validation(command):
    """The options every cross-validating command takes."""
    for option in (_seed, _minimum, _folds, _by):
        command = option(command)
    return command


def _progress(label: str):
    from workbench.cli.common import progress_lines

    return progress_lines(label)  # None unless standard error is a terminal


@click.group()
def suggest() -> None:
    """Machine-assisted coding: a model of the agreed coding, measured like a coder."""


@suggest.command()
@click.argument("project", type=click.Path(dir_okay=False))
@click.option("--coder", help="Learn this coder's own coding instead of the agreed one.")
@_cross_validation
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def train(project, coder, by, folds, minimum, seed, fmt) -> None:
    """Cross-validate, then train on every coded comment and store the model in the project."""
    from workbench.suggest.text import model_summary
    from workbench.suggest.training import train as run

    model = run(open_store(project), coder, by, folds, seed, minimum, progress=_progress("fold"))
    if fmt == "json":
        echo_json({"model": model.id, **model.info})
    else:
        click.echo(model_summary(model.info, model.id))


@suggest.command()
@click.argument("project", type=click.Path(dir_okay=False))
@click.option("--coder", help="Evaluate a model of this coder's coding instead of the agreed one.")
@_cross_validation
@click.option(
    "--bootstrap",
    default=1000,
    show_default=True,
    help="Bootstrap resamples for the CIs (0: none).",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "md", "json"]), default="text", show_default=True
)
@click.option(
    "--out", type=click.Path(dir_okay=False), help="Write to this file instead of the screen."
)
@click.option(
    "--figure",
    type=click.Path(dir_okay=False),
    help="Also draw the coverage-agreement figure (.png, .svg or .pdf).",
)
@click.option(
    "--target-kappa",
    "target",
    type=click.FloatRange(0.5, 0.95),
    default=0.8,
    show_default=True,
    help="The category kappa the team would pre-code at: the bar for it is chosen on training folds.",
)
@click.option(
    "--force",
    is_flag=True,
    help="With --out: replace an existing file that this project did not write.",
)
def evaluate(
    project, coder, by, folds, minimum, seed, bootstrap, fmt, out, figure, target, force
) -> None:
    """Nested grouped cross-validation: which model the data choose, its agreement with the coding
    per layer and theme, the coverage-agreement curve, precision/recall/F1 and a learning
    curve. Stores nothing."""
    from workbench.output import for_project
    from workbench.suggest.evaluation import evaluate as run
    from workbench.suggest.text import evaluation_markdown

    store = open_store(project)
    output = for_project(store, force)
    for path, option in ((out, "--out"), (figure, "--figure")):
        if path:
            output.check(path, option)  # refuse before minutes of cross-validation
    if figure and not figure.lower().endswith((".png", ".svg", ".pdf")):
        raise click.ClickException(f"--figure {figure}: name a .png, .svg or .pdf file")
    report = run(
        store,
        coder,
        by,
        folds,
        seed,
        minimum,
        bootstrap,
        progress=_progress("step"),
        target=round(target, 2),
    )
    if fmt == "json":
        text = json.dumps(report, indent=2, ensure_ascii=False)
    elif fmt == "md":
        text = evaluation_markdown(report)
    else:  # 80 columns, the full agreement in the agreement report's text form
        from workbench.agreement.results import AgreementReport
        from workbench.reports.agreement_text import text as agreement_text
        from workbench.suggest.evaluation_text import evaluation_text

        heading = f"Agreement in full: the model × the {report['trained_on']} coding"
        full = AgreementReport.from_dict(report["agreement"])  # the evaluation keeps it as JSON
        text = evaluation_text(report) + "\n\n" + agreement_text(full, heading)
    if figure:
        from workbench.suggest.figure import coverage_chart

        output.add(
            figure,
            lambda tmp: coverage_chart(report, tmp, figure.rsplit(".", 1)[-1].lower()),
            "--figure",
        )
    if out:
        output.add(out, lambda tmp: tmp.write_text(text + "\n", encoding="utf-8"))
    else:
        click.echo(text)
    output.commit()
    for path in (out, figure):
        if path:
            click.echo(f"Wrote {path}.", err=True)


@suggest.command()
@click.argument("project", type=click.Path(dir_okay=False))
@click.argument("ref")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def show(project, ref, fmt) -> None:
    """What the newest model suggests for one comment (by ref), with probabilities."""
    from dataclasses import asdict

    from workbench.suggest.training import require_model

    store = open_store(project)
    found = store.find_ref(ref)
    if found is None:
        raise click.ClickException(f"no comment {ref!r} in this project")
    suggestion = require_model(store).suggest(store.comment(found[0]).text)
    if fmt == "json":
        echo_json({"ref": found[1], **asdict(suggestion)})
        return
    names = {
        **{c.key: c.name for c in store.categories()},
        **{t.key: t.name for t in store.themes()},
    }
    click.echo(f"{found[1]}: {names[suggestion.category]} (p = {suggestion.probability:.2f})")
    for key, p in suggestion.themes:
        click.echo(f"  {names[key]} (p = {p:.2f})")


@suggest.command()
@click.argument("project", type=click.Path(dir_okay=False))
@click.option(
    "--confidence",
    default=0.8,
    show_default=True,
    help="List a comment when the held-out model is at least this sure of something else.",
)
@click.option("--top", type=int, help="At most this many, most confident first.")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def review(project, confidence, top, fmt) -> None:
    """Agreed codings the cross-validated model contradicts, ranked; stored as a queue for
    `workbench reconcile PROJECT --review`."""
    from dataclasses import asdict

    from workbench.suggest.review import review as run
    from workbench.suggest.text import review_lines

    store = open_store(project)
    model_id, items = run(store, confidence, top, progress=_progress("fold"))
    if fmt == "json":
        echo_json({"model": model_id, "items": [asdict(i) for i in items]})
        return
    names = {
        **{c.key: c.name for c in store.categories()},
        **{t.key: t.name for t in store.themes()},
    }
    click.echo(review_lines(model_id, items, names))
    if items:
        click.echo(f"\nWalk through them: workbench reconcile {project} --review --as NAME")


@suggest.command("code")
@click.argument("project", type=click.Path(dir_okay=False))
@click.option("--as", "name", default="model", show_default=True, help="The model coder's name.")
def code_(project, name) -> None:
    """Write the model's coding as a coder (kind model): cross-validated where it learnt from
    the comment, so every agreement report and export works on it honestly."""
    from workbench.suggest.machine import code_as_model

    summary = code_as_model(open_store(project), name, progress=_progress("fold"))
    click.echo(
        f"Coded {summary['comments']} comment(s) as {summary['coder']!r} with model {summary['model']}: "
        f"{summary['cross_validated']} by a model that never saw their focus group, "
        f"{summary['predicted']} not yet coded by the final model. "
        f"Compare: workbench agreement {project} --coders {summary['coder']} NAME"
    )


@suggest.command()
@click.argument("project", type=click.Path(dir_okay=False))
@click.option(
    "--target-kappa",
    "target",
    type=float,
    default=0.8,
    show_default=True,
    help="The category kappa pre-codes must reach (.50 to .95): the bar for it was chosen on "
    "training folds when the model was trained.",
)
@click.option(
    "--as", "name", default="model", show_default=True, help="The model coder's name (kind model)."
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def precode(project, target, name, fmt) -> None:
    """Pre-code, as a coder of kind model, only the comments nobody has coded that the model is sure
    of (its confidence at the bar for --target-kappa); the rest stay for people. Refused when no
    bar reaches the target on this project's data."""
    from workbench.suggest.precode import precode as run

    summary = run(open_store(project), target, name)
    if fmt == "json":
        echo_json(summary)
        return
    share = summary["precoded"] / summary["uncoded"] if summary["uncoded"] else 0

    def num(x):
        return "-" if x is None else f"{x:.3f}".replace("0.", ".", 1)

    click.echo(
        f"Pre-coded {summary['precoded']} of the {summary['uncoded']} comment(s) nobody has coded "
        f"({share:.0%}) as {summary['coder']!r} with model {summary['model']}, at p ≥ {summary['bar']:.2f} "
        f"(the bar for category κ ≥ {num(summary['target'])}; cross-validated, with bars chosen on "
        f"training folds: {summary['cv_share']:.0%} of held-out comments coded at κ = "
        f"{num(summary['cv_kappa'])}). The other {summary['uncoded'] - summary['precoded']} stay for "
        f"people. Review them: workbench reconcile {project} --review --precodes --as NAME"
    )


def _switch(project: str, coder: str, on: bool, new: bool = False) -> None:
    from workbench.suggest.settings import set_suggestions

    message = set_suggestions(open_store(project), coder, on, new=new)
    click.echo(message)


@suggest.command("on")
@click.argument("project", type=click.Path(dir_okay=False))
@click.option("--coder", required=True, help="The coder who will see suggestions while coding.")
@click.option("--new", is_flag=True, help="A coder who has not coded yet (a name not seen before).")
def on_(project, coder, new) -> None:
    """Show this coder the model's suggestions in the coding screen (off by default)."""
    _switch(project, coder, True, new)


@suggest.command("off")
@click.argument("project", type=click.Path(dir_okay=False))
@click.option("--coder", required=True, help="The coder who will no longer see suggestions.")
def off_(project, coder) -> None:
    """Stop showing this coder the model's suggestions."""
    _switch(project, coder, False)


@suggest.command()
@click.argument("project", type=click.Path(dir_okay=False))
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def status(project, fmt) -> None:
    """The stored models, and which coders see suggestions."""
    from workbench.suggest.settings import status as run
    from workbench.suggest.text import model_summary

    data = run(open_store(project))
    if fmt == "json":
        echo_json(data)
        return
    if not data["models"]:
        click.echo("No model yet: `workbench suggest train PROJECT`.")
    for model in data["models"]:
        stale = "" if model["current"] else " (an earlier codebook: not used)"
        click.echo(
            f"{model_summary(model['summary'], model['id'])}\nTrained {model['created_at'][:19]} by "
            f"{model['created_by']}{stale}.\n"
        )
    coders = data["suggestions"]
    click.echo(
        "Suggestions shown to: "
        + (", ".join(coders) if coders else "nobody (blind first-pass coding)")
    )
    if data["accepted"]:
        click.echo(
            "Suggestion-accepted codings: "
            + ", ".join(f"{c} {n}" for c, n in data["accepted"].items())
        )
