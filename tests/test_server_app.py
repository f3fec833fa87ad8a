"""The app as the team server starts it for each role (Pilot), and the commands around it:
`served-app` (the child of each browser session), `users`, and `serve`'s refusals."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import copy_project, run_cli
from textual.widgets import DataTable

from workbench.server import accounts, passwords
from workbench.store import Store
from workbench.store import connection as store_connection
from workbench.ui.app import WorkbenchApp, create_app
from workbench.ui.coding import CodingScreen
from workbench.ui.dialogs import Prompt
from workbench.ui.home import HomeScreen
from workbench.ui.reconcile import ReconcileScreen
from workbench.ui.report import ReportScreen
from workbench.ui.themes import ThemesScreen


@pytest.fixture
def store(coded_demo, tmp_path):
    return copy_project(coded_demo, tmp_path)


def _keys_shown(app) -> set[str]:
    return {entry[2] for entry in app.screen.query_one("KeyBar").keys()[0]}


def _palette(app) -> set[str]:
    return {command.title for command in app.get_system_commands(app.screen)}


# -- roles ----------------------------------------------------------------------------------


async def test_a_coder_is_blind_from_the_first_frame_and_cannot_leave_it(store):
    app = create_app(store, "ana", role="coder", user="ana")
    async with app.run_test(size=(160, 45)) as pilot:
        assert isinstance(app.screen, CodingScreen) and app.coder == "ana"
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)
        columns = [
            str(c.label) for c in app.screen.query_one("#groups", DataTable).columns.values()
        ]
        assert columns[-1] == "ana" and "ben" not in columns
        assert not {"Reconcile", "Tables", "Model"} & (_keys_shown(app) | _palette(app))
        for key in ("R", "t", "m"):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen), key
        await pilot.press("c")  # no prompt for a name: back to ana's own coding
        await pilot.pause()
        assert isinstance(app.screen, CodingScreen) and app.screen.session.coder.name == "ana"
        await pilot.press("escape")
        await pilot.pause()
        # Neither switching coder nor acting as lead is offered, and the app refuses them
        # behind the screens too (a binding reached some other way).
        assert not {"Switch coder", "Act as lead"} & (_keys_shown(app) | _palette(app))
        for key in ("C", "L"):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen), key
        app.start_coding("ben")
        app.act_as_lead()
        app.start_reconciling("ana", "ben", "ana")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen) and app.coder == "ana"
        assert (
            app.sessions.coders() == ["ana"] and not app.sessions.reconciling
        )  # none opened as ben


async def test_a_lead_works_as_themselves(store):
    app = create_app(store, role="lead", user="lee")
    async with app.run_test(size=(160, 45)) as pilot:
        assert isinstance(app.screen, HomeScreen) and app.coder is None
        assert {"Reconcile", "Tables", "Model"} <= _keys_shown(app)
        await pilot.press("R")
        await pilot.pause()
        assert isinstance(app.screen, Prompt) and "your name" not in app.screen.title_text
        await pilot.press("enter")  # the proposed "ana ben"
        await pilot.pause()
        assert isinstance(app.screen, ReconcileScreen) and app.screen.rec.actor == "lee"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("c")  # codes as lee, never as one of the coders
        await pilot.pause()
        assert isinstance(app.screen, CodingScreen) and app.screen.session.coder.name == "lee"


async def test_an_observer_has_the_report_tables_and_nothing_else(store):
    app = create_app(store, role="observer", user="olu")
    async with app.run_test(size=(160, 45)) as pilot:
        assert isinstance(app.screen, ReportScreen)
        assert not {"Export table", "Export all", "Back"} & (_keys_shown(app) | _palette(app))
        for key in ("e", "E", "escape"):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, ReportScreen), key
        assert len(app.screen_stack) == 2
        assert store.report_runs() == []  # nothing written


@pytest.fixture
def downloads(monkeypatch, tmp_path):
    """The app as served (Textual's web driver): what it delivers to the browser, by name, and
    the temporary folder its exports may use (checked empty afterwards)."""
    import tempfile

    delivered: dict[str, bytes] = {}

    def deliver_binary(self, path, *, save_filename=None, **kw):
        # as the web driver does: the file is read now, before the folder goes
        delivered[save_filename or Path(path).name] = Path(path).read_bytes()

    monkeypatch.setattr(WorkbenchApp, "is_web", property(lambda self: True))
    monkeypatch.setattr(WorkbenchApp, "deliver_binary", deliver_binary)
    scratch = tmp_path / "server-tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    delivered_folder = scratch
    yield delivered, delivered_folder


async def _answer(pilot, app, text: str) -> None:
    await pilot.pause()
    app.screen.query_one("Input").value = text
    await pilot.press("enter")
    await pilot.pause()


async def test_served_exports_are_delivered_to_the_browser(store, downloads):
    delivered, scratch = downloads
    app = create_app(store, role="lead", user="lee")
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("t")
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        assert app.screen.title_text.startswith("Download the table as")
        await _answer(pilot, app, "../../../tmp/table1.docx")
        await pilot.press("E")
        await pilot.pause()
        assert app.screen.title_text.startswith(
            "Download every table, figure and the methods paragraph as a zip"
        )
        await pilot.press("enter")  # "report"
        for _ in range(
            1200
        ):  # every table in every format, in a worker: up to a minute on a busy machine
            await pilot.pause(0.05)
            if len(delivered) == 2:
                break
    assert set(delivered) == {"table1.docx", "report.zip"}
    assert delivered["table1.docx"].startswith(b"PK")  # a Word file
    with zipfile.ZipFile(io.BytesIO(delivered["report.zip"])) as z:
        assert {"tables.docx", "tables.xlsx", "themes.png", "methods.md"} <= set(z.namelist())
    assert list(scratch.iterdir()) == []  # nothing stays on the server once delivered
    assert "table1.docx (download)" in store.report_runs()[0]["outputs"]


async def test_the_served_participant_sheet_is_a_download(store, downloads, tmp_path):
    from workbench.ui.participants import ParticipantsScreen

    delivered, scratch = downloads
    app = create_app(store, role="lead", user="lee")
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("P")
        await pilot.pause()
        assert isinstance(app.screen, ParticipantsScreen)
        await pilot.press("x")
        await pilot.pause()
        assert app.screen.title_text.startswith("Download the participant sheet as")
        await _answer(pilot, app, str(tmp_path / "elsewhere" / "people.xlsx"))
        for _ in range(200):
            await pilot.pause(0.05)
            if delivered:
                break
    assert set(delivered) == {"people.xlsx"} and delivered["people.xlsx"].startswith(b"PK")
    assert not (tmp_path / "elsewhere").exists() and list(scratch.iterdir()) == []


@pytest.mark.parametrize("role", ["coder", "lead"])
async def test_a_served_user_cannot_write_a_file_on_the_server(
    store, downloads, tmp_path, monkeypatch, role
):
    """Browse by theme's exports wrote to whatever path was typed, on the server's disk."""
    delivered, scratch = downloads
    cwd = tmp_path / "server" / "cwd"
    cwd.mkdir(parents=True)
    monkeypatch.chdir(cwd)
    absolute = tmp_path / "elsewhere" / "abs-quotes.docx"
    absolute.parent.mkdir()
    user = "ana" if role == "coder" else "lee"
    app = create_app(store, "ana" if role == "coder" else None, role=role, user=user)
    async with app.run_test(size=(160, 45)) as pilot:
        if role == "coder":
            await pilot.press("escape")  # from the coding screen to home
        await pilot.pause()
        await pilot.press("b")
        for _ in range(400):
            await pilot.pause(0.05)
            if isinstance(app.screen, ThemesScreen) and app.screen.quotes:
                break
        answers = (("e", str(absolute)), ("e", "../rel-quotes.xlsx"), ("E", "../../all-quotes.md"))
        for key, answer in answers:
            await pilot.press(key)
            await pilot.pause()
            assert app.screen.title_text.startswith("Download ")
            await _answer(pilot, app, answer)
        for _ in range(200):
            await pilot.pause(0.05)
            if len(delivered) == 3:
                break
    assert set(delivered) == {"abs-quotes.docx", "rel-quotes.xlsx", "all-quotes.md"}
    assert delivered["all-quotes.md"].startswith(b"**Table 1.")
    assert delivered["abs-quotes.docx"].startswith(b"PK")
    assert not absolute.exists() and list(absolute.parent.iterdir()) == []
    assert [p.name for p in (tmp_path / "server").rglob("*")] == ["cwd"]  # nothing relative to it
    assert list(scratch.iterdir()) == []
    runs = store.report_runs()
    assert [r["outputs"] for r in runs[-3:]] == [
        ["abs-quotes.docx (download)"],
        ["rel-quotes.xlsx (download)"],
        ["all-quotes.md (download)"],
    ]


def test_a_download_is_named_by_the_last_part_of_the_answer_only():
    from workbench.ui.delivery import download_name

    answers = [
        "/etc/cron.d/x.docx",
        "../../x.docx",
        "C:\\Users\\x.docx",
        "a\nb\x1b[31m.docx",
        "..",
        "/",
        " ",
        "",
    ]
    assert [download_name(a, "table.docx") for a in answers] == [
        "x.docx",
        "x.docx",
        "x.docx",
        "ab[31m.docx",
        "table.docx",
        "table.docx",
        "table.docx",
        "table.docx",
    ]
    assert download_name("all.zip", "report", folder=True) == "all"  # zipped once, not all.zip.zip


# -- the process of a browser session ---------------------------------------------------------


@pytest.fixture
def users(store, monkeypatch):
    monkeypatch.setattr(passwords, "N", 2**10)
    accounts.add_user(store, "ana", "coder", "ana's long password")
    accounts.add_user(store, "lee", "lead", "lee's long password")
    return store


def test_served_app_runs_as_the_user_in_their_role(users, capsys, monkeypatch):
    started = []
    monkeypatch.setattr(
        "workbench.cli.serve.run_app",
        lambda store, coder, **kw: started.append((coder, kw, store_connection.default_actor())),
    )
    try:
        assert (
            run_cli(capsys, "served-app", str(users.path), "--as-user", "ana", "--role", "coder")[0]
            == 0
        )
        assert (
            run_cli(capsys, "served-app", str(users.path), "--as-user", "lee", "--role", "lead")[0]
            == 0
        )
    finally:
        store_connection.act_as(None)
    assert started == [
        ("ana", {"role": "coder", "user": "ana", "served": True}, "ana"),
        (None, {"role": "lead", "user": "lee", "served": True}, "lee"),
    ]
    code, _, err = run_cli(
        capsys, "served-app", str(users.path), "--as-user", "ana", "--role", "lead"
    )
    assert code == 1 and "'ana' is not a lead" in err
    code, _, err = run_cli(
        capsys, "served-app", str(users.path), "--as-user", "ben", "--role", "coder"
    )
    assert code == 1 and "not a coder" in err


def test_users_commands(store, monkeypatch, capsys):
    from workbench.cli import cli

    monkeypatch.setattr(passwords, "N", 2**10)
    runner, path = CliRunner(), str(store.path)
    result = runner.invoke(
        cli,
        ["users", "add", path, "ana", "--role", "coder"],
        input="ana's long password\nana's long password\n",
    )
    assert result.exit_code == 0 and "Added ana (coder)." in result.output
    assert "ana's long password" not in result.output  # typed hidden
    result = runner.invoke(
        cli, ["users", "add", path, "ben", "--role", "coder"], input="short\nshort\n"
    )
    assert result.exit_code != 0
    monkeypatch.setattr("sys.stdin", io.StringIO("lee's long password\n"))
    assert (
        run_cli(capsys, "users", "add", path, "lee", "--role", "lead", "--password-stdin")[0] == 0
    )
    assert accounts.authenticate(Store.open(path), "lee", "lee's long password").ok
    monkeypatch.setattr("sys.stdin", io.StringIO("a brand new password\n"))
    code, out, _ = run_cli(capsys, "users", "passwd", path, "lee", "--password-stdin")
    assert code == 0 and "Password of lee set" in out
    code, out, _ = run_cli(capsys, "users", "list", path)
    assert code == 0 and "ana" in out and "lead" in out and "scrypt" not in out
    assert run_cli(capsys, "users", "remove", path, "ana")[0] == 0
    code, _, err = run_cli(capsys, "users", "remove", path, "ana")
    assert code == 1 and "no user 'ana'" in err
    options = {o for p in cli.commands["users"].commands["add"].params for o in p.opts}
    assert (
        "--password" not in options and "--password-stdin" in options
    )  # never on the command line


def test_serve_refuses_what_would_be_unsafe_or_useless(store, capsys, monkeypatch):
    code, _, err = run_cli(capsys, "serve", str(store.path))
    assert code == 1 and "no users yet" in err
    code, _, err = run_cli(capsys, "serve", str(store.path), "--host", "0.0.0.0")
    assert code == 1 and "refusing to listen beyond this machine over plain HTTP" in err
    monkeypatch.setattr(passwords, "N", 2**10)
    accounts.add_user(store, "lee", "lead", "lee's long password")
    served = []
    monkeypatch.setattr(
        "workbench.server.web.TeamServer.serve", lambda self: served.append(self.settings)
    )
    assert (
        run_cli(
            capsys, "serve", str(store.path), "--host", "0.0.0.0", "--insecure", "--port", "8123"
        )[0]
        == 0
    )
    assert (served[0].host, served[0].port, served[0].url) == (
        "0.0.0.0",
        8123,
        "http://0.0.0.0:8123",
    )
