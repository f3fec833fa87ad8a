"""QualCoder's own REFI-QDA importer (ccbogel/QualCoder, src/qualcoder/refi.py, unmodified) reads
our .qdpx: every coding under its coder, every memo, every case, no crash, fixed colours.

Runs only where QualCoder's source (``$QUALCODER_SRC``, or /tmp/qualcoder/src) and PyQt6 are
installed; elsewhere it is skipped. The check itself is benchmarks/qualcoder_interop.py."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import qualcoder_interop as interop

SOURCE = interop.find_qualcoder()
pytestmark = pytest.mark.skipif(
    SOURCE is None or not interop.qt_available(),
    reason="QualCoder's source or PyQt6 is absent (see benchmarks/qualcoder_interop.py)",
)


def test_qualcoder_loads_every_coding_memo_and_case(tmp_path):
    from workbench.exchange.refi import export_qdpx

    export_qdpx(interop.coded_demo(tmp_path), tmp_path / "demo.qdpx")
    ours = interop.exported_figures(tmp_path / "demo.qdpx")
    theirs = interop.run_qualcoder(tmp_path / "demo.qdpx", SOURCE)
    assert theirs["crash"] is None and theirs["problems"] == []
    assert (theirs["sources"], theirs["codes"], theirs["cases"]) == (
        ours["sources"],
        ours["codes"],
        ours["cases"],
    )
    assert theirs["codings_per_user"] == ours["codings_per_user"] and set(
        ours["codings_per_user"]
    ) == {"ana", "ben", "agreed"}
    assert theirs["codings_with_memo"] == ours["codings_with_memo"] > 0
    assert theirs["annotations"] == 0 and theirs["code_memos_with_marker"] == 0
    assert theirs["case_attributes"] == 3 * ours["cases"]
    assert interop.run_qualcoder(tmp_path / "demo.qdpx", SOURCE)["colours"] == theirs["colours"]


def test_qualcoder_reads_participants_and_groups_attributes(tmp_path):
    """Attributes of participants as case attributes, of focus groups as file attributes."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from participants_fixture import build

    from workbench.exchange.refi import export_qdpx

    export_qdpx(build(tmp_path), tmp_path / "fictional.qdpx")
    theirs = interop.run_qualcoder(tmp_path / "fictional.qdpx", SOURCE)
    assert theirs["crash"] is None and theirs["problems"] == []
    values = theirs["attribute_values"]
    assert values["age (case)"] == ["29", "41", "50", "7"]
    assert values["condition (case)"] == ["CF", "IBD"]
    assert values["site (file)"] == ["Leeds", "York"] and values["Participant (case)"] == ["Ann"]
