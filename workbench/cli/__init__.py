"""The ``workbench`` command line: every non-interactive step, scriptable.

This module holds the top-level group and ``main``; the commands live in one module per
stage (``project``, ``speakers``, ``history``, ``ingest``, ``coding``, ``agreement``,
``reconcile``, ``reports``, ``suggest``, ``evidence``, ``training``, ``exchange``, ``serve``,
``transcripts``, ``guide``) and are registered here. Only ``click`` is imported at module level (here and in those
modules); each command imports what it needs, so ``workbench --help`` stays
fast (spaCy, pandas and Textual load on demand). How a process told to end ends, and what it
says while it waits for another's write lock, is :mod:`.process`. How a failing command ends (a
:class:`~workbench.errors.WorkbenchError` as ``error: <message>`` and exit status 1, a bug as
one message, a log file and exit status 70, JSON for ``--format json``) is :mod:`.failure`.
"""

from __future__ import annotations

import sys

import click

from workbench.cli import (
    agreement,
    coding,
    evidence,
    exchange,
    guide,
    history,
    ingest,
    participants,
    project,
    reconcile,
    reports,
    serve,
    speakers,
    suggest,
    training,
    transcripts,
)

__all__ = ["cli", "main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="workbench")
@click.option(
    "--limit",
    "limit_pairs",
    multiple=True,
    metavar="NAME=VALUE",
    help="Raise (or lower) a limit of what Workbench reads, for this command: e.g. "
    "--limit transcript-size=64M (see docs/bad-inputs.md for the limits).",
)
def cli(limit_pairs: tuple[str, ...]) -> None:
    """Workbench: code focus group transcripts with two analysts, reconcile, report.

    Start with `workbench demo`, or `workbench init PROJECT` and `workbench import`.
    """
    from workbench import limits
    from workbench.errors import LimitError

    try:
        limits.configure(limit_pairs)
    except LimitError as exc:
        raise click.BadParameter(str(exc), param_hint="--limit") from None


# Every command, by stage module (`--help` lists them alphabetically).
for _command in (
    project.init,
    project.status,
    project.codebook,
    speakers.roles,
    speakers.speakers,
    history.audit,
    project.demo,
    project.open_,
    history.backup,
    history.restore,
    guide.guide,
    ingest.import_,
    ingest.comments,
    transcripts.transcripts,
    transcripts.groups,
    participants.participants,
    coding.code,
    coding.codings,
    coding.coders,
    coding.memos,
    agreement.agreement,
    reconcile.reconcile,
    reports.report,
    suggest.suggest,
    evidence.saturation,
    evidence.validity,
    evidence.checklist,
    training.training,
    training.retest,
    exchange.refi_export,
    exchange.refi_import_qdpx,
    exchange.refi_import_qdc,
    exchange.coder_package,
    serve.serve,
    serve.users,
    serve.served_app,
):
    cli.add_command(_command)


def main() -> None:
    """Run the command in ``sys.argv``; every way it can fail ends here (:mod:`.failure`): a
    message and an exit status, never a traceback. Text printed to a terminal is shown with its
    control, format and bidi characters escaped (:func:`workbench.plain.printable`); output
    redirected to a file or a pipe keeps the text as stored."""
    from workbench import limits
    from workbench.cli import failure, process
    from workbench.store import registry

    argv = sys.argv[1:]
    limits.reset()
    process.install()
    opened = registry.snapshot()
    streams = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _printable(sys.stdout), _printable(sys.stderr, always=True)
    try:
        cli.main(args=argv, standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(1)
    except BrokenPipeError:
        sys.exit(0)
    except Exception as exc:  # noqa: BLE001 - the last line of defence (see .failure)
        sys.exit(failure.report(exc, argv))
    finally:
        registry.close_since(opened)  # checkpointed: the project file alone holds everything
        sys.stdout, sys.stderr = streams


def _printable(stream, always: bool = False):
    from workbench.plain import PrintableStream

    return PrintableStream(stream) if stream is not None and (always or _isatty(stream)) else stream


def _isatty(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
