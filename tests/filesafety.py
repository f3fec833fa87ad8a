"""Helpers for the project file's safety tests: small projects, a second real process driven
line by line, a full file system, a damaged file, and a child to which file permissions apply."""

from __future__ import annotations

import contextlib
import os
import queue
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from workbench.ingest.importer import import_transcripts
from workbench.project.lifecycle import init_project

TIMEOUT = 30.0  # seconds a test waits for another process's answer before it fails

# A coder in another process: "code N" codes the N-th codable comment (acknowledged by
# "ack" only once committed), "check" checks the file, "hold" keeps the write lock until
# the next line; errors are answered "error <message>" (and "rescue <path>" when lost).
CODER = r"""
import sys
from workbench.coding.session import CodingSession
from workbench.errors import FileLost, WorkbenchError
from workbench.store import Store

store = Store.open(sys.argv[1])
session = CodingSession.start(store, sys.argv[2])
ids = [c.id for c in store.comments() if not c.excluded]
print("ready", flush=True)
for line in sys.stdin:
    command, *args = line.split()
    try:
        if command == "code":
            session.set_category(ids[int(args[0])], "defining")
            print("ack", flush=True)
        elif command == "check":
            store.check_file()
            print("ok", flush=True)
        elif command == "hold":
            with store.transaction():
                store.conn.execute("UPDATE project SET name = name")
                print("holding", flush=True)
                sys.stdin.readline()
            print("released", flush=True)
    except WorkbenchError as exc:
        print("error", str(exc).replace("\n", " "), flush=True)
        if isinstance(exc, FileLost):
            print("rescue", exc.rescue, flush=True)
"""


def make_project(path: Path, comments: int = 6, name: str | None = None) -> Path:
    """A project of one group with ``comments`` comments, closed (its file alone at rest)."""
    store = init_project(path, name=name)
    text = path.with_suffix(".txt")
    text.write_text(
        "\n\n".join(
            f"{'Ann' if n % 2 else 'Bob'}: Comment {n} about care." for n in range(comments)
        )
    )
    import_transcripts(store, [text], roles={"Ann": "HP", "Bob": "Parent"})
    store.close()
    text.unlink()
    return path


class Child:
    """Another Python process running ``code`` with ``args``, talked to line by line."""

    def __init__(self, code: str, *args, env: dict | None = None, cwd: Path | None = None):
        self.proc = subprocess.Popen(
            [sys.executable, "-c", code, *map(str, args)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, **(env or {})},
            cwd=cwd,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))

    def expect(self, prefix: str, timeout: float = TIMEOUT) -> str:
        """The next line, which must start with ``prefix``."""
        try:
            line = self.lines.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(
                f"no {prefix!r} from the other process; its stderr: {self.stderr()}"
            ) from None
        assert line.startswith(prefix), (
            f"expected {prefix!r}, got {line!r}; stderr: {self.stderr()}"
        )
        return line[len(prefix) :].strip()

    def send(self, line: str) -> None:
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()

    def code(self, *numbers: int) -> None:
        """Code these comments (by position), each acknowledged once committed."""
        for number in numbers:
            self.send(f"code {number}")
            self.expect("ack")

    def hold(self) -> None:
        """Take the project's write lock and keep it until :meth:`release`."""
        self.send("hold")
        self.expect("holding")

    def release(self) -> None:
        self.send("")
        self.expect("released")

    def stderr(self) -> str:
        if self.proc.poll() is None:
            return "(still running)"
        return self.proc.stderr.read()

    def close(self) -> int:
        with contextlib.suppress(BrokenPipeError, OSError):
            self.proc.stdin.close()
        try:
            return self.proc.wait(timeout=TIMEOUT)
        finally:
            self.kill()

    def kill(self) -> None:
        """End the process at once (SIGKILL: nothing it would do at exit is done)."""
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def coder(project: Path, name: str = "ana", **kwargs) -> Child:
    """A coder in another process. Its command line also reads as `workbench code PROJECT
    --coder NAME` (after the arguments it uses), so other processes name it as they would
    the app: "ana's window"."""
    child = Child(CODER, project, name, "workbench", "code", project, "--coder", name, **kwargs)
    child.expect("ready")
    return child


def wait_for(condition, timeout: float = TIMEOUT, what: str = "the condition") -> None:
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


@contextlib.contextmanager
def full_disk(size_kb: int = 512):
    """A folder on a small file system that fills up: a tmpfs mount where this machine lets
    the tests mount one (root, or CI runners that allow it), else an ordinary folder with
    the child process's file size limit (``RLIMIT_FSIZE``) set to ``size_kb``. Yields the
    folder and the code a child runs first to apply the limit ('' on tmpfs)."""
    folder = Path(tempfile.mkdtemp(prefix="wb-full-"))
    mounted = False
    # FILESAFETY_NO_MOUNT=1 tries the fallback where mounting works (as CI may not allow it).
    if (
        sys.platform.startswith("linux")
        and os.geteuid() == 0
        and not os.environ.get("FILESAFETY_NO_MOUNT")
    ):
        mounted = (
            subprocess.run(
                ["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(folder)],
                capture_output=True,
            ).returncode
            == 0
        )
    limit = (
        ""
        if mounted
        else (
            "import resource, signal\n"
            "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
            f"resource.setrlimit(resource.RLIMIT_FSIZE, ({size_kb * 1024}, {size_kb * 1024}))\n"
        )
    )
    try:
        yield folder, limit
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(folder)], capture_output=True)
        import shutil

        shutil.rmtree(folder, ignore_errors=True)


def damage(path: Path, table: str = "comments") -> None:
    """Overwrite the root page of ``table`` with noise, as a failing disk would: SQLite's
    quick_check finds it; reading the table fails."""
    import sqlite3

    had = {suffix: Path(f"{path}{suffix}").exists() for suffix in ("-wal", "-shm")}
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)  # applies no -wal
    page = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", [table]).fetchone()[0]
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    for suffix, existed in had.items():  # a read-only connection leaves an empty -wal and -shm
        if not existed:
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    with open(path, "r+b") as handle:
        handle.seek((page - 1) * size)
        handle.write(bytes((n * 37 + 11) % 256 for n in range(size)))


CLI = """
import sys
{limit}
sys.argv = ["workbench", *sys.argv[1:]]
from workbench.cli import main
main()
"""


def cli(
    *args,
    limit: str = "",
    cwd: Path | None = None,
    env: dict | None = None,
    unprivileged: bool = False,
    timeout: float = TIMEOUT,
) -> subprocess.CompletedProcess:
    """Run `workbench ARGS` in another process: with a file size limit (``limit``, code from
    :func:`full_disk`), or ``unprivileged`` so that file permissions apply to it."""
    return subprocess.run(
        [sys.executable, "-c", CLI.format(limit=limit), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        preexec_fn=drop_file_privileges if unprivileged else None,
    )


def cli_process(*args, cwd: Path) -> subprocess.Popen:
    """`workbench ARGS` started in another process, its output read as it comes."""
    return subprocess.Popen(
        [sys.executable, "-c", CLI.format(limit=""), *map(str, args)],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def drop_file_privileges() -> None:
    """In a child about to run: as root, give up the capabilities that override file
    permissions (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, from the bounding set, so they are gone
    after exec), so a read-only file is read-only to the child too. A no-op for other users,
    to whom permissions apply anyway."""
    if os.geteuid() != 0:
        return
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "cannot drop file capabilities")
