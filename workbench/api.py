"""The public Python API: what a script or a notebook imports, in one place.

    from workbench import api as wb

    project = wb.create_project("study.db")            # or wb.open_project("study.db")
    wb.import_transcripts(project, ["fg1.txt"], group="Health professionals",
                          kind="individual", roster="fg1_roster.csv")
    wb.import_codings(project, "codings.xlsx")          # ref, coder, category, themes, ...
    report = wb.agreement(project, ["ana", "ben"])      # kappa, alpha, AC1 with CIs
    print(wb.agreement_markdown(report))
    wb.import_codings(project, "agreed.csv", agreed=True)
    [themes] = wb.tables(project, ["themes"])           # Table 3: .rows, .data (pandas)
    wb.write_report(project, ["themes"], "table3.docx")  # written and recorded, as `workbench report`
    wb.saturation(project, base=3, run=2)                # Guest et al. (2020), in the order held
    wb.checklist(project, "coreq", "coreq.docx")         # COREQ filled from the project

Machine-assisted coding: ``wb.evaluate_model(project)``, ``wb.train_model(project)``,
``wb.model(project).suggest(text)``.

A project is a :class:`~workbench.store.Store` (one SQLite file). Each function
here is the one the command line calls, so a script gets the same numbers, the
same checks and the same audit trail. The coefficients themselves, for data from
elsewhere, are in :mod:`workbench.agreement` (``cohen_kappa``,
``krippendorff_alpha``, ``gwet_ac1``, ...). Heavy libraries load on first use.
"""

from __future__ import annotations

from pathlib import Path

from workbench.reports.runs import TABLES
from workbench.store import Store

__all__ = [
    "Store", "create_project", "open_project", "import_transcripts", "status", "comments",
    "coding_session", "import_codings", "coding_frame", "agreement", "agreement_markdown",
    "reconciliation", "TABLES", "tables", "write_report", "write_all", "export_qdpx", "import_qdpx",
    "evaluate_model", "train_model", "model",
    "saturation", "training_report", "retest_report", "coder_validity", "checklist",
    "transcript", "memos", "backup", "restore", "last_backup",
    "participants", "declare_attribute", "set_attributes", "link_participants",
    "export_participants", "import_participants",
]


def create_project(path: str | Path, codebook: str | Path | None = None, name: str | None = None) -> Store:
    """A new project file with a codebook (default: the study's coproduction codebook)."""
    from workbench.project.lifecycle import init_project

    return init_project(path, codebook, name)


def open_project(path: str | Path) -> Store:
    """An existing project file (migrated to the current schema if it is older)."""
    return Store.open(path)


def import_transcripts(project: Store, paths: list[str | Path], *, group: str | None = None,
                       code: str | None = None, kind: str | None = None, date: str | None = None,
                       stakeholders: str | None = None, roster: str | Path | None = None,
                       roles: dict[str, str] | None = None, encoding: str | None = None,
                       speakers: list[str] | tuple[str, ...] = (), dry_run: bool = False,
                       force: bool = False) -> list:
    """Import transcript files into one focus group, all or nothing; one report per file.

    ``kind`` is ``individual`` or ``multi``; ``roles`` maps speaker labels to
    roles (``{"Dr. Ko": "HP"}``) like ``--role``; ``roster`` is a CSV or TOML roster;
    ``speakers`` are labels to read in any case, like ``--speaker``. With ``dry_run``
    nothing is written: the reports say how each file reads and show its first turns.
    ``force`` imports a near-duplicate of a transcript already in the project, like ``--force``.
    """
    from workbench.ingest.importer import GroupMeta
    from workbench.ingest.importer import import_transcripts as run

    meta = GroupMeta(name=group, code=code, kind=kind, date=date, stakeholders=stakeholders)
    return run(project, list(paths), meta, roster, roles, encoding, speakers, force, dry_run)


def status(project: Store) -> dict:
    """Groups, comments, each coder's progress and the agreed coding (as `workbench status`)."""
    from workbench.project.status import project_status

    return project_status(project)


