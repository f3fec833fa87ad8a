"""The reading views on a large focus group: the whole transcript, memos and a theme's comments.

Builds a project with one focus group of ``--comments`` comments (default 10,000, a
transcript of the import benchmark's vocabulary, four speakers one of them the
facilitator), codes every codable comment as one coder (category, a theme on behaviour
comments, a memo on every tenth), and measures:

1. ``coding.views.transcript`` (the group with that coder's coding), median of 5;
2. in the app (``create_app(store)``, headless, 160x45): ``v`` on the home screen to the
   transcript view shown and idle, then ``j``, ``pagedown`` and ``end`` to idle (Pilot's
   idle check included, ~60 ms even on a bare app);
3. ``coding.memos.memos`` with and without a search, and ``reports.quotes.theme_quotes``
   over the whole coding, median of 5.

Targets: the transcript view opens in under a second and moves as the coding screen
does; memos and theme quotes in well under a second.

    python benchmarks/views_bench.py [--comments 10000]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from pathlib import Path

from import_bench import VOCAB  # the import benchmark's vocabulary (same folder)

SPEAKERS = ["Facilitator", "Dr. Amira Patel", "Ruth Okafor", "Sam Lee"]
ROLES = {"Dr. Amira Patel": "HP", "Ruth Okafor": "PwCHC", "Sam Lee": "Teen"}


def build(folder: Path, comments: int):
    from workbench.coding.session import Coding, write_coding
    from workbench.ingest.importer import GroupMeta, import_transcripts
    from workbench.project.lifecycle import init_project

    rng = random.Random(1)
    lines = [
        f"{SPEAKERS[i % 4]}: {' '.join(rng.choice(VOCAB) for _ in range(rng.randint(8, 60))).capitalize()}."
        for i in range(comments)
    ]
    (folder / "big.txt").write_text("\n\n".join(lines), encoding="utf-8")
    store = init_project(folder / "big.db")
    import_transcripts(
        store, [folder / "big.txt"], GroupMeta(name="Large group", code="FG1"), roles=ROLES
    )
    coder = store.add_coder("ana")
    themes = [t.key for t in store.themes()]
    with store.transaction():
        for n, comment in enumerate(c for c in store.comments() if not c.excluded):
            category = ("defining", "effective", "ineffective", "benefits")[n % 4]
            picked = (themes[n % len(themes)],) if category in ("effective", "ineffective") else ()
            memo = f"memo {n}: listening and planning\nsecond line" if n % 10 == 0 else ""
            write_coding(
                store,
                coder,
                comment.id,
                comment.ref,
                Coding(),
                Coding(category, picked, memo),
                "code",
            )
    return store


def median_time(call, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


async def app_figures(store) -> dict[str, float]:
    from workbench.ui.app import create_app

    app = create_app(store)
    figures = {}
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        for label, key in (
            ("open (v)", "v"),
            ("next (j)", "j"),
            ("page down", "pagedown"),
            ("last (end)", "end"),
        ):
            start = time.perf_counter()
            await pilot.press(key)
            await pilot.pause()
            figures[label] = time.perf_counter() - start
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=10_000)
    args = parser.parse_args()
    from workbench.coding.memos import memos
    from workbench.coding.views import transcript, whose_named
    from workbench.reports.quotes import theme_quotes

    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        store = build(Path(tmp), args.comments)
        print(
            f"built a group of {args.comments:,} comments, coded, in {time.perf_counter() - start:.1f} s"
        )
        ana = whose_named(store, "ana")
        print(
            f"transcript(): {median_time(lambda: transcript(store, 'FG1', ana)) * 1000:.0f} ms (median of 5)"
        )
        for label, seconds in asyncio.run(app_figures(store)).items():
            print(f"transcript view, {label} to idle: {seconds * 1000:.0f} ms")
        print(
            f"memos(): {median_time(lambda: memos(store, ana)) * 1000:.0f} ms, with a search: "
            f"{median_time(lambda: memos(store, ana, 'listen plan')) * 1000:.0f} ms "
            f"({len(memos(store, ana)):,} memos)"
        )
        rows = store.coded_comments(ana.coder.id)
        categories, themes = store.categories(), store.themes()
        print(
            f"coding rows read: {median_time(lambda: store.coded_comments(ana.coder.id)) * 1000:.0f} ms; "
            f"theme_quotes(): {median_time(lambda: theme_quotes(rows, categories, themes)) * 1000:.0f} ms"
        )
        store.close()


if __name__ == "__main__":
    main()
