"""What a reader says about a file before anything is stored (issue 19, item 4): every finding
it reports, each turn's span in the decoded text, the formats people have (.odt, .rtf, a Word
interview with a header table) and the files given by mistake; the real transcripts in
../shared/realdata with their exact counts. Inline fixtures are fictional."""

import io
import zipfile
from collections import Counter

import pytest
from docx import Document

from workbench.errors import TranscriptError
from workbench.ingest.transcript import parse_transcript
from workbench.ingest.transcript.decode import decode


def parse(text: str, filename: str = "t.txt", **kwargs):
    return parse_transcript(text.encode("utf-8"), filename, **kwargs)


def finding(parsed, code: str):
    found = [f for f in parsed.findings if f.code == code]
    assert len(found) == 1, (code, parsed.findings)
    assert found[0].message in parsed.warnings
    return found[0]


# -- every warning --------------------------------------------------------------------------


def test_a_line_that_looks_like_a_label_but_is_read_as_text():
    # Labels alone on their lines, words hard-wrapped below: "Zed Moss:" once inside a turn is
    # not this file's way of starting one.
    parsed = parse(
        "ANA:\nWe plan the visit together\nand it works.\nBEN:\nMostly the doctor.\n"
        "Zed Moss: said so too, I think.\nANA:\nFine.\n"
    )
    assert [t.speaker for t in parsed.turns] == ["ANA", "BEN", "ANA"]
    assert parsed.turns[1].text == "Mostly the doctor. Zed Moss: said so too, I think."
    looks = finding(parsed, "label-as-text")
    assert looks.lines == (6,) and "'Zed Moss: said so too, I thin…'" in looks.message
    other = parse("Ana: Hello.\nBen: Hi.\nAna: Fine.\nBen - me too, honestly.\nAna: Good.\n")
    found = finding(other, "label-as-text")
    assert found.lines == (4,) and "another label style" in found.message
    assert other.turns[2].text == "Fine. Ben - me too, honestly."


def test_a_speaker_with_one_turn():
    parsed = parse(
        "Ana: Hello.\nBen: Hi.\nAna: How are you?\nBen: Fine.\nKai: Sorry I'm late.\nAna: Sit "
        "down.\n"
    )
    found = finding(parsed, "one-turn")
    assert found.lines == (5,) and "'Kai' (line 5)" in found.message
    vouched = parse(
        "Ana: Hello.\nBen: Hi.\nAna: How are you?\nBen: Fine.\nKai: Sorry.\nObserver: Noted.\n",
        known={"kai"},
    )
    assert not [f for f in vouched.findings if f.code == "one-turn"]  # given, or a role word


def test_labels_that_differ_only_in_case_or_spacing():
    parsed = parse("MARIA: One.\nAna: Two.\nMaria: Three.\nAna: Four.\nMARIA: Five.\n")
    assert Counter(t.speaker for t in parsed.turns) == {"MARIA": 2, "Ana": 2, "Maria": 1}
    found = finding(parsed, "case-variants")
    assert (
        "'MARIA' (2 turn(s)) and 'Maria' (1 turn(s))" in found.message
        and "--merge" in found.message
    )


def test_a_full_name_beside_its_surname():
    parsed = parse(
        "CRAIG BREADEN: Thank you all.\nANA: Thanks.\nBREADEN: Let us begin.\nANA: Yes.\n"
        "BREADEN: First question.\n"
    )
    found = finding(parsed, "full-name")
    assert found.lines == (1, 3) and "'CRAIG BREADEN' and 'BREADEN'" in found.message
    titled = parse("Dr. Melissa Ko: Hello.\nAna: Hi.\nMelissa Ko: Again.\nAna: Yes.\n")
    assert finding(titled, "full-name").lines == (1, 3)
    numbered = parse("Speaker 1: Hello.\nSpeaker 12: Hi.\nSpeaker 1: Again.\nSpeaker 12: Yes.\n")
    assert not [f for f in numbered.findings if f.code == "full-name"]


def test_most_turns_without_a_speaker():
    text = "\n\n".join(
        f"In paragraph {n} we waited and waited for the nurse, who never came." for n in range(9)
    )
    parsed = parse(text + "\n\nAna: Well.\nBen: Quite.\nAna: Yes.\n")
    assert finding(parsed, "mostly-unlabelled").message.startswith("9 of 12 turns have no speaker")
    assert finding(parsed, "unlabelled-stretch").lines == tuple(range(1, 18, 2))


