"""Reading views of codings: whose coding a viewer may see, and a focus group's whole
transcript with one coding beside each comment (as NVivo's and ATLAS.ti's coding stripes
or margin).

Blind by construction, like the worklist: a viewer who codes blind (the app's coder) is
offered only their own coding (their training or retest coder's in those modes), never the
agreed coding or another coder's. Anyone else (the lead, ``workbench open``) is offered the
agreed coding first, then each coder's.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.coding.coder import AGREED, scoped_name
from workbench.coding.session import Coding, from_row
from workbench.errors import WorkbenchError
from workbench.store import Group, Store
from workbench.store.codebook import Codebook
from workbench.store.coding_records import Coder


@dataclass(frozen=True)
class Whose:
    """A coding someone may look at: the coder row and how the views name it."""

    coder: Coder
    label: str  # "the agreed coding", "ana's coding", "your coding (ana)"

    @property
    def name(self) -> str:
        return self.coder.name


def visible_codings(store: Store, blind: str | None = None, mode: str | None = None) -> list[Whose]:
    """The codings a viewer may see, the one to show first at the head.

    ``blind``: the coder the viewer codes as (the app's coder); then only their own coding
    (with ``mode`` "training" or "retest", their training or retest coder's). Otherwise the
    agreed coding (if there is one), then every coder's and model's, by name.
    """
    if blind:
        coder = store.coder_named(scoped_name(blind, mode) if mode else blind)
        return (
            [Whose(coder, f"your coding ({blind}{', ' + mode if mode else ''})")] if coder else []
        )
    out: list[Whose] = []
    for coder in store.coders():
        if coder.kind == "agreed":
            out.insert(0, Whose(coder, "the agreed coding"))
        elif coder.name != AGREED:
            kind = "" if coder.kind == "coder" else f" ({coder.kind})"
            out.append(Whose(coder, f"{coder.name}'s coding{kind}"))
    return out


def whose_named(store: Store, coder: str | None = None) -> Whose:
    """The coding a command or a script names: the agreed coding (``coder`` None) or a coder's."""
    options = visible_codings(store)
    for whose in options:
        if whose.name == (coder or AGREED):
            return whose
    if coder is None:
        raise WorkbenchError(
            "there is no agreed coding yet: reconcile the coders (`workbench reconcile`), or "
            "name a coder (--coder NAME)"
        )
    names = ", ".join(w.name for w in options if w.coder.kind != "agreed") or "none"
    raise WorkbenchError(f"--coder {coder!r}: no such coder (coders: {names})")


@dataclass(frozen=True)
class Entry:
    """One comment of a transcript with the coding shown beside it (None: not coded)."""

    comment_id: int
    ref: str
    speaker: str
    role: str | None
    text: str
    excluded: bool  # facilitator or observer: context, never coded
    transcript: str
    coding: Coding | None
    rationale: str = ""  # the reconciliation's, beside the agreed coding
    text_corrected: bool = False  # the coding was made before the comment's text was corrected


def find_group(store: Store, group: str) -> Group:
    """A focus group by code or name, or an error naming the groups there are."""
    row = store.group_by_name(group)
    if row is None:
        names = ", ".join(f"{g.code} ({g.name})" for g in store.groups()) or "none yet"
        raise WorkbenchError(f"no focus group {group!r} (groups: {names})")
    return row


def transcript(store: Store, group: str, whose: Whose | None) -> list[Entry]:
    """Every comment of ``group`` (code or name) in transcript order, each with ``whose``
    coding of it (None where not coded, or when ``whose`` is None)."""
    row = find_group(store, group)
    codings = store.codings_of(whose.coder.id, row.id) if whose else {}
    rationales = {}
    if whose and whose.coder.kind == "agreed":  # the agreed coding shows why it was agreed
        rationales = store.rationales(row.id)
    revised = store.last_revisions() if codings else {}
    return [
        Entry(
            c.id,
            c.ref,
            c.speaker,
            c.role,
            c.text,
            c.excluded,
            c.transcript,
            from_row(codings[c.id]) if c.id in codings else None,
            rationales.get(c.id, ""),
            c.id in codings and c.id in revised and revised[c.id]["at"] > codings[c.id].updated_at,
        )
        for c in store.comments(row.id)
    ]


def coded_count(entries: list[Entry], book: Codebook) -> tuple[int, int]:
    """(comments coded completely, comments to code) of a transcript: a category, and a
    theme where the category takes themes (the coding screen's definition of coded)."""
    codable = [e for e in entries if not e.excluded]
    done = sum(1 for e in codable if e.coding and book.complete(e.coding))
    return done, len(codable)
