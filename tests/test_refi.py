"""REFI-QDA exchange: schema-valid exports, exact positions, round trips, other programs' files."""

import json
import uuid
import xml.etree.ElementTree as ET
import zipfile

import pytest
from helpers import code_deterministically, run_cli

from workbench.agreement.reliability import project_agreement
from workbench.agreement.rounds import freeze_round
from workbench.coding.session import Coding, CodingSession
from workbench.demo import build_demo
from workbench.exchange.refi import export_qdc, export_qdpx, import_qdpx, qdc_to_toml
from workbench.exchange.refi.export import codebook_xml, project_xml, source_text
from workbench.exchange.refi.mapping import COVERAGE, map_selection
from workbench.exchange.refi.qdaxml import RefiError, norm_guid
from workbench.exchange.refi.validate import validate_qdc, validate_qde, validate_qdpx
from workbench.ingest.importer import import_transcripts
from workbench.project.codebook import load_codebook, parse_codebook
from workbench.project.lifecycle import init_project
from workbench.project.resources import default_codebook
from workbench.reconcile.consensus import Reconciliation
from workbench.store import Store

NS = {"q": "urn:QDA-XML:project:1.0"}


@pytest.fixture(scope="module")
def coded(tmp_path_factory):
    """The demo project coded by ana and ben, with an agreed coding from reconciliation."""
    folder = tmp_path_factory.mktemp("coded")
    store, _ = build_demo(folder / "demo.db")
    code_deterministically(store, "ana", 0)
    code_deterministically(store, "ben", 1)
    freeze_round(store, project_agreement(store, ["ana", "ben"], bootstrap=0), "round 1")
    rec = Reconciliation(store, "ana", "ben", "lead")
    assert rec.auto_agree() > 0
    for n, item in enumerate(rec.queue()[:12]):
        if item.codings["ana"] is not None and item.codings["ana"].category:
            rec.take(item, "ana", f"decision {n}")
    return store


def snapshot(store: Store) -> dict:
    """What a round trip must keep: comments per group, speakers and roles, codebook, every coding."""
    position, texts, speakers = {}, {}, {}
    for c in store.comments():
        rows = texts.setdefault(c.group_name, [])
        position[c.id] = (c.group_name, len(rows))
        rows.append(c.text)
        speakers.setdefault(c.group_name, []).append((c.speaker, c.role, c.excluded))
    codings = {}
    for coder in store.coders():
        codings[(coder.name, coder.kind)] = {
            position[i]: (k.category_key, tuple(k.themes), k.memo, k.unsure, k.exemplar)
            for i, k in store.codings_of(coder.id).items()
        }
    return {
        "texts": texts,
        "speakers": speakers,
        "codings": codings,
        "groups": [(g.name, g.code, g.kind, g.date, g.stakeholders) for g in store.groups()],
        "categories": [
            (c.key, c.name, c.shortcut, c.takes_themes, c.polarity, c.description)
            for c in store.categories()
        ],
        "themes": [(t.key, t.name, t.shortcut, t.definition) for t in store.themes()],
    }


def qde_of(path) -> ET.Element:
    with zipfile.ZipFile(path) as archive:
        return ET.fromstring(archive.read("project.qde"))


# -- schema validation -------------------------------------------------------------


@pytest.mark.realdata
def test_qdc_export_validates_against_the_official_codebook_schema(coded, shared, tmp_path):
    schemas = shared / "refi-qda"
    export_qdc(coded, tmp_path / "book.qdc", schemas)  # validates before writing
    data = (tmp_path / "book.qdc").read_bytes()
    validate_qdc(data, schemas)
    root = ET.fromstring(data)
    assert root.tag == "{urn:QDA-XML:codebook:1.0}CodeBook"
    names = [c.get("name") for c in root.iter("{urn:QDA-XML:codebook:1.0}Code")]
    assert names[:6] == [
        "Categories",
        "Defining coproduction",
        "Behaviors of effective coproduction",
        "Behaviors of ineffective coproduction",
        "Benefits of effective coproduction",
        "Themes",
    ]
    assert len(names) == 2 + 4 + 14
    sets = root.findall(".//{urn:QDA-XML:codebook:1.0}Set")
    assert [s.get("name") for s in sets] == [
        "Themes of Behaviors of effective coproduction",
        "Themes of Behaviors of ineffective coproduction",
    ]
    assert all(len(s.findall("{urn:QDA-XML:codebook:1.0}MemberCode")) == 14 for s in sets)
    # The validator does reject what the schema forbids.
    broken = data.replace(b'isCodable="true"', b'isCodable="yes"', 1)
    with pytest.raises(RefiError, match="does not validate against Codebook.xsd"):
        validate_qdc(broken, schemas)


@pytest.mark.realdata
def test_qdpx_export_validates_against_the_official_project_schema(coded, shared, tmp_path):
    schemas = shared / "refi-qda"
    summary = export_qdpx(coded, tmp_path / "p.qdpx", schemas)
    validate_qdpx(tmp_path / "p.qdpx", schemas)  # schema + the spec's rules the schema leaves out
    with zipfile.ZipFile(tmp_path / "p.qdpx") as archive:
        names = archive.namelist()
        validate_qde(archive.read("project.qde"), schemas)
    assert names[0] == "project.qde" and len(names) == 1 + 5 + 1 + 5
    assert all(n.startswith("sources/") and n.endswith(".txt") for n in names[1:6])
    # Workbench's own data and the original transcript files, in its own folder.
    assert names[6] == "workbench/project.json" and all(
        n.startswith("workbench/transcripts/") for n in names[7:]
    )
    assert summary.sources == 5 and summary.comments == 149
    assert summary.users == ["ana", "ben", "agreed"]
    with pytest.raises(RefiError, match="does not validate against Project-mrt2019.xsd"):
        qde, _, _ = project_xml(coded)
        validate_qde(qde.replace(b"<Users>", b"<Users><Bogus/>", 1), schemas)


