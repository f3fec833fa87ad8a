"""The .qdpx as other programs read it: QualCoder's importer (refi.py) and, by the REFI-QDA 1.5
documentation, ATLAS.ti, MAXQDA and NVivo. The structural facts they depend on; the real
QualCoder import is run by tests/interop/ and benchmarks/qualcoder_interop.py."""

import re
import xml.etree.ElementTree as ET
import zipfile
from collections import Counter

import pytest
from helpers import code_deterministically

from workbench.demo import build_demo
from workbench.exchange.refi import export_qdc, export_qdpx, import_qdpx
from workbench.exchange.refi.validate import validate_qdc, validate_qde
from workbench.reconcile.consensus import Reconciliation

Q = "{urn:QDA-XML:project:1.0}"
DATETIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    folder = tmp_path_factory.mktemp("peers")
    store, _ = build_demo(folder / "demo.db")
    code_deterministically(store, "ana", 0)
    code_deterministically(store, "ben", 1)
    rec = Reconciliation(store, "ana", "ben", "lead")
    rec.auto_agree()
    for item in rec.queue()[:5]:
        if item.codings["ana"] is not None and item.codings["ana"].category:
            rec.take(item, "ana", "as ana")
    export_qdpx(store, folder / "p.qdpx")
    export_qdc(store, folder / "b.qdc")
    with zipfile.ZipFile(folder / "p.qdpx") as archive:
        qde = archive.read("project.qde")
    return store, folder, qde, ET.fromstring(qde)


def test_one_selection_per_coder_and_comment_each_with_its_creating_user(exported):
    store, _, _, root = exported
    users = {u.get("guid"): u.get("name") for u in root.iter(f"{Q}User")}
    selections = list(root.iter(f"{Q}PlainTextSelection"))
    pairs = Counter()
    for selection in selections:
        user = selection.get("creatingUser")
        assert user in users and selection.get("modifyingUser") == user
        codings = selection.findall(f"{Q}Coding")
        assert codings and {c.get("creatingUser") for c in codings} == {
            user
        }  # nothing but that coder's codes
        assert DATETIME.match(selection.get("creationDateTime")) and DATETIME.match(
            codings[0].get("creationDateTime")
        )
        pairs[(selection.get("name"), users[user])] += 1
    assert set(pairs.values()) == {1}
    expected = {
        (c.ref, coder.name)
        for coder in store.coders()
        for i in store.codings_of(coder.id)
        for c in store.comments()
        if c.id == i
    }
    assert (
        set(pairs) == expected
    )  # every coding, and no selection for an uncoded comment (no annotations)
    assert len(expected) > len(
        {ref for ref, _ in expected}
    )  # comments coded by several coders: several selections


def test_memos_are_the_selections_description_and_a_dated_note(exported):
    store, _, _, root = exported
    notes = {n.get("guid"): n for n in root.iter(f"{Q}Note")}
    memos = 0
    for selection in root.iter(f"{Q}PlainTextSelection"):
        description = selection.find(f"{Q}Description")
        refs = selection.findall(f"{Q}NoteRef")
        if description is None:
            assert refs == []
            continue
        memos += 1
        [ref] = refs
        note = notes[ref.get("targetGUID")]
        assert note.find(f"{Q}PlainTextContent").text == description.text
        assert note.get("creatingUser") == selection.get("creatingUser")
        for attribute in ("creationDateTime", "modifiedDateTime"):
            assert DATETIME.match(note.get(attribute)), (
                attribute
            )  # QualCoder fails on a note without a date
    assert (
        memos
        == len(notes)
        == sum(1 for c in store.coders() for k in store.codings_of(c.id).values() if k.memo)
        > 0
    )


