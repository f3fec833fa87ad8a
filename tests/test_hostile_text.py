"""Names and text from other people's files: lookalike coder names are refused wherever a
name comes in (a .qdpx's users, Workbench's own data in a .qdpx; sheets, packages and --coder
are in test_hostile_files.py), and what the app shows is never markup or raw control characters.
Also the memory of a real-scale bomb, measured in a child process."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import hostile as H
import pytest
from textual.widgets import DataTable, Static

from workbench.exchange.refi import export_qdpx, import_qdpx
from workbench.store import Store

TRANSCRIPT = "Ann: We plan together [laughs].\n\nBob: She listens [/b] to us.\n"


def _users_qdpx(path: Path, users: dict[str, str]) -> None:
    """A .qdpx with one source and one coded selection per user (name → guid digit)."""
    selections = "".join(
        f'<PlainTextSelection guid="{{0000000{n}-1111-0000-0000-000000000000}}" startPosition="5" endPosition="20" '
        f'creatingUser="{{0000000{n}-2222-0000-0000-000000000000}}"><Coding guid="{{0000000{n}-3333-0000-0000-'
        f'000000000000}}"><CodeRef targetGUID="{{00000001-4444-0000-0000-000000000000}}"/></Coding>'
        f"</PlainTextSelection>"
        for n in users.values()
    )
    xml_users = "".join(
        f'<User guid="{{0000000{n}-2222-0000-0000-000000000000}}" name="{name}"/>'
        for name, n in users.items()
    )
    codes = '<Code guid="{00000001-4444-0000-0000-000000000000}" name="Benefits" isCodable="true"/>'
    source = (
        f'<TextSource guid="{{00000001-0000-0000-0000-000000000000}}" name="One"><PlainTextContent>'
        f"{TRANSCRIPT}</PlainTextContent>{selections}</TextSource>"
    )
    H.write_zip(path, {"project.qde": H.qde(sources=source, codes=codes, users=xml_users)})


def test_a_qdpx_user_that_looks_like_agreed_is_never_the_agreed_coding(tmp_path):
    _users_qdpx(tmp_path / "u.qdpx", {"agreed\u200b": 1, "\u0430greed": 2, "ana": 3, "\u0430na": 4})
    report = import_qdpx(tmp_path / "u.qdpx", tmp_path / "p.db")
    store = Store.open(tmp_path / "p.db")
    coders = {c.name: c.kind for c in store.coders()}
    assert coders == {
        "user_00000001": "coder",
        "user_00000002": "coder",
        "ana": "coder",
        "user_00000004": "coder",
    }
    assert report.coders == {
        "agreed\u200b": "user_00000001",
        "\u0430greed": "user_00000002",
        "ana": "ana",
        "\u0430na": "user_00000004",
    }
    warnings = " ".join(report.warnings)
    assert (
        "user 'agreed\\u200b' (00000001-2222-0000-0000-000000000000): not a usable coder name"
        in warnings
    )
    assert (
        "'аgreed' is reserved for the reconciled coding (its а is U+0430 CYRILLIC SMALL LETTER A)"
        in warnings
    )
    assert "'аna' looks like the existing coder 'ana'" in warnings


def test_restored_coders_are_held_to_the_name_rules(tmp_path):
    """Workbench's own data in a .qdpx restores coders by name; a crafted one is not used: the
    file is imported as any other program's, and the report says why."""
    from workbench.demo import build_demo, code_demo

    store, _ = build_demo(tmp_path / "demo.db")
    code_demo(store)
    export_qdpx(store, tmp_path / "demo.qdpx")
    with zipfile.ZipFile(tmp_path / "demo.qdpx") as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    data = json.loads(members["workbench/project.json"])
    for crafted, reason in (
        [["\u0430greed", "coder", "2025-01-01T00:00:00Z"], "is reserved for the reconciled"],
        [["boss", "agreed", "2025-01-01T00:00:00Z"], "only the coder 'agreed' may be of kind"],
        [["ana\u202e", "coder", "2025-01-01T00:00:00Z"], "give one word"],
    ):
        changed = dict(data, coders=[*data["coders"], crafted])
        members["workbench/project.json"] = json.dumps(changed).encode()
        H.write_zip(tmp_path / "crafted.qdpx", members)
        out = tmp_path / f"{len(list(tmp_path.iterdir()))}.db"
        report = import_qdpx(tmp_path / "crafted.qdpx", out)
        assert not report.restored
        assert any(reason in w and "workbench/project.json: coder" in w for w in report.warnings), (
            report.warnings
        )
        assert crafted[0] not in {c.name for c in Store.open(out).coders()}


def test_restored_data_of_the_wrong_type_names_the_field(tmp_path):
    from workbench.demo import build_demo

    store, _ = build_demo(tmp_path / "demo.db")
    export_qdpx(store, tmp_path / "demo.qdpx")
    with zipfile.ZipFile(tmp_path / "demo.qdpx") as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    data = json.loads(members["workbench/project.json"])
    data["groups"][0][5] = "twenty"
    members["workbench/project.json"] = json.dumps(data).encode()
    H.write_zip(tmp_path / "crafted.qdpx", members)
    report = import_qdpx(tmp_path / "crafted.qdpx", tmp_path / "p.db")
    assert not report.restored
    assert any(
        "workbench/project.json: groups #1 #6: must be a whole number, not text ('twenty')" in w
        for w in report.warnings
    ), report.warnings