def test_export_carries_users_codings_notes_variables_and_cases(coded, tmp_path):
    export_qdpx(coded, tmp_path / "p.qdpx")
    root = qde_of(tmp_path / "p.qdpx")
    users = {u.get("name"): u.get("guid") for u in root.findall("q:Users/q:User", NS)}
    assert set(users) == {"ana", "ben", "agreed"}
    sources = root.findall("q:Sources/q:TextSource", NS)
    assert [s.get("name") for s in sources] == [g.name for g in coded.groups()]
    for source in sources:
        assert source.get("plainTextPath") == f"internal://{source.get('guid')}.txt"
        assert source.find("q:PlainTextContent", NS) is None  # one of the two, not both
    # Each coder's codings: one Coding per code applied, marked with the coder's user GUID.
    ana = coded.coder_named("ana")
    ref_to_id = {c.ref: c.id for c in coded.comments()}
    selection = next(
        s
        for s in root.iter("{urn:QDA-XML:project:1.0}PlainTextSelection")
        if s.get("creatingUser") == users["ana"]
        and (k := coded.codings_of(ana.id).get(ref_to_id[s.get("name")]))
        and k.themes
    )
    ana_codings = [
        c for c in selection.findall("q:Coding", NS) if c.get("creatingUser") == users["ana"]
    ]
    coding = coded.codings_of(ana.id)[ref_to_id[selection.get("name")]]
    assert len(ana_codings) == len(selection.findall("q:Coding", NS))
    assert len(ana_codings) == 1 + len(coding.themes) + coding.unsure + coding.exemplar
    # Memos are notes by their coder, referenced from the comment's selection.
    notes = root.findall("q:Notes/q:Note", NS)
    memos = sum(1 for c in coded.coders() for k in coded.codings_of(c.id).values() if k.memo)
    assert len(notes) == memos > 0
    note = notes[0]
    all_memos = {k.memo for c in coded.coders() for k in coded.codings_of(c.id).values() if k.memo}
    assert note.find("q:PlainTextContent", NS).text in all_memos
    assert note.get("creatingUser") in users.values()
    assert any(
        r.get("targetGUID") == note.get("guid")
        for r in root.iter("{urn:QDA-XML:project:1.0}NoteRef")
    )
    # Focus group metadata as variables of the source; speakers as cases with their role.
    variables = {v.get("guid"): v.get("name") for v in root.findall("q:Variables/q:Variable", NS)}
    values = {
        variables[v.find("q:VariableRef", NS).get("targetGUID")]: v.find("q:TextValue", NS).text
        for v in sources[0].findall("q:VariableValue", NS)
    }
    assert values == {
        "Focus group": "Health professionals",
        "Group code": "FG1",
        "Group kind": "individual",
        "Group date": "2025-03-04",
        "Stakeholders": "Health professionals",
        "Transcript file": "fg1_health_professionals.txt",
    }
    case = next(
        c for c in root.findall("q:Cases/q:Case", NS) if c.get("name") == "Dr. Amira Patel (FG1)"
    )
    case_values = {
        variables[v.find("q:VariableRef", NS).get("targetGUID")]: v.find("q:TextValue", NS).text
        for v in case.findall("q:VariableValue", NS)
    }
    assert case_values == {
        "Speaker": "Dr. Amira Patel",
        "Role": "HP",
        "Speaker's focus group": "Health professionals",
    }
    patel = [c.id for c in coded.comments() if c.speaker == "Dr. Amira Patel"]
    coded_by = sum(1 for c in coded.coders() for i in patel if i in coded.codings_of(c.id))
    selection_guids = {
        s.get("guid") for s in root.iter("{urn:QDA-XML:project:1.0}PlainTextSelection")
    }
    refs = [r.get("targetGUID") for r in case.findall("q:SelectionRef", NS)]
    assert len(refs) == coded_by == 11 and set(refs) <= selection_guids


def test_export_is_reproducible(coded, tmp_path):
    export_qdpx(coded, tmp_path / "a.qdpx")
    export_qdpx(coded, tmp_path / "b.qdpx")
    assert (tmp_path / "a.qdpx").read_bytes() == (tmp_path / "b.qdpx").read_bytes()
    assert codebook_xml(coded) == codebook_xml(coded)


def test_selections_are_exact_code_point_ranges(tmp_path):
    """Positions count Unicode code points (not UTF-8 bytes or UTF-16 units), end exclusive."""
    text = (
        "Ana: Café ☕ and 😀 emoji, a ‘quote’ — ok.\n\n"
        "Bo: 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 letters outside the BMP.\n\n"
        "Ana: Third, after the astral ones: 🎉.\n"
    )
    (tmp_path / "fg.txt").write_text(text, encoding="utf-8")
    store = init_project(tmp_path / "p.db")
    import_transcripts(store, [tmp_path / "fg.txt"])
    comments = store.comments()
    session = CodingSession.start(store, "ana")
    for comment in comments:
        session.set_category(comment.id, "benefits")
    export_qdpx(store, tmp_path / "p.qdpx")
    root = qde_of(tmp_path / "p.qdpx")
    [source] = root.findall("q:Sources/q:TextSource", NS)
    with zipfile.ZipFile(tmp_path / "p.qdpx") as archive:
        content = archive.read(f"sources/{source.get('guid')}.txt").decode("utf-8")
    selections = source.findall("q:PlainTextSelection", NS)
    assert [s.get("name") for s in selections] == [c.ref for c in comments]
    for selection, comment in zip(selections, comments, strict=True):
        start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
        assert content[start:end] == comment.text
    third = selections[2]
    start = int(third.get("startPosition"))
    assert len(content[:start].encode("utf-8")) > start  # bytes would be a different number
    assert len(content[:start].encode("utf-16-le")) // 2 > start  # so would UTF-16 units
    assert source_text(comments)[0] == content


