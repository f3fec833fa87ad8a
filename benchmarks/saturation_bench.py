"""Saturation speed: Guest et al. (2020) with 1,000 order bootstraps, 100 focus groups, 100,000 comments.

Builds a project of 100 dated focus groups of 1,000 comments each with an agreed coding in
which themes are of very unequal frequency (a few are rare, so where saturation falls
depends on the order), setup not timed. Then times ``workbench saturation``'s computation
from the project file: the theme counts per group (one SQL aggregate), the assessment in
the order held, and 1,000 random orders; then, apart, its tables and sentence, and the
figure. Target (issue 12): ≤ 2 s for the computation.

    python benchmarks/saturation_bench.py [--groups 100] [--comments 100000] [--orders 1000]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

SPEAKERS = [("Dr. Amira Patel", "HP"), ("Ruth", "PwCHC"), ("Sam", "Parent"), ("Jamie", "Teen")]


def build(folder: Path, groups: int, comments: int):
    from workbench.coding.coder import AGREED
    from workbench.ingest.importer import GroupMeta, import_transcripts
    from workbench.project.lifecycle import init_project

    store = init_project(folder / "bench.db")
    rng = random.Random(12)
    start = date(2024, 1, 8)
    for g in range(groups):
        lines, last = [], None
        for n in range(comments // groups):
            name, _ = rng.choice([s for s in SPEAKERS if s[0] != last])
            last = name
            lines.append(f"{name}: Comment {n} of group {g} about planning the visit together.")
        path = folder / f"group{g}.txt"
        path.write_text("\n".join(lines), encoding="utf-8")
        import_transcripts(
            store,
            [path],
            GroupMeta(
                name=f"Group {g}",
                code=f"G{g + 1}",
                date=(start + timedelta(days=7 * g)).isoformat(),
            ),
            roles={name: role for name, role in SPEAKERS},
        )
    themes = [t.key for t in store.themes()]
    # Theme i is given with weight 1 / 2^i: the last themes turn up in a few groups only.
    weights = [2.0**-i for i in range(len(themes))]
    with store.transaction():
        agreed = store.add_coder(AGREED, "agreed")
        for comment in store.comments():
            category = rng.choice(["defining", "effective", "effective", "ineffective", "benefits"])
            chosen = (
                sorted(set(rng.choices(themes, weights, k=rng.randint(1, 3))))
                if category in ("effective", "ineffective")
                else []
            )
            store.save_coding(agreed.id, comment.id, category, chosen, "", False, False)
    return store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", type=int, default=100)
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument("--orders", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    from workbench.evidence import saturation_report
    from workbench.evidence.figures import saturation_chart
    from workbench.evidence.saturation import Params
    from workbench.evidence.saturation_project import saturation

    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        store = build(Path(tmp), args.groups, args.comments)
        setup = time.perf_counter() - start
        runs = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            result = saturation(store, Params(base=4, run=2), orders=args.orders, seed=1)
            runs.append(time.perf_counter() - start)
        start = time.perf_counter()
        saturation_report.tables(result)
        saturation_report.sentence(result)
        text = time.perf_counter() - start
        start = time.perf_counter()
        saturation_chart(result, Path(tmp) / "saturation.png")
        figure = time.perf_counter() - start
        comments = sum(u["comments"] for u in result["observed"]["units"])
        store.close()
    took = statistics.median(runs)
    ind = result["order_independent"]["thresholds"]
    print(
        f"project: {len(result['observed']['units'])} focus groups, {comments:,} comments with an agreed coding "
        f"(built in {setup:.1f} s, not timed)"
    )
    print(
        f"saturation (base 4, run 2) with {args.orders:,} order bootstraps, read from the project file: "
        f"median {took:.3f} s of {args.repeat}  (target <= 2 s: {'met' if took <= 2 else 'NOT met'})"
    )
    print(
        f"  in the order held: <=5% at {result['observed']['saturation']['5'].get('label', 'not reached')}, "
        f"0% at {result['observed']['saturation']['0'].get('label', 'not reached')}; over orders: "
        f"<=5% reached in {ind['5']['share']:.0%}, 0% in {ind['0']['share']:.0%}"
    )
    print(f"tables and sentence: {text:.3f} s; figure (PNG, 300 dpi): {figure:.3f} s")


if __name__ == "__main__":
    main()
