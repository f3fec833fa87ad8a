"""Hostile files at full size, with the default limits: what refusing them costs.

Each case is the worst a reader can be handed (the issue's cases at the size an attacker
would use, not shrunk by a low ``--limit`` as in tests/test_hostile_files.py): zip bombs that
expand to 2 GB, a 50 MB one-line source, a 1 GB memo, a 40 MB codebook, a PDF stream bomb,
elements and nesting far beyond the limits, and the largest sheet the limits let through.
Every case runs as its own ``python -m workbench`` process; the figures are that process's
wall time and peak RSS (``wait4``), beside the file's size on disk. The files are built by
another process (``--build``): Linux counts a child's peak RSS from its parent's at the fork,
so the measuring process stays small.

Targets (issue 14): peak RSS ≤ the file's own size + 200 MB; a bomb refused within 1 s.
``workbench --version``, the interpreter and the CLI alone, is printed first as the floor of
both figures.

    python benchmarks/hostile_bench.py            # every case
    python benchmarks/hostile_bench.py --only xlsx
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the builders of the test corpus

import hostile as H  # noqa: E402  (stdlib only at import: docx and openpyxl load in the builders)

MB = 1 << 20
GB = 1 << 30
BOMB = 2 * GB
TRANSCRIPT = "Facilitator: Welcome.\n\nDr. Patel: We plan together.\n\nRuth: She listens.\n"
WORDS = "we talked about the plan and she listened to what I said about my care at home".split()


def words(n_bytes: int, seed: int = 1) -> str:
    """Text that compresses like prose (3-4 times), so no ratio check refuses it."""
    rng = random.Random(seed)
    out, size = [], 0
    while size < n_bytes:
        word = rng.choice(WORDS) + str(rng.randrange(1000))
        out.append(word)
        size += len(word) + 1
    return " ".join(out)


# -- the cases: each writes its file(s) into ``tmp`` and returns (command, file, is_bomb) -----


def docx_bomb(tmp):
    H.zip_with_bomb(
        tmp / "bomb.docx",
        {k: v for k, v in H.docx_members().items() if k != "word/document.xml"},
        "word/document.xml",
        BOMB,
    )
    return ["import", "p.db", "bomb.docx"], "bomb.docx", True


def pdf_stream_bomb(tmp):
    (tmp / "bomb.pdf").write_bytes(H.pdf_with_flate_stream(BOMB))
    return ["import", "p.db", "bomb.pdf"], "bomb.pdf", True


def transcript_200mb(tmp):
    with open(tmp / "big.txt", "w") as out:
        chunk = "Ann: " + words(MB) + "\n\n"
        for _ in range(200):
            out.write(chunk)
    return ["import", "p.db", "big.txt"], "big.txt", False


def qdpx_project_bomb(tmp):
    H.zip_with_bomb(tmp / "bomb.qdpx", {}, "project.qde", BOMB)
    return ["import-qdpx", "bomb.qdpx", "--out", "new.db"], "bomb.qdpx", True


def qdpx_source_bomb(tmp):
    H.zip_with_bomb(
        tmp / "bomb.qdpx",
        {
            "project.qde": H.qde(
                sources='<TextSource guid="{00000001-0000-0000-0000-000000000000}" name="One" '
                'plainTextPath="internal://one.txt"/>'
            )
        },
        "sources/one.txt",
        BOMB,
    )
    return ["import-qdpx", "bomb.qdpx", "--out", "new.db"], "bomb.qdpx", True


def qdpx_50mb_one_line_source(tmp):
    H.write_zip(
        tmp / "line.qdpx",
        {
            "project.qde": H.qde(
                sources='<TextSource guid="{00000001-0000-0000-0000-000000000000}" name="One" '
                'plainTextPath="internal://one.txt"/>'
            ),
            "sources/one.txt": ("Ann: " + words(50 * MB)).encode(),
        },
    )
    return ["import-qdpx", "line.qdpx", "--out", "new.db"], "line.qdpx", False


def qdpx_deep_codes(tmp):
    H.write_zip(tmp / "deep.qdpx", {"project.qde": H.qde(codes=H.nested_codes(100_000))})
    return ["import-qdpx", "deep.qdpx", "--out", "new.db"], "deep.qdpx", False


def qdpx_million_codes(tmp):
    codes = "".join(
        f'<Code guid="{{{i:08d}-0000-0000-0000-000000000000}}" name="c{i}" isCodable="true"/>'
        for i in range(1_000_000)
    )
    H.write_zip(tmp / "many.qdpx", {"project.qde": H.qde(codes=codes)})
    return ["import-qdpx", "many.qdpx", "--out", "new.db"], "many.qdpx", False


def qdc_deep(tmp):
    body = H.nested_codes(100_000)
    (tmp / "deep.qdc").write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>{body}</Codes></CodeBook>'
    )
    return ["import-qdc", "deep.qdc", "--out", "deep.toml"], "deep.qdc", False


def xlsx_bomb(tmp):
    members = H.xlsx_members([["ref", "coder", "category"]])
    H.zip_with_bomb(
        tmp / "bomb.xlsx",
        {k: v for k, v in members.items() if k != "xl/worksheets/sheet1.xml"},
        "xl/worksheets/sheet1.xml",
        BOMB,
    )
    return ["codings", "import", "p.db", "bomb.xlsx"], "bomb.xlsx", True


def xlsx_largest_let_through(tmp):
    """480,000 cells (the elements limit is 500,000): read whole, then refused for its rows."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["ref", "coder", "category", "themes"])
    for i in range(120_000):
        sheet.append([f"FG9-{i:06d}", "ana", "effective", "listening"])
    book.save(tmp / "large.xlsx")
    return ["codings", "import", "p.db", "large.xlsx"], "large.xlsx", False