# -- round trips -------------------------------------------------------------------------


def test_project_round_trip_keeps_comments_codebook_and_every_coding(coded, tmp_path):
    export_qdpx(coded, tmp_path / "p.qdpx")
    report = import_qdpx(tmp_path / "p.qdpx", tmp_path / "back.db")
    assert (
        report.ambiguous == []
        and report.unmapped == []
        and report.problems == []
        and report.warnings == []
    )
    assert (
        report.skipped_sources == []
        and report.codebook == "Workbench codes (markers), the exact codebook restored"
    )
    back = Store.open(tmp_path / "back.db")
    before, after = snapshot(coded), snapshot(back)
    assert after["texts"] == before["texts"]
    assert after["speakers"] == before["speakers"]
    assert after["groups"] == before["groups"]
    assert after["categories"] == before["categories"]
    assert after["themes"] == before["themes"]
    assert set(after["codings"]) == {("ana", "coder"), ("ben", "coder"), ("agreed", "agreed")}
    assert after["codings"] == before["codings"]
    assert sum(len(v) for v in after["codings"].values()) == sum(report.codings.values())
    # The exact codebook (so coder packages made against the original still merge) ...
    for key in ("sha256", "content", "source_name", "key", "version"):
        assert back.active_codebook()[key] == coded.active_codebook()[key], key
    # ... transcripts with their names, formats, encodings and original bytes ...
    fields = ("group_name", "filename", "format", "encoding", "sha256", "imported_at", "comments")
    assert [tuple(getattr(t, k) for k in fields) for t in back.transcripts()] == [
        tuple(getattr(t, k) for k in fields) for t in coded.transcripts()
    ]
    assert [(t.filename, t.format) for t in back.transcripts()][2:4] == [
        ("fg3_teen_parents.md", "markdown (Otter)"),
        ("fg4_multistakeholder_1.vtt", "webvtt (zoom)"),
    ]  # not .txt
    # ... every comment as it was: ref, order, speaker, words, times, source line, exclusion ...
    assert back.comments() == coded.comments()
    assert sum(c.start_s is not None for c in back.comments()) > 90
    assert [(g.code, g.next_number) for g in back.groups()] == [
        (g.code, g.next_number) for g in coded.groups()
    ]

    # ... the reconciliation decisions (auto, resolved with rationale, who, when), not "imported" ...
    def decisions(store):
        refs = {c.id: c.ref for c in store.comments()}
        return {refs[i]: r for i, r in store.reconciliations().items()}

    assert decisions(back) == decisions(coded)
    assert {r["status"] for r in decisions(back).values()} == {"auto", "resolved"}
    assert [(c.name, c.kind, c.created_at) for c in back.coders()] == [
        (c.name, c.kind, c.created_at) for c in coded.coders()
    ]
    assert [{k: v for k, v in r.items() if k != "id"} for r in back.rounds()] == [
        {k: v for k, v in r.items() if k != "id"} for r in coded.rounds()
    ] and len(back.rounds()) == 1

    # ... and the audit history, carried after a row that says where it comes from.
    def rows(store):
        return [
            tuple(
                r[k]
                for k in (
                    "at",
                    "actor",
                    "action",
                    "entity",
                    "entity_ref",
                    "before",
                    "after",
                    "note",
                )
            )
            for r in store.audit_rows()
        ]

    original, carried = rows(coded), rows(back)
    marker = next(i for i, r in enumerate(carried) if r[2:4] == ("import", "audit_history"))
    assert carried[marker + 1 : marker + 1 + len(original)] == original
    audited = [
        r
        for r in back.audit_rows()[marker + 1 + len(original) :]
        if r["action"] == "import" and r["entity"] == "coding"
    ]
    assert len(audited) == sum(report.codings.values()) and audited[0]["note"] == "from p.qdpx"
    # A coder package from the original project merges into the round-tripped one.
    from workbench.exchange.package import export_package
    from workbench.exchange.package_import import import_package

    export_package(coded, "ana", tmp_path / "ana.json")
    merged = import_package(back, tmp_path / "ana.json")
    assert (
        merged.unchanged == len(before["codings"][("ana", "coder")])
        and merged.new == merged.replaced == 0
    )
    # And the imported project exports the same codings again (a second round trip).
    export_qdpx(back, tmp_path / "again.qdpx")
    import_qdpx(tmp_path / "again.qdpx", tmp_path / "again.db")
    again = Store.open(tmp_path / "again.db")
    assert snapshot(again)["codings"] == before["codings"] and again.comments() == coded.comments()


def test_without_its_own_data_a_workbench_export_imports_by_the_overlap_rule(coded, tmp_path):
    """Another program re-exports only project.qde and sources: comments are parsed again from the
    text and every coding still lands on its comment, by the markers and the overlap rule."""
    export_qdpx(coded, tmp_path / "p.qdpx")
    with (
        zipfile.ZipFile(tmp_path / "p.qdpx") as full,
        zipfile.ZipFile(tmp_path / "bare.qdpx", "w") as bare,
    ):
        for name in full.namelist():
            if not name.startswith("workbench/"):
                bare.writestr(name, full.read(name))
    report = import_qdpx(tmp_path / "bare.qdpx", tmp_path / "back.db")
    assert report.restored == "" and report.codebook == "Workbench codes (markers)"
    assert report.ambiguous == [] and report.unmapped == [] and report.problems == []
    back = Store.open(tmp_path / "back.db")
    before, after = snapshot(coded), snapshot(back)
    assert after["texts"] == before["texts"] and after["codings"] == before["codings"]
    assert after["categories"] == before["categories"] and after["themes"] == before["themes"]
    assert {r["status"] for r in back.reconciliations().values()} == {"imported"}


