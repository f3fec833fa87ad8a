"""The public Python API: the user guide's whole-workflow example runs as written, on its own, and
the API is one light import."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from workbench import api as wb

ROOT = Path(__file__).resolve().parents[1]
# The scripting chapter's example that stands on its own (the README's, before the README shrank).
GUIDE_PAGE = ROOT / "docs" / "guide" / "scripting.md"
SECTION = "## A new project from a script"


def guide_example() -> str:
    text = GUIDE_PAGE.read_text(encoding="utf-8")
    assert SECTION in text, f"{GUIDE_PAGE} has no section {SECTION!r}"
    match = re.search(r"<!-- run -->\s*```python\n(.*?)```", text.split(SECTION, 1)[1], re.S)
    assert match, f"{GUIDE_PAGE}: no <!-- run --> python block under {SECTION!r}"
    return match.group(1)


def test_the_guides_example_runs_as_written_on_its_own(tmp_path):
    shutil.copytree(ROOT / "transcripts", tmp_path / "transcripts")
    script = tmp_path / "example.py"
    script.write_text(guide_example(), encoding="utf-8")
    out = subprocess.run(
        [sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    assert re.match(r"kappa 0\.\d\d, 95% CI 0\.\d\d to (0\.\d\d|1\.00)\n", out.stdout), out.stdout
    assert "['Theme', 'Definition', 'Comments', '% effective']" in out.stdout
    assert (tmp_path / "table3.docx").stat().st_size > 0

    project = wb.open_project(tmp_path / "study.db")
    status = wb.status(project)
    codable = [c for c in wb.comments(project) if not c["excluded"]]
    frame = wb.coding_frame(project)
    assert len(frame) == len(codable) == 16
    assert frame["category"].notna().all()  # every comment reconciled
    [run] = project.report_runs()
    assert run["tables"] == ["themes"] and run["outputs"] == ["table3.docx"]
    assert set(status["coders"]) >= {"ana", "ben"}


def test_api_names_exist_and_import_nothing_heavy():
    assert all(hasattr(wb, name) for name in wb.__all__)
    code = (
        "import sys, workbench.api\n"
        "print(sorted(m for m in ('pandas', 'numpy', 'spacy', 'textual', 'sqlite_utils') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_coding_session_through_the_api(tmp_path):
    project = wb.create_project(tmp_path / "p.db")
    wb.import_transcripts(
        project,
        [ROOT / "transcripts" / "fg1_health_professionals.txt"],
        group="HP",
        kind="individual",
        roster=ROOT / "transcripts" / "fg1_roster.csv",
    )
    first = next(c for c in wb.comments(project) if not c["excluded"])
    session = wb.coding_session(project, "ana")
    comment_id = project.find_ref(first["ref"])[0]
    session.set_category(comment_id, "effective")
    session.toggle_theme(comment_id, "listening")
    frame = wb.coding_frame(project, "ana")
    row = frame[frame["ref"] == first["ref"]].iloc[0]
    assert row["category"] == "effective" and list(row["themes"]) == ["listening"]


def test_saturation_through_the_api(coded_demo):
    """`wb.saturation` passes its base and run on (its `run` once named the function it calls)."""
    result = wb.saturation(wb.open_project(coded_demo), base=3, run=2)
    assert result["parameters"]["base"] == 3 and result["parameters"]["run"] == 2
    assert result["observed"]["saturation"]["5"]["label"] == "3+2"
