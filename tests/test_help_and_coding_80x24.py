"""The key help (?) and the coding screen at 80x24: the screen's own keys first and every one
reachable from the keyboard; flags on the comment's own line; the theme list only where it
applies; the memo beside the comment; a stacked layout below 60 columns; a search cleared with
one key; refs as people type them."""

import pytest
from pilot import keys, ready

from workbench.demo import build_demo
from workbench.ui.app import create_app
from workbench.ui.dialogs import MemoEditor
from workbench.ui.help import KeysPanel, sections


def plain(markup: str) -> str:
    """A border title as read (Textual keeps it as markup)."""
    from rich.text import Text

    return Text.from_markup(markup).plain


@pytest.fixture
def demo(tmp_path):
    store, _ = build_demo(tmp_path / "demo.db")
    return store


async def test_the_key_help_lists_the_screens_own_keys_first_and_scrolls(demo):
    app = create_app(demo, coder="ana")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        screen = app.screen
        await pilot.press("question_mark")
        await pilot.pause()
        panel = screen.query_one(KeysPanel)
        assert screen.focused is panel  # so the keyboard scrolls it
        listed = sections(screen, panel.focused_before)
        assert [heading for heading, _ in listed][:4] == [
            "Categories",
            "Themes",
            "This screen",
            "Everywhere",
        ]
        assert [k for k, _, _ in listed[0][1]] == ["1", "2", "3", "4"]
        assert len(listed[1][1]) == 14
        own = {k: d for k, d, _ in listed[2][1]}
        for key in ("!", "*", "S", "M", "T", ": ^g", "F", "/", "^z"):
            assert key in own, key
        # Every key of the screen is in the panel, most below its end at 80x24: reached by keys.
        described = {d for _, rows in listed for _, d, _ in rows}
        for bindings in screen._bindings.key_to_bindings.values():
            for binding in bindings:
                if (
                    binding.description
                    and screen.check_action(binding.action.split("(")[0], ()) is not False
                ):
                    assert binding.description.split(": ")[-1] in described, binding.description
        assert panel.virtual_size.height >= sum(len(rows) + 2 for _, rows in listed) - 1
        assert panel.max_scroll_y > 0
        await pilot.press("end")
        assert panel.scroll_y == panel.max_scroll_y
        await pilot.press("home", "pagedown")
        assert panel.scroll_y > 0
        await pilot.press("2")  # coding keys still reach the screen
        assert screen.worklist.coding(screen.worklist.current).category == "effective"
        await pilot.press("escape")  # closes the panel, does not leave the screen
        await pilot.pause()
        assert not screen.query(KeysPanel) and app.screen is screen


async def test_the_coding_screen_at_80x24(demo):
    app = create_app(demo, coder="ana")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        screen = app.screen
        box = screen.query_one("#comment")
        await pilot.press(
            "1"
        )  # a category without themes: no theme list, one line saying which take them
        assert str(screen.query_one("#themes").render()) == "Themes: categories 2 or 3 take themes"
        assert plain(box.border_subtitle).strip() == "1 Defining coproduction"
        await pilot.press("2", "r", "exclamation_mark", "asterisk")
        await pilot.pause()
        assert screen.query_one("#themes").region.height == 15  # the title and the 14 themes
        assert plain(box.border_title).split() == ["!", "not", "sure", "*", "exemplar"]
        assert plain(box.border_subtitle).startswith(" 2 Behaviors of effective")
        await pilot.press("enter", *"why", "ctrl+s")
        await pilot.pause()
        assert plain(box.border_title).split() == ["!", "*", "✎"]  # the keys alone, to fit
        await pilot.press("enter")  # the memo beside the comment, never over it
        await pilot.pause()
        assert isinstance(app.screen, MemoEditor)
        dialog = app.screen.query_one("#memo-dialog").region
        assert not dialog.overlaps(box.region)
        await pilot.press("escape")


async def test_below_60_columns_the_codes_go_under_the_comment(demo):
    app = create_app(demo, coder="ana")
    async with app.run_test(size=(56, 30)) as pilot:
        await ready(pilot)
        screen = app.screen
        assert screen.has_class("-stacked")
        comment, codes = screen.query_one("#comment").region, screen.query_one("#codes").region
        assert codes.y >= comment.bottom and comment.width > 40
        await pilot.press("enter")  # the memo under the comment
        await pilot.pause()
        assert not app.screen.query_one("#memo-dialog").region.overlaps(
            screen.query_one("#comment").region
        )


async def test_a_search_is_cleared_with_one_key_shown_in_the_footer(demo):
    app = create_app(demo, coder="ana")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        screen = app.screen
        total = len(screen.worklist.items)
        assert "esc Home" in keys(app)
        await pilot.press("slash", *"plan", "enter")
        await ready(pilot)
        assert len(screen.worklist.items) < total and "esc Clear search" in keys(app)
        await pilot.press("escape")
        await ready(pilot)
        assert app.screen is screen and len(screen.worklist.items) == total
        assert "esc Home" in keys(app)


@pytest.mark.parametrize("typed", ["fg1-10", "FG1-010", " Fg1-10 "])
async def test_go_to_accepts_a_ref_as_typed(demo, typed):
    app = create_app(demo, coder="ana")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("colon", *typed, "enter")
        await pilot.pause()
        assert app.screen._me.ref == "FG1-010"