def test_the_sets_workbench_wrote_are_read_back_and_an_edited_one_is_named(coded, tmp_path):
    """Its own <Sets> ("Themes of <category>") are not 'sets Workbench has no place for': they say
    which categories take themes, as the markers do; one edited elsewhere is named."""
    export_qdpx(coded, tmp_path / "p.qdpx")
    report = import_qdpx(tmp_path / "p.qdpx", tmp_path / "back.db")
    assert report.not_imported == []
    assert report.code_mapping[-2:] == [
        "set 'Themes of Behaviors of effective coproduction' → category effective takes every "
        "theme",
        "set 'Themes of Behaviors of ineffective coproduction' → category ineffective takes every "
        "theme",
    ]
    full = zipfile.ZipFile(tmp_path / "p.qdpx")
    with full, zipfile.ZipFile(tmp_path / "e.qdpx", "w") as out:
        for name in full.namelist():
            data = full.read(name)
            if name == "project.qde":  # another program dropped a theme from the first set
                start = data.index(b"<MemberCode", data.index(b"<Set "))
                data = data[:start] + data[data.index(b">", start) + 1 :]
            if not name.startswith("workbench/"):
                out.writestr(name, data)
    report = import_qdpx(tmp_path / "e.qdpx", tmp_path / "edited.db")
    assert report.not_imported == [
        "set 'Themes of Behaviors of effective coproduction': written by Workbench, but it no "
        "longer matches the codes (edited in another program?); which categories take themes "
        "follows the codes' markers"
    ]


def test_its_own_data_is_not_used_when_the_archive_was_edited_after_export(coded, tmp_path):
    export_qdpx(coded, tmp_path / "p.qdpx")
    with (
        zipfile.ZipFile(tmp_path / "p.qdpx") as full,
        zipfile.ZipFile(tmp_path / "edited.qdpx", "w") as edited,
    ):
        first = next(n for n in full.namelist() if n.startswith("sources/"))
        for name in full.namelist():
            data = full.read(name)
            edited.writestr(name, data.replace(b"\n\n", b"\n \n", 1) if name == first else data)
    report = import_qdpx(tmp_path / "edited.qdpx", tmp_path / "back.db")
    assert report.restored == ""
    assert report.warnings[0].startswith("the archive's Workbench data was not used (transcript ")
    assert (
        "its source text in project.qde is missing or changed; edited after export?)"
        in report.warnings[0]
    )
    assert snapshot(Store.open(tmp_path / "back.db"))["codings"] == snapshot(coded)["codings"]


def test_codebook_round_trip_through_qdc_is_exact(coded, tmp_path):
    export_qdc(coded, tmp_path / "book.qdc")
    text = qdc_to_toml(tmp_path / "book.qdc")
    # Codebook equality compares key, name, version, description, every category and theme.
    assert parse_codebook(text.encode()) == load_codebook(default_codebook())


# -- other programs' files -------------------------------------------------------------


@pytest.mark.realdata
def test_the_real_atlas_ti_sample_imports(shared, tmp_path):
    sample = shared / "refi-qda" / "atlasti23_sample_project.qdpx"
    validate_qde(zipfile.ZipFile(sample).read("project.qde"), shared / "refi-qda")
    report = import_qdpx(sample, tmp_path / "atlas.db")
    store = Store.open(tmp_path / "atlas.db")
    assert report.origin == "ATLAS.ti for Windows 23.2.3.27778"
    assert report.sources == [] and report.skipped_sources == [] and report.problems == []
    assert [(c.key, c.name, c.takes_themes) for c in store.categories()] == [
        ("commits", "Commits", 1)
    ]
    assert [t.name for t in store.themes()] == [
        "2022-05-10T02:05:59Z 19e4dce",
        "2022-02-11T10:39:25Z cdbfd92",
    ]
    # Coder names are one word: ATLAS.ti's user "Enric Llagostera" becomes Enric_Llagostera. The user
    # "ATLAS.ti" is the program itself, not a coder.
    assert [c.name for c in store.coders()] == ["Enric_Llagostera"]
    assert report.coders == {"Enric Llagostera": "Enric_Llagostera"}
    assert report.program_users == [
        "ATLAS.ti: the program's own user, named as a QDA program (the program that wrote the file)"
    ]
    assert store.project_info()["name"] == "target-atlas-project"
    assert store.groups() == [] and store.coding_count() == 0


def G(name: str) -> str:
    """An upper-case GUID, the way ATLAS.ti and NVivo write them."""
    return str(uuid.uuid5(uuid.NAMESPACE_DNS, name)).upper()


TEXT_A = (
    "Interviewer: What does working together with your care team look like?\n\n"
    "Ann: We plan the visit together. The nurse asks what matters to me, and then we decide.\n\n"
    "Bob: Honestly, nobody listens. They read the chart and leave.\n\n"
    "Ann: When I feel heard I manage my health better, and I stay well.\n\n"
)
TEXT_B = "Moderator: Anything else?\r\n\r\nDee: Only that they should ask more often.\r\n"


