"""Two analysts' processes on one project file, and a coder process killed mid-session.

Each coding commits in its own transaction before the session reports it, so
acknowledged codings survive SIGKILL; WAL, the busy timeout and BEGIN IMMEDIATE
let two writers share the file without lost writes or "database is locked".
"""

import os
import signal
import subprocess
import sys
import textwrap

import pytest

from workbench.ingest.importer import import_transcripts
from workbench.project.lifecycle import init_project
from workbench.store import Store

CATEGORIES = ["defining", "effective", "ineffective", "benefits"]

CODER = textwrap.dedent("""
    import sys
    from workbench.coding.session import CodingSession
    from workbench.store import Store

    project, name, offset = sys.argv[1], sys.argv[2], int(sys.argv[3])
    store = Store.open(project)
    session = CodingSession.start(store, name)
    categories = ["defining", "effective", "ineffective", "benefits"]
    for n, row in enumerate(store.comments()):
        category = categories[(n + offset) % 4]
        session.set_category(row.id, category)
        if category in ("effective", "ineffective"):
            session.toggle_theme(row.id, "listening")
        print("ack", row.id, category, flush=True)
""")


def make_project(tmp_path, comments):
    store = init_project(tmp_path / "p.db")
    turns = "\n".join(
        f"{'Ann' if n % 2 else 'Bob'}: Comment number {n} about care." for n in range(comments)
    )
    (tmp_path / "big.txt").write_text(turns)
    import_transcripts(store, [tmp_path / "big.txt"])
    store.close()
    return tmp_path / "p.db"


def coder_process(project, name, offset):
    return subprocess.Popen(
        [sys.executable, "-c", CODER, str(project), name, str(offset)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_coders_writing_at_once_lose_nothing(tmp_path):
    project = make_project(tmp_path, 2000)
    procs = [coder_process(project, "ana", 0), coder_process(project, "ben", 1)]
    outputs = [p.communicate(timeout=600) for p in procs]
    for proc, (out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err
        assert out.count("ack") == 2000
    store = Store.open(project)
    assert store.integrity_check() == "ok"
    comments = store.comments()
    for offset, name in enumerate(["ana", "ben"]):
        coder = store.coder_named(name)
        codings = store.codings_of(coder.id)
        assert len(codings) == 2000
        for n, row in enumerate(comments):
            coding = codings[row.id]
            assert coding.category_key == CATEGORIES[(n + offset) % 4]
            assert coding.themes == (
                ("listening",) if coding.category_key in ("effective", "ineffective") else ()
            )
    audit = [r for r in store.audit_rows() if r["entity"] == "coding"]
    assert len(audit) == 2 * (2000 + 1000)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_acknowledged_codings_survive_sigkill(tmp_path):
    project = make_project(tmp_path, 2000)
    proc = coder_process(project, "ana", 0)
    acked = {}
    for line in proc.stdout:
        _, comment_id, category = line.split()
        acked[int(comment_id)] = category
        if len(acked) == 300:
            os.kill(proc.pid, signal.SIGKILL)
            break
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    # Acks the coder printed before it died but this loop had not read yet are acks too
    # (on a busy machine the coder runs ahead of the reader).
    for line in proc.stdout.read().splitlines():
        if len(parts := line.split()) == 3:  # a line cut by the kill was never an ack
            acked[int(parts[1])] = parts[2]
    store = Store.open(project)
    assert store.integrity_check() == "ok"
    codings = store.codings_of(store.coder_named("ana").id)
    for comment_id, category in acked.items():
        assert codings[comment_id].category_key == category
    # At most the change in flight when killed is beyond the acknowledged ones.
    assert len(acked) <= len(codings) <= len(acked) + 1
