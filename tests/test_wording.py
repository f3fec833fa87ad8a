"""The small things a researcher notices in what Workbench writes: grammar, progress lines only
on a terminal."""

import sys

from helpers import run_cli

from workbench.reports.quotes import ThemeQuotes
from workbench.store.codebook import Theme


def quote(polarity: str) -> dict:
    return {
        "ref": "FG1-002",
        "group_code": "FG1",
        "group": "HP",
        "role": "HP",
        "polarity": polarity,
        "exemplar": False,
        "text": "...",
    }


def test_one_comment_carries_a_theme_several_carry_it():
    theme = Theme("listening", "Listening", "i")
    one = ThemeQuotes(theme, [quote("effective")], behaviour=13)
    assert one.summary().startswith("1 of the 13 behaviour comments carries Listening (")
    two = ThemeQuotes(theme, [quote("effective"), quote("ineffective")], behaviour=13)
    assert two.summary().startswith("2 of the 13 behaviour comments carry Listening (")


def test_progress_lines_only_where_standard_error_is_a_terminal(monkeypatch):
    from workbench.cli.common import progress_lines

    monkeypatch.setattr(sys.stderr, "isatty", lambda: False, raising=False)
    assert progress_lines("fold") is None
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    assert progress_lines("fold") is not None


def test_report_all_writes_no_progress_lines_into_a_log(coded_demo, tmp_path, capsys):
    from helpers import copy_project

    copy_project(coded_demo, tmp_path).close()
    code, out, err = run_cli(
        capsys, "report", str(tmp_path / "demo.db"), "--all", "--out", str(tmp_path / "r")
    )
    assert code == 0 and out.startswith("Wrote ")
    assert "/" not in err.replace(str(tmp_path), "")  # no "  3/17" lines


async def test_the_memos_of_an_uncoded_project_say_nobody_has_coded_yet(tmp_path):
    from pilot import ready

    from workbench.demo import build_demo
    from workbench.ui.app import create_app

    store, _ = build_demo(tmp_path / "demo.db")
    app = create_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("n")
        await ready(pilot)
        assert str(app.screen.query_one("#memos-title").render()) == "Memos: nobody has coded yet"