def test_a_numbered_run_is_items_not_speakers():
    parsed = parse(
        "Question 1: How often do you visit?\nAnswer: Monthly.\n\nQuestion 2: Who comes with you?\n"
        "Answer: My mum.\n\nQuestion 3: Anything else?\nAnswer: No.\n"
    )
    assert all(t.speaker is None for t in parsed.turns) and len(parsed.turns) == 3
    looks = finding(parsed, "label-as-text")
    assert looks.lines == (1, 4, 7)
    speakers = parse("Speaker 1: Hi.\nSpeaker 2: Hello.\nSpeaker 3: Hey.\nSpeaker 4: Yo.\n")
    assert [t.speaker for t in speakers.turns] == [
        "Speaker 1",
        "Speaker 2",
        "Speaker 3",
        "Speaker 4",
    ]


def test_a_note_inside_a_turn():
    parsed = parse(
        "**Ana**: We go online.\n\n**Ben**: Fine.\n\n**Decision:** pilot in June.\n\n"
        "**Ana**: Agreed.\n",
        "notes.md",
    )
    assert finding(parsed, "note-in-turn").lines == (5,)
    assert parsed.turns[1].text == "Fine.\n**Decision:** pilot in June."


# -- spans ----------------------------------------------------------------------------------

SPAN_TEXT = (
    "Focus group 9\n\n"
    "Ana: We plan the visit together.   \n"
    "  It works.\n\n"
    "Ben:\n\tMostly the doctor decides. ~HP\n"
    "[00:00:09] Cai: Fine, I suppose.\n"
    "DR. OKAFOR:\nThank you.\n"
)


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_each_turn_spans_exactly_its_words_in_the_decoded_text(newline):
    data = SPAN_TEXT.replace("\n", newline).encode("utf-8")
    text, _ = decode(data, "s.txt")
    parsed = parse_transcript(data, "s.txt")
    assert [text[a:b] for a, b in (t.span for t in parsed.turns)] == [
        f"We plan the visit together.   {newline}  It works.",
        "Mostly the doctor decides.",
        "Fine, I suppose.",
        "Thank you.",
    ]
    for turn in parsed.turns:
        assert " ".join(text[turn.span[0] : turn.span[1]].split()) == " ".join(turn.text.split())


def test_spans_of_text_with_a_bom_and_of_unlabelled_paragraphs():
    data = "\ufeffFirst paragraph here.\nStill first.\n\nSecond one.\n".encode("utf-8")
    text, _ = decode(data, "p.txt")
    parsed = parse_transcript(data, "p.txt")
    assert [text[a:b] for a, b in (t.span for t in parsed.turns)] == [
        "First paragraph here.\nStill first.",
        "Second one.",
    ]


def test_caption_turns_span_from_their_first_word_to_their_last():
    vtt = (
        "WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nAna: When I come in,\n\n"
        "2\n00:00:02.000 --> 00:00:03.000\nAna: I want a plan.\n\n"
        "3\n00:00:03.000 --> 00:00:04.000\n<v Ben>Fine.</v>\n"
    )
    for data in (vtt.encode(), vtt.replace("\n", "\r\n").encode("utf-8-sig")):
        text, _ = decode(data, "c.vtt")
        parsed = parse_transcript(data, "c.vtt")
        spans = [text[a:b] for a, b in (t.span for t in parsed.turns)]
        assert spans[0].startswith("When I come in,") and spans[0].endswith("I want a plan.")
        assert spans[1] == "Fine."


# -- captions: annotations and given names --------------------------------------------------


def test_caption_cues_of_annotations_only_are_set_aside_and_given_names_take_their_spelling():
    vtt = (
        "WEBVTT\n\n00:01.000 --> 00:02.000\n[Music]\n\n00:02.000 --> 00:03.000\nana ruiz: "
        "Hello.\n\n"
        "00:03.000 --> 00:04.000\n[Laughter] Ben: Ha, yes.\n\n00:04.000 --> "
        "00:05.000\n[Applause]\n\n"
        "00:05.000 --> 00:06.000\nana ruiz: Thanks.\n"
    )
    parsed = parse(vtt, "c.vtt", known={"Ana Ruiz"})
    assert [(t.speaker, t.text) for t in parsed.turns] == [
        ("Ana Ruiz", "Hello."),
        ("Ben", "[Laughter] Ha, yes."),
        ("Ana Ruiz", "Thanks."),
    ]
    assert [(s.kind, s.lines) for s in parsed.set_aside] == [("annotation", (4, 13))]


