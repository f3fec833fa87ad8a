"""Every command that writes a file: never the project, never a file it did not make (unless
--force), and nothing half-written (a temporary file in the same folder, renamed atomically)."""

import hashlib
import os
import sqlite3
from pathlib import Path

import pytest
from helpers import run_cli

from workbench.coding.session import CodingSession
from workbench.ingest.importer import import_transcripts
from workbench.output import PROJECT_APPLICATION_ID, Output, OutputError, for_project
from workbench.project.lifecycle import init_project
from workbench.reconcile.consensus import Reconciliation
from workbench.store import Store
from workbench.store.schema import APPLICATION_ID

TRANSCRIPT = (
    "Facilitator: Welcome.\n\nDr. Patel: We plan the visit together.\n\n"
    "Ruth: She listens, and asks what matters.\n\nDr. Patel: Then we decide together.\n"
)
CODEBOOK_QDC = (
    '<?xml version="1.0" encoding="utf-8"?>\n<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
    '<Code guid="0f0c0a0e-0000-4000-8000-000000000001" name="Barrier" isCodable="true"/>'
    "</Codes></CodeBook>\n"
)


@pytest.fixture
def project(tmp_path, monkeypatch):
    """p.db: one transcript coded by ana and ben, every comment agreed; a .qdc beside it."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "fg1.txt").write_text(TRANSCRIPT, encoding="utf-8")
    (tmp_path / "book.qdc").write_text(CODEBOOK_QDC, encoding="utf-8")
    store = init_project(tmp_path / "p.db")
    import_transcripts(store, [tmp_path / "fg1.txt"], roles={"Dr. Patel": "HP", "Ruth": "PwCHC"})
    codable = [c for c in store.comments() if not c.excluded]
    for name, categories in (
        ("ana", ["effective", "benefits", "defining"]),
        ("ben", ["effective", "benefits", "benefits"]),
    ):
        session = CodingSession.start(store, name)
        for comment, category in zip(codable, categories, strict=True):
            session.set_category(comment.id, category)
    rec = Reconciliation(store, "ana", "ben", "lead")
    rec.auto_agree()
    for item in rec.queue():
        rec.take(item, "ana", "ana's reading")
    store.close()
    return tmp_path


# Every command that writes a file: (name, its arguments with OUT for the file it writes).
COMMANDS = {
    "export-qdpx": ["export", "qdpx", "p.db", "--out", "OUT"],
    "export-qdc": ["export", "qdc", "p.db", "--out", "OUT"],
    "codings-export": ["codings", "export", "p.db", "--coder", "ana", "--out", "OUT"],
    "codings-export-xlsx": ["codings", "export", "p.db", "--agreed", "--out", "OUT.xlsx"],
    "coder-export": ["coder", "export", "p.db", "--coder", "ana", "--out", "OUT"],
    "report-out": ["report", "p.db", "--table", "themes", "--format", "md", "--out", "OUT"],
    "report-figure": ["report", "p.db", "--table", "themes", "--figure", "OUT.svg"],
    "report-all": ["report", "p.db", "--all", "--out", "DIR", "FILE=DIR/tables.md"],
    "audit-out": ["audit", "p.db", "--format", "csv", "--out", "OUT"],
    "agreement-out": [
        "agreement",
        "p.db",
        "--coders",
        "ana",
        "ben",
        "--bootstrap",
        "0",
        "--out",
        "OUT",
    ],
    "agreement-rounds-out": ["agreement", "p.db", "--rounds", "--out", "OUT"],
    "import-qdc": ["import-qdc", "book.qdc", "--out", "OUT"],
}


def command(name: str, out: str, whole: bool = False) -> tuple[list[str], Path]:
    """The command's arguments with ``out`` for its output (``whole``: as the whole argument,
    suffix included), and the file that ends up written."""
    args, written = [], None
    for arg in COMMANDS[name]:
        if arg.startswith("FILE="):
            written = arg[5:].replace("DIR", out)
            continue
        replaced = (
            out
            if whole and ("OUT" in arg or "DIR" in arg)
            else arg.replace("OUT", out).replace("DIR", out)
        )
        if arg != replaced and written is None:
            written = replaced
        args.append(replaced)
    return args, Path(written)


def state(folder: Path):
    """The project's content: comments, every coding, the audit log and the file's integrity."""
    store = Store.open(folder / "p.db")
    codings = {c.name: store.codings_of(c.id) for c in store.coders()}
    result = (store.comments(), codings, len(store.audit_rows()), store.integrity_check())
    store.close()
    return result


def _prepare(project, name, capsys):
    if name == "agreement-rounds-out":
        assert run_cli(capsys, "agreement", "p.db", "--freeze", "--bootstrap", "0")[0] == 0


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_the_project_itself_is_refused(project, name, capsys):
    _prepare(project, name, capsys)
    if name == "report-all":
        (project / "out").mkdir()
        os.symlink(
            project / "p.db", project / "out" / "tables.md"
        )  # the project, under a file name it writes
        args, _ = command(name, "out")
    else:
        args, _ = command(name, "p.db", whole=True)
    before = state(project)
    size = (project / "p.db").stat().st_size
    code, out, err = run_cli(capsys, *args, "--force")
    assert code == 1, out
    # import-qdc has no project of its own: p.db is refused as a Workbench project file.
    expected = (
        "that is a Workbench project file"
        if name == "import-qdc"
        else "that is the project file p.db itself"
    )
    assert expected in err.splitlines()[0]
    assert (project / "p.db").stat().st_size == size and state(project) == before


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_a_file_it_did_not_make_is_kept_unless_force_and_its_own_is_replaced(project, name, capsys):
    _prepare(project, name, capsys)
    if name == "report-all":
        (project / "out").mkdir()
    args, written = command(name, "out" if name == "report-all" else "result")
    written.write_bytes(b"the user's own notes\n")
    before = state(project)
    code, out, err = run_cli(capsys, *args)
    assert code == 1, out
    assert "a file is already there that this project did not write" in err
    assert written.read_bytes() == b"the user's own notes\n" and state(project) == before
    assert [p.name for p in written.parent.iterdir() if p.name.endswith(".tmp")] == []
    code, out, err = run_cli(capsys, *args, "--force")
    assert code == 0, err
    assert written.read_bytes() != b"the user's own notes\n"
    code, out, err = run_cli(capsys, *args)  # its own file: replaced without --force
    if name == "import-qdc":
        assert code == 1  # no project to remember what it wrote
    else:
        assert code == 0, err
        written.write_bytes(written.read_bytes() + b"\nedited by hand\n")
        assert run_cli(capsys, *args)[0] == 1  # edited since: no longer the file it made


def test_symbolic_and_hard_links_to_the_project_are_the_project(project, capsys):
    os.symlink(project / "p.db", project / "link.qdpx")
    os.link(project / "p.db", project / "hard.qdpx")
    for out in ("link.qdpx", "hard.qdpx", "./sub/../p.db", "p.db-wal"):
        (project / "sub").mkdir(exist_ok=True)
        code, _, err = run_cli(capsys, "export", "qdpx", "p.db", "--out", out, "--force")
        assert code == 1 and "that is the project file p.db itself" in err, out
    assert Store.open(project / "p.db").integrity_check() == "ok"


def test_another_workbench_project_is_never_overwritten(project, capsys):
    init_project(project / "other.db").close()
    code, _, err = run_cli(capsys, "export", "qdc", "p.db", "--out", "other.db", "--force")
    assert code == 1 and "that is a Workbench project file" in err
    assert Store.open(project / "other.db").integrity_check() == "ok"
    assert PROJECT_APPLICATION_ID == APPLICATION_ID


def test_a_link_to_an_output_file_is_written_through(project):
    store = Store.open(project / "p.db")
    (project / "real").mkdir()
    os.symlink(project / "real" / "book.qdc", project / "book-link.qdc")
    target = for_project(store).write_bytes(project / "book-link.qdc", b"<CodeBook/>")
    assert target == (project / "real" / "book.qdc").resolve()
    assert (project / "book-link.qdc").is_symlink() and (
        project / "real" / "book.qdc"
    ).read_bytes() == b"<CodeBook/>"


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(project):
    store = Store.open(project / "p.db")
    output = for_project(store)
    output.write_text(project / "table.md", "first\n")

    def half_then_fail(path: Path) -> None:
        path.write_text("half of the new")
        raise OSError(28, "No space left on device", str(path))

    with pytest.raises(OutputError, match="No space left on device"):
        output.write(project / "table.md", half_then_fail)
    assert (project / "table.md").read_text() == "first\n"
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".")) == []


def test_files_of_one_command_are_checked_together_before_any_is_written(project):
    store = Store.open(project / "p.db")
    (project / "mine.png").write_bytes(b"the user's picture")
    output = for_project(store)
    output.add(project / "table.md", lambda p: p.write_text("table"))
    with pytest.raises(OutputError, match="did not write"):
        output.add(project / "mine.png", lambda p: p.write_bytes(b"chart"), "--figure")
    assert not (project / "table.md").exists()
    with pytest.raises(OutputError, match="write that file twice"):
        output.add(project / "table.md", lambda p: p.write_text("again"))


def test_what_it_wrote_is_recorded_by_hash_with_ordinary_permissions(project):
    store = Store.open(project / "p.db")
    path = for_project(store).write_bytes(project / "x.json", b"{}\n")
    [row] = store.written_files()
    assert (row["sha256"], row["path"], row["bytes"]) == (
        hashlib.sha256(b"{}\n").hexdigest(),
        str(path),
        3,
    )
    umask = os.umask(0)
    os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask


def test_without_a_project_every_existing_file_needs_force(tmp_path):
    (tmp_path / "a.toml").write_text("mine")
    with pytest.raises(OutputError, match="add --force") as refused:
        Output().write_text(tmp_path / "a.toml", "new")
    assert refused.value.replaceable
    Output(force=True).write_text(tmp_path / "a.toml", "new")
    assert (tmp_path / "a.toml").read_text() == "new"
    with pytest.raises(OutputError, match="does not exist"):
        Output().write_text(tmp_path / "missing" / "a.toml", "new")
    with pytest.raises(OutputError, match="that is a folder"):
        Output().write_text(tmp_path, "new")


def test_an_sqlite_file_that_is_not_a_project_can_be_replaced_with_force(tmp_path):
    sqlite3.connect(tmp_path / "scratch.sqlite").execute("CREATE TABLE t (x)").connection.commit()
    Output(force=True).write_text(tmp_path / "scratch.sqlite", "replaced")
    assert (tmp_path / "scratch.sqlite").read_text() == "replaced"