def comments(
    project: Store, group: str | None = None, where: list[str] | None = None
) -> list[dict]:
    """The comments (ref, group, speaker, role, text, ...), in reading order; ``where``:
    conditions such as ``["site=Leeds"]``, as ``workbench comments --where``."""
    from workbench.project.status import comment_rows
    from workbench.project.where import parse

    return comment_rows(project, group, parse(project, where or []))


def coding_session(project: Store, coder: str):
    """A coder's :class:`~workbench.coding.session.CodingSession`: the app's rules, audited."""
    from workbench.coding.session import CodingSession

    return CodingSession.start(project, coder)


def import_codings(project: Store, sheet: str | Path, *, agreed: bool = False, overwrite: bool = False):
    """Import a coding sheet (CSV or XLSX), all or nothing; ``agreed`` for the agreed coding."""
    from workbench.exchange.sheets import import_sheet

    return import_sheet(project, sheet, agreed=agreed, overwrite=overwrite)


def coding_frame(project: Store, coder: str | None = None):
    """The agreed coding (or ``coder``'s) as a pandas DataFrame, one row per codable comment."""
    from workbench.reports.runs import coding_source, frame

    return frame(project, coding_source(project, coder))


def agreement(project: Store, coders: list[str] | None = None, *, group: str | None = None,
              bootstrap: int = 1000, seed: int | None = 1) -> dict:
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


def tables(project: Store, names: list[str] | tuple[str, ...] = TABLES, *, coder: str | None = None,
           provisional: bool = False, groups: list[str] | None = None, all_quotes: bool = False,
           themes: list[str] | None = None, by: str | None = None, where: list[str] | None = None,
           participants: bool = False) -> list:
    """Compute report tables (not recorded: see :func:`write_report`); each has ``.rows`` and ``.data``.
    ``"theme-quotes"`` is one table per theme (``themes``: which, by key or name; default all).
    ``by``: themes, behaviours and categories by an attribute; ``where``: conditions such as
    ``["condition=CF"]``; ``participants``: Table 3 with the participants who raised each theme."""
    from workbench.project.where import parse
    from workbench.reports.writing import ReportRequest, build_report

    request = ReportRequest(tuple(names), coder, provisional, _tuple(groups), all_quotes,
                            _tuple(themes), by, parse(project, where or []), participants)
    return build_report(project, request).tables


def _tuple(items: list[str] | None) -> tuple[str, ...] | None:
    return None if items is None else tuple(items)


def write_report(project: Store, names: list[str] | tuple[str, ...], out: str | Path, *,
                 fmt: str | None = None, coder: str | None = None, provisional: bool = False,
                 groups: list[str] | None = None, all_quotes: bool = False, themes: list[str] | None = None,
                 force: bool = False) -> int:
    """Write tables to ``out`` (format from the suffix or ``fmt``) and record the run; its id.
    ``out`` is never the project, nor a file there that the project did not write, unless ``force``."""
    from workbench.output import for_project
    from workbench.reports.writing import ReportRequest
    from workbench.reports.writing import write_report as write

    request = ReportRequest(tuple(names), coder, provisional, _tuple(groups), all_quotes,
                            _tuple(themes), format=fmt)
    return write(project, request, out, for_project(project, force)).run


def write_all(project: Store, folder: str | Path, *, coder: str | None = None,
              provisional: bool = False, force: bool = False) -> list[Path]:
    """Every table in every format, the theme figure and the methods paragraph (`report --all`)."""
    from workbench.reports.writing import write_all as write

    return [Path(p) for p in write(project, folder, coder, provisional, force=force).outputs]


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


def export_qdpx(project: Store, out: str | Path, *, force: bool = False):
    """The project as a REFI-QDA ``.qdpx`` (ATLAS.ti, NVivo, MAXQDA, QualCoder)."""
    from workbench.exchange.refi import export_qdpx as run

    return run(project, out, force=force)


