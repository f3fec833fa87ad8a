"""The app's import screen (home ``i``; issue 19, item 6): a path completed as it is typed,
group, kind and date; the file's reading with a role to choose for each speaker; nothing
written before ctrl+s; then the import through the CLI's use cases. Pilot tests, and
snapshots at 80x24 and 160x45. The transcript is fictional."""

import pytest
from helpers import copy_project
from pilot import keys, ready
from textual.widgets import Input, Select

from workbench.project.lifecycle import init_project
from workbench.ui.app import create_app
from workbench.ui.home import HomeScreen
from workbench.ui.importer import ImportScreen, PathSuggester

GRUPO = (
    "Proyecto: Salud comunitaria\nFecha: 12/03/2024\nModeradora: Alicia Gómez\n\n"
    "Alicia: Buenos días. ¿Qué os ayuda más cuando vais al centro?\n"
    "Participante 1: Que me escuchen, la verdad. [risas]\n"
    "Participante 2: Tener el plan por escrito.\n"
    "Alicia: ¿Y qué lo hace difícil?\n"
    "Participante 1: Las esperas. (inaudible) Y que cambian de médico.\n"
    "Participante 3: A mí me pasa lo mismo.\n"
)
SIZES = [(80, 24), (160, 45)]


@pytest.fixture
def folder(tmp_path, monkeypatch):
    (tmp_path / "grupo_focal.txt").write_text(GRUPO, encoding="utf-8")
    (tmp_path / "notes").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def store(folder):
    return init_project(folder / "p.db")


def _status(app) -> str:
    return str(app.screen.query_one("#import-status").render())


async def _read(pilot, path="gru"):
    await pilot.press("i")
    await ready(pilot)
    await pilot.press(*path, "right", "enter")
    await ready(pilot)


async def test_a_path_is_completed_from_the_disk(folder):
    suggest = PathSuggester()
    assert await suggest.get_suggestion("gru") == "grupo_focal.txt"
    assert await suggest.get_suggestion("no") == "notes/"
    assert await suggest.get_suggestion("zz") is None and await suggest.get_suggestion("") is None
    assert await suggest.get_suggestion(f"{folder}/grupo") == f"{folder}/grupo_focal.txt"


async def test_read_choose_roles_then_import(store):
    app = create_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await _read(pilot)
        screen = app.screen
        assert isinstance(screen, ImportScreen)
        assert screen.query_one("#import-path", Input).value == "grupo_focal.txt"
        assert _status(app).startswith("Read, nothing imported yet")
        assert store.groups() == [] and store.comments() == []  # nothing written yet
        reading = str(screen.query_one(".import-summary").render())
        assert (
            "grupo_focal.txt → group 'grupo_focal' (text (Name: text), utf-8; labels: Name: text)"
            in reading
        )
        assert "6 comments (4 to code), 4 speakers" in reading
        labels = [str(label.render()) for label in screen.query(".import-speaker")]
        assert labels == [
            "Alicia · 2 turn(s)",
            "Participante 1 · 2 turn(s)",
            "Participante 2 · 1 turn(s)",
            "Participante 3 · 1 turn(s)",
        ]
        assert screen.query_one("#role-0", Select).value == "Facilitator"  # the header names her
        details = str(screen.query_one(".import-details").render())
        assert "set aside, not comments: header block at lines 1-3" in details
        assert "FG1-002  line 6  Participante 1: Que me escuchen, la verdad. [risas]" in details
        assert "^s Import" in keys(app) or "Import" in keys(app)
        screen.query_one("#role-1", Select).value = "Parent"
        screen.query_one("#role-3", Select).value = "Teen"
        await pilot.press("ctrl+s")
        await ready(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert {s.label: s.role_key for s in store.speakers()} == {
            "Alicia": "Facilitator",
            "Participante 1": "Parent",
            "Participante 2": None,
            "Participante 3": "Teen",
        }
        assert [r["action"] for r in store.audit_rows()][-2:] == ["create", "import"]
        assert "1 groups · 6 comments · 4 to code" in str(app.screen.query_one("#totals").render())


async def test_group_kind_and_date_and_what_cannot_be_read(store, folder):
    (folder / "book.qdc").write_text(
        '<?xml version="1.0"?><CodeBook xmlns="urn:QDA-XML:codebook:1.0"/>'
    )
    app = create_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("i")
        await ready(pilot)
        await pilot.press(*"book.qdc", "enter")
        await ready(pilot)
        assert "book.qdc: this is a REFI-QDA codebook (.qdc)" in _status(app)
        assert not app.screen.check_action("write", ())
        screen = app.screen
        screen.query_one("#import-path", Input).value = "grupo_focal.txt"
        screen.query_one("#import-group", Input).value = "Grupo focal 1"
        screen.query_one("#import-kind", Select).value = "multi"
        screen.query_one("#import-date", Input).value = "12 March"
        await pilot.press("ctrl+r")
        await ready(pilot)
        assert _status(app) == "Date '12 March': write it as YYYY-MM-DD, or leave it empty."
        screen.query_one("#import-date", Input).value = "2024-03-12"
        await pilot.press("ctrl+r")
        await ready(pilot)
        await pilot.press("ctrl+s")
        await ready(pilot)
        [group] = store.groups()
        assert (group.name, group.kind, group.date) == (
            "Grupo focal 1",
            "multi",
            "2024-03-12",
        )
        await pilot.press("i")
        await ready(pilot)
        await pilot.press(*"grupo_focal.txt", "enter")
        await ready(pilot)
        assert "already imported" in _status(app) and not app.screen.check_action("write", ())
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


async def test_a_coding_session_and_a_served_app_do_not_import(coded_demo, tmp_path):
    store = copy_project(coded_demo, tmp_path)
    app = create_app(store, coder="ana")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("escape")  # from the coding screen to home
        await ready(pilot)
        assert isinstance(app.screen, HomeScreen) and not app.screen.check_action("import", ())
        await pilot.press("i")
        await ready(pilot)
        assert isinstance(app.screen, HomeScreen)
    served = create_app(store, role="lead", user="lead")
    async with served.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        home = next(s for s in served.screen_stack if isinstance(s, HomeScreen))
        assert not home.check_action("import", ())


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_import_screen(snap_compare, store, size):
    async def read(pilot):
        await ready(pilot)
        await _read(pilot)

    assert snap_compare(create_app(store), terminal_size=size, run_before=read)