def test_codes_have_fixed_colours_and_markers_out_of_sight(exported, shared):
    store, folder, qde, root = exported
    codable = [c for c in root.iter(f"{Q}Code") if c.get("isCodable") == "true"]
    colours = [c.get("color") for c in codable]
    assert all(re.match(r"^#[0-9A-F]{6}$", colour) for colour in colours)
    assert len(set(colours)) == len(colours)  # distinct, so codes can be told apart
    effective = next(c for c in codable if c.get("name") == "Behaviors of effective coproduction")
    assert effective.get("color") == "#8FD18F"
    # Descriptions (the code memos other programs show) hold the definitions only; the marker is a comment.
    for code in root.iter(f"{Q}Code"):
        description = code.find(f"{Q}Description")
        assert description is None or "workbench:" not in description.text
    assert "workbench:" not in qde.decode().replace("<!-- workbench:", "")
    assert qde.decode().count("<!-- workbench: {") == len(list(root.iter(f"{Q}Code")))
    listening = next(c for c in codable if c.get("name") == "Listening")
    assert listening.find(f"{Q}Description").text == store.themes()[12].definition
    schemas = shared / "refi-qda"
    validate_qde(qde, schemas)
    validate_qdc((folder / "b.qdc").read_bytes(), schemas)
    assert b"workbench:" not in re.sub(
        rb"<!-- workbench: .*? -->", b"", (folder / "b.qdc").read_bytes()
    )


def test_case_variables_are_their_own_not_the_sources(exported):
    _, _, _, root = exported
    names = {v.get("guid"): v.get("name") for v in root.iter(f"{Q}Variable")}

    def used(holder):
        return {
            names[r.get("targetGUID")]
            for e in root.iter(f"{Q}{holder}")
            for r in e.iter(f"{Q}VariableRef")
        }

    assert (
        used("TextSource") & used("Case") == set()
    )  # QualCoder: a variable is a file's or a case's


def test_a_marker_with_dashes_stays_a_valid_comment_and_reads_back(tmp_path):
    from workbench.exchange.refi.codebook import read_qdc
    from workbench.project.lifecycle import init_project

    (tmp_path / "book.toml").write_text(
        '[codebook]\nname = "Pre--post -- study"\ndescription = "a -- b -"\n\n'
        '[[category]]\nkey = "x"\nname = "X"\nshortcut = "-"\n'
        "takes_themes = false\n",
        encoding="utf-8",
    )
    store = init_project(tmp_path / "p.db", tmp_path / "book.toml")
    export_qdc(store, tmp_path / "b.qdc")
    ET.fromstring((tmp_path / "b.qdc").read_bytes())  # well-formed: no "--" inside a comment
    plan = read_qdc(tmp_path / "b.qdc")
    assert plan.header["name"] == "Pre--post -- study" and plan.header["description"] == "a -- b -"
    assert plan.categories[0].shortcut == "-"


def test_markers_written_by_earlier_versions_in_the_description_still_read(tmp_path, exported):
    _, folder, _, _ = exported
    with (
        zipfile.ZipFile(folder / "p.qdpx") as full,
        zipfile.ZipFile(tmp_path / "old.qdpx", "w") as old,
    ):
        for name in full.namelist():
            if name.startswith("workbench/"):
                continue
            data = full.read(name)
            if (
                name == "project.qde"
            ):  # the comment marker moved back to the Description's last line
                text = data.decode()
                text = re.sub(
                    r"(<Description>([^<]*)</Description>)?\s*<!-- workbench: (\{.*?\}) -->",
                    lambda m: (
                        f"<Description>{(m.group(2) + chr(10) * 2) if m.group(2) else ''}"
                        f"workbench: {m.group(3).replace(chr(92) + 'u002d', '-')}</Description>"
                    ),
                    text,
                )
                data = text.encode()
            old.writestr(name, data)
    report = import_qdpx(tmp_path / "old.qdpx", tmp_path / "old.db")
    assert report.codebook == "Workbench codes (markers)" and report.problems == []
    assert [c.split(" = ")[0] for c in report.categories] == [
        "defining",
        "effective",
        "ineffective",
        "benefits",
    ]