# -- formats people have ----------------------------------------------------------------------


def odt_bytes(
    body: str,
    mimetype: str = "application/vnd.oasis.opendocument.text",
    prolog: str = '<?xml version="1.0" encoding="UTF-8"?>',
) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), mimetype)  # stored, first, as ODF requires
        archive.writestr("META-INF/manifest.xml", "<manifest/>", compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr(
            "content.xml",
            (
                f"{prolog}<office:document-content "
                'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
                'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
                'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"><office:body><office:text>'
                f"{body}</office:text></office:body></office:document-content>"
            ),
            compress_type=zipfile.ZIP_DEFLATED,
        )
    return buffer.getvalue()


def _row(*cells):
    return (
        "<table:table-row>"
        + "".join(f"<table:table-cell><text:p>{c}</text:p></table:table-cell>" for c in cells)
        + "</table:table-row>"
    )


def test_odt_reads_like_docx():
    body = (
        "<text:h>Entrevista 3</text:h>"
        f"<table:table>{_row('Fecha', '12/03/2024')}"
        f"{_row('Entrevistadora', 'Lucía Pérez')}</table:table>"
        "<text:p>LP:<text:s/>¿Cómo fue<text:s text:c='2'/>la consulta?"
        "<text:note><text:note-body><text:p>a "
        "footnote</text:p></text:note-body></text:note></text:p>"
        "<text:p>Ana: Bien, rápida.<office:annotation><text:p>a "
        "comment</text:p></office:annotation></text:p>"
        "<text:list><text:list-item><text:p>LP: ¿Y la espera?</text:p></text:list-item></text:list>"
        f"<table:table>{_row('Speaker', 'Text')}{_row('Ana', 'Larga.')}</table:table>"
        "<text:p>LP: Gracias.<text:line-break/>Hasta luego.</text:p>"
    )
    parsed = parse_transcript(odt_bytes(body), "entrevista.odt")
    assert parsed.format == "odt (Name: text)"
    assert [(t.speaker, t.text) for t in parsed.turns] == [
        ("LP", "¿Cómo fue la consulta?"),
        ("Ana", "Bien, rápida."),
        ("LP", "¿Y la espera?"),
        ("Ana", "Larga."),
        ("LP", "Gracias. Hasta luego."),
    ]
    assert parsed.facilitators == {"LP": "the header names Lucía Pérez as Entrevistadora (line 5)"}


def test_odt_with_a_dtd_or_without_text_is_refused():
    bomb = odt_bytes(
        "<text:p>x</text:p>", prolog='<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]>'
    )
    with pytest.raises(TranscriptError, match=r"bomb\.odt: content\.xml: declares a DTD"):
        parse_transcript(bomb, "bomb.odt")
    with pytest.raises(TranscriptError, match=r"empty\.odt: the OpenDocument file has no text"):
        parse_transcript(odt_bytes("<text:p> </text:p>"), "empty.odt")


RTF = (
    r"{\rtf1\ansi\ansicpg1252{\fonttbl{\f0 Calibri;}}{\*\generator Msftedit;}\pard "
    r"Interviewer: Caf\'e9 or tea?\par P1: Tea, \u8216?please\u8217?.\par"
    r"\trowd\cellx2000\cellx6000 Speaker\cell Text\cell\row"
    r"\trowd\cellx2000\cellx6000 Interviewer\cell And then?\cell\row"
    r"\trowd\cellx2000\cellx6000 P1\cell Then home.{\footnote a note}\cell\row}"
)


def test_rtf_is_read_through_striprtf():
    parsed = parse_transcript(RTF.encode("ascii"), "interview.rtf")
    assert parsed.format == "rtf (Name: text)"
    assert [(t.speaker, t.text) for t in parsed.turns] == [
        ("Interviewer", "Café or tea?"),
        ("P1", "Tea, ‘please’."),
        ("Interviewer", "And then?"),
        ("P1", "Then home."),
    ]


def test_a_word_interview_with_a_header_table():
    document = Document()
    table = document.add_table(rows=0, cols=2)
    for key, value in [
        ("Participant ID", "P07"),
        ("Date", "4 March 2024"),
        ("Interviewer", "Sam Okoro"),
    ]:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = key, value
    for line in [
        "SO: How long have you lived here?",
        "P07: Ten years, about.",
        "SO: And before that?",
        "P07: Lagos.",
    ]:
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    parsed = parse_transcript(buffer.getvalue(), "p07.docx")
    assert [(t.speaker, t.line) for t in parsed.turns] == [
        ("SO", 7),
        ("P07", 9),
        ("SO", 11),
        ("P07", 13),
    ]
    assert [(s.kind, s.lines) for s in parsed.set_aside] == [("header", (1, 3, 5))]
    assert parsed.facilitators == {"SO": "the header names Sam Okoro as Interviewer (line 5)"}


def _zip(**entries) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in entries.items():
            archive.writestr(name.replace("__", "/"), text)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "filename, data, says",
    [
        (
            "study.qdpx",
            _zip(**{"project.qde": "<Project/>"}),
            "`workbench import-qdpx study.qdpx --out PROJECT.db`",
        ),
        ("renamed.zip", _zip(**{"project.qde": "<Project/>"}), "a REFI-QDA project (.qdpx)"),
        (
            "book.qdc",
            b'<?xml version="1.0"?><CodeBook xmlns="urn:QDA-XML:codebook:1.0"/>',
            "`workbench import-qdc book.qdc --out codebook.toml`",
        ),
        (
            "project.qde",
            b'<?xml version="1.0"?><Project xmlns="urn:QDA-XML:project:1.0" name="x"/>',
            "taken out of its .qdpx",
        ),
        (
            "codes.xlsx",
            _zip(**{"xl__workbook.xml": "<x/>"}),
            "`workbench codings import PROJECT SHEET`",
        ),
        ("codes.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "save it as .xlsx first"),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "save it as .docx"),
        (
            "study.atlproj",
            _zip(**{"a.xml": "<x/>"}),
            "export it from ATLAS.ti as a REFI-QDA project (.qdpx)",
        ),
        (
            "study.qda",
            b"SQLite format 3\x00" + bytes(600),
            "export it from QualCoder as a REFI-QDA project",
        ),
        ("slides.pptx", _zip(**{"ppt__presentation.xml": "<x/>"}), "a PowerPoint presentation"),
        (
            "sheet.ods",
            odt_bytes("", "application/vnd.oasis.opendocument.spreadsheet"),
            "not a text document",
        ),
    ],
)
def test_files_given_by_mistake_are_named_with_what_reads_them(filename, data, says):
    with pytest.raises(TranscriptError) as caught:
        parse_transcript(data, filename)
    message = str(caught.value)
    assert message.startswith(f"{filename}: this is ") and says in message and "\n" not in message
    assert (
        "unpack" not in message or filename.endswith(".zip") is False and "project" not in message
    )


# -- real files -----------------------------------------------------------------------------


@pytest.mark.realdata
def test_real_maxqda_pdf(shared):
    parsed = parse_transcript(
        (shared / "realdata" / "maxqda_interview_P1.pdf").read_bytes(), "P1.pdf"
    )
    assert parsed.format == "pdf (labels on their own lines)"
    assert Counter(t.speaker for t in parsed.turns) == {"Dan": 47, "Participant": 47}
    assert [(s.kind, s.lines) for s in parsed.set_aside] == [("preamble", (2,))]
    assert parsed.preamble == "Interview"
    assert [f.code for f in parsed.findings] == []


@pytest.mark.realdata
def test_real_teams_and_zoom_captions(shared):
    teams = parse_transcript(
        (shared / "realdata" / "teams_timeframe.vtt").read_bytes(), "teams.vtt"
    )
    assert [(t.speaker, t.text) for t in teams.turns] == [
        ("Yuri Bakulin", "There you go."),
        ("Adrian Petrescu", "Why hello there, Yuri."),
    ]
    zoom = parse_transcript(
        (shared / "realdata" / "zoom_group_discussion.transcript.vtt").read_bytes(), "z.vtt"
    )
    assert len(zoom.turns) == 26 and Counter(t.speaker for t in zoom.turns)[None] == 1
    assert len({t.speaker for t in zoom.turns if t.speaker}) == 5
    captions = parse_transcript(
        (shared / "realdata" / "zoom_group_discussion.cc.vtt").read_bytes(), "z.cc.vtt"
    )
    assert len(captions.turns) == 100 and all(t.speaker is None for t in captions.turns)