def other_tool_qdpx(path) -> dict:
    """A .qdpx written the way other programs write it: ``Sources/`` capitalised, GUIDs in upper case
    and braces, nested codes, selections that start mid-word or span a comment and a half, a note,
    inline text, a PDF source."""
    ann1 = TEXT_A.index("We plan")
    ann1_end = TEXT_A.index("we decide.") + len("we decide.")
    bob = TEXT_A.index("Honestly")
    bob_end = TEXT_A.index("and leave.") + len("and leave.")
    ann2 = TEXT_A.index("When I feel")
    ann2_end = TEXT_A.index("stay well.") + len("stay well.")
    quote = TEXT_A.index("and then we decide")
    sels = {
        # name: (start, end, user, code, note)
        "mid-word start": (ann1 + 5, ann1_end, "alice", "ask", None),
        "short quote": (quote, quote + len("and then we decide"), "alice", "jdm", None),
        "comment and a half": (bob, ann2 + int((ann2_end - ann2) * 0.6), "alice", "lis", None),
        "two partial comments": (bob_end - 20, ann2 + 10, "alice", "ineff", None),
        "label and comment": (TEXT_A.index("Bob: "), bob_end + 2, "carol", "lis-lower", None),
        "comment and a bit": (ann1, bob + 10, "carol", "eff", None),
        "label only": (0, len("Interviewer:"), "carol", "ben", None),
        "with a note": (ann2, ann2_end, "carol", "ben", "note"),
    }
    guid = {k: "{" + G(k) + "}" for k in ("alice", "src", "note", "pdf", "srcb")}
    guid |= {k: G(k) for k in ("carol", "eff", "ask", "jdm", "ineff", "lis", "ben")}
    guid["lis-lower"] = G("lis").lower()
    selections = ""
    for name, (start, end, user, code, note) in sels.items():
        note_ref = f'<NoteRef targetGUID="{guid["note"]}"/>' if note else ""
        selections += (
            f'<PlainTextSelection guid="{{{G(name)}}}" name="{name}" startPosition="{start}" endPosition="{end}" '
            f'creatingUser="{guid[user]}"><Coding guid="{G(name + "c")}" creatingUser="{guid[user]}">'
            f'<CodeRef targetGUID="{guid[code]}"/></Coding>{note_ref}</PlainTextSelection>'
        )
    qde = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Care study" origin="OtherQDA 12.1" creatingUserGUID="{guid["alice"]}">
  <Users><User guid="{guid["alice"]}" name="Alice Smith"/><User guid="{guid["carol"]}" name="Carol"/></Users>
  <CodeBook><Codes>
    <Code guid="{guid["eff"]}" name="Effective behaviours" isCodable="true"><Description>What works.</Description>
      <Code guid="{guid["ask"]}" name="Asking questions" isCodable="true"/>
      <Code guid="{guid["jdm"]}" name="Joint decision making" isCodable="true"/>
    </Code>
    <Code guid="{guid["ineff"]}" name="Ineffective behaviours" isCodable="true">
      <Code guid="{guid["lis"]}" name="Listening" isCodable="true"><Description>Being heard.</Description></Code>
    </Code>
    <Code guid="{guid["ben"]}" name="Benefits" isCodable="true"/>
  </Codes></CodeBook>
  <Sources>
    <TextSource guid="{guid["src"]}" name="Group A.docx" plainTextPath="internal://{G("src")}.txt">{selections}</TextSource>
    <TextSource guid="{guid["srcb"]}" name="Group B"><PlainTextContent>{TEXT_B}</PlainTextContent></TextSource>
    <PDFSource guid="{guid["pdf"]}" name="scan.pdf" path="internal://{G("pdf")}.pdf"/>
  </Sources>
  <Notes><Note guid="{guid["note"]}" creatingUser="{guid["carol"]}">
    <PlainTextContent>felt heard</PlainTextContent></Note></Notes>
