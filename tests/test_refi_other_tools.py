"""REFI-QDA projects as other programs write them (issue 19 item 8), in fictional files of each
kind: UTF-16 positions (NVivo) decided per source, codes of the same name under different
parents, a program's own user, unnamed sources, sets/graphs/links and other parts not imported.
And the import built straight (item 9): each source parsed once, no temporary file, selections
placed by offsets."""

import uuid
import zipfile

import pytest
from helpers import run_cli

from workbench.exchange.refi import import_qdpx
from workbench.exchange.refi.units import CODE_POINTS, UTF16, Positions, choose_unit
from workbench.store import Store

TEXT = (
    "Interviewer: How was the clinic? 😀\n\n"
    "Ann: The nurse listened 👍 and we planned the visit together.\n\n"
    "Bob: Nobody asked me anything 🙁 at all, they read the chart and left.\n\n"
    "Ann: Next time I will write my questions down 📝 first.\n"
)


def G(name: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, name)).upper()


FILE_TEXT = TEXT.replace("\n", "\r\n")  # as a program's source file holds it (CRLF, after a BOM)


def u16(text: str, index: int) -> int:
    """A code point offset as NVivo writes it: in UTF-16 code units."""
    return len(text[:index].encode("utf-16-le")) // 2


def span(text: str, words: str, unit=None) -> tuple[int, int]:
    start = text.index(words)
    end = start + len(words)
    return (u16(text, start), u16(text, end)) if unit == UTF16 else (start, end)


CODES = f"""<CodeBook><Codes>
  <Code guid="{G("eff")}" name="Effective" isCodable="true">
    <Code guid="{G("eff-lis")}" name="Listening" isCodable="true">
      <Description>Heard.</Description></Code>
    <Code guid="{G("eff-plan")}" name="Planning" isCodable="true">
      <Code guid="{G("eff-plan-other")}" name="Other" isCodable="true"/></Code>
  </Code>
  <Code guid="{G("ineff")}" name="Ineffective" isCodable="true">
    <Code guid="{G("ineff-lis")}" name="listening" isCodable="true"/>
    <Code guid="{G("ineff-plan")}" name="Planning" isCodable="true">
      <Code guid="{G("ineff-plan-other")}" name="Other" isCodable="true"/></Code>
  </Code>
</Codes></CodeBook>"""


def make_qdpx(
    path,
    origin: str,
    selections: list[tuple[str, int, int, str, str]],
    *,
    users=None,
    text=TEXT,
    source_attrs=None,
    extra="",
    inline=False,
):
    """A .qdpx as ``origin`` writes it. ``selections``: (name, start, end, code, user)."""
    users = users or {"Carol": G("carol")}
    users_xml = "".join(f'<User guid="{g}" name="{n}"/>' for n, g in users.items())
    sels = "".join(
        f'<PlainTextSelection guid="{G(name)}" name="{name}" startPosition="{start}" '
        f'endPosition="{end}" '
        f'creatingUser="{user}"><Coding guid="{G(name + "c")}" creatingUser="{user}">'
        f'<CodeRef targetGUID="{G(code)}"/></Coding></PlainTextSelection>'
        for name, start, end, code, user in selections
    )
    attrs = (
        source_attrs
        if source_attrs is not None
        else f'name="Clinic" plainTextPath="internal://{G("src")}.txt"'
    )
    body = f"<PlainTextContent>{text}</PlainTextContent>" if inline else ""
    qde = (
        f'<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" '
        'name="Study" '
        f'origin="{origin}"><Users>{users_xml}</Users>{CODES}<Sources>'
        f'<TextSource guid="{G("src")}" '
        f"{attrs}>{body}{sels}</TextSource></Sources>{extra}</Project>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", qde.encode("utf-8"))
        if not inline:
            archive.writestr(
                f"Sources/{G('src')}.txt", ("\ufeff" + text.replace("\n", "\r\n")).encode("utf-8")
            )
    return path


