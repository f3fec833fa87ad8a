"""Blind coding for methods evidence: the training and retest coders and their sessions.

A trainee codes the training set, and a coder recodes their retest sample, in the ordinary
coding screen, restricted to those comments and written to a coder of its own ("cai
(training)", "ana (retest)"), so the gold coding and the first coding stay out of sight
(the screen only ever shows its own coder's codings) and out of the study (which reads
coders of kind ``coder``). Import-light: the app calls this on its start path.
"""

from __future__ import annotations

from workbench.coding.coder import SCOPED_KINDS, scoped_name, validate_name
from workbench.coding.session import CodingSession
from workbench.errors import WorkbenchError
from workbench.store import Store
from workbench.store.coding_records import Coder

MODES = SCOPED_KINDS


def scope_ids(store: Store, person: str, mode: str) -> list[int]:
    """The comments ``person`` codes in ``mode``; refuses, saying what to do, when there are none."""
    if mode not in MODES:
        raise WorkbenchError(f"unknown blind mode {mode!r}; choose training or retest")
    if mode == "training":
        ids = sorted(store.training_ids())
        if not ids:
            raise WorkbenchError(
                "there is no training set yet: a lead marks one with "
                "`workbench training PROJECT --mark REF ...` or `--sample N`"
            )
        return ids
    coder = store.coder_named(person)
    sample = store.retest_sample(coder.id) if coder and coder.kind == "coder" else None
    if sample is None:
        raise WorkbenchError(
            f"{person} has no retest sample: draw one with "
            f"`workbench retest PROJECT --coder {person} --draw N`"
        )
    return [row["comment_id"] for row in store.retest_items(sample["id"])]


def scoped_coder(store: Store, person: str, mode: str, actor: str | None = None) -> Coder:
    """``person``'s training or retest coder, created (and audited) on first use."""
    existing = store.scoped_coder(person, mode)
    if existing is not None:
        return existing
    with store.transaction():
        existing = store.scoped_coder(person, mode)
        if existing is not None:
            return existing
        name = scoped_name(person, mode)
        if store.coder_named(name) is not None:
            raise WorkbenchError(
                f"coder name {name!r} is taken; it cannot hold {person}'s {mode} codings"
            )
        coder = store.add_scoped_coder(name, mode, person)
        store.audit(
            "create",
            "coder",
            name,
            after={"name": name, "kind": mode, "person": person},
            actor=actor or person,
        )
    return coder


def person_name(store: Store, person: str, mode: str) -> str:
    """The person's name as the project spells it (retest: an existing coder; training: any valid name)."""
    if mode == "retest":
        return coder_to_retest(store, person).name
    return validate_name(person)


def coder_to_retest(store: Store, person: str) -> Coder:
    """The coder ``person``, who must be one of the project's coders to be retested."""
    person = validate_name(person)
    coder = store.coder_named(person)
    if coder is None or coder.kind != "coder":
        names = ", ".join(c.name for c in store.coders() if c.kind == "coder") or "none"
        raise WorkbenchError(f"--coder {person!r}: no such coder to retest (coders: {names})")
    return coder


def check(store: Store, person: str, mode: str) -> str:
    """Everything :func:`blind_session` needs, checked without writing: the person's name."""
    person = person_name(store, person, mode)
    scope_ids(store, person, mode)
    return person


def blind_session(store: Store, person: str, mode: str) -> CodingSession:
    """A coding session of ``person`` in ``mode`` ("training" or "retest")."""
    person = person_name(store, person, mode)
    ids = scope_ids(store, person, mode)
    return CodingSession.scoped(store, scoped_coder(store, person, mode), frozenset(ids), mode)