</Project>
"""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", qde.encode("utf-8"))
        archive.writestr(f"Sources/{G('src')}.txt", TEXT_A.encode("utf-8"))
        archive.writestr(f"Sources/{G('pdf')}.pdf", b"%PDF-1.4 not really")
    return sels


@pytest.mark.realdata
def test_the_other_program_fixture_is_schema_valid(tmp_path, shared):
    other_tool_qdpx(tmp_path / "other.qdpx")
    validate_qde(zipfile.ZipFile(tmp_path / "other.qdpx").read("project.qde"), shared / "refi-qda")


def test_a_qdpx_written_by_another_program_imports_with_the_overlap_rule(tmp_path):
    other_tool_qdpx(tmp_path / "other.qdpx")
    report = import_qdpx(tmp_path / "other.qdpx", tmp_path / "p.db")
    store = Store.open(tmp_path / "p.db")
    # Codes: top level → categories, nested → themes (implying their category).
    assert [(c.key, c.takes_themes) for c in store.categories()] == [
        ("effective_behaviours", 1),
        ("ineffective_behaviours", 1),
        ("benefits", 0),
    ]
    assert [t.key for t in store.themes()] == [
        "asking_questions",
        "joint_decision_making",
        "listening",
    ]
    assert store.themes()[2].definition == "Being heard."
    assert report.coders == {"Alice Smith": "Alice_Smith", "Carol": "Carol"}
    # Sources: the text one from Sources/, the inline one; the PDF is reported.
    assert [(g.name, g.code) for g in store.groups()] == [("Group A", "FG1"), ("Group B", "FG2")]
    assert [s["name"] for s in report.sources] == ["Group A.docx", "Group B"]
    assert report.skipped_sources == [
        f"PDFSource 'scan.pdf' (Sources/{G('pdf')}.pdf): cannot read this PDF: it "
        "is damaged or incomplete; "
        "export the transcript as text or Word from the program that made it "
        "and import that"
    ]
    comments = store.comments()
    assert [(c.ref, c.speaker, c.excluded) for c in comments] == [
        ("FG1-001", "Interviewer", 1),
        ("FG1-002", "Ann", 0),
        ("FG1-003", "Bob", 0),
        ("FG1-004", "Ann", 0),
        ("FG2-001", "Moderator", 1),
        ("FG2-002", "Dee", 0),
    ]

    def codings(name):
        coder = store.coder_named(name)
        refs = {c.id: c.ref for c in comments}
        return {
            refs[i]: Coding(
                k.category_key, tuple(k.themes), k.memo, bool(k.unsure), bool(k.exemplar)
            )
            for i, k in store.codings_of(coder.id).items()
        }

    assert codings("Alice_Smith") == {
        # a selection starting mid-word, and a short quote inside the same comment
        "FG1-002": Coding("effective_behaviours", ("asking_questions", "joint_decision_making")),
    }
    assert codings("Carol") == {
        "FG1-002": Coding("effective_behaviours"),  # the whole comment and a bit of the next
        "FG1-003": Coding(
            "ineffective_behaviours", ("listening",)
        ),  # label included, lower-case GUID
        "FG1-004": Coding("benefits", memo="felt heard"),
    }
    # The comment and a half, and the two half-covered comments, are reported, not guessed.
    assert [(a["selection"], a["coverage"], a["codes"]) for a in report.ambiguous] == [
        ("comment and a half", {"FG1-003": 1.0, "FG1-004": 0.59}, ["theme listening"]),
        (
            "two partial comments",
            {"FG1-003": 0.36, "FG1-004": 0.16},
            ["category ineffective_behaviours"],
        ),
    ]
    assert report.ambiguous[0]["reason"] == "covers half or more of several comments"
    assert report.ambiguous[1]["reason"] == "covers less than half of each comment it touches"
    assert [(u["selection"], u["text"]) for u in report.unmapped] == [
        ("label only", "Interviewer:")
    ]
    assert report.mapped_selections == 5 and report.problems == []


def test_the_overlap_rule():
    spans = [(0, 100, 1), (110, 150, 2), (160, 200, 3)]
    assert map_selection(10, 20, spans) == (1, [(1, 0.1)])  # inside one comment: that comment
    assert map_selection(0, 130, spans) == (
        None,
        [(1, 1.0), (2, 0.5)],
    )  # a comment and a half: ambiguous
    assert map_selection(0, 125, spans)[0] == 1  # all of one, under half of the next
    assert map_selection(90, 120, spans)[0] is None  # a bit of each: ambiguous
    assert map_selection(101, 109, spans) == (None, [])  # between comments: nothing
    assert COVERAGE == 0.5


def test_guids_are_matched_in_any_case_and_braces():
    g = "088B08AC-D5CD-4ADB-8B71-B4F3459C177F"
    assert norm_guid(g) == norm_guid("{" + g.lower() + "}") == g.lower()
    assert norm_guid("not-a-guid") is None


def test_codings_with_several_categories_are_reported_not_guessed(tmp_path):
    sels = other_tool_qdpx(tmp_path / "o.qdpx")
    # Carol also codes Ann's second comment "Ineffective": two categories on one comment.
    with zipfile.ZipFile(tmp_path / "o.qdpx") as archive:
        qde = archive.read("project.qde").decode()
        text = archive.read(f"Sources/{G('src')}.txt")
    start, end = sels["with a note"][:2]
    extra = (
        f'<PlainTextSelection guid="{G("x")}" startPosition="{start}" endPosition="{end}">'
        f'<Coding guid="{G("xc")}" creatingUser="{G("carol")}"><CodeRef targetGUID="{G("ineff")}"/></Coding>'
        "</PlainTextSelection></TextSource>"
    )
    qde = qde.replace("</TextSource>", extra, 1)
    with zipfile.ZipFile(tmp_path / "o2.qdpx", "w") as archive:
        archive.writestr("project.qde", qde)
        archive.writestr(f"sources/{G('src').lower()}.txt", text)
    report = import_qdpx(tmp_path / "o2.qdpx", tmp_path / "p.db")
    assert report.problems == [
        "FG1-004: Carol applied several categories (benefits, ineffective_behaviours); "
        "category and themes not imported"
    ]
    store = Store.open(tmp_path / "p.db")
    carol = store.coder_named("Carol")
    ref = {c.ref: c.id for c in store.comments()}
    kept = store.codings_of(carol.id)[ref["FG1-004"]]
    assert (kept.category_key, kept.memo) == (None, "felt heard")  # the memo is not lost


def test_a_file_without_codes_gets_the_bundled_codebook(tmp_path):
    qde = (
        '<?xml version="1.0"?><Project xmlns="urn:QDA-XML:project:1.0" name="Bare"><Sources>'
        f'<TextSource guid="{G("s")}" name="Only text"><PlainTextContent>Ann: Hello.\n\nBob: Hi.'
        "</PlainTextContent></TextSource></Sources></Project>"
    )
    with zipfile.ZipFile(tmp_path / "bare.qdpx", "w") as archive:
        archive.writestr("project.qde", qde)
    report = import_qdpx(tmp_path / "bare.qdpx", tmp_path / "p.db")
    assert report.codebook == "the bundled codebook (the file has no codes)"
    store = Store.open(tmp_path / "p.db")
    assert len(store.categories()) == 4 and len(store.comments()) == 2


@pytest.mark.parametrize(
    "content, message",
    [
        (None, r"not a \.qdpx \(zip\) archive"),
        ({"readme.txt": "hello"}, "holds no project.qde"),
        ({"project.qde": "<Project"}, "not well-formed XML"),
        ({"project.qde": '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"/>'}, "not <Project>"),
    ],
)
def test_bad_files_are_refused_and_leave_no_project(tmp_path, content, message):
    path = tmp_path / "bad.qdpx"
    if content is None:
        path.write_text("just text")
    else:
        with zipfile.ZipFile(path, "w") as archive:
            for name, data in content.items():
                archive.writestr(name, data)
    with pytest.raises(RefiError, match=message):
        import_qdpx(path, tmp_path / "p.db")
    assert not (tmp_path / "p.db").exists()


def test_import_refuses_an_existing_project_file(coded, tmp_path):
    export_qdpx(coded, tmp_path / "p.qdpx")
    (tmp_path / "taken.db").write_text("x")
    with pytest.raises(RefiError, match="a file already exists here"):
        import_qdpx(tmp_path / "p.qdpx", tmp_path / "taken.db")
    assert (tmp_path / "taken.db").read_text() == "x"


# -- command line --------------------------------------------------------------------------


run = run_cli


def test_cli_export_and_import(coded, tmp_path, capsys):
    code, out, err = run(
        capsys, "export", "qdpx", str(coded.path), "--out", str(tmp_path / "p.qdpx")
    )
    assert code == 0, err
    # 122 + 98 coders' codings and 32 agreed (comments only one coder starred as an exemplar
    # wait in the reconciliation queue instead of being agreed automatically).
    assert (
        "5 source(s), 149 comment(s), 252 selection(s) (one per coder and coded comment), 20 code(s), "
        "users ana, ben, agreed"
    ) in out
    code, out, err = run(capsys, "export", "qdc", str(coded.path), "--out", str(tmp_path / "b.qdc"))
    assert code == 0 and "18 categories and themes" in out
    code, out, err = run(
        capsys, "import-qdpx", str(tmp_path / "p.qdpx"), "--out", str(tmp_path / "n.db")
    )
    assert code == 0, err
    assert "Sources: 5 imported, 0 skipped" in out and "Coders: ana, ben, agreed" in out
    code, out, err = run(
        capsys,
        "import-qdpx",
        str(tmp_path / "p.qdpx"),
        "--out",
        str(tmp_path / "j.db"),
        "--format",
        "json",
    )
    assert code == 0 and json.loads(out)["ambiguous"] == []
    code, out, err = run(
        capsys, "import-qdpx", str(tmp_path / "p.qdpx"), "--out", str(tmp_path / "n.db")
    )
    assert code == 1 and "a file already exists here" in err
    code, out, err = run(
        capsys, "import-qdc", str(tmp_path / "b.qdc"), "--out", str(tmp_path / "b.toml")
    )
    assert code == 0 and load_codebook(tmp_path / "b.toml") == load_codebook(default_codebook())


def test_cli_reports_ambiguous_selections(tmp_path, capsys):
    other_tool_qdpx(tmp_path / "o.qdpx")
    code, out, err = run(
        capsys, "import-qdpx", str(tmp_path / "o.qdpx"), "--out", str(tmp_path / "p.db")
    )
    assert code == 0, err
    assert "Ambiguous selections, not imported (2):" in out
    assert "covers half or more of several comments (FG1-003 100%, FG1-004 59%)" in out
    assert "skipped: PDFSource 'scan.pdf'" in out
    assert (
        "Effective behaviours / Asking questions → theme asking_questions "
        "(implies category effective_behaviours)"
    ) in out


def test_pdf_sources_import_from_their_text_representation_or_the_pdf_itself(tmp_path):
    from pdf_fixture import make_pdf

    g = {
        k: G("pdfsrc-" + k) for k in ("user", "ask", "eff", "rep", "with", "without", "sel", "area")
    }
    bob = TEXT_A.index("Honestly")
    qde = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="PDF study" origin="OtherQDA 12.1" creatingUserGUID="{g["user"]}">
  <Users><User guid="{g["user"]}" name="Alice Smith"/></Users>
  <CodeBook><Codes>
    <Code guid="{g["eff"]}" name="Effective behaviours" isCodable="true">
      <Code guid="{g["ask"]}" name="Asking questions" isCodable="true"/>
    </Code>
  </Codes></CodeBook>
  <Sources>
    <PDFSource guid="{g["with"]}" name="Group A.pdf" path="internal://{g["with"]}.pdf">
      <PDFSelection guid="{g["area"]}" page="1" firstX="10" firstY="10" secondX="90" secondY="40">
        <Coding guid="{G("pdfsrc-c1")}" creatingUser="{g["user"]}"><CodeRef targetGUID="{g["eff"]}"/></Coding>
      </PDFSelection>
      <Representation guid="{g["rep"]}" name="Group A.txt" plainTextPath="internal://{g["rep"]}.txt">
        <PlainTextSelection guid="{g["sel"]}" startPosition="{bob}" endPosition="{bob + 20}" creatingUser="{g["user"]}">
          <Coding guid="{G("pdfsrc-c2")}" creatingUser="{g["user"]}"><CodeRef targetGUID="{g["ask"]}"/></Coding>
        </PlainTextSelection>
      </Representation>
    </PDFSource>
    <PDFSource guid="{g["without"]}" name="Group B.pdf" path="internal://{g["without"]}.pdf"/>
  </Sources>
</Project>
"""
    pdf_b = make_pdf(
        [
            ["Group B - confidential", "Moderator: Anything else?", "Dee: Only that they should"],
            ["Group B - confidential", "ask more often."],
        ]
    )
    with zipfile.ZipFile(tmp_path / "pdf.qdpx", "w") as archive:
        archive.writestr("project.qde", qde.encode("utf-8"))
        archive.writestr(
            f"Sources/{g['with']}.pdf", make_pdf([["(the PDF; its text is the representation)"]])
        )
        archive.writestr(f"Sources/{g['rep']}.txt", TEXT_A.encode("utf-8"))
        archive.writestr(f"Sources/{g['without']}.pdf", pdf_b)
    report = import_qdpx(tmp_path / "pdf.qdpx", tmp_path / "p.db")
    store = Store.open(tmp_path / "p.db")
    assert [s["name"] for s in report.sources] == [
        "Group A.pdf",
        "Group B.pdf",
    ] and report.skipped_sources == []
    assert [(c.ref, c.speaker, c.text) for c in store.comments()][-2:] == [
        ("FG2-001", "Moderator", "Anything else?"),
        ("FG2-002", "Dee", "Only that they should ask more often."),
    ]
    alice = store.codings_of(store.coder_named("Alice_Smith").id)
    refs = {c.id: c.ref for c in store.comments()}
    assert {refs[i]: (k.category_key, list(k.themes)) for i, k in alice.items()} == {
        "FG1-003": ("effective_behaviours", ["asking_questions"])
    }  # from the representation's selection
    assert report.problems == [
        "PDFSource 'Group A.pdf': 1 coded PDF area(s) are placed by page coordinates, "
        "not by text; they are not imported"
    ]


