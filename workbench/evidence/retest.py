"""Test-retest (intra-coder) reliability: a coder recodes a random sample of their own comments
after a delay, without seeing their first coding, and is compared with themselves.

Drawing a sample keeps a snapshot of each sampled comment's first coding and when it was
made, so later edits of the first coding do not move the baseline (the report says how
many changed). The recoding is done blind in the app (``workbench code PROJECT --coder
NAME --retest``) as a coder of kind ``retest`` that the study never reads. The report is
the agreement report used for the coders, with the delay between first and second coding.
"""

from __future__ import annotations

import random
import statistics
from datetime import UTC, datetime, timedelta

from workbench.coding.coder import scoped_name
from workbench.errors import WorkbenchError
from workbench.evidence import compare
from workbench.evidence.blind import coder_to_retest, scoped_coder
from workbench.store import Store, default_actor
from workbench.store.coding_records import Coding


def _when(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def _codes(coding: Coding | None) -> tuple[str | None, set[str]]:
    """A coding's category and themes (None and none: not coded)."""
    return (coding.category_key, set(coding.themes)) if coding else (None, set())


def draw(
    store: Store,
    person: str,
    size: int,
    seed: int = 1,
    min_days: float = 0.0,
    actor: str | None = None,
) -> dict:
    """Draw a retest sample of ``size`` of ``person``'s coded comments (seeded), among those
    first coded at least ``min_days`` ago. One sample per coder."""
    coder = coder_to_retest(store, person)
    person = coder.name
    existing = store.retest_sample(coder.id)
    if existing is not None:
        raise WorkbenchError(
            f"{person} already has a retest sample of {existing['size']} comments (drawn "
            f"{existing['drawn_at'][:10]}); report it with `workbench retest PROJECT --coder "
            f"{person}`, or discard it first with --discard"
        )
    if size < 1:
        raise WorkbenchError("--draw must be at least 1 comment")
    coded = store.coded_with_times(coder.id)
    if size > len(coded):
        raise WorkbenchError(
            f"--draw {size}: {person} has coded {len(coded)} comment(s); draw at most "
            f"{len(coded)} (a retest sample is usually 10-20% of a coder's comments)"
        )
    cutoff = datetime.now(UTC) - timedelta(days=min_days)
    eligible = [row for row in coded if _when(row[2]) <= cutoff]
    if size > len(eligible):
        raise WorkbenchError(
            f"--draw {size}: only {len(eligible)} of {person}'s {len(coded)} coded comments were "
            f"coded at least {min_days:g} day(s) ago; draw fewer, or wait"
        )
    chosen = sorted(random.Random(seed).sample(range(len(eligible)), size))
    actor = actor or default_actor()
    rows = []
    for index in chosen:
        comment_id, _category, coded_at = eligible[index]
        first = store.coding(coder.id, comment_id)
        if first is None:  # cleared (in another window) since it was listed
            raise WorkbenchError(
                f"{person}'s coding changed while the sample was drawn; draw again"
            )
        rows.append((comment_id, first.category_key, first.themes, coded_at))
    with store.transaction():
        retest = scoped_coder(store, person, "retest", actor)
        sample_id = store.add_retest_sample(coder.id, retest.id, size, seed, min_days, actor, rows)
        store.audit(
            "draw",
            "retest_sample",
            person,
            actor=actor,
            after={
                "sample": sample_id,
                "size": size,
                "seed": seed,
                "min_days": min_days,
                "coder": retest.name,
            },
        )
    return {
        "person": person,
        "size": size,
        "eligible": len(eligible),
        "coded": len(coded),
        "retest_coder": scoped_name(person, "retest"),
    }


def discard(store: Store, person: str, actor: str | None = None) -> dict:
    """Delete a coder's retest sample and the recoding made of it (audited)."""
    coder = coder_to_retest(store, person)
    person = coder.name
    sample = store.retest_sample(coder.id)
    if sample is None:
        raise WorkbenchError(f"{person} has no retest sample to discard")
    with store.transaction():
        removed = store.delete_codings_of(sample["retest_coder_id"])
        store.delete_retest_sample(sample["id"])
        store.audit(
            "discard",
            "retest_sample",
            person,
            actor=actor,
            before={"size": sample["size"], "drawn_at": sample["drawn_at"], "recoded": removed},
        )
    return {"person": person, "discarded": sample["size"], "recodings_deleted": removed}


def retest_report(store: Store, person: str, bootstrap: int = 1000, seed: int = 1) -> dict:
    """Intra-coder agreement of ``person``'s first coding and their blind recoding of the sample."""
    coder = coder_to_retest(store, person)
    person = coder.name
    sample = store.retest_sample(coder.id)
    if sample is None:
        raise WorkbenchError(
            f"{person} has no retest sample: draw one with "
            f"`workbench retest PROJECT --coder {person} --draw N`"
        )
    items = store.retest_items(sample["id"])
    ids = {i["comment_id"]: i for i in items}
    first = {i["ref"]: (i["category_key"], frozenset(i["themes"])) for i in items}
    recoded = {
        cid: row
        for cid, row in store.codings_of(sample["retest_coder_id"]).items()
        if cid in ids and row.category_key
    }
    if not recoded:
        raise WorkbenchError(
            f"{person} has not recoded the retest sample yet: "
            f"`workbench code PROJECT --coder {person} --retest`"
        )
    second = {
        ids[cid]["ref"]: (row.category_key, frozenset(row.themes)) for cid, row in recoded.items()
    }
    labels = (f"{person} (first)", f"{person} (retest)")
    report = compare.agreement(store, {labels[0]: first, labels[1]: second}, bootstrap, seed)
    times = store.coding_times(sample["retest_coder_id"])
    delays = [
        (_when(times[cid]) - _when(ids[cid]["first_coded_at"])).total_seconds() / 86400
        for cid in recoded
    ]
    now_first = store.codings_of(coder.id)
    changed = [
        i["ref"]
        for i in items
        if _codes(now_first.get(i["comment_id"])) != (i["category_key"], set(i["themes"]))
    ]
    described = [i for i in items if i["ref"] in second]
    return {
        "kind": "retest",
        "person": person,
        "labels": list(labels),
        "report": report,
        "headline": compare.headline(report),
        "sample": {
            "size": sample["size"],
            "seed": sample["seed"],
            "min_days": sample["min_days"],
            "drawn_at": sample["drawn_at"],
            "drawn_by": sample["drawn_by"],
        },
        "coverage": {
            "coded": len(second),
            "of": len(items),
            "not_coded": [i["ref"] for i in items if i["ref"] not in second],
        },
        "delay_days": {"median": statistics.median(delays), "min": min(delays), "max": max(delays)},
        "first_changed_since_draw": changed,
        "disagreements": compare.differences(described, first, second, report["names"]),
    }
