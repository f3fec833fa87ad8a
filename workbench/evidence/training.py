"""Coder training and calibration (as Dedoose's training centre does): a training set of
comments with a gold coding, a trainee's blind coding of it, and their agreement with the gold.

The lead marks comments (by ref, or a random sample of agreed comments) as the training
set; each gets a snapshot of its agreed coding as the gold standard, with the rationale
from its reconciliation (what the trainee is shown for each disagreement). A comment
without an agreed coding cannot be marked. The trainee codes the set blind in the app
(``workbench code PROJECT --coder NAME --training``, see :mod:`workbench.evidence.blind`),
as a coder of kind ``training`` that the study never reads. The report is the agreement
report used for the coders (kappa, alpha, AC1 with CIs, per layer and theme) plus the
disagreements with the gold rationale, and whether a calibration target was met.
"""

from __future__ import annotations

import random

from workbench.coding.coder import AGREED
from workbench.errors import WorkbenchError
from workbench.evidence import compare
from workbench.store import Store, default_actor

TARGET = 0.80  # a common calibration target for kappa before a coder joins the study


def _resolve(store: Store, refs: list[str]) -> list[tuple[int, str]]:
    found, unknown, excluded = [], [], []
    for ref in dict.fromkeys(r.strip() for r in refs if r.strip()):
        row = store.find_ref(ref)
        if row is None:
            unknown.append(ref)
        elif row[3]:
            excluded.append(row[1])
        else:
            found.append((row[0], row[1]))
    if unknown:
        raise WorkbenchError(f"training set: no comment {', '.join(unknown)}; nothing was marked")
    if excluded:
        what = (
            "is a facilitator or observer comment"
            if len(excluded) == 1
            else "are facilitator or observer comments"
        )
        raise WorkbenchError(
            f"training set: {', '.join(excluded)} {what}, which are not coded; nothing was marked"
        )
    return found


def _gold_rows(store: Store, comments: list[tuple[int, str]]) -> list[tuple]:
    """(comment id, category, themes, rationale) of each comment's agreed coding; refuses,
    naming them, when some have none."""
    agreed = store.coder_named(AGREED)
    codings = store.codings_of(agreed.id) if agreed else {}
    missing = [ref for cid, ref in comments if not ((k := codings.get(cid)) and k.category_key)]
    if missing:
        shown = ", ".join(missing[:5]) + (", ..." if len(missing) > 5 else "")
        raise WorkbenchError(
            f"training set: {len(missing)} comment(s) have no agreed coding to serve as the gold standard "
            f"({shown}); reconcile them first (`workbench reconcile`) or mark agreed comments. Nothing was marked."
        )
    states = store.reconciliations()
    rows = []
    for cid, _ref in comments:
        state = states.get(cid) or {}
        rationale = state.get("rationale") or ""
        if not rationale and state.get("status") == "auto":
            rationale = "Both analysts coded it this way independently."
        rows.append((cid, codings[cid].category_key, codings[cid].themes, rationale))
    return rows


def mark(store: Store, refs: list[str], actor: str | None = None) -> dict:
    """Add comments to the training set with their agreed coding as gold (all or nothing)."""
    comments = _resolve(store, refs)
    if not comments:
        raise WorkbenchError("training set: name at least one comment ref")
    rows = _gold_rows(store, comments)
    actor = actor or default_actor()
    before = store.training_ids()
    with store.transaction():
        store.add_training_items(rows, "agreed", actor)
        store.audit(
            "mark",
            "training_set",
            ",".join(ref for _, ref in comments),
            actor=actor,
            after={"comments": len(rows), "gold": "agreed"},
        )
    return {
        "marked": sum(1 for cid, _ in comments if cid not in before),
        "refreshed": sum(1 for cid, _ in comments if cid in before),
        "total": len(store.training_ids()),
    }