def coded(store: Store, coder: str) -> dict[str, tuple]:
    refs = {c.id: c.ref for c in store.comments()}
    rows = store.codings_of(store.coder_named(coder).id)
    return {refs[i]: (k.category_key, tuple(k.themes)) for i, k in rows.items()}


@pytest.mark.parametrize(
    "origin", ["NVivo for Windows 12.6", "NVivo 14 (Mac)", "ATLAS.ti 9 for Mac"]
)
def test_utf16_positions_are_read_as_utf16_whoever_wrote_them(tmp_path, origin):
    text = FILE_TEXT
    carol = G("carol")
    sels = [
        (
            "listened",
            *span(text, "The nurse listened 👍 and we planned the visit together.", UTF16),
            "eff-lis",
            carol,
        ),
        ("nobody", *span(text, "Nobody asked me anything", UTF16), "ineff-lis", carol),
        ("next", *span(text, "write my questions down", UTF16), "eff-plan", carol),
    ]
    report = import_qdpx(make_qdpx(tmp_path / "n.qdpx", origin, sels), tmp_path / "p.db")
    assert report.sources[0]["positions"].startswith(
        "UTF-16 code units (6 of the 6 edges of the 3 selection(s) the readings place differently "
        "fall on a word or comment boundary as UTF-16 units, "
    )
    store = Store.open(tmp_path / "p.db")
    assert coded(store, "Carol") == {
        "FG1-002": ("effective", ("effective_listening",)),
        "FG1-003": ("ineffective", ("ineffective_listening",)),
        "FG1-004": ("effective", ("effective_planning",)),
    }
    assert report.mapped_selections == 3 and report.unmapped == report.ambiguous == []


def test_code_point_positions_stay_code_points_and_a_tie_goes_to_the_origin(tmp_path):
    carol = G("carol")
    sels = [("nobody", *span(FILE_TEXT, "Nobody asked me anything"), "ineff-lis", carol)]
    report = import_qdpx(make_qdpx(tmp_path / "q.qdpx", "QualCoder 3.5", sels), tmp_path / "q.db")
    assert report.sources[0]["positions"].startswith("code points (") and report.sources[0][
        "positions"
    ].endswith("fall on a word or comment boundary as UTF-16 units, 2 as code points)")
    assert coded(Store.open(tmp_path / "q.db"), "Carol") == {
        "FG1-003": ("ineffective", ("ineffective_listening",))
    }
    # Both readings on boundaries: what the program is known to write decides.
    text = (
        "😀 a b c d\n"  # [2, 5) is "a b" as code points, " a " as UTF-16 units: both on boundaries
    )
    selections = [type("S", (), {"start": 2, "end": 5})()]
    assert choose_unit(text, selections, set(), "NVivo 12").unit == UTF16
    assert choose_unit(text, selections, set(), "MAXQDA 2022").unit == CODE_POINTS
    assert choose_unit(text, selections, set(), "MAXQDA 2022").why.endswith(
        "a tie, so as MAXQDA 2022 writes them"
    )
    assert choose_unit("no emoji", selections, set(), "NVivo").why.startswith(
        "the text has no character beyond"
    )


def test_positions_can_be_given_and_a_position_inside_a_pair_is_reported(
    tmp_path, capsys, monkeypatch
):
    assert Positions("a😀b", UTF16).to_code_points(2) is None  # between the two halves of 😀
    assert [Positions("a😀b😀c", UTF16).to_code_points(p) for p in (0, 1, 3, 4, 6, 7)] == [
        0,
        1,
        2,
        3,
        4,
        5,
    ]
    carol = G("carol")
    start, end = span(FILE_TEXT, "Nobody asked me anything")
    make_qdpx(
        tmp_path / "x.qdpx",
        "NVivo 12",
        [
            ("nobody", start, end, "ineff-lis", carol),
            ("half", u16(FILE_TEXT, FILE_TEXT.index("😀")) + 1, end, "eff", carol),
        ],
    )
    monkeypatch.chdir(tmp_path)
    code, out, err = run_cli(
        capsys, "import-qdpx", "x.qdpx", "--out", "p.db", "--positions", "code-points"
    )
    assert code == 0, err
    assert "    positions read as code points (as --positions says)" in out
    report = import_qdpx(tmp_path / "x.qdpx", tmp_path / "u.db", positions="utf-16")
    assert [u["reason"] for u in report.unmapped] == [
        "a position falls inside a character that UTF-16 code units count as two"
    ]


