"""Shortcuts only from keys on a keyboard (issue 19 item 8): a codebook with more entries than keys
gives the rest none (never a CJK ideograph), the loader accepts an entry without a shortcut, and
the coding and reconciliation screens offer such an entry in the command palette."""

import pytest
from pilot import palette, ready

from workbench.errors import CodebookError
from workbench.exchange.refi.codebook import CodeRecord, plan_codebook
from workbench.ingest.importer import GroupMeta, import_transcripts
from workbench.project.codebook import RESERVED_KEYS, parse_codebook
from workbench.project.codebook_plan import KEYBOARD, codebook_toml
from workbench.project.lifecycle import init_project
from workbench.ui.app import create_app

HEAD = (
    '[codebook]\nname = "Big"\n\n[[category]]\nkey = "helps"\nname = "Helps"\nshortcut = "1"\n'
    "takes_themes = true\n"
)


def test_249_themes_get_the_keyboards_keys_and_then_none():
    themes = [CodeRecord(f"t{n}", f"Theme {n:03d}", True, "", None, []) for n in range(249)]
    plan = plan_codebook([CodeRecord("c", "Codes", True, "", None, themes)], "qc", "qc.qdpx")
    keys = [t.shortcut for t in plan.themes if t.shortcut]
    free = {k for k in KEYBOARD if k.lower() not in {r for r in RESERVED_KEYS if r.lower() == r}}
    assert plan.categories[0].shortcut == "1" and len(keys) == len(free) - 1 == 55
    assert set(keys) <= free and len(set(keys)) == len(keys)
    assert plan.keyless == [f"theme theme_{n:03d}" for n in range(55, 249)]
    book = parse_codebook(codebook_toml(plan, "qc.qdpx").encode(), "qc.toml")
    assert [t.shortcut for t in book.themes[55:]] == [""] * 194


@pytest.mark.parametrize("line", ["", 'shortcut = ""\n', 'shortcut = "  "\n'])
def test_an_entry_may_have_no_shortcut(line):
    book = parse_codebook(
        (HEAD + f'\n[[theme]]\nkey = "cost"\nname = "Cost"\n{line}').encode(), "b.toml"
    )
    assert book.themes[0].shortcut == ""


def test_a_shortcut_is_still_one_key_and_never_the_screens():
    with pytest.raises(CodebookError, match='field "shortcut": "ab" must be a single key'):
        parse_codebook(
            (HEAD + '\n[[theme]]\nkey = "c"\nname = "C"\nshortcut = "ab"\n').encode(), "b.toml"
        )
    with pytest.raises(
        CodebookError, match='"j" is the coding or reconciliation screen\'s key for "next"'
    ):
        parse_codebook(
            (HEAD + '\n[[theme]]\nkey = "c"\nname = "C"\nshortcut = "j"\n').encode(), "b.toml"
        )


async def test_a_theme_without_a_key_is_coded_from_the_palette(tmp_path):
    (tmp_path / "book.toml").write_text(
        HEAD + '\n[[theme]]\nkey = "cost"\nname = "Cost"\nshortcut = "c"\n'
        '\n[[theme]]\nkey = "rare"\nname = "Rare case"\n',
        encoding="utf-8",
    )
    store = init_project(tmp_path / "p.db", tmp_path / "book.toml")
    (tmp_path / "fg.txt").write_text("Ann: We plan together.\n\nBob: It costs too much.\n")
    import_transcripts(store, [tmp_path / "fg.txt"], GroupMeta(name="G"))
    app = create_app(store, coder="ana")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        assert "Theme: Rare case" in palette(app) and "Theme: Cost" in palette(app)
        command = next(
            c for c in app.get_system_commands(app.screen) if c.title == "Theme: Rare case"
        )
        assert command.help == "no key"
        await pilot.press("1")
        command.callback()
        await ready(pilot)
    coder = store.coder_named("ana")
    [coding] = store.codings_of(coder.id).values()
    assert (coding.category_key, coding.themes) == ("helps", ("rare",))
