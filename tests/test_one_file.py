"""Issue 20, "one file at rest": when a Workbench process ends, its commits are in the
project file itself, so a copy of ``study.db`` alone (``cp``, an e-mail) has every coding:
when it closes, when its terminal is closed (SIGHUP, the app in a real pseudo-terminal),
when it is terminated (SIGTERM), and when another process still has the file open."""

import fcntl
import os
import pty
import select
import shutil
import signal
import sqlite3
import struct
import sys
import termios
import time

from filesafety import TIMEOUT, cli_process, coder, make_project, wait_for

from workbench.store import Store, holders


def copied_codings(project, folder) -> int:
    """Codings in a copy of the project file alone, as `cp study.db` would make it."""
    folder.mkdir(exist_ok=True)
    shutil.copy(project, folder / "copy.db")
    conn = sqlite3.connect(folder / "copy.db")
    try:
        return conn.execute("SELECT count(*) FROM codings").fetchone()[0]
    finally:
        conn.close()


def committed(project) -> int:
    conn = sqlite3.connect(f"{project.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT count(*) FROM codings").fetchone()[0]
    finally:
        conn.close()


class Terminal:
    """`workbench code PROJECT --coder ana` in a real pseudo-terminal (80x24)."""

    def __init__(self, project):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: the app on the terminal's slave side, its session leader
            os.chdir(project.parent)
            os.environ["TERM"] = "xterm-256color"
            os.execv(
                sys.executable,
                [
                    sys.executable,
                    "-m",
                    "workbench",
                    "code",
                    project.name,
                    "--coder",
                    "ana",
                    "--new",
                ],
            )
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        self.screen = b""

    def read_until(self, text: bytes, timeout: float = TIMEOUT) -> None:
        end = time.monotonic() + timeout
        while text not in self.screen:
            assert time.monotonic() < end, f"the app never showed {text!r}"
            ready, _, _ = select.select([self.fd], [], [], 0.1)
            if ready:
                self.screen += os.read(self.fd, 65536)

    def press(self, keys: str) -> None:
        for key in keys:
            os.write(self.fd, key.encode())

    def drain(self) -> None:
        """Keep reading what the app writes (a full terminal buffer would block it)."""
        try:
            while select.select([self.fd], [], [], 0)[0]:
                self.screen += os.read(self.fd, 65536)
        except OSError:
            pass

    def wait(self, timeout: float = TIMEOUT) -> int:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                return os.waitstatus_to_exitcode(status)
            self.drain()
            time.sleep(0.02)
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        raise AssertionError("the app did not end")


def _code_three_in_a_terminal(tmp_path):
    project = make_project(tmp_path / "p.db")
    app = Terminal(project)
    app.read_until(b"Comment 0")
    assert holders.describe(app.pid) == "ana's window"  # how other processes name it
    app.press("1j2j4")
    wait_for(lambda: (app.drain(), committed(project))[1] == 3, what="three acknowledged codings")
    assert copied_codings(project, tmp_path / "before") == 0  # still in p.db-wal while it runs
    return project, app


def test_closing_the_terminal_leaves_every_coding_in_the_project_file(tmp_path):
    project, app = _code_three_in_a_terminal(tmp_path)
    os.close(app.fd)  # the terminal window closed: the kernel hangs up, SIGHUP to the app
    ended = app.wait()
    assert copied_codings(project, tmp_path / "after") == 3  # before the fix: 0
    assert sorted(os.listdir(tmp_path)) == ["after", "before", "p.db"]  # no -wal, no -shm
    assert ended == 128 + signal.SIGHUP  # it ended itself (before the fix, killed by the signal)


def test_terminating_the_app_leaves_every_coding_in_the_project_file(tmp_path):
    project, app = _code_three_in_a_terminal(tmp_path)
    os.kill(app.pid, signal.SIGTERM)
    try:
        ended = app.wait()
    finally:
        os.close(app.fd)
    assert copied_codings(project, tmp_path / "after") == 3  # before the fix: 0
    assert sorted(os.listdir(tmp_path)) == ["after", "before", "p.db"]
    assert ended == 128 + signal.SIGTERM


def test_closing_moves_everything_into_the_file_even_while_others_read(tmp_path):
    project = make_project(tmp_path / "p.db")
    reader = coder(project, "ben")  # another process that keeps the file open
    ana = coder(project)
    ana.code(*range(3))
    assert copied_codings(project, tmp_path / "open") == 0
    assert ana.close() == 0  # ana's process closes; ben's still has the file open
    assert os.path.getsize(f"{project}-wal") == 0  # checkpointed and truncated
    assert copied_codings(project, tmp_path / "closed") == 3
    assert reader.close() == 0
    assert not os.path.exists(f"{project}-wal")


def test_a_command_told_to_end_while_it_waits_ends_at_once_and_writes_nothing(tmp_path):
    project = make_project(tmp_path / "p.db")
    ana = coder(project)
    ana.hold()
    command = cli_process("roles", "p.db", "--add", "XX", "X", cwd=tmp_path)
    assert "is writing; waiting" in command.stderr.readline()
    command.send_signal(signal.SIGTERM)
    command.communicate(timeout=TIMEOUT)
    assert command.returncode == 128 + signal.SIGTERM  # at once, not after the lock's two minutes
    ana.release()
    assert ana.close() == 0
    assert sorted(os.listdir(tmp_path)) == ["p.db"]
    assert all(r.key != "XX" for r in Store.open(project).roles())
