"""Property-based: whatever structure a coder package or a coding sheet holds, the reader
imports it or refuses it with a WorkbenchError (a message), and a refusal changes nothing.

Packages start from a real one and have values replaced, fields removed or added at random
places (any JSON value, nested); sheets are generated rows of hostile cells (separators,
quotes, line ends, control characters, lookalike names, very long text) as CSV written by a
spreadsheet or by hand, and as .xlsx. Derandomised and bounded, so the suite stays fast and
deterministic.
"""

from __future__ import annotations

import copy
import csv
import hashlib
import io
import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.errors import WorkbenchError
from workbench.exchange.package import export_package
from workbench.exchange.package_import import import_package
from workbench.exchange.sheets import import_sheet
from workbench.store import Store

FUZZ = settings(
    max_examples=120,
    deadline=None,
    derandomize=True,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.function_scoped_fixture,
        HealthCheck.data_too_large,
    ],
)
TRANSCRIPT = (
    "Facilitator: Welcome.\n\nAna: We plan together.\n\nBen: She listens to us.\n\nAna: It works.\n"
)


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> tuple[Path, dict]:
    """A project with two coded comments, checkpointed for copying, and that coder's package."""
    from workbench.coding.session import CodingSession
    from workbench.ingest.importer import import_transcripts
    from workbench.project.lifecycle import init_project

    folder = tmp_path_factory.mktemp("fuzz")
    (folder / "fg1.txt").write_text(TRANSCRIPT)
    store = init_project(folder / "p.db")
    import_transcripts(store, [folder / "fg1.txt"])
    session = CodingSession.start(store, "ana")
    comments = [c for c in store.comments() if not c.excluded]
    session.set_category(comments[0].id, "effective")
    session.toggle_theme(comments[0].id, "listening")
    session.set_memo(comments[1].id, "why")
    export_package(store, "ana", folder / "ana.json")
    store.close()
    package = json.loads((folder / "ana.json").read_text())
    (folder / "ana.json").unlink()
    return folder / "p.db", package


def _dump(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        text = "\n".join(conn.iterdump())
    conn.close()
    return hashlib.sha256(text.encode()).hexdigest()


def _attempt(project: Path, read) -> None:
    """``read(store)`` succeeds, or raises a WorkbenchError and leaves the project as it was."""
    before = _dump(project)
    store = Store.open(project)
    try:
        read(store)
    except WorkbenchError as exc:
        assert str(exc).strip()
        store.close()
        assert _dump(project) == before, f"refused, but the project changed: {exc}"
    else:
        store.close()


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


def _paths(value, path=()):
    yield path
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _paths(child, (*path, index))


def _mutate(package: dict, edits) -> dict:
    data = copy.deepcopy(package)
    for choice, kind, new, name in edits:
        paths = list(_paths(data))[1:]
        if not paths:
            break
        path = paths[choice % len(paths)]
        parent = data
        for step in path[:-1]:
            parent = parent[step]
        if kind == "replace":
            parent[path[-1]] = new
        elif kind == "remove":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[name] = new
        else:
            parent.append(new)
    return data


EDITS = st.lists(
    st.tuples(
        st.integers(0, 10**6),
        st.sampled_from(["replace", "remove", "add"]),
        JSON,
        st.text(max_size=8),
    ),
    min_size=1,
    max_size=3,
)


@FUZZ
@given(edits=EDITS)
def test_any_package_is_imported_or_refused_with_a_message(base, tmp_path_factory, edits):
    project, package = base
    folder = tmp_path_factory.mktemp("pkg")
    shutil.copy(project, folder / "p.db")
    (folder / "ana.json").write_text(json.dumps(_mutate(package, edits)), encoding="utf-8")
    _attempt(folder / "p.db", lambda store: import_package(store, folder / "ana.json"))


CELL = st.one_of(
    st.sampled_from(
        [
            "FG1-002",
            "FG1-004",
            "fg1-005",
            "ana",
            "ben",
            "agreed",
            "agreed\u200b",
            "\u0430greed",
            "\u0430na",
            "defining",
            "Behaviors of effective coproduction",
            "2",
            "listening; communication",
            "l",
            "yes",
            "1",
            "0",
            "x",
            "",
            " ",
            "=1+1",
            "[bold]x[/bold]",
            "\x1b[31mred",
        ]
    ),
    st.text(max_size=40),
    st.text(alphabet=",;\"'\r\n\t |\x00\x1b\u202e\u200b", max_size=10),
)
HEADER = st.lists(
    st.sampled_from(
        [
            "ref",
            "coder",
            "category",
            "themes",
            "memo",
            "unsure",
            "exemplar",
            "group",
            "text",
            "Listening",
            "comment",
            "analyst",
            "bogus",
            "",
            "ref",
        ]
    ),
    min_size=1,
    max_size=8,
)


@FUZZ
@given(header=HEADER, rows=st.lists(st.lists(CELL, max_size=9), max_size=6), raw=st.booleans())
def test_any_csv_sheet_is_imported_or_refused_with_a_message(
    base, tmp_path_factory, header, rows, raw
):
    project, _ = base
    folder = tmp_path_factory.mktemp("csv")
    shutil.copy(project, folder / "p.db")
    if raw:  # typed by hand: nothing quoted
        text = "\n".join(",".join(row) for row in [header, *rows])
    else:
        buffer = io.StringIO()
        csv.writer(buffer).writerows([header, *rows])
        text = buffer.getvalue()
    (folder / "sheet.csv").write_text(text, encoding="utf-8", errors="surrogatepass")
    _attempt(folder / "p.db", lambda store: import_sheet(store, folder / "sheet.csv"))


XLSX_CELL = (
    CELL.map(lambda text: "".join(ch for ch in text if ch in "\t\n\r" or ord(ch) >= 32))
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.none()
)


@settings(FUZZ, max_examples=40)
@given(header=HEADER, rows=st.lists(st.lists(XLSX_CELL, max_size=9), max_size=5))
def test_any_xlsx_sheet_is_imported_or_refused_with_a_message(base, tmp_path_factory, header, rows):
    from openpyxl import Workbook

    project, _ = base
    folder = tmp_path_factory.mktemp("xlsx")
    shutil.copy(project, folder / "p.db")
    book = Workbook()
    for row in [header, *rows]:
        book.active.append(row)
    book.save(folder / "sheet.xlsx")
    _attempt(folder / "p.db", lambda store: import_sheet(store, folder / "sheet.xlsx"))