# -- what the app shows -------------------------------------------------------------------


@pytest.fixture
def marked_project(tmp_path):
    """Comments with what looks like markup, a memo with escape sequences, a group and a
    coder that could rewrite the screen."""
    from workbench.coding.session import CodingSession
    from workbench.ingest.importer import GroupMeta, import_transcripts
    from workbench.project.lifecycle import init_project

    (tmp_path / "fg1.txt").write_text(TRANSCRIPT)
    store = init_project(tmp_path / "p.db")
    import_transcripts(store, [tmp_path / "fg1.txt"], GroupMeta(name="Group [red]one\u202e"))
    session = CodingSession.start(store, "ana")
    first = store.comments()[0].id
    session.set_category(first, "benefits")
    session.set_memo(first, "memo \x1b[2J\x1b[31mred [bold]x[/]")
    return store


async def test_the_comments_screen_shows_text_as_written(marked_project):
    from workbench.ui.app import create_app
    from workbench.ui.comments import CommentsScreen

    app = create_app(marked_project)
    async with app.run_test(size=(120, 30)) as pilot:
        group = marked_project.groups()[0].name
        app.push_screen(CommentsScreen(marked_project, group))
        await pilot.pause()
        title = str(app.screen.query_one("#comments-title", Static).render())
        assert title == "FG1 Group [red]one\\u202e"
        table = app.screen.query_one("#comments", DataTable)
        rendered = [str(table._get_row_renderables(i).cells[-1]) for i in range(table.row_count)]
        assert rendered == ["We plan together [laughs].", "She listens [/b] to us."]
        table.move_cursor(row=1)
        await pilot.pause()
        assert (
            str(app.screen.query_one("#comment-text", Static).render())
            == "Bob: She listens [/b] to us."
        )


async def test_the_coding_screen_shows_a_memo_escaped(marked_project):
    from workbench.ui.app import create_app

    app = create_app(marked_project, coder="ana")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        screen.worklist.goto_id(marked_project.comments()[0].id)
        screen.refresh_view()
        await pilot.pause()
        flags = str(screen.query_one("#flags", Static).render())
        assert "memo: memo \\x1b[2J\\x1b[31mred [bold]x[/]" in flags and "\x1b" not in flags
        comment = str(screen.query_one("#comment", Static).render())
        assert "We plan together [laughs]." in comment
        svg = app.export_screenshot()
        assert "\x1b" not in svg and "\u202e" not in svg


async def test_the_memos_and_transcript_views_show_text_as_written(marked_project):
    from workbench.ui.app import create_app
    from workbench.ui.memos import MemosScreen
    from workbench.ui.transcript import TranscriptScreen

    memo = "memo \\x1b[2J\\x1b[31mred [bold]x[/]"  # as shown: escapes visible, brackets kept
    app = create_app(marked_project, coder="ana")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        app.push_screen(MemosScreen(marked_project))
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert str(table._get_row_renderables(0).cells[1]) == memo
        detail = str(app.screen.query_one("#memo-detail", Static).render())
        assert memo in detail and "We plan together [laughs]." in detail and "\x1b" not in detail
        app.push_screen(TranscriptScreen(marked_project, "FG1"))
        await app.workers.wait_for_complete()
        await pilot.pause()
        title = str(app.screen.query_one("#transcript-title", Static).render())
        assert title.startswith("FG1 Group [red]one\\u202e")
        svg = app.export_screenshot()
        assert "[laughs]" in svg and "[/b]" in svg and "\x1b" not in svg and "\u202e" not in svg


async def test_a_notification_is_never_markup(marked_project):
    from workbench.ui.app import create_app

    app = create_app(marked_project)
    async with app.run_test() as pilot:
        app.notify("coder name '[/b]x' is reserved \x1b[31m")  # would raise MarkupError as markup
        await pilot.pause()
        [note] = app._notifications
        assert note.message == "coder name '[/b]x' is reserved \\x1b[31m"


# -- memory at real scale, in a child process -------------------------------------------


def test_a_real_size_bomb_is_refused_in_little_memory(tmp_path):
    """A .qdpx whose directory says project.qde is 4 KB while its data expands to 256 MB: the
    directory check cannot see it, the streaming read must stop it (maximum RSS of the child)."""
    H.zip_with_bomb(tmp_path / "lie.qdpx", {}, "project.qde", 256 << 20)
    H.patch_entry(tmp_path / "lie.qdpx", "project.qde", file_size=4096)
    # The peak of this process's own memory (Linux's VmHWM: ru_maxrss keeps the forked parent's).
    script = textwrap.dedent(f"""
        import re, resource, sys
        sys.argv = ["workbench", "import-qdpx", {str(tmp_path / "lie.qdpx")!r}, "--out", {str(tmp_path / "p.db")!r}]
        from workbench.cli import main
        try:
            main()
        except SystemExit as exc:
            try:
                peak = int(re.search(r"VmHWM:\\s+(\\d+)", open("/proc/self/status").read())[1])
            except OSError:
                peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            print(exc.code, peak)
    """)
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    code, peak_kb = result.stdout.split()
    assert code == "1", result.stderr
    assert "project.qde is damaged (its data fails the CRC check)" in result.stderr
    assert int(peak_kb) < 150 * 1024, f"{int(peak_kb) / 1024:.0f} MB"
    assert not (tmp_path / "p.db").exists()
