"""Helpers shared by the tests."""

import re
import sys
from pathlib import Path

from workbench.cli import main

BAD_INPUTS = Path(__file__).resolve().parents[1] / "docs" / "bad-inputs.md"


def run(*args: str) -> int:
    """Run `workbench ARGS` in-process; return the exit status (output left to capsys/capfd)."""
    sys.argv = ["workbench", *args]
    try:
        main()
    except SystemExit as exc:
        return exc.code
    return 0


def documented(section: str | None = None) -> dict[str, str]:
    """A table of docs/bad-inputs.md, case → first line of the message: the first table, or
    the one under the heading ``## section``."""
    text = BAD_INPUTS.read_text(encoding="utf-8")
    if section:
        text = text.split(f"## {section}", 1)[1]
    rows = {}
    for line in text.split("\n## ", 1)[0].splitlines():
        match = re.match(r"^\| `([\w-]+)` \|[^|]*\| `+ ?(.*?) ?`+ \|$", line)
        if match:
            rows[match[1]] = match[2]
    return rows


def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    """Run `workbench ARGS` in-process; return (exit status, stdout, stderr)."""
    sys.argv = ["workbench", *args]
    code = 0
    try:
        main()
    except SystemExit as exc:
        code = exc.code
    out = capsys.readouterr()
    return code, out.out, out.err


CATEGORIES = ("defining", "effective", "ineffective", "benefits")
THEMES = (
    "role_shift",
    "communication",
    "empowerment",
    "knowing_the_person",
    "asking_questions",
    "learning",
    "risk_aware",
    "joint_decision_making",
    "recognize_expertise",
    "goal_setting",
    "shared_knowledge",
    "mutuality",
    "listening",
    "pre_visit_planning",
)


def code_deterministically(store, name: str, k: int) -> None:
    """Coder number ``k`` codes every codable comment in a fixed way: categories, themes,
    memos (with characters XML and JSON must escape), both flags, and some gaps (k > 0)."""
    from workbench.coding.session import CodingSession

    session = CodingSession.start(store, name)
    for i, comment in enumerate(c for c in store.comments() if not c.excluded):
        if k and i % 5 == 4:
            continue  # a later coder leaves some comments uncoded
        category = CATEGORIES[(i + (k if i % 3 == 0 else 0)) % 4]
        session.set_category(comment.id, category)
        if category in ("effective", "ineffective"):
            for theme in {THEMES[(i * 3 + k) % 14], THEMES[(i * 5) % 14]}:
                session.toggle_theme(comment.id, theme)
        if i % 6 == k:
            session.set_memo(comment.id, f"{name}'s memo {i}: “quoted” ‘why’ <b> & ü")
        if i % 7 == k:
            session.toggle_unsure(comment.id)
        if i % 9 == k:
            session.toggle_exemplar(comment.id)


def copy_project(path, folder):
    """A private copy of a session fixture's project file, opened."""
    import shutil

    from workbench.store import Store

    target = folder / path.name
    shutil.copy(path, target)
    return Store.open(target)


#: The team server tests' accounts: two coders and a lead.
TEAM_PASSWORDS = {
    "ana": "ana's long password",
    "ben": "ben's long password",
    "lee": "lee's long password",
}


def team_project(path: Path, monkeypatch) -> Path:
    """An empty project with the accounts of ``TEAM_PASSWORDS`` (scrypt made cheap for tests)."""
    from workbench.server import accounts, passwords
    from workbench.store import Store

    monkeypatch.setattr(passwords, "N", 2**10)
    store = Store.create(path)
    for name, role in (("ana", "coder"), ("ben", "coder"), ("lee", "lead")):
        accounts.add_user(store, name, role, TEAM_PASSWORDS[name])
    store.close()
    return path


def codebook_without_listening(folder: Path):
    """The bundled codebook, version 2, without the theme ``listening`` (a codebook that retires
    one theme), loaded from ``folder / 'v2.toml'``."""
    from workbench.project import codebook as loader
    from workbench.project.resources import default_codebook

    text = default_codebook().read_text(encoding="utf-8")
    start = text.index('[[theme]]\nkey = "listening"')
    end = text.index("[[theme]]", start + 1)
    path = folder / "v2.toml"
    path.write_text(
        text[:start] + text[end:].replace('version = "1.0"', 'version = "2"'), encoding="utf-8"
    )
    return loader.load_codebook(path)
