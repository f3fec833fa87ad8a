"""Codebook loading and validation, and storing/replacing a project's codebook."""

from pathlib import Path

import pytest

from workbench.errors import CodebookError
from workbench.project.codebook import load_codebook, parse_codebook
from workbench.project.lifecycle import init_project, replace_codebook
from workbench.project.resources import default_codebook

STUDY_THEMES = [
    ("Role shift", "Behaving differently and being an equal partner"),
    ("Communication", "Empathizing, encouraging, sympathizing, problem solving"),
    ("Empowerment", "Being confident and self-determined"),
    ("Getting to know the person", "Learning about the other as a person not a disease"),
    ("Asking questions", "Understanding of the issues through inquiry"),
    ("Learning", "Being inquisitive and interested person"),
    ("Risk aware", "Being outside one's comfort zone"),
    ("Joint decision making", "Working together to develop care plan"),
    ("Recognize other's expertise", "Developing a shared understanding and relationship"),
    ("Goal setting", "Making the aim of the visit explicit"),
    ("Shared knowledge", "Accessing the same information"),
    ("Mutuality", "Depending on each other, reciprocity"),
    ("Listening", "Giving close attention to the other"),
    ("Pre-visit planning", "Being explicit about the plan for the visit prior to the visit"),
]

MINIMAL = b"""
[codebook]
name = "Team codebook"

[[category]]
key = "barrier"
name = "Barrier"
shortcut = "1"
takes_themes = true

[[theme]]
key = "cost"
name = "Cost"
shortcut = "c"
"""


def test_coproduction_codebook_matches_the_study():
    book = load_codebook(default_codebook())
    assert [c.name for c in book.categories] == [
        "Defining coproduction",
        "Behaviors of effective coproduction",
        "Behaviors of ineffective coproduction",
        "Benefits of effective coproduction",
    ]
    assert [c.shortcut for c in book.categories] == ["1", "2", "3", "4"]
    assert [c.takes_themes for c in book.categories] == [False, True, True, False]
    assert [c.polarity for c in book.categories] == [None, "effective", "ineffective", None]
    assert [(t.name, t.definition) for t in book.themes] == STUDY_THEMES
    shortcuts = [c.shortcut for c in book.categories] + [t.shortcut for t in book.themes]
    assert len(set(shortcuts)) == len(shortcuts) == 18
    assert len(book.sha256) == 64 and book.source.startswith("# Codebook")


def test_any_codebook_in_the_same_format_loads():
    book = parse_codebook(MINIMAL, "team.toml")
    assert book.key == "team_codebook"
    assert book.category("barrier").takes_themes
    assert book.theme("cost").name == "Cost"


@pytest.mark.parametrize(
    "mutation, message",
    [
        (
            lambda s: s.replace(b'name = "Cost"', b'nmae = "Cost"'),
            'team.toml: theme #1 ("cost"): unknown field "nmae"',
        ),
        (
            lambda s: s.replace(b'name = "Barrier"\n', b""),
            'team.toml: category #1 ("barrier"): field "name" is missing',
        ),
        (
            lambda s: s + b'\n[[theme]]\nkey = "cost"\nname = "Costs"\nshortcut = "k"\n',
            'team.toml: theme "cost": field "key": duplicate key "cost"',
        ),
        (
            lambda s: s + b'\n[[theme]]\nkey = "time"\nname = "Time"\nshortcut = "c"\n',
            'team.toml: theme "time": field "shortcut": "c" is already the shortcut of theme "cost"',
        ),
        (
            lambda s: s.replace(b'shortcut = "1"', b'shortcut = "c"'),
            'team.toml: theme "cost": field "shortcut": "c" is already the shortcut of category "barrier"',
        ),
        (
            lambda s: s.replace(b"takes_themes = true", b'takes_themes = "yes"'),
            'team.toml: category #1 ("barrier"): field "takes_themes" must be true or false, not str',
        ),
        (
            lambda s: s.replace(b'shortcut = "c"', b'shortcut = "cc"'),
            'team.toml: theme #1 ("cost"): field "shortcut": "cc" must be a single key',
        ),
        (
            lambda s: s.replace(b'key = "cost"', b'key = "Cost Theme"'),
            'team.toml: theme #1 ("Cost Theme"): field "key": "Cost Theme" must be lower case',
        ),
        (
            lambda s: s.replace(b"takes_themes = true", b"takes_themes = false"),
            "team.toml: themes are defined but no category has takes_themes = true",
        ),
        (
            lambda s: s.replace(b"[codebook]", b"[codebok]"),
            'team.toml: top level: unknown field "codebok"',
        ),
        (
            lambda s: s.replace(b'name = "Team codebook"', b'name = "Team codebook'),
            "team.toml: not valid TOML",
        ),
        (lambda s: s.split(b"[[category]]")[0], "team.toml: no [[category]] entries"),
    ],
)
def test_malformed_codebooks_name_file_entry_and_field(mutation, message):
    with pytest.raises(CodebookError) as info:
        parse_codebook(mutation(MINIMAL), "team.toml")
    assert str(info.value).startswith(message)


def test_project_keeps_the_exact_codebook(tmp_path):
    store = init_project(tmp_path / "p.db")
    book = store.active_codebook()
    assert book["content"] == default_codebook().read_text(encoding="utf-8")
    assert book["sha256"] == load_codebook(default_codebook()).sha256
    assert [t.key for t in store.themes()][:2] == ["role_shift", "communication"]


