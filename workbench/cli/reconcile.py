"""The ``reconcile`` command: the reconciliation screen, or auto-agreement and the open queue."""

from __future__ import annotations

import click

from workbench.cli.common import _open, _run_app, _table


@click.command()
@click.argument("project", type=click.Path(dir_okay=False))
@click.option("--coders", nargs=2, required=True, metavar="A B", help="The two coders to reconcile.")
@click.option("--as", "actor", required=True, help="Who records the decisions (the audit trail names them).")
@click.option("--no-ui", is_flag=True, help="Record identical codings as agreed and list the disagreements; no app.")
def reconcile(project: str, coders: tuple[str, str], actor: str, no_ui: bool) -> None:
    """Open the reconciliation screen: walk through every disagreement of coders A and B."""
    from workbench.reconcile.consensus import Reconciliation

    store = _open(project)
    rec = Reconciliation(store, *coders, actor)  # fail here, with a message, on unknown coders
    if not no_ui:
        _run_app(store, reconcile=(*coders, actor))
        return
    added = rec.auto_agree()
    progress = rec.progress()
    click.echo(f"{added} identical coding(s) recorded as agreed now; "
               + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in progress.items()) + ".")
    queue = [i for i in rec.queue() if i.status in (None, "deferred")]
    if queue:
        click.echo(_table(["ref", "why", "status", *rec.names],
                          [[i.ref, ", ".join(i.reasons), i.status or "open",
                            *(_short_coding(c) for c in i.codings.values())] for i in queue]))


def _short_coding(coding) -> str:
    if coding is None or coding.category is None:
        return "not coded"
    return coding.category + (f" [{', '.join(coding.themes)}]" if coding.themes else "") + (
        " (not sure)" if coding.unsure else "")