def test_selections_on_text_that_is_not_a_comment_say_where_it_is_and_why(tmp_path):
    """NVivo puts a title block before the first speaker; the parser does not read it as a comment."""
    text = (
        "Focus group 3 transcript\nRecorded on 4 March 2025 at the clinic\n\n"
        "Interviewer: What works for you?\n\nAnn: We plan the visit together.\n\nBob: Nobody listens.\n"
    )
    block_end = text.index("\n\nInterviewer")
    bob = text.index("Bob:")
    selections = "".join(
        f'<PlainTextSelection guid="{G(name)}" name="{name}" startPosition="{a}" endPosition="{b}" '
        f'creatingUser="{G("u")}"><Coding guid="{G(name + "c")}" creatingUser="{G("u")}">'
        f'<CodeRef targetGUID="{G("code")}"/></Coding></PlainTextSelection>'
        for name, (a, b) in {"title": (0, block_end), "label": (bob, bob + 4)}.items()
    )
    qde = (
        f'<?xml version="1.0"?><Project xmlns="urn:QDA-XML:project:1.0" name="NVivo-like">'
        f'<Users><User guid="{G("u")}" name="Nora"/></Users><CodeBook><Codes>'
        f'<Code guid="{G("code")}" name="Context" isCodable="true"/></Codes></CodeBook><Sources>'
        f'<TextSource guid="{G("src")}" name="FG3"><PlainTextContent>{text}</PlainTextContent>{selections}'
        "</TextSource></Sources></Project>"
    )
    with zipfile.ZipFile(tmp_path / "n.qdpx", "w") as archive:
        archive.writestr("project.qde", qde)
    report = import_qdpx(tmp_path / "n.qdpx", tmp_path / "p.db")
    assert [(u["selection"], u["reason"]) for u in report.unmapped] == [
        (
            "title",
            (
                "covers text at lines 1-2, before the first comment, that was not read as a comment: it has no "
                "speaker label (a title, date or heading block, for instance), so there is no comment to code"
            ),
        ),
        (
            "label",
            "touches no comment: only speaker labels or blank lines (line 8, between FG1-002 and FG1-003)",
        ),
    ]


