"""Interop check: QualCoder's own REFI-QDA importer reads a Workbench .qdpx.

Runs ``RefiImport.import_project`` from QualCoder's source (``src/qualcoder/refi.py``,
unmodified) headless (PyQt6, ``QT_QPA_PLATFORM=offscreen``) in a child process,
against a fresh QualCoder project database whose tables come from QualCoder's own
``__main__.py`` (the ``CREATE TABLE`` statements of its new-project function, read
with ``ast``). Only ``qualcoder.helpers`` is replaced, by a stand-in whose
``Message`` dialog records its text instead of opening a window (the real module
pulls in PyMuPDF, Pillow and VLC, none of which the importer uses).

It prints what QualCoder loaded (sources, codes, codings per user, memos, cases,
attributes, journals, annotations, any crash or error line) beside what the
export holds, and whether the code colours are the same in two imports.

QualCoder's source is not part of Workbench: fetch it yourself, e.g.
``git clone https://github.com/ccbogel/QualCoder /tmp/qualcoder`` (or set
``QUALCODER_SRC`` to its ``src`` folder), and ``pip install PyQt6``.

    python benchmarks/qualcoder_interop.py [--qdpx FILE] [--qualcoder SRC] [--json]

Without ``--qdpx`` it exports the coded demo project (two coders and an agreed
coding, as the tests build it) and checks that.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import subprocess
import sys
import tempfile
import types
import xml.etree.ElementTree as ET
import zipfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NS = "{urn:QDA-XML:project:1.0}"


def find_qualcoder(given: str | None = None) -> Path | None:
    """QualCoder's ``src`` folder (holding ``qualcoder/refi.py``), or None."""
    candidates = [
        given,
        os.environ.get("QUALCODER_SRC"),
        "/tmp/qualcoder/src",
        str(ROOT.parent / "QualCoder" / "src"),
    ]
    for candidate in filter(None, candidates):
        if (Path(candidate) / "qualcoder" / "refi.py").is_file():
            return Path(candidate)
    return None


def qt_available() -> bool:
    try:
        import PyQt6.QtWidgets  # noqa: F401
    except ImportError:
        return False
    return True


# -- what the export holds ----------------------------------------------------------


def exported_figures(qdpx: Path) -> dict:
    """Counts in our project.qde, to compare with what QualCoder loaded."""
    with zipfile.ZipFile(qdpx) as archive:
        root = ET.fromstring(archive.read("project.qde"))
    users = {u.get("guid"): u.get("name") for u in root.iter(f"{NS}User")}
    per_user: Counter = Counter()
    memos = 0
    for selection in root.iter(f"{NS}PlainTextSelection"):
        description = selection.find(f"{NS}Description")
        for coding in selection.findall(f"{NS}Coding"):
            per_user[users.get(coding.get("creatingUser"), "?")] += 1
            memos += description is not None and bool(description.text)
    return {
        "sources": len(root.findall(f"{NS}Sources/{NS}TextSource")),
        "codes": sum(1 for c in root.iter(f"{NS}Code") if c.get("isCodable") == "true"),
        "codings": sum(per_user.values()),
        "codings_per_user": dict(sorted(per_user.items())),
        "codings_with_memo": memos,
        "cases": len(root.findall(f"{NS}Cases/{NS}Case")),
        "notes": len(root.findall(f"{NS}Notes/{NS}Note")),
    }


# -- the child: QualCoder's importer ------------------------------------------------------


def qualcoder_tables(src: Path) -> list[str]:
    """QualCoder's CREATE TABLE statements, from the function of __main__.py that makes a new project."""
    tree = ast.parse((src / "qualcoder" / "__main__.py").read_text(encoding="utf-8"))
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef):
            continue
        statements = [
            node.args[0].value
            for node in ast.walk(function)
            if isinstance(node, ast.Call)
            and getattr(node.func, "attr", "") == "execute"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
            and node.args[0].value.lstrip().upper().startswith("CREATE TABLE")
        ]
        if any(s.split("(")[0].split()[-1] == "code_text" for s in statements):
            return statements
    raise SystemExit(
        f"{src}: no new-project function with CREATE TABLE statements in qualcoder/__main__.py"
    )