def test_codes_of_the_same_name_under_different_parents_stay_apart(tmp_path, capsys, monkeypatch):
    carol = G("carol")
    sels = [
        ("a", *span(FILE_TEXT, "The nurse listened"), "eff-lis", carol),
        ("b", *span(FILE_TEXT, "Nobody asked me anything"), "ineff-lis", carol),
        ("c", *span(FILE_TEXT, "write my questions"), "ineff-plan-other", carol),
    ]
    make_qdpx(tmp_path / "s.qdpx", "MAXQDA 2022", sels)
    report = import_qdpx(tmp_path / "s.qdpx", tmp_path / "p.db")
    store = Store.open(tmp_path / "p.db")
    assert [(t.key, t.name, t.definition) for t in store.themes()] == [
        ("effective_listening", "Effective > Listening", "Heard."),
        ("effective_planning", "Effective > Planning", ""),
        ("effective_planning_other", "Effective > Planning > Other", ""),
        ("ineffective_listening", "Ineffective > listening", ""),
        ("ineffective_planning", "Ineffective > Planning", ""),
        ("ineffective_planning_other", "Ineffective > Planning > Other", ""),
    ]
    assert report.renamed == [
        "theme 'Listening' under Effective → theme 'Effective > Listening'",
        "theme 'listening' under Ineffective → theme 'Ineffective > listening'",
        "theme 'Planning' under Effective → theme 'Effective > Planning'",
        "theme 'Planning' under Ineffective → theme 'Ineffective > Planning'",
        "theme 'Other' under Effective / Planning → theme 'Effective > Planning > Other'",
        "theme 'Other' under Ineffective / Planning → theme 'Ineffective > Planning > Other'",
    ]
    assert coded(store, "Carol") == {
        "FG1-002": ("effective", ("effective_listening",)),
        "FG1-003": ("ineffective", ("ineffective_listening",)),
        "FG1-004": ("ineffective", ("ineffective_planning_other",)),
    }
    monkeypatch.chdir(tmp_path)
    code, out, _ = run_cli(capsys, "import-qdpx", "s.qdpx", "--out", "again.db")
    assert (
        "Codes of the same name kept apart, their parent in the name (6):\n  theme 'Listening' "
        "under" in out
    )


@pytest.mark.parametrize(
    "origin, program",
    [
        ("ATLAS.ti 8.4.0 573 , macOS", "ATLAS.ti"),
        ("MAXQDA 2022 (Release 22.1)", "MAXQDA"),
        ("NVivo for Windows 12.6", "NVivo"),
        ("NVivo for Windows 12.6", "NVivo for Windows"),
        ("Dovetail 3 (web export)", "Dovetail"),  # not a known program: named as the origin's
    ],
)
def test_the_programs_own_user_is_not_a_coder(tmp_path, origin, program):
    users = {program: G("prog"), "Carol Ng": G("carol"), "Atlas Smith": G("atlas")}
    sels = [
        ("a", *span(FILE_TEXT, "The nurse listened"), "eff-lis", G("carol")),
        ("auto", *span(FILE_TEXT, "Nobody asked me anything"), "ineff", G("prog")),
    ]
    report = import_qdpx(
        make_qdpx(tmp_path / "u.qdpx", origin, sels, users=users), tmp_path / "p.db"
    )
    assert report.coders == {
        "Carol Ng": "Carol_Ng",
        "Atlas Smith": "Atlas_Smith",
    }  # a person named Atlas codes
    assert report.program_users == [
        f"{program}: the program's own user, named as a QDA program (the program "
        "that wrote the file)"
    ]
    assert (
        "1 coding(s) made by the program's own user (automatic coding) are not imported: the "
        "program is not a coder"
    ) in report.problems
    assert sorted(c.name for c in Store.open(tmp_path / "p.db").coders()) == [
        "Atlas_Smith",
        "Carol_Ng",
    ]


