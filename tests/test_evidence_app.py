"""Methods evidence in the app (Pilot): blind training and retest coding in the coding screen,
and saturation on the report screen."""

import subprocess
import sys

import pytest
from pilot import ready
from textual.widgets import DataTable, Input

from workbench.demo import build_demo, code_demo
from workbench.evidence import retest, training
from workbench.ui.app import create_app
from workbench.ui.coding import CodingScreen
from workbench.ui.dialogs import FormDialog, Prompt
from workbench.ui.home import HomeScreen
from workbench.ui.report import ReportScreen


@pytest.fixture
def coded(tmp_path):
    store, _ = build_demo(tmp_path / "demo.db")
    code_demo(store)
    return store


def notes(app) -> list[str]:
    return [n.message for n in app._notifications]


async def test_a_trainee_codes_the_training_set_blind(coded):
    training.mark(coded, ["FG2-003", "FG1-003", "FG4-004"])
    gold = {i["comment_id"]: i for i in coded.training_items()}
    agreed_before = coded.codings_of(coded.coder_named("agreed").id)
    app = create_app(coded, coder="cai", mode="training")
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        screen = app.screen
        assert isinstance(screen, CodingScreen) and screen.session.coder.name == "cai (training)"
        assert screen.worklist.codable == list(gold)  # the set only, in reading order
        assert screen.worklist.coding(screen.worklist.current).empty  # the gold coding is not shown
        assert set(screen.groups) == {coded.group_by_name(c).id for c in ("FG1", "FG2", "FG4")}
        await pilot.press("4", "j", "1")
        await pilot.press("colon")
        assert isinstance(app.screen, Prompt)
        await pilot.press(*"FG5-003", "enter")
        assert "FG5-003 is not among the comments of this training session" in notes(app)
        await pilot.press("S")
        assert "Comments cannot be split or merged in a training session." in notes(app)
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)
        assert "coding as cai" in str(app.screen.query_one("#totals").render())
        await pilot.press("c")
        await ready(pilot)
        assert isinstance(app.screen, CodingScreen) and app.screen.session.mode == "training"
    trainee = coded.codings_of(coded.scoped_coder("cai", "training").id)
    assert [trainee[i].category_key for i in list(gold)[:2]] == ["benefits", "defining"]
    assert coded.codings_of(coded.coder_named("agreed").id) == agreed_before
    assert coded.coder_named("cai") is None  # no study coder was made


async def test_a_coder_recodes_their_sample_without_seeing_their_first_coding(coded):
    retest.draw(coded, "ana", 5, seed=2)
    ana = coded.coder_named("ana")
    first = coded.codings_of(ana.id)
    app = create_app(coded, coder="ana", mode="retest")
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        screen = app.screen
        current = screen.worklist.current
        assert current in first and first[current].category_key  # ana coded it ...
        assert screen.worklist.coding(current).empty  # ... and the screen does not show it
        assert len(screen.worklist.codable) == 5
        await pilot.press("3")
    recoded = coded.codings_of(coded.scoped_coder("ana", "retest").id)
    assert recoded[current].category_key == "ineffective"
    assert coded.codings_of(ana.id) == first


async def test_saturation_on_the_report_screen(coded, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = create_app(coded)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("t")
        screen = app.screen
        assert isinstance(screen, ReportScreen)
        await pilot.press("end")
        await pilot.pause()
        assert screen.choice == "saturation"
        # Five groups: the default base (4) leaves no run of 2, so the base is fitted (3) and said.
        assert "base 3, run 2" in str(screen.query_one("#report-title").render())
        notes = str(screen.query_one("#report-notes").render())
        assert (
            "The base size of 3 is the largest base that leaves a run of 2 in 5 focus groups"
            in notes
        )
        await pilot.press("s")  # the method's two settings, as two labelled fields
        form = app.screen
        assert isinstance(form, FormDialog)
        assert [str(label.render()) for label in form.query(".form-label")] == [
            "Base size",
            "Run length",
        ]
        assert form.values == {"base": "3", "run": "2"}
        form.query_one("#field-base", Input).value = "4"
        await pilot.press("ctrl+s")
        await pilot.pause()
        message = str(
            screen.query_one("#report-text").render()
        )  # base 4 leaves no run of 2: said in words
        assert (
            "needs at least 6 focus groups" in message
            and "lower the base size or the run length" in message
        )
        assert "--" not in message
        await pilot.press("s")
        app.screen.query_one("#field-base", Input).value = "3"
        await pilot.press("ctrl+s")
        await pilot.pause()
        table = screen.query_one("#report-table", DataTable)
        assert table.get_row_at(0)[:3] == ["1", "FG1 Health professionals", "2025-03-04"]
        assert "base 3, run 2" in str(screen.query_one("#report-title").render())
        assert "Saturation was reached after three groups (3+2)" in str(
            screen.query_one("#report-notes").render()
        )
        assert "11 (+11) base" in str(screen.query_one("#report-text").render())
        await pilot.press("e")
        assert isinstance(app.screen, Prompt)
        await pilot.press("enter")  # saturation.docx
        await pilot.pause()
    assert (tmp_path / "saturation.docx").exists()
    assert [r["tables"] for r in coded.report_runs()] == [["saturation"]]


def test_blind_coding_loads_no_heavy_library(coded, tmp_path):
    training.mark(coded, ["FG2-003"])
    coded.close()
    code = (
        "import asyncio, sys\n"
        "from workbench.store import Store\n"
        "from workbench.ui.app import create_app\n"
        "async def main():\n"
        f"    app = create_app(Store.open({str(tmp_path / 'demo.db')!r}), coder='cai', mode='training')\n"
        "    async with app.run_test(size=(80, 24)) as pilot:\n"
        "        await pilot.press('1')\n"
        "        assert type(app.screen).__name__ == 'CodingScreen'\n"
        "asyncio.run(main())\n"
        "print(sorted(m for m in ('sqlite_utils', 'pandas', 'numpy', 'spacy', 'matplotlib') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"