def _code_something(store):
    """Insert one coding directly (the coding screen arrives with a later issue)."""
    group = store.create_group("G", None, None, None, None)
    with store.transaction() as conn:
        tid = store.add_transcript(group.id, "g.txt", "text", "utf-8", "x", b"x")
        store.insert_comments(
            [("FG1-001", group.id, tid, 1, None, "hi", 1, None, None, 1, 1, 0, None)]
        )
        conn.execute("INSERT INTO coders (name, created_at) VALUES ('ana', 'now')")
        conn.execute(
            "INSERT INTO codings (comment_id, coder_id, category_key, updated_at) "
            "VALUES (1, 1, 'effective', 'now')"
        )


def test_replacing_the_codebook_with_codings_needs_force_and_is_audited(tmp_path):
    store = init_project(tmp_path / "p.db")
    team = tmp_path / "team.toml"
    team.write_bytes(MINIMAL)
    assert replace_codebook(store, default_codebook()) == "unchanged"
    _code_something(store)
    with pytest.raises(CodebookError, match="already has 1 coding.*--force"):
        replace_codebook(store, team)
    assert store.active_codebook()["key"] == "coproduction"
    assert replace_codebook(store, team, force=True) == "replaced"
    assert store.active_codebook()["key"] == "team_codebook"
    assert [c.key for c in store.categories()] == ["barrier"]
    # The old category is retired, not deleted: the existing coding still resolves.
    assert "effective" in [c.key for c in store.categories(include_retired=True)]
    entry = store.audit_rows()[-1]
    assert (entry["action"], entry["entity"]) == ("replace", "codebook")
    assert "forced with 1 coding" in entry["note"]
    assert '"retired": ["' in entry["after"]


def test_replacing_the_codebook_before_coding_needs_no_force(tmp_path):
    store = init_project(tmp_path / "p.db")
    team = tmp_path / "team.toml"
    team.write_bytes(MINIMAL)
    assert replace_codebook(store, team) == "replaced"


def test_a_shortcut_the_screens_use_is_refused(tmp_path):

    source = (Path(__file__).resolve().parents[1] / "codebooks" / "coproduction.toml").read_text(
        encoding="utf-8"
    )
    path = tmp_path / "bad.toml"
    path.write_text(source.replace('shortcut = "l"', 'shortcut = "f"'), encoding="utf-8")
    with pytest.raises(
        CodebookError,
        match=r'theme "learning": field "shortcut": "f" is the coding or '
        r'reconciliation screen\'s key for "next not sure"',
    ):
        load_codebook(path)


def test_reserved_keys_are_the_screens_keys():
    """Every one-key binding of the coding and reconciliation screens is reserved."""
    from workbench.project.codebook import RESERVED_KEYS
    from workbench.ui.coding import CodingScreen
    from workbench.ui.reconcile import ReconcileScreen

    names = {
        "exclamation_mark": "!",
        "asterisk": "*",
        "slash": "/",
        "colon": ":",
        "question_mark": "?",
    }
    keys = set()
    for screen in (CodingScreen, ReconcileScreen):
        for binding in screen.BINDINGS:
            for key in binding.key.split(","):
                key = names.get(key, key)
                if len(key) == 1:
                    keys.add(key)
    assert keys <= set(RESERVED_KEYS), keys - set(RESERVED_KEYS)


def test_a_refi_qda_file_given_as_codebook_says_how_to_convert_it(tmp_path):
    """init --codebook / codebook --replace with a .qdc or a .qdpx: not 'not valid TOML', but the command to use."""
    import zipfile

    qdc = tmp_path / "team.qdc"
    qdc.write_bytes(
        b'\xef\xbb\xbf<?xml version="1.0"?><CodeBook xmlns="urn:QDA-XML:codebook:1.0"/>'
    )
    with pytest.raises(
        CodebookError,
        match=r"a REFI-QDA codebook \(\.qdc\).*`workbench import-qdc team.qdc "
        r"--out team.toml` and use team.toml",
    ):
        load_codebook(qdc)
    with zipfile.ZipFile(tmp_path / "study.qdpx", "w") as archive:
        archive.writestr("project.qde", "<Project/>")
    with pytest.raises(
        CodebookError, match=r"a REFI-QDA project \(\.qdpx\), not a codebook.*import-qdpx"
    ):
        load_codebook(tmp_path / "study.qdpx")
    (tmp_path / "odd.toml").write_text("<html>not toml</html>")
    with pytest.raises(
        CodebookError, match="not valid TOML"
    ):  # other XML-ish text: the TOML message as before
        load_codebook(tmp_path / "odd.toml")


def test_a_project_without_a_codebook_says_how_to_load_one(tmp_path):
    """A file whose active codebook is gone (edited by another tool) gets a message naming the
    command that loads one, not a TypeError, from the status, the methods paragraph and the
    codebook editor."""
    import sqlite3

    from workbench.errors import WorkbenchError
    from workbench.project.codebook_edit import CodebookDraft
    from workbench.project.status import project_status
    from workbench.reports.methods import methods_paragraph
    from workbench.store import Store

    init_project(tmp_path / "p.db").close()
    raw = sqlite3.connect(tmp_path / "p.db")
    raw.execute("UPDATE codebooks SET active = 0")
    raw.commit()
    raw.close()
    store = Store.open(tmp_path / "p.db")
    for use in (project_status, methods_paragraph, CodebookDraft.of):
        with pytest.raises(WorkbenchError, match=r"no codebook: load one with `workbench codebook"):
            use(store)