def test_a_source_without_a_name_is_named_after_its_plain_text_path(tmp_path):
    attrs = f'plainTextPath="internal://{G("src")}.txt"'
    report = import_qdpx(
        make_qdpx(tmp_path / "n.qdpx", "ATLAS.ti 9", [], source_attrs=attrs), tmp_path / "p.db"
    )
    assert [(s["name"], s["group"], s["entry"]) for s in report.sources] == [
        (G("src"), G("src"), f"Sources/{G('src')}.txt")
    ]
    assert report.warnings[0] == (
        f"a TextSource without a name is named {G('src')!r}, after its plainTextPath "
        f"internal://{G('src')}.txt"
    )


def test_sets_graphs_links_and_unread_parts_are_counted_and_named(tmp_path):
    extra = (
        f'<Notes><Note guid="{G("n1")}" name="Research '
        'plan"><PlainTextContent>Plan</PlainTextContent></Note>'
        '</Notes><Links><Link guid="'
        + G("l")
        + '" name="supports" originGUID="'
        + G("a")
        + '" targetGUID="'
        + G("b")
        + '"/></Links><Sets>'
        + "".join(f'<Set guid="{G(f"s{n}")}" name="group {n}"/>' for n in range(14))
        + f'</Sets><Graphs><Graph guid="{G("g")}" name="Network"/></Graphs>'
        "<Description>About</Description>"
    )
    report = import_qdpx(
        make_qdpx(tmp_path / "x.qdpx", "ATLAS.ti 23", [], extra=extra), tmp_path / "p.db"
    )
    assert report.not_imported == [
        "1 link ('supports'): Workbench has no links",
        "14 sets ('group 0', 'group 1', 'group 2', 'group 3', 'group 4', 'group 5', 'group 6', "
        "'group 7', 'group 8', "
        "'group 9', 'group 10', 'group 11' and 2 more): Workbench has no sets",
        "1 graph ('Network'): Workbench has no graphs",
        "1 note(s) not attached to a coded selection ('Research plan'): a memo in Workbench "
        "belongs to a coding",
    ]


def test_skip_messages_name_the_archive_entry(tmp_path):
    path = make_qdpx(tmp_path / "e.qdpx", "NVivo 12", [])
    qde = zipfile.ZipFile(path).read("project.qde")
    entry = f"Sources/{G('src')}.txt"
    for name, data in (("bad", b"\xff\xfe\xfa not UTF-8"), ("odd", b"12345 67890\n")):
        with zipfile.ZipFile(tmp_path / f"{name}.qdpx", "w") as archive:
            archive.writestr("project.qde", qde)
            archive.writestr(entry, data)
    report = import_qdpx(tmp_path / "bad.qdpx", tmp_path / "p.db")
    assert report.skipped_sources == [
        f"TextSource 'Clinic': its text internal://{G('src')}.txt: {entry}: not UTF-8 text (byte 0)"
    ]
    report = import_qdpx(tmp_path / "odd.qdpx", tmp_path / "q.db")
    assert report.skipped_sources == [
        f"TextSource 'Clinic': {entry}: no recognisable transcript structure: the "
        "file has no words (no letters at all)"
    ]


