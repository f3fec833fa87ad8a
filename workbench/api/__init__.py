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

# Each function lives in the module of its stage (projects, coding, reporting, evidence,
# people); this is the one place a script imports them from.
from workbench.api.coding import (
    agreement,
    agreement_markdown,
    coding_frame,
    coding_session,
    evaluate_model,
    import_codings,
    memos,
    model,
    reconciliation,
    train_model,
    transcript,
)
from workbench.api.evidence import (
    checklist,
    coder_validity,
    retest_report,
    saturation,
    training_report,
)
from workbench.api.people import (
    declare_attribute,
    export_participants,
    import_participants,
    link_participants,
    participants,
    set_attributes,
)
from workbench.api.projects import (
    backup,
    comments,
    create_project,
    export_qdpx,
    import_qdpx,
    import_transcripts,
    last_backup,
    open_project,
    restore,
    status,
)
from workbench.api.reporting import tables, write_all, write_report
from workbench.reports.runs import TABLES
from workbench.store import Store

__all__ = [
    "Store",
    "create_project",
    "open_project",
    "import_transcripts",
    "status",
    "comments",
    "coding_session",
    "import_codings",
    "coding_frame",
    "agreement",
    "agreement_markdown",
    "reconciliation",
    "TABLES",
    "tables",
    "write_report",
    "write_all",
    "export_qdpx",
    "import_qdpx",
    "evaluate_model",
    "train_model",
    "model",
    "saturation",
    "training_report",
    "retest_report",
    "coder_validity",
    "checklist",
    "transcript",
    "memos",
    "backup",
    "restore",
    "last_backup",
    "participants",
    "declare_attribute",
    "set_attributes",
    "link_participants",
    "export_participants",
    "import_participants",
]
