"""Writing an import's codings: the coders, each coding with its audit row, in one transaction.

The project is new, so no coder has a coding yet: each coding is written against an empty one
(its audit row's ``before``), and an agreed coding gets the reconciliation status
``imported``, all at once (``Store.insert_imported_codings``). The import's own audit row
closes the transaction.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from workbench.store import Store

if TYPE_CHECKING:
    from workbench.coding.session import Coding
    from workbench.exchange.refi.report import ImportReport
    from workbench.store.coding_records import Coder


def write_codings(
    store: Store,
    results: dict[tuple[str | None, int], Coding],
    coder_of: dict[str, str],
    comments: dict[int, tuple[str, bool]],
    path: Path,
    report: ImportReport,
) -> None:
    """``results``: (user GUID, comment id) → coding; ``coder_of``: user GUID → coder name (every
    user who is a coder, coded or not); ``comments``: comment id → (ref, excluded)."""
    from workbench.coding.coder import AGREED
    from workbench.store.imported import ImportedCoding

    note = f"from {path.name}"
    with store.transaction():
        coders: dict[str | None, Coder] = {}

        def coder_for(user: str | None) -> Coder:
            if user not in coders:
                name = coder_of.get(user) if user else None
                if name is None:
                    name = f"user {user[:8]}" if user else "imported"
                    if user:  # (a coding without a user is always "imported")
                        coder_of[user] = name
                    report.coders[user or "(no user)"] = name
                coder = store.coder_named(name)
                if coder is None:
                    coder = store.add_coder(name, "agreed" if name == AGREED else "coder")
                    store.audit("create", "coder", name, after={"name": name}, note=note)
                coders[user] = coder
            return coders[user]

        for guid in list(coder_of):
            coder_for(guid)
        excluded = 0
        rows = []
        for (user, comment_id), coding in results.items():
            if coding.empty:
                continue
            coder = coder_for(user)
            ref, is_excluded = comments[comment_id]
            excluded += is_excluded
            rows.append(
                ImportedCoding(
                    coder.id,
                    coder.name,
                    comment_id,
                    ref,
                    coding.category,
                    coding.themes,
                    coding.memo,
                    coding.unsure,
                    coding.exemplar,
                    coder.kind == "agreed",
                )
            )
            report.codings[coder.name] = report.codings.get(coder.name, 0) + 1
        store.insert_imported_codings(rows, note)
        if excluded:
            report.warnings.append(
                f"{excluded} coding(s) are on comments excluded from coding (e.g. a "
                "facilitator's); they are imported but not counted in tables"
            )
        store.audit(
            "import",
            "qdpx",
            path.name,
            after={
                "origin": report.origin,
                "sources": len(report.sources),
                "skipped_sources": len(report.skipped_sources),
                "skipped_notes": len(report.skipped_notes),
                "not_imported": len(report.not_imported),
                "codings": report.codings,
                "ambiguous": len(report.ambiguous),
                "unmapped": len(report.unmapped),
                "problems": len(report.problems),
            },
        )
