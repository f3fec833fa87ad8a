"""The scripting API's coding: a coder's session, coding sheets, the coding as a frame, a
transcript with its codes, memos, agreement, reconciliation, machine-assisted coding
(re-exported by :mod:`workbench.api`)."""

from __future__ import annotations

from pathlib import Path

from workbench.store import Store


def coding_session(project: Store, coder: str):
    """A coder's :class:`~workbench.coding.session.CodingSession`: the app's rules, audited."""
    from workbench.coding.session import CodingSession

    return CodingSession.start(project, coder)


def import_codings(
    project: Store, sheet: str | Path, *, agreed: bool = False, overwrite: bool = False
):
    """Import a coding sheet (CSV or XLSX), all or nothing; ``agreed`` for the agreed coding."""
    from workbench.exchange.sheets import import_sheet

    return import_sheet(project, sheet, agreed=agreed, overwrite=overwrite)


def coding_frame(project: Store, coder: str | None = None):
    """The agreed coding (or ``coder``'s) as a pandas DataFrame, one row per codable comment."""
    from workbench.reports.runs import coding_source, frame

    return frame(project, coding_source(project, coder))


def agreement(
    project: Store,
    coders: list[str] | None = None,
    *,
    group: str | None = None,
    bootstrap: int = 1000,
    seed: int | None = 1,
) -> dict:
    """The agreement report of two or more coders (as `workbench agreement --format json`)."""
    from workbench.agreement.reliability import project_agreement

    return project_agreement(project, coders, group, bootstrap, seed).as_dict()


def agreement_markdown(report: dict) -> str:
    """An agreement report as Markdown, ready for a supplement."""
    from workbench.agreement import presentation, results

    return presentation.markdown(results.AgreementReport.from_dict(report))


def reconciliation(project: Store, coder_a: str, coder_b: str, lead: str):
    """Reconcile two coders (as `workbench reconcile`): ``auto_agree()``, ``queue()``, ``take()``, ..."""
    from workbench.reconcile.consensus import Reconciliation

    return Reconciliation(project, coder_a, coder_b, lead)


def transcript(project: Store, group: str, coder: str | None = None) -> list:
    """A focus group's comments in transcript order, each with the agreed coding of it (or
    ``coder``'s): ``.ref``, ``.speaker``, ``.role``, ``.text``, ``.coding`` (None: not coded)."""
    from workbench.coding.views import transcript as run
    from workbench.coding.views import whose_named

    return run(project, group, whose_named(project, coder))


def memos(project: Store, coder: str | None = None, search: str = "") -> list:
    """The memos of the agreed coding (or ``coder``'s) in transcript order, as `workbench memos`."""
    from workbench.coding.memos import memos as run
    from workbench.coding.views import whose_named

    return run(project, whose_named(project, coder), search)


def evaluate_model(
    project: Store,
    coder: str | None = None,
    *,
    by: str = "group",
    folds: int = 5,
    bootstrap: int = 1000,
) -> dict:
    """Machine-assisted coding's cross-validated evaluation (as `workbench suggest evaluate --format json`)."""
    from workbench.suggest.evaluation import evaluate

    return evaluate(project, coder, by, folds, bootstrap=bootstrap)


def train_model(project: Store, coder: str | None = None, *, by: str = "group", folds: int = 5):
    """Train and store a model of the agreed (or ``coder``'s) coding; ``.suggest(text)``, ``.info``."""
    from workbench.suggest.training import train

    return train(project, coder, by, folds)


def model(project: Store):
    """The newest stored model for the project's codebook (None if there is none)."""
    from workbench.suggest.training import latest_model

    return latest_model(project)
