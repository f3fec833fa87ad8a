"""The scripting API's methods evidence: saturation, training, retest, coder validity and the
reporting checklists (re-exported by :mod:`workbench.api`)."""

from __future__ import annotations

from pathlib import Path

from workbench.store import Store


def saturation(
    project: Store,
    *,
    base: int | None = None,
    run: int = 2,
    min_comments: int = 1,
    coder: str | None = None,
    order: str = "dates",
    orders: int = 1000,
    seed: int = 1,
    provisional: bool = False,
) -> dict:
    """Thematic saturation after Guest, Namey & Chen 2020 (as `workbench saturation --format json`,
    not recorded); ``workbench.evidence.saturation_report.sentence(result)`` is its methods sentence.
    ``base=None``: 4, or with fewer groups the largest base that leaves the run (stated in the result)."""
    from workbench.evidence.saturation import Params
    from workbench.evidence.saturation_project import saturation as assess  # not `run`: a parameter

    return assess(
        project,
        Params(base=base, run=run, min_comments=min_comments),
        coder,
        order,
        orders,
        seed,
        provisional,
    )


def training_report(
    project: Store, coder: str, *, bootstrap: int = 1000, seed: int = 1, target: float = 0.80
) -> dict:
    """A trainee's agreement with the training set's gold coding (as `workbench training --coder`)."""
    from workbench.evidence.training import training_report as run

    return run(project, coder, bootstrap, seed, target)


def retest_report(project: Store, coder: str, *, bootstrap: int = 1000, seed: int = 1) -> dict:
    """A coder's intra-coder agreement on their retest sample (as `workbench retest --coder`)."""
    from workbench.evidence.retest import retest_report as run

    return run(project, coder, bootstrap, seed)


def coder_validity(project: Store) -> dict:
    """How often each coder's coding was taken in reconciliation (as `workbench validity`)."""
    from workbench.evidence.validity import coder_validity as run

    return run(project)


def checklist(project: Store, guideline: str = "coreq", out: str | Path | None = None) -> dict:
    """COREQ or SRQR filled from the project (as `workbench checklist`); written to ``out`` if given."""
    from workbench.evidence.checklist import checklist as fill
    from workbench.evidence.checklist import write

    result = fill(project, guideline)
    if out is not None:
        from workbench.output import for_project

        fmt = {".docx": "docx", ".json": "json"}.get(Path(out).suffix.lower(), "md")
        for_project(project).write(out, lambda tmp: write(result, tmp, fmt))
    return result