def child(qdpx: Path, src: Path, workdir: Path) -> dict:
    """Import ``qdpx`` with QualCoder's RefiImport into a new QualCoder project under ``workdir``."""
    import sqlite3
    import traceback

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(src))
    messages: list[str] = []

    class Message:  # stands in for qualcoder.helpers.Message (a modal dialog)
        def __init__(self, app, title, text="", icon=None):
            messages.append(f"{title}: {text}")

        def exec(self):
            return 0

    helpers = types.ModuleType("qualcoder.helpers")
    helpers.Message = Message
    sys.modules["qualcoder.helpers"] = helpers
    from PyQt6 import QtWidgets

    qt = QtWidgets.QApplication.instance() or QtWidgets.QApplication([])
    from qualcoder import refi

    project = workdir / "interop.qda"
    for folder in ("images", "audio", "video", "documents"):
        (project / folder).mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(project / "data.qda")
    for statement in qualcoder_tables(src):
        conn.execute(statement)
    conn.commit()

    class Log:
        def __init__(self):
            self.lines: list[str] = []

        def append(self, text):
            self.lines.append(str(text))

    app = types.SimpleNamespace(
        conn=conn,
        project_path=str(project),
        project_events=None,
        ai_models=[],
        settings={"directory": str(workdir), "codername": "default", "ai_enable": "False"},
        write_config_ini=lambda *a: None,
    )
    QtWidgets.QFileDialog.getOpenFileName = staticmethod(lambda *a, **k: (str(qdpx), True))
    log = Log()
    crash = None
    try:
        refi.RefiImport(app, log, "qdpx")
    except Exception as exc:  # noqa: BLE001 - QualCoder's own failure: report it, do not hide it
        frame = traceback.extract_tb(exc.__traceback__)[-1]
        crash = f"{type(exc).__name__}: {exc} (in {frame.name}, {Path(frame.filename).name}:{frame.lineno})"
    qt.processEvents()

    def one(sql):
        return conn.execute(sql).fetchone()[0]

    def rows(sql):
        return conn.execute(sql).fetchall()

    problems = [
        line
        for line in log.lines
        if any(w in line for w in ("Error", "Cannot", "Duplicated", "error"))
    ]
    return {
        "crash": crash,
        "sources": one("select count(*) from source"),
        "codes": one("select count(*) from code_name"),
        "categories": one("select count(*) from code_cat"),
        "codings": one("select count(*) from code_text"),
        "codings_per_user": dict(
            rows("select owner, count(*) from code_text group by owner order by owner")
        ),
        "codings_with_memo": one(
            "select count(*) from code_text where memo is not null and memo != ''"
        ),
        "cases": one("select count(*) from cases"),
        "case_attributes": one("select count(*) from attribute where attr_type = 'case'"),
        "file_attributes": one("select count(*) from attribute where attr_type = 'file'"),
        # Participants' and groups' attributes (issue 24): each variable's values in QualCoder.
        "attribute_values": {
            f"{name} ({kind})": sorted(set(v.split(",")))
            for name, kind, v in rows(
                "select name, attr_type, group_concat(value) from attribute "
                "where value != '' group by name, attr_type"
            )
        },
        "journals": one("select count(*) from journal"),
        "annotations": one("select count(*) from annotation"),
        "code_memos_with_marker": one(
            "select count(*) from code_name where memo like '%workbench:%'"
        ),
        "colours": dict(rows("select name, color from code_name order by name")),
        "problems": problems[:10]
        + ([f"... and {len(problems) - 10} more"] if len(problems) > 10 else []),
        "messages": [m for m in messages if "EXPERIMENTAL" not in m][:5],
    }


def run_qualcoder(qdpx: Path, src: Path) -> dict:
    """QualCoder's import of ``qdpx``, run in a child process (Qt stays out of this one)."""
    with tempfile.TemporaryDirectory(prefix="qualcoder-") as tmp:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
        result = subprocess.run(
            [
                sys.executable,
                __file__,
                "--child",
                str(qdpx),
                "--qualcoder",
                str(src),
                "--workdir",
                tmp,
            ],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"the QualCoder child failed:\n{result.stderr[-3000:]}")
        return json.loads(result.stdout.strip().splitlines()[-1])


# -- the coded demo ----------------------------------------------------------------------