def test_each_source_is_parsed_once_and_no_temporary_file_is_written(tmp_path, monkeypatch):
    import tempfile

    import workbench.ingest.transcript as transcript

    calls = []
    real = transcript.parse_transcript
    monkeypatch.setattr(
        transcript, "parse_transcript", lambda *a, **k: calls.append(a[1]) or real(*a, **k)
    )
    monkeypatch.setattr(
        tempfile, "mkdtemp", lambda *a, **k: pytest.fail("a temporary folder was made")
    )
    monkeypatch.setattr(
        tempfile, "mkstemp", lambda *a, **k: pytest.fail("a temporary file was made")
    )
    make_qdpx(
        tmp_path / "o.qdpx", "NVivo 12", [("a", *span(FILE_TEXT, "Nobody"), "ineff", G("carol"))]
    )
    before = set(tmp_path.iterdir())
    import_qdpx(tmp_path / "o.qdpx", tmp_path / "p.db")
    assert calls == [f"Sources/{G('src')}.txt"]
    assert {p.name for p in set(tmp_path.iterdir()) - before} <= {"p.db", "p.db-wal", "p.db-shm"}


def test_selections_are_mapped_by_the_comments_spans_alone(tmp_path, monkeypatch):
    from workbench.exchange.refi import transcripts

    # Given spans that say the third and fourth comments are where the other's words are, a
    # selection over Bob's words codes the fourth comment: the mapping goes by the spans alone.
    real = transcripts.comment_spans

    def swapped(text, turns):
        spans = real(text, turns)
        spans[2], spans[3] = spans[3], spans[2]
        return spans

    monkeypatch.setattr(transcripts, "comment_spans", swapped)
    make_qdpx(
        tmp_path / "m.qdpx",
        "QualCoder 3.5",
        [("a", *span(TEXT, "Nobody"), "ineff", G("carol"))],
        inline=True,
    )
    import_qdpx(tmp_path / "m.qdpx", tmp_path / "p.db")
    assert coded(Store.open(tmp_path / "p.db"), "Carol") == {"FG1-004": ("ineffective", ())}


def test_comment_spans_of_parsed_turns():
    from workbench.exchange.refi.transcripts import comment_spans
    from workbench.ingest.transcript import parse_transcript

    text = "Ann: We plan\nthe visit   together.\n\nBob: No.\n\nAnn: No.\n"
    turns = parse_transcript(text.encode(), "t.txt").turns
    spans = comment_spans(text, turns)
    assert [text[a:b] for a, b in spans] == ["We plan\nthe visit   together.", "No.", "No."]
    assert spans[1] != spans[2]  # the same words twice: each turn its own place
    turns[0].span = (5, 6)  # once the parsers keep each turn's span, those are the spans
    for turn in turns[1:]:
        turn.span = (0, 1)
    assert comment_spans(text, turns) == [(5, 6), (0, 1), (0, 1)]


def test_each_imported_coding_has_its_audit_row_as_the_coding_screen_writes_it(tmp_path):
    import json

    from workbench.coding.session import Coding, codings_by_comment

    carol = G("carol")
    sels = [
        ("a", *span(FILE_TEXT, "The nurse listened"), "eff-lis", carol),
        ("b", *span(FILE_TEXT, "Nobody asked me anything"), "ineff", carol),
    ]
    import_qdpx(make_qdpx(tmp_path / "a.qdpx", "MAXQDA 2022", sels), tmp_path / "p.db")
    store = Store.open(tmp_path / "p.db")
    refs = {c.id: c.ref for c in store.comments()}
    stored = codings_by_comment(store, store.coder_named("Carol").id)
    rows = [r for r in store.audit_rows() if r["entity"] == "coding"]
    assert [(r["action"], r["actor"], r["entity_ref"], r["note"]) for r in rows] == [
        ("import", "Carol", refs[i], "from a.qdpx") for i in stored
    ]
    assert [json.loads(r["before"]) for r in rows] == [Coding().as_dict()] * 2
    assert [json.loads(r["after"]) for r in rows] == [c.as_dict() for c in stored.values()]