def csv_30mb_field(tmp):
    (tmp / "ana.csv").write_text(
        'ref,coder,category,memo\nFG1-002,ana,defining,"' + words(30 * MB) + '"\n'
    )
    return ["codings", "import", "p.db", "ana.csv"], "ana.csv", False


def package_1gb_memo(tmp):
    data = json.dumps(H.package(codings=[{**H.package()["codings"][0], "memo": "@@"}]))
    head, tail = data.split("@@")
    with open(tmp / "ana.json", "w") as out:
        out.write(head)
        chunk = "x" * MB
        for _ in range(1024):
            out.write(chunk)
        out.write(tail)
    return ["coder", "import", "p.db", "ana.json"], "ana.json", False


def package_30mb_memo(tmp):
    data = H.package(codings=[{**H.package()["codings"][0], "memo": words(30 * MB)}])
    H.write_json(tmp / "ana.json", data)
    return ["coder", "import", "p.db", "ana.json"], "ana.json", False


def package_deep(tmp):
    """A million lists in lists where the codings belong."""
    text = json.dumps(H.package(codings=["@@"])).replace('"@@"', H.nested_json(1_000_000))
    H.write_json(tmp / "deep.json", text)
    return ["coder", "import", "p.db", "deep.json"], "deep.json", False


def codebook_40mb(tmp):
    with open(tmp / "big.toml", "w") as out:
        out.write('name = "Big"\nversion = "1"\n')
        for i in range(400_000):
            out.write(
                f'[[themes]]\nkey = "t{i}"\nname = "Theme {i}"\nshortcut = "x"\ndefinition = "{"d" * 40}"\n'
            )
    return ["codebook", "p.db", "--replace", "big.toml"], "big.toml", False


def codebook_deep(tmp):
    (tmp / "deep.toml").write_text('name = "Deep"\nx = ' + "[" * 500_000 + "]" * 500_000 + "\n")
    return ["codebook", "p.db", "--replace", "deep.toml"], "deep.toml", False


CASES = [
    docx_bomb,
    pdf_stream_bomb,
    transcript_200mb,
    qdpx_project_bomb,
    qdpx_source_bomb,
    qdpx_50mb_one_line_source,
    qdpx_deep_codes,
    qdpx_million_codes,
    qdc_deep,
    xlsx_bomb,
    xlsx_largest_let_through,
    csv_30mb_field,
    package_1gb_memo,
    package_30mb_memo,
    package_deep,
    codebook_40mb,
    codebook_deep,
]


def run(args: list[str], cwd: Path) -> tuple[int, float, float, str]:
    """Exit status, wall seconds, peak RSS in MB and the first line of stderr of one process."""
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "workbench", *args],
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    err = process.stderr.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    first = next((line for line in err.splitlines() if line.strip()), "")
    return process.returncode, wall, usage.ru_maxrss / 1024, first


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", help="run the cases whose name contains this")
    parser.add_argument("--build", nargs=2, metavar=("CASE", "FOLDER"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build:  # in a process of its own: print the case's command, file and kind
        name, folder = args.build
        print(json.dumps(globals()[name](Path(folder))))
        return
    cases = [c for c in CASES if not args.only or args.only in c.__name__]
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder) / "base"
        base.mkdir()
        (base / "fg1.txt").write_text(TRANSCRIPT)
        for command in (["init", "p.db"], ["import", "p.db", "fg1.txt"]):
            assert run(command, base)[0] == 0, command
        code, wall, rss, _ = run(["--version"], base)
        print(f"floor: `workbench --version` {wall:.2f} s, peak RSS {rss:.0f} MB\n")
        print(
            f"{'case':28} {'file MB':>8} {'exit':>4} {'wall s':>7} {'RSS MB':>7} {'RSS-file':>8}  verdict"
        )
        failures = 0
        for case in cases:
            tmp = Path(folder) / case.__name__
            tmp.mkdir()
            for name in ("p.db", "fg1.txt"):
                (tmp / name).write_bytes((base / name).read_bytes())
            built = subprocess.run(
                [sys.executable, __file__, "--build", case.__name__, str(tmp)],
                capture_output=True,
                text=True,
                check=True,
            )
            command, file, bomb = json.loads(built.stdout)
            size = (tmp / file).stat().st_size / MB
            code, wall, rss, first = run(command, tmp)
            ok = (
                code == 1
                and rss - size <= 200
                and (wall <= 1.0 or not bomb)
                and first.startswith("error:")
            )
            failures += not ok
            print(
                f"{case.__name__:28} {size:8.1f} {code:4} {wall:7.2f} {rss:7.0f} {rss - size:8.0f}  "
                f"{'ok' if ok else 'MISSED'}{' (bomb)' if bomb else ''}"
            )
            print(f"    {first[:150]}")
            for path in tmp.iterdir():
                if path.is_file() and path.name not in ("p.db",):
                    path.unlink()
        print(
            f"\n{len(cases) - failures}/{len(cases)} cases within target "
            "(exit 1 with the product's message; RSS ≤ file + 200 MB; a bomb refused ≤ 1 s)"
        )


if __name__ == "__main__":
    main()