def coded_demo(folder: Path):
    """The demo project coded by ana and ben, with an agreed coding from reconciliation (as the tests)."""
    sys.path.insert(0, str(ROOT / "tests"))
    from helpers import code_deterministically

    from workbench.demo import build_demo
    from workbench.reconcile.consensus import Reconciliation

    store, _ = build_demo(folder / "demo.db")
    code_deterministically(store, "ana", 0)
    code_deterministically(store, "ben", 1)
    rec = Reconciliation(store, "ana", "ben", "lead")
    rec.auto_agree()
    for n, item in enumerate(rec.queue()[:12]):
        if item.codings["ana"] is not None and item.codings["ana"].category:
            rec.take(item, "ana", f"decision {n}")
    return store


def report(ours: dict, theirs: dict, again: dict | None) -> str:
    lines = [
        f"QualCoder import: {'CRASHED: ' + theirs['crash'] if theirs['crash'] else 'completed'}"
    ]
    lines.append(f"  sources      {theirs['sources']:>6} of {ours['sources']}")
    lines.append(
        f"  codes        {theirs['codes']:>6} of {ours['codes']} (in {theirs['categories']} categories)"
    )
    lines.append(f"  codings      {theirs['codings']:>6} of {ours['codings']}")
    for user in sorted(set(ours["codings_per_user"]) | set(theirs["codings_per_user"])):
        lines.append(
            f"    {user:<10} {theirs['codings_per_user'].get(user, 0):>6} of "
            f"{ours['codings_per_user'].get(user, 0)}"
        )
    lines.append(f"  with memo    {theirs['codings_with_memo']:>6} of {ours['codings_with_memo']}")
    lines.append(
        f"  cases        {theirs['cases']:>6} of {ours['cases']} "
        f"({theirs['case_attributes']} case attributes, {theirs['file_attributes']} file attributes)"
    )
    for name, values in theirs.get("attribute_values", {}).items():
        lines.append(f"    {name}: {', '.join(values[:8])}" + (" ..." if len(values) > 8 else ""))
    lines.append(
        f"  notes: {ours['notes']} exported as coding memos; QualCoder journals {theirs['journals']}, "
        f"annotations {theirs['annotations']}"
    )
    lines.append(f"  code memos showing the workbench marker: {theirs['code_memos_with_marker']}")
    if again is not None:
        same = again["colours"] == theirs["colours"]
        lines.append(f"  code colours the same in two imports: {'yes' if same else 'no (random)'}")
    lines += [f"  QualCoder said: {p}" for p in theirs["problems"]]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--qdpx", help="A .qdpx to check (default: export the coded demo project).")
    parser.add_argument(
        "--qualcoder", help="QualCoder's src folder (default: $QUALCODER_SRC, /tmp/qualcoder/src)."
    )
    parser.add_argument("--json", action="store_true", help="Print the figures as JSON.")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(Path(args.child), Path(args.qualcoder), Path(args.workdir))))
        return
    src = find_qualcoder(args.qualcoder)
    if src is None or not qt_available():
        print(
            "skipped: "
            + (
                "QualCoder's source was not found (set QUALCODER_SRC or --qualcoder)"
                if src is None
                else "PyQt6 is not installed (pip install PyQt6)"
            )
        )
        return
    with tempfile.TemporaryDirectory(prefix="interop-") as tmp:
        qdpx = Path(args.qdpx) if args.qdpx else None
        if qdpx is None:
            from workbench.exchange.refi import export_qdpx

            qdpx = Path(tmp) / "demo.qdpx"
            export_qdpx(coded_demo(Path(tmp)), qdpx)
        ours = exported_figures(qdpx)
        theirs = run_qualcoder(qdpx, src)
        again = run_qualcoder(qdpx, src)
    if args.json:
        stable = again["colours"] == theirs["colours"]
        print(
            json.dumps({"exported": ours, "qualcoder": theirs, "colours_stable": stable}, indent=2)
        )
        return
    print(f"QualCoder source: {src}")
    print(
        f"Exported: {ours['sources']} sources, {ours['codes']} codable codes, {ours['codings']} codings "
        f"({', '.join(f'{u} {n}' for u, n in ours['codings_per_user'].items())}), {ours['cases']} cases, "
        f"{ours['notes']} notes"
    )
    print(report(ours, theirs, again))


if __name__ == "__main__":
    main()
