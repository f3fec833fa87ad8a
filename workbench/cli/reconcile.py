"""The ``reconcile`` command: the reconciliation screen, or auto-agreement and the open queue;
with ``--review``, the review queue of agreed codings a model contradicts."""

from __future__ import annotations

import click

from workbench.cli.common import open_store, run_app, text_table


@click.command()
@click.argument("project", type=click.Path(dir_okay=False))
@click.option("--coders", nargs=2, metavar="A B", help="The two coders to reconcile.")
@click.option(
    "--review",
    is_flag=True,
    help="Walk the review queue of `workbench suggest review` instead: keep or change each agreed "
    "coding the model contradicts.",
)
@click.option(
    "--precodes",
    is_flag=True,
    help="With --review: walk the model's pre-codes (`workbench suggest precode`): keep each, or "
    "return the comment to the coders.",
)
@click.option("--as", "actor", help="Who records the decisions (the audit trail names them).")
@click.option(
    "--no-ui",
    is_flag=True,
    help="Record identical codings as agreed and list the disagreements "
    "(with --review: list the queue); no app.",
)
@click.option(
    "--log",
    "log",
    is_flag=True,
    help="The reconciliation log: for every reconciled comment, each "
    "coder's coding, the decision, the agreed coding, the rationale, "
    "who and when.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "csv", "xlsx", "docx", "json"]),
    help="With --log: the format (default: from --out's suffix, else md).",
)
@click.option("--out", type=click.Path(dir_okay=False), help="With --log: write it to this file.")
@click.option(
    "--force",
    is_flag=True,
    help="With --out: replace an existing file that this project did not write.",
)
def reconcile(
    project: str,
    coders: tuple[str, str] | None,
    review: bool,
    precodes: bool,
    actor: str | None,
    no_ui: bool,
    log: bool,
    fmt: str | None,
    out: str | None,
    force: bool,
) -> None:
    """Open the reconciliation screen: walk through every disagreement of coders A and B
    (--coders A B), or through the agreed codings a model contradicts (--review); --log
    writes the reconciliation log."""
    if log:
        _log(open_store(project), fmt, out, force)
        return
    if fmt or out:
        raise click.UsageError("--format and --out go with --log")
    if not actor:
        raise click.UsageError("give --as NAME: who records the decisions")
    if review == bool(coders):
        raise click.UsageError(
            "give --coders A B to reconcile two coders, or --review to walk the review queue"
        )
    if precodes and not review:
        raise click.UsageError(
            "--precodes goes with --review: workbench reconcile PROJECT --review --precodes"
        )
    store = open_store(project)
    if review or coders is None:  # (one or the other: checked above)
        _review(store, actor, no_ui, "precode" if precodes else "review")
        return
    from workbench.reconcile.consensus import Reconciliation

    rec = Reconciliation(
        store, coders[0], coders[1], actor
    )  # fail here, with a message, on unknown coders
    if not no_ui:
        run_app(store, reconcile=(*coders, actor))
        return
    from workbench.reconcile.changes import counts_line

    added = rec.auto_agree()
    click.echo(
        f"{added} identical coding(s) recorded as agreed now; {counts_line(rec.progress())}."
    )
    queue = [i for i in rec.queue() if i.open]
    if queue:
        click.echo(
            text_table(
                ["ref", "why", "status", *rec.names],
                [
                    [
                        i.ref,
                        ", ".join(i.reasons),
                        i.state,
                        *(_short_coding(c) for c in i.codings.values()),
                    ]
                    for i in queue
                ],
            )
        )


def _log(store, fmt: str | None, out: str | None, force: bool) -> None:
    from workbench.errors import WorkbenchError
    from workbench.reconcile.log import reconciliation_log
    from workbench.reports.reconciliation_log import log_table, log_writer, render_json

    entries = reconciliation_log(store)
    if not entries:
        raise WorkbenchError(
            "nothing is reconciled yet: reconcile two coders first (`workbench reconcile PROJECT "
            "--coders A B --as NAME`)"
        )
    if out:
        from workbench.output import for_project

        output = for_project(store, force)
        output.check(out)
        output.add(out, log_writer(store, out, fmt, entries))
        output.commit()
        click.echo(f"Wrote the reconciliation log of {len(entries)} comment(s) to {out}.", err=True)
        return
    chosen = fmt or "md"
    if chosen in ("xlsx", "docx"):
        raise click.UsageError(f"--format {chosen} needs --out FILE")
    if chosen == "json":
        click.echo(render_json(entries), nl=False)
        return
    from workbench.reports.exports import render

    click.echo(render(log_table(store, entries), chosen))


def _review(store, actor: str, no_ui: bool, queue: str) -> None:
    from workbench.reconcile.review import Review

    review = Review(store, actor, queue=queue)  # fail here, with a message, without a model
    if not no_ui:
        run_app(store, review=actor, review_queue=queue)
        return
    items = review.items()
    if not items and queue == "precode":
        click.echo(
            f"{review.model} has no pre-codes to review: `workbench suggest precode PROJECT` makes them."
        )
        return
    if not items:
        click.echo(
            f"The review queue of {review.model} is empty: `workbench suggest review PROJECT` ranks the "
            "agreed codings the model contradicts (none, if it found none)."
        )
        return
    click.echo(
        f"Review queue of {review.model}: "
        + ", ".join(f"{k} {v}" for k, v in review.progress().items())
        + "."
    )
    click.echo(
        text_table(
            ["ref", "p", "why", "decision", *review.names],
            [
                [
                    i.ref,
                    f"{i.confidence:.2f}",
                    i.reasons[0],
                    i.status or "open",
                    *(_short_coding(c) for c in i.codings.values()),
                ]
                for i in items
            ],
            right={1},
        )
    )


def _short_coding(coding) -> str:
    if coding is None or coding.category is None:
        return "not coded"
    return (
        coding.category
        + (f" [{', '.join(coding.themes)}]" if coding.themes else "")
        + (" (not sure)" if coding.unsure else "")
    )