def import_qdpx(path: str | Path, out: str | Path, name: str | None = None, *,
                sources: str | Path | None = None, positions: str = "auto",
                set_attributes: bool = True):
    """Another tool's REFI-QDA project as a new Workbench project at ``out``; source files outside
    the archive are read only from the folder ``sources`` (as ``--sources``); ``positions`` as
    ``--positions`` (``auto``, ``code-points``, ``utf-16``); ``set_attributes=False`` as
    ``--no-set-attributes`` (ATLAS.ti's ``name: value`` document groups not taken as attributes)."""
    from workbench.exchange.refi import import_qdpx as run

    return run(path, out, name, sources, positions, set_attributes)


def evaluate_model(project: Store, coder: str | None = None, *, by: str = "group", folds: int = 5,
                   bootstrap: int = 1000) -> dict:
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


# -- methods evidence -----------------------------------------------------------------


def saturation(project: Store, *, base: int | None = None, run: int = 2, min_comments: int = 1,
               coder: str | None = None, order: str = "dates", orders: int = 1000, seed: int = 1,
               provisional: bool = False) -> dict:
    """Thematic saturation after Guest, Namey & Chen 2020 (as `workbench saturation --format json`,
    not recorded); ``workbench.evidence.saturation_report.sentence(result)`` is its methods sentence.
    ``base=None``: 4, or with fewer groups the largest base that leaves the run (stated in the result)."""
    from workbench.evidence.saturation import Params
    from workbench.evidence.saturation_project import saturation as assess  # not `run`: a parameter

    return assess(project, Params(base=base, run=run, min_comments=min_comments), coder, order, orders, seed,
                  provisional)


def training_report(project: Store, coder: str, *, bootstrap: int = 1000, seed: int = 1,
                    target: float = 0.80) -> dict:
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


def backup(project: Store, out: str | Path | None = None):
    """A checked copy of the project (``out``, else an automatic backup beside it), as
    ``workbench backup``: refused, leaving nothing, if the copy fails SQLite's check."""
    from workbench.project.backups import backup_project

    return backup_project(project, out)


def last_backup(project: Store):
    """The newest backup recorded and the newest that passed its check (None if none)."""
    from workbench.project.backups import last_backup as last

    return last(project)


def restore(backup: str | Path, project: str | Path, *, force: bool = False):
    """Put ``backup`` back as the project file ``project``, as ``workbench restore``: the
    current state kept first; refused while another process has it open unless ``force``."""
    from workbench.project.backups import restore_project

    return restore_project(backup, project, force)


def participants(project: Store) -> list:
    """Every participant: their speakers (one per group they spoke in) and attribute values."""
    from workbench.project.participants import participants as people

    return people(project)


def declare_attribute(project: Store, name: str, *, of: str = "participant", type: str = "text",
                      choices: list[str] | tuple[str, ...] = (), hidden: bool = False):
    """Declare an attribute of participants or of focus groups (as `participants attribute`)."""
    from workbench.project.attributes import declared
    from workbench.project.participants import declare

    return declare(project, declared(name, of, type, choices, hidden))


def set_attributes(project: Store, values: dict, *, speaker: str | None = None,
                   group: str | None = None) -> list:
    """Set values of the participant ``speaker`` (``"FG1/Ruth"``) or of ``group``; checked and
    audited."""
    from workbench.project.participants import set_values

    return set_values(project, values, speaker=speaker, group=group)


def link_participants(project: Store, speakers: list[str], name: str | None = None):
    """Make speakers of different groups one participant (one person in both)."""
    from workbench.project.participants import link

    return link(project, speakers, name)


def export_participants(project: Store, out: str | Path, *, force: bool = False) -> Path:
    """The participant sheet (.csv or .xlsx), as `participants export`."""
    from workbench.exchange.participant_sheet import export
    from workbench.output import for_project

    return export(project, out, for_project(project, force))


def import_participants(project: Store, sheet: str | Path) -> list[str]:
    """Read a participant sheet back (all or nothing); the changes made."""
    from workbench.exchange import participant_sheet as S

    plan = S.plan(project, sheet)
    S.apply(project, plan)
    return plan.summary()