def sample(store: Store, size: int, seed: int = 1, actor: str | None = None) -> dict:
    """Add ``size`` agreed comments drawn at random (seeded) to the training set."""
    if size < 1:
        raise WorkbenchError("--sample must be at least 1")
    agreed = store.coder_named(AGREED)
    if agreed is None:
        raise WorkbenchError(
            "training set: the project has no agreed coding to serve as the gold standard; "
            "reconcile first (`workbench reconcile`). Nothing was marked."
        )
    taken = store.training_ids()
    index = {cid: ref for cid, ref, _g, _t, excluded, _r in store.comment_index() if not excluded}
    pool = sorted(
        cid
        for cid, row in store.codings_of(agreed.id).items()
        if row.category_key and cid in index and cid not in taken
    )
    if size > len(pool):
        raise WorkbenchError(
            f"--sample {size}: only {len(pool)} agreed comment(s) are not in the training set "
            "yet; sample fewer. Nothing was marked."
        )
    chosen = sorted(random.Random(seed).sample(pool, size))
    return mark(store, [index[cid] for cid in chosen], actor)


def unmark(store: Store, refs: list[str], actor: str | None = None) -> dict:
    comments = [(cid, ref) for cid, ref in _resolve(store, refs) if cid in store.training_ids()]
    with store.transaction():
        store.remove_training_items([cid for cid, _ in comments])
        store.audit(
            "unmark",
            "training_set",
            ",".join(ref for _, ref in comments) or "-",
            actor=actor,
            after={"comments": len(comments)},
        )
    return {"unmarked": len(comments), "total": len(store.training_ids())}


def gold(store: Store) -> tuple[list[dict], dict[str, compare.Coding]]:
    items = store.training_items()
    if not items:
        raise WorkbenchError(
            "there is no training set yet: mark one with "
            "`workbench training PROJECT --mark REF ...` or `--sample N`"
        )
    return items, {i["ref"]: (i["category_key"], frozenset(i["themes"])) for i in items}


def status(store: Store) -> dict:
    """The training set (size, gold categories) and each trainee's progress through it."""
    items = store.training_items()
    ids = {i["comment_id"] for i in items}
    names = {c.key: c.name for c in store.categories(include_retired=True)}
    by_category: dict[str, int] = {}
    for item in items:
        by_category[names.get(item["category_key"], item["category_key"])] = (
            by_category.get(names.get(item["category_key"], item["category_key"]), 0) + 1
        )
    trainees = []
    for coder in store.scoped_coders("training"):
        coded = sum(
            1 for cid, row in store.codings_of(coder.id).items() if cid in ids and row.category_key
        )
        trainees.append({"person": coder.person, "coded": coded, "of": len(items)})
    return {
        "comments": len(items),
        "by_category": by_category,
        "trainees": trainees,
        "refs": [i["ref"] for i in items],
    }


def training_report(
    store: Store, person: str, bootstrap: int = 1000, seed: int = 1, target: float = TARGET
) -> dict:
    """A trainee's agreement with the gold coding, their disagreements with its rationale."""
    items, gold_codings = gold(store)
    coder = store.scoped_coder(" ".join(person.split()), "training")
    ids = {i["comment_id"]: i["ref"] for i in items}
    mine: dict[str, compare.Coding] = {}
    if coder is not None:
        mine = {
            ids[cid]: (row.category_key, frozenset(row.themes))
            for cid, row in store.codings_of(coder.id).items()
            if cid in ids and row.category_key
        }
    if coder is None or not mine:  # (no training coder: nothing coded)
        raise WorkbenchError(
            f"{person} has not coded the training set yet: "
            f"`workbench code PROJECT --coder {person} --training`"
        )
    person = coder.person or person  # (a training coder always names its person)
    label = "gold standard" if person.lower() == "gold" else "gold"
    report = compare.agreement(store, {person: mine, label: gold_codings}, bootstrap, seed)
    numbers = compare.headline(report)
    met = {
        key: (numbers[key]["value"] is not None and numbers[key]["value"] >= target)
        for key in ("category_kappa", "pooled_kappa")
    }
    return {
        "kind": "training",
        "person": person,
        "gold": label,
        "report": report,
        "headline": numbers,
        "coverage": {
            "coded": len(mine),
            "of": len(items),
            "not_coded": [i["ref"] for i in items if i["ref"] not in mine],
        },
        "target": {"kappa": target, "met": met, "all": all(met.values())},
        "disagreements": compare.differences(
            [i for i in items if i["ref"] in mine], gold_codings, mine, report["names"]
        ),
    }