def test_themes_on_a_category_without_themes_are_left_out_by_the_codebooks_rule(coded, tmp_path):
    """A .qdpx edited to put a theme on a comment coded 'Defining coproduction': the import keeps
    the category and reports the theme left out, in the words of the codebook's one rule."""
    export_qdpx(coded, tmp_path / "p.qdpx")
    qde = qde_of(tmp_path / "p.qdpx")
    codes = {c.get("name"): c.get("guid") for c in qde.iter(f"{{{NS['q']}}}Code")}
    for selection in qde.iter(f"{{{NS['q']}}}PlainTextSelection"):
        refs = [r.get("targetGUID") for r in selection.iter(f"{{{NS['q']}}}CodeRef")]
        if refs == [codes["Defining coproduction"]]:
            break
    user = next(selection.iter(f"{{{NS['q']}}}Coding")).get("creatingUser")
    extra = (
        f'<Coding guid="{str(uuid.uuid4()).upper()}" creatingUser="{user}">'
        f'<CodeRef targetGUID="{codes["Listening"]}"/></Coding>'
    )
    with zipfile.ZipFile(tmp_path / "p.qdpx") as full:
        text = full.read("project.qde").decode()
        at = text.index("</PlainTextSelection>", text.index(f'guid="{selection.get("guid")}"'))
        with zipfile.ZipFile(tmp_path / "edited.qdpx", "w") as edited:
            for name in full.namelist():
                if name == "project.qde":
                    edited.writestr(name, text[:at] + extra + text[at:])
                elif not name.startswith("workbench/"):
                    edited.writestr(name, full.read(name))
    report = import_qdpx(tmp_path / "edited.qdpx", tmp_path / "back.db")
    [problem] = report.problems
    assert problem.endswith(
        ": themes listening not imported: category 'Defining coproduction' "
        "takes no themes: themes go only on a category that takes themes: "
        "choose Behaviors of effective coproduction or Behaviors of "
        "ineffective coproduction"
    )
    back = Store.open(tmp_path / "back.db")
    ref = problem.split(":")[0]
    comment = next(c for c in back.comments() if c.ref == ref)
    kept = [k for k in (back.coding(c.id, comment.id) for c in back.coders()) if k]
    assert kept and all(not k.themes for k in kept if k.category_key == "defining")
