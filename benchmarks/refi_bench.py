"""REFI-QDA exchange on a 100,000-comment project: our export, QualCoder's import of it, our import back.

Builds (setup, not timed) a project of 10 focus groups and 100,000 comments coded
by two coders and agreed (category and 1-3 themes on behaviour comments, a memo
on 2% and the flags on some, one audit row per coding as the coding screen
writes them, reconciliation decisions), then times:

1. ``export_qdpx`` (project.qde, sources, Workbench's own data; the file is
   checked against the XSD separately, not timed, where ../shared/refi-qda is);
2. QualCoder's own ``RefiImport`` of that file (``benchmarks/qualcoder_interop.py``,
   headless, in a child process, QualCoder's database on disk as QualCoder opens
   it; skipped when QualCoder's source or PyQt6 is absent), with what it loaded;
3. ``import_qdpx`` of the file back into a new project (the Workbench round trip,
   from its own data), and with ``--overlap`` also of the file without its
   ``workbench/`` folder (comments parsed again from the text, codings placed by
   the overlap rule, as for a file from another program).

A project of this size is past the default limits (one project.qde of 230 MB and millions of
elements), so the script raises them as a user would with ``--limit``. Each step prints its wall
time and this process's CPU time: on a machine shared with other work the wall time is inflated,
the CPU time much less.

    python benchmarks/refi_bench.py [--comments 100000] [--overlap] [--no-qualcoder]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import qualcoder_interop as interop  # the same folder

SPEAKERS = [
    ("Facilitator", "Facilitator"),
    ("Dr. Amira Patel", "HP"),
    ("Ruth", "PwCHC"),
    ("Sam", "Parent"),
    ("Jamie", "Teen"),
]
WORDS = [
    "we",
    "plan",
    "the",
    "visit",
    "together",
    "and",
    "she",
    "listens",
    "to",
    "what",
    "matters",
    "when",
    "I",
    "feel",
    "heard",
    "I",
    "manage",
    "my",
    "health",
    "better",
    "nobody",
    "asks",
    "about",
    "goals",
    "the",
    "nurse",
    "explains",
    "options",
    "and",
    "we",
    "decide",
]


def build(folder: Path, comments: int):
    from workbench.coding.coder import AGREED
    from workbench.ingest.importer import GroupMeta, import_transcripts
    from workbench.project.lifecycle import init_project

    store = init_project(folder / "bench.db", name="REFI bench")
    rng = random.Random(15)
    groups = 10
    for g in range(groups):
        lines, last = [], None
        for n in range(comments // groups):
            name, _ = rng.choice([s for s in SPEAKERS if s[0] != last])
            last = name
            words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 30)))
            lines.append(f"[{n // 60:02d}:{n % 60:02d}:00] {name}: {words.capitalize()}.")
        path = folder / f"group{g}.txt"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        import_transcripts(
            store,
            [path],
            GroupMeta(name=f"Group {g}", kind="individual" if g < 6 else "multi"),
            roles=dict(SPEAKERS),
        )
    themes = [t.key for t in store.themes()]
    codable = [c for c in store.comments() if not c.excluded]
    with store.transaction():
        coders = [store.add_coder("ana"), store.add_coder("ben"), store.add_coder(AGREED, "agreed")]
        for comment in codable:
            category = rng.choice(["defining", "effective", "effective", "ineffective", "benefits"])
            chosen = (
                rng.sample(themes, rng.randint(1, 3))
                if category in ("effective", "ineffective")
                else []
            )
            for coder in coders:
                memo = (
                    f"{coder.name}: why {comment.ref} is {category}" if rng.random() < 0.02 else ""
                )
                store.save_coding(
                    coder.id,
                    comment.id,
                    category,
                    chosen,
                    memo,
                    rng.random() < 0.03,
                    rng.random() < 0.02,
                )
                store.audit(
                    "code",
                    "coding",
                    comment.ref,
                    after={"coder": coder.name, "category": category, "themes": chosen},
                )
            store.save_reconciliation(comment.id, "auto", "", ["ana", "ben"], "lead")
    return store


def timed(label: str, fn):
    """Run ``fn``; print its wall time and this process's CPU time (which a busy machine, shared
    with other work, inflates far less than the wall time)."""
    start, cpu = time.perf_counter(), time.process_time()
    result = fn()
    took = time.perf_counter() - start
    print(f"{label:<46} {took:8.1f} s (CPU {time.process_time() - cpu:.1f} s)", flush=True)
    return result, took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument(
        "--overlap", action="store_true", help="Also import the file without its workbench/ folder."
    )
    parser.add_argument("--no-qualcoder", action="store_true", help="Skip QualCoder's import.")
    args = parser.parse_args()
    from workbench import limits
    from workbench.exchange.refi import export_qdpx, import_qdpx

    # A genuine project of this size is past the default limits (one 230 MB project.qde of
    # millions of elements): raised as a user would with --limit (docs/bad-inputs.md, Limits).
    raised = ("entry-size=1G", "archive-size=2G", "elements=50M", "document-size=1G")
    limits.configure(raised)
    import workbench

    print(
        f"Workbench {workbench.__version__} from {Path(workbench.__file__).parent}; limits raised as "
        f"--limit would: {', '.join(raised)}"
    )

    with tempfile.TemporaryDirectory(prefix="refi-bench-") as tmp:
        folder = Path(tmp)
        start = time.perf_counter()
        store = build(folder, args.comments)
        codings = sum(len(store.codings_of(c.id)) for c in store.coders())
        print(
            f"project: {len(store.comments()):,} comments, {codings:,} codings by ana, ben and agreed, "
            f"{len(store.audit_rows()):,} audit rows (built in {time.perf_counter() - start:.1f} s, not timed)"
        )
        qdpx = folder / "bench.qdpx"
        summary, _ = timed("1. export_qdpx", lambda: export_qdpx(store, qdpx))
        with zipfile.ZipFile(qdpx) as archive:
            qde = archive.getinfo("project.qde").file_size
        print(
            f"   {qdpx.stat().st_size / 1e6:.1f} MB zip ({qde / 1e6:.1f} MB project.qde), "
            f"{summary.selections:,} selections, {sum(summary.codings.values()):,} coded comment-coder pairs"
        )
        from workbench.exchange.refi.validate import find_schemas, validate_qdpx

        if find_schemas() is not None:
            timed("   XSD validation (not part of 1.)", lambda: validate_qdpx(qdpx))
        source = interop.find_qualcoder()
        if args.no_qualcoder or source is None or not interop.qt_available():
            print(
                "2. QualCoder import: skipped"
                + ("" if args.no_qualcoder else " (QualCoder's source or PyQt6 is absent)")
            )
        else:
            ours = interop.exported_figures(qdpx)
            theirs, _ = timed(
                "2. QualCoder RefiImport (child process)",
                lambda: interop.run_qualcoder(qdpx, source),
            )
            print("   " + interop.report(ours, theirs, None).replace("\n", "\n   "))
        report, _ = timed(
            "3. import_qdpx back (Workbench's own data)",
            lambda: import_qdpx(qdpx, folder / "back.db"),
        )
        print(
            f"   {len(report.sources)} sources, codings {report.codings}, {report.restored or 'not restored'}"
        )
        if args.overlap:
            bare = folder / "bare.qdpx"
            with (
                zipfile.ZipFile(qdpx) as full,
                zipfile.ZipFile(bare, "w", zipfile.ZIP_DEFLATED) as out,
            ):
                for name in full.namelist():
                    if not name.startswith("workbench/"):
                        out.writestr(name, full.read(name))
            report, _ = timed(
                "   import_qdpx without workbench/ (overlap rule)",
                lambda: import_qdpx(bare, folder / "bare.db"),
            )
            print(
                f"   codings {report.codings}, ambiguous {len(report.ambiguous)}, unmapped {len(report.unmapped)}"
            )
        store.close()


if __name__ == "__main__":
    main()
