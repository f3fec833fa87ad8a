"""The ``workbench`` command line: every non-interactive step, scriptable.

This module holds the top-level group and ``main``; the commands live in one module per
stage (``project``, ``ingest``, ``coding``, ``agreement``, ``reconcile``, ``reports``,
``suggest``, ``evidence``, ``training``, ``exchange``, ``serve``) and are registered here. Only ``click`` is imported at module level (here
and in those modules); each command imports what it needs, so ``workbench --help`` stays
fast (spaCy, pandas and Textual load on demand). A :class:`~workbench.errors.WorkbenchError`
becomes ``error: <message>`` on stderr and exit status 1.
"""

from __future__ import annotations

import sys

import click

from workbench.cli import (
    agreement,
    coding,
    evidence,
    exchange,
    ingest,
    project,
    reconcile,
    reports,
    serve,
    suggest,
    training,
)

__all__ = ["cli", "main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="workbench")
def cli() -> None:
    """Workbench: code focus group transcripts with two analysts, reconcile, report.

    Start with `workbench demo`, or `workbench init PROJECT` and `workbench import`.
    """


# Every command, by stage module (`--help` lists them alphabetically).
for _command in (
    project.init, project.status, project.codebook, project.roles, project.speakers, project.audit,
    project.demo, project.open_, project.backup,
    ingest.import_, ingest.comments,
    coding.code, coding.codings, coding.coders, coding.memos,
    agreement.agreement,
    reconcile.reconcile,
    reports.report,
    suggest.suggest,
    evidence.saturation, evidence.validity, evidence.checklist, training.training, training.retest,
    exchange.refi_export, exchange.refi_import_qdpx, exchange.refi_import_qdc, exchange.coder_package,
    serve.serve, serve.users, serve.served_app,
):
    cli.add_command(_command)


def main() -> None:
    from workbench.errors import WorkbenchError

    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except WorkbenchError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    except BrokenPipeError:
        sys.exit(0)
