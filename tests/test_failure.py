"""How commands fail: a fault in Workbench is one message, a log file and exit status 70 (in
the CLI and in the app); --format json errors are JSON; the app needs a terminal."""

from __future__ import annotations

import json

import click
import pytest
from helpers import run_cli

from workbench.cli import cli
from workbench.cli.failure import EXIT_INTERNAL, log_dir, wants_json


@pytest.fixture
def logs(tmp_path, monkeypatch):
    folder = tmp_path / "logs"
    monkeypatch.setenv("WORKBENCH_LOG_DIR", str(folder))
    return folder


@pytest.fixture
def project(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "fg1.txt").write_text("Ann: We met.\n\nBob: Right.\n")
    assert run_cli(capsys, "init", "p.db")[0] == 0
    assert run_cli(capsys, "import", "p.db", "fg1.txt")[0] == 0
    return tmp_path / "p.db"


def _break_status(monkeypatch, error: BaseException):
    def broken(store):
        raise error

    monkeypatch.setattr("workbench.project.status.project_status", broken)


def test_a_fault_is_one_line_a_log_file_and_exit_70(project, logs, monkeypatch, capsys):
    _break_status(monkeypatch, KeyError("groups"))
    code, out, err = run_cli(capsys, "status", "p.db")
    assert code == EXIT_INTERNAL == 70 and out == ""
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    [log] = logs.iterdir()
    assert err == (
        "error: workbench status (p.db) failed unexpectedly (KeyError: 'groups'). "
        "Nothing was half-written: every change is one transaction, rolled back when it fails. "
        "This is a fault in Workbench, not in "
        f"what you did; the details are in {log}, please send that file with a report.\n"
    )
    text = log.read_text()
    assert "command: workbench status p.db" in text and "Traceback (most recent call last)" in text
    assert "KeyError: 'groups'" in text and "limits: file-size=" in text


def test_running_out_of_memory_says_so(project, logs, monkeypatch, capsys):
    _break_status(monkeypatch, MemoryError())
    code, _, err = run_cli(capsys, "--limit", "depth=10", "status", "p.db")
    assert (
        code == 70 and "workbench status (p.db) failed unexpectedly (it ran out of memory)" in err
    )


def test_a_fault_with_format_json_is_json(project, logs, monkeypatch, capsys):
    _break_status(monkeypatch, RuntimeError("boom"))
    code, out, err = run_cli(capsys, "status", "p.db", "--format", "json")
    error = json.loads(out)["error"]
    assert code == 70 and err == ""
    assert (
        error["kind"] == "internal"
        and error["exit_status"] == 70
        and error["log"].startswith(str(logs))
    )
    assert "failed unexpectedly (RuntimeError: boom)" in error["message"]


def test_the_log_falls_back_to_the_temporary_folder(project, tmp_path, monkeypatch, capsys):
    (tmp_path / "not-a-folder").write_text("x")
    monkeypatch.setenv("WORKBENCH_LOG_DIR", str(tmp_path / "not-a-folder"))
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path / "tmp"))
    _break_status(monkeypatch, RuntimeError("boom"))
    code, _, err = run_cli(capsys, "status", "p.db")
    assert code == 70 and f"the details are in {tmp_path / 'tmp' / 'workbench-logs'}" in err


def test_the_default_log_folder_is_the_users_state_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("WORKBENCH_LOG_DIR", raising=False)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    monkeypatch.setattr("sys.platform", "linux")
    assert log_dir() == tmp_path / "workbench" / "logs"


def test_a_users_mistake_is_not_logged(project, logs, capsys):
    code, out, err = run_cli(capsys, "status", "missing.db")
    assert code == 1 and err.startswith("error: missing.db: no project here") and not logs.exists()
    code, out, err = run_cli(capsys, "status", "missing.db", "--format", "json")
    assert code == 1 and err == ""
    assert json.loads(out) == {
        "error": {
            "message": json.loads(out)["error"]["message"],
            "kind": "user",
            "exit_status": 1,
            "log": None,
        }
    }


