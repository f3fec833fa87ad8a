"""What the coding screen takes in when other windows commit
(:class:`~workbench.ui.changes.ProjectChanged`): comments imported, split, merged, replaced
or removed; a codebook edit, whose new keys work at once; this coder's codings made in
another window. :func:`take_in` reads what changed through the session and the worklist (its
declared inputs: the worklist is read again here when the comments changed) and says what
the screen must do, in an :class:`Intake`; the screen binds the keys, redraws, and says it
all in one notification.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workbench.coding.session import CodingSession
    from workbench.coding.watch import Changes
    from workbench.coding.worklist import Worklist
    from workbench.store.codebook import Category, Theme
    from workbench.store.comment_records import ContextTurn


@dataclass
class Intake:
    said: list[str]  # what changed, in words
    codebook: (
        tuple[list[Category], list[Theme]] | None
    )  # the codebook's categories and themes, if it changed
    reload: bool  # the comments changed: the worklist was read again
    recoded: bool  # only this coder's codings changed (read again): redraw the codes


def take_in(
    changes: Changes,
    session: CodingSession,
    worklist: Worklist,
    me: ContextTurn | None,
    categories: list[Category],
    themes: list[Theme],
) -> Intake:
    """What ``changes`` mean for a coding screen on ``worklist`` showing ``me`` (its comment's
    row) with this codebook. Raises WorkbenchError if the coder was renamed or removed."""
    current, said = worklist.current, changes.described()
    if changes.coders or changes.codebook:
        session.refresh()  # renamed or removed: refused; the codebook read again
    codebook = None
    if changes.codebook:
        codebook = session.store.categories(), session.store.themes()
        said += codebook_news(entries(categories, themes), entries(*codebook))
    refs = changes.coded_by()  # whoever wrote them: a sheet may be imported for this coder
    words = current is not None and session.seen.changed(current)
    if words and me is not None and me.id == current:
        said.append(f"{me.ref} changed there")
    if changes.comments or changes.codebook or refs is None or words:
        count = len(worklist.codable)
        reread(worklist, current)
        if len(worklist.codable) != count:
            said.append(f"comments to code: {count} → {len(worklist.codable)}")
        return Intake(said, codebook, reload=True, recoded=False)
    if refs:
        found = session.store.comment_ids(sorted(refs))
        changed = [ref for ref, comment_id in found.items() if worklist.reread(comment_id)]
        if me is not None and me.id == current and me.ref in changed:
            said.append(f"your coding of {me.ref} was changed there")
    return Intake(said, codebook, reload=False, recoded=bool(refs))


def reread(worklist: Worklist, comment_id: int | None) -> None:
    """Read the comments and this coder's codings again, staying on ``comment_id`` (else about
    where the coder was)."""
    worklist.reload()
    if comment_id is not None and comment_id in worklist.group:
        worklist.goto_id(comment_id)


def entries(categories: list[Category], themes: list[Theme]) -> dict[str, str]:
    """The codebook's entries by key, in words."""
    kinds = (("category", categories), ("theme", themes))
    return {e.key: f"{kind} {e.name} ({e.shortcut})" for kind, rows in kinds for e in rows}


def codebook_news(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """What was added, changed or retired, in words."""
    return (
        [f"{after[k]} added" for k in after if k not in before]
        + [f"{after[k]} changed" for k in after if k in before and before[k] != after[k]]
        + [f"{before[k]} retired" for k in before if k not in after]
    )