def test_a_conflict_carries_its_result_in_json(tmp_path, monkeypatch, capsys):
    from helpers import copy_project

    from workbench.demo import build_demo
    from workbench.exchange.package import export_package
    from workbench.exchange.sheets import import_sheet

    monkeypatch.chdir(tmp_path)
    store, _ = build_demo(tmp_path / "lead.db")
    store.close()
    (tmp_path / "ana").mkdir()
    (tmp_path / "lead").mkdir()
    ana = copy_project(tmp_path / "lead.db", tmp_path / "ana")
    (tmp_path / "a.csv").write_text("ref,coder,category\nFG1-002,ana,defining\n")
    (tmp_path / "b.csv").write_text("ref,coder,category\nFG1-002,ana,benefits\n")
    import_sheet(ana, tmp_path / "a.csv")
    export_package(ana, "ana", tmp_path / "ana.json")
    import_sheet(copy_project(tmp_path / "lead.db", tmp_path / "lead"), tmp_path / "b.csv")
    code, out, _ = run_cli(
        capsys,
        "coder",
        "import",
        str(tmp_path / "lead" / "lead.db"),
        "ana.json",
        "--format",
        "json",
    )
    error = json.loads(out)["error"]
    assert code == 1 and error["kind"] == "user" and "already coded differently" in error["message"]
    assert error["result"]["conflicts"][0]["ref"] == "FG1-002"


def _json_commands(group=cli, path=()):
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            yield from _json_commands(command, (*path, name))
            continue
        for param in command.params:
            if (
                param.name == "fmt"
                and isinstance(param.type, click.Choice)
                and "json" in param.type.choices
            ):
                yield (*path, name), command


@pytest.mark.parametrize(
    "words, command",
    list(_json_commands()),
    ids=lambda v: " ".join(v) if isinstance(v, tuple) else "",
)
def test_every_json_command_reports_its_errors_as_json(
    words, command, tmp_path, monkeypatch, capsys
):
    """Each command with --format json, on a project that is not there (or a file argument that is
    not), prints one JSON error object on standard output and nothing on standard error."""
    monkeypatch.chdir(tmp_path)
    args = [*words]
    for param in command.params:
        if isinstance(param, click.Argument) and param.required:
            args += ["missing.db"] * (1 if param.nargs == 1 else 1)
        elif isinstance(param, click.Option) and param.required:
            args += [param.opts[0], "x.out"]
    code, out, err = run_cli(capsys, *args, "--format", "json")
    error = json.loads(out)["error"]
    assert code in (1, 2) and error["exit_status"] == code and err == ""
    assert error["kind"] == {1: "user", 2: "usage"}[code] and error["message"]
    assert not (tmp_path / "missing.db").exists()


@pytest.mark.parametrize(
    "argv, expected",
    [
        (["status", "p.db", "--format", "json"], True),
        (["status", "p.db", "--format=json"], True),
        (["status", "p.db", "--format", "text"], False),
        (["status", "json"], False),
    ],
)
def test_wants_json(argv, expected):
    assert wants_json(argv) is expected


# -- the app ------------------------------------------------------------------------------


def test_the_app_is_refused_without_a_terminal(project, capsys):
    """Textual reads a redirected or closed standard input in a busy loop: 100% CPU for as long
    as the app runs (how a `workbench code` was seen at ~100% CPU for minutes)."""
    code, _, err = run_cli(capsys, "code", "p.db", "--coder", "ana", "--new")
    assert code == 1
    assert err == (
        "error: the app needs a terminal, and standard input is not one (it is redirected, piped or "
        "closed); run the command in a terminal window\n"
    )


async def test_a_fault_in_the_app_ends_it_without_a_traceback(project):
    from workbench.store import Store
    from workbench.ui.app import create_app

    store = Store.open(project)
    app = create_app(store)
    with pytest.raises(ZeroDivisionError):  # run_test hands the fault to the test, as Textual does
        async with app.run_test() as pilot:
            app.call_later(lambda: 1 / 0)
            await pilot.pause()
    assert isinstance(app.failure, ZeroDivisionError)
    assert (
        app._exit_renderables == []
    )  # Textual's traceback is not printed; the CLI reports the fault


def test_the_cli_reports_a_fault_that_ended_the_app(project, logs, monkeypatch, capsys):
    class FailedApp:
        failure = None

        def run(self):
            try:
                {}["screen"]
            except KeyError as exc:
                self.failure = exc

    monkeypatch.setattr("workbench.ui.app.create_app", lambda *a, **k: FailedApp())
    monkeypatch.setattr("sys.stdin.isatty", lambda: True, raising=False)
    monkeypatch.setattr("sys.__stdout__", type("Tty", (), {"isatty": lambda self: True})())
    code, _, err = run_cli(capsys, "open", "p.db")
    assert code == 70 and "workbench open (p.db) failed unexpectedly (KeyError: 'screen')" in err
    [log] = logs.iterdir()
    assert '{}["screen"]' in log.read_text()
