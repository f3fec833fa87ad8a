"""Transcript formats: every label style, caption flavour and Word layout teams hand over.

All inline fixtures are fictional. The real Zoom files in ../shared/realdata are used as
they are (tests marked ``realdata`` skip where that folder is absent).
"""

import io
import json
import re
import time

import pytest
from docx import Document

from workbench.errors import TranscriptError
from workbench.ingest.transcript import parse_transcript


def parse(text: str, filename: str = "fg.txt", **kwargs):
    return parse_transcript(text.encode("utf-8"), filename, **kwargs)


def speakers_and_texts(parsed):
    return [(t.speaker, t.text) for t in parsed.turns]


# --- plain text and Markdown -------------------------------------------------------------


def test_name_colon_text():
    parsed = parse(
        "Moderator: What does working together mean to you?\n"
        "Dr. Lena Voss: Sharing the plan before the visit.\n"
        "Tom: Being asked, not told.\n"
        "Moderator: Thank you.\n"
    )
    assert speakers_and_texts(parsed) == [
        ("Moderator", "What does working together mean to you?"),
        ("Dr. Lena Voss", "Sharing the plan before the visit."),
        ("Tom", "Being asked, not told."),
        ("Moderator", "Thank you."),
    ]
    assert [t.line for t in parsed.turns] == [1, 2, 3, 4]
    assert parsed.format.startswith("text")


def test_sentence_with_a_colon_is_not_a_speaker():
    parsed = parse(
        "Moderator: Tell me more.\n\n"
        "Ana: The problem is this: nobody listens.\n"
        "The fix is simple: ask me first.\n\n"
        "Moderator: Thanks.\n"
    )
    assert [t.speaker for t in parsed.turns] == ["Moderator", "Ana", "Moderator"]
    assert (
        parsed.turns[1].text
        == "The problem is this: nobody listens. The fix is simple: ask me first."
    )


def test_markdown_with_bold_labels():
    parsed = parse(
        "# Focus group 2\n\n"
        "**Facilitator:** Welcome, everyone.\n\n"
        "**Jo Park:** I felt heard at the last visit.\n\n"
        "**Facilitator:** Why?\n",
        filename="fg2.md",
    )
    assert parsed.format.startswith("markdown")
    assert speakers_and_texts(parsed) == [
        ("Facilitator", "Welcome, everyone."),
        ("Jo Park", "I felt heard at the last visit."),
        ("Facilitator", "Why?"),
    ]
    assert any("before the first speaker" in w for w in parsed.warnings)


def test_label_alone_on_its_line_with_words_below():
    parsed = parse(
        "Facilitator:\n"
        "Who decides what happens in clinic?\n"
        "\n"
        "Sam Reyes:\n"
        "Mostly the doctor.\n"
        "But lately we plan it together.\n"
        "\n"
        "Facilitator:\n"
        "Good.\n"
    )
    assert speakers_and_texts(parsed) == [
        ("Facilitator", "Who decides what happens in clinic?"),
        ("Sam Reyes", "Mostly the doctor. But lately we plan it together."),
        ("Facilitator", "Good."),
    ]
    assert [t.line for t in parsed.turns] == [1, 4, 8]


def test_capital_labels():
    parsed = parse(
        "MODERATOR: Please begin.\nMUM: I keep a diary of symptoms.\nMODERATOR: Thanks.\n"
    )
    assert [t.speaker for t in parsed.turns] == ["MODERATOR", "MUM", "MODERATOR"]
    assert parsed.turns[1].text == "I keep a diary of symptoms."


def test_capital_label_used_once_among_prose_is_still_a_speaker():
    parsed = parse(
        "Notes from the session follow.\n\n"
        "Some context for the reader here.\n\n"
        "More context that is not a comment.\n\n"
        "NURSE: We share the numbers on screen.\n"
    )
    assert ("NURSE", "We share the numbers on screen.") in speakers_and_texts(parsed)


def test_bracketed_timestamps():
    parsed = parse(
        "[00:01:23] Kim Lee: I bring my questions written down.\n"
        "[00:01:30] Facilitator: Does that help?\n"
        "[01:02:03.5] Kim Lee: Yes, a lot.\n"
    )
    assert speakers_and_texts(parsed) == [
        ("Kim Lee", "I bring my questions written down."),
        ("Facilitator", "Does that help?"),
        ("Kim Lee", "Yes, a lot."),
    ]
    assert [t.start for t in parsed.turns] == [83.0, 90.0, 3723.5]


def test_rev_labels_with_times():
    parsed = parse(
        "Speaker 1 (00:03:18):\n"
        "So how do you prepare for a visit?\n"
        "\n"
        "Speaker 2 (00:03:25):\n"
        "I send a message the week before.\n"
        "Then we both know the goal.\n"
        "\n"
        "Speaker 1 (01:00:02):\n"
        "Thanks.\n"
    )
    assert speakers_and_texts(parsed) == [
        ("Speaker 1", "So how do you prepare for a visit?"),
        ("Speaker 2", "I send a message the week before. Then we both know the goal."),
        ("Speaker 1", "Thanks."),
    ]
    assert [t.start for t in parsed.turns] == [198.0, 205.0, 3602.0]
    assert "Rev" in parsed.format


@pytest.mark.parametrize("bold", [False, True])
def test_otter_labels_and_footer(bold):
    def label(name):
        return f"**{name}**" if bold else name

    parsed = parse(
        f"{label('Priya Shah')}  0:35\n"
        "I think the nurse listens more than anyone.\n"
        "\n"
        f"{label('Ben')}  1:02\n"
        "Agreed.\n"
        "\n"
        f"{label('Priya Shah')}  1:10:05\n"
        "And she remembers my kids' names.\n"
        "\n"
        "Transcribed by https://otter.ai\n"
    )
    assert speakers_and_texts(parsed) == [
        ("Priya Shah", "I think the nurse listens more than anyone."),
        ("Ben", "Agreed."),
        ("Priya Shah", "And she remembers my kids' names."),
    ]
    assert [t.start for t in parsed.turns] == [35.0, 62.0, 4205.0]
    assert not any("otter" in t.text.lower() for t in parsed.turns)
    assert "Otter" in parsed.format


def test_otter_labels_past_99_minutes_are_labels():
    parsed = parse("Ana  98:59\nFirst.\n\nBo  104:05\nSecond.\n\nAna  1:45:10\nThird.\n")
    assert speakers_and_texts(parsed) == [("Ana", "First."), ("Bo", "Second."), ("Ana", "Third.")]
    assert [t.start for t in parsed.turns] == [5939.0, 6245.0, 6310.0]


def test_space_before_the_colon():
    parsed = parse("Interviewer1 : How was clinic?\nRespondent2 : Better than before.\n")
    assert speakers_and_texts(parsed) == [
        ("Interviewer1", "How was clinic?"),
        ("Respondent2", "Better than before."),
    ]


def test_role_tagged_quotes():
    parsed = parse(
        '"We plan the visit together now." ~HP\n'
        '"She asks about my week,\nnot just my lungs." ~Parent\n'
        "\n"
        "I felt like an equal partner. ~PwCHC\n"
    )
    # A quote list has no names: the role is the only identity the source gives.
    assert [(t.speaker, t.text, t.role_tag) for t in parsed.turns] == [
        ("HP", '"We plan the visit together now."', "HP"),
        ("Parent", '"She asks about my week, not just my lungs."', "Parent"),
        ("PwCHC", "I felt like an equal partner.", "PwCHC"),
    ]
    assert not any("~" in t.text for t in parsed.turns)


def test_role_tag_after_a_speaker_label():
    parsed = parse("Ana: I was heard. ~Parent\nLeo: Me too ~ HP\n")
    assert [(t.speaker, t.text, t.role_tag) for t in parsed.turns] == [
        ("Ana", "I was heard.", "Parent"),
        ("Leo", "Me too", "HP"),
    ]


def test_tilde_inside_a_sentence_is_not_a_role_tag():
    parsed = parse("Ana: It takes ~10 minutes, roughly.\nLeo: Fine.\n")
    assert parsed.turns[0].text == "It takes ~10 minutes, roughly."
    assert parsed.turns[0].role_tag is None


PDF_TEXT = (
    "Focus Group 1 - Health professionals\n"
    "   \n"
    "DR. OKAFOR:\n"
    "Thank you all for coming. I want to start with a simple question\n"
    "about what coproduction means to each of you in your daily work,\n"
    "and I would like everyone to answer in turn if that is all right.\n"
    " \t \n"
    "MARIA:\n"
    "For me it means that the clinic and the family plan the visit\n"
    "together before we arrive, so nobody is surprised by the agenda\n"
    "   \n"
    "and the decisions are made with us rather than for us. It also\n"
    "means the doctor admits when she does not know something.\n"
    "  \n"
    "We trust her more because of it.\n"
    "\n"
    "DR. OKAFOR:\n"
    "That is a helpful way to put it. Does anyone see it differently,\n"
    "perhaps from the nursing side of the team?\n"
    "\fJAMES:\n"
    "Not differently, but I would add that it takes time, and time\n"
    "is what we are always short of in a busy clinic like ours.\n"
)


def test_pdf_extracted_text_with_hard_wraps_and_page_breaks():
    parsed = parse(PDF_TEXT)
    assert [t.speaker for t in parsed.turns] == ["DR. OKAFOR", "MARIA", "DR. OKAFOR", "JAMES"]
    assert [t.line for t in parsed.turns] == [3, 8, 17, 20]  # a form feed is no line break
    maria = parsed.turns[1].text
    assert "the agenda and the decisions are made with us" in maria
    assert maria.count("\n") == 1  # the paragraph break after "something." stays
    for turn in parsed.turns:
        for match in re.finditer("\n", turn.text):
            assert re.search(r"[.!?…][\"'”’)\]]*$", turn.text[: match.start()]), (
                turn.speaker,
                turn.text,
            )
        assert "  " not in turn.text and turn.text == turn.text.strip()


def test_pdf_hyphenated_line_end_is_rejoined():
    parsed = parse("Ana:\nWe need to be self-\ndetermined about it.\n\nLeo:\nYes.\n")
    assert parsed.turns[0].text == "We need to be self-determined about it."


def test_plain_paragraphs_without_labels_get_no_speaker():
    parsed = parse(
        "We talked about the clinic first. Everyone had an opinion.\n"
        "\n"
        "Then the discussion turned to planning visits.\n"
        "It went on for a while.\n"
    )
    assert speakers_and_texts(parsed) == [
        (None, "We talked about the clinic first. Everyone had an opinion."),
        (None, "Then the discussion turned to planning visits. It went on for a while."),
    ]
    assert any("no speaker labels" in w for w in parsed.warnings)
    assert "no speaker labels" in parsed.format


def test_known_roster_label_used_once():
    text = (
        "The session opened late.\n\nWe waited for the room.\n\nSome chatter.\n\n"
        "More chatter here.\n\nZed: I have one point only.\n"
    )
    assert "Zed" not in {t.speaker for t in parse(text).turns}
    assert ("Zed", "I have one point only.") in speakers_and_texts(parse(text, known={"Zed"}))


def test_otter_footer_alone_is_refused():
    with pytest.raises(
        TranscriptError, match=r"o\.txt: no recognisable transcript structure: no words"
    ):
        parse("\nTranscribed by https://otter.ai\n", "o.txt")


def test_long_monologue_with_page_breaks_stays_linear():
    # Was quadratic: the whole turn was re-searched for a sentence end at every gap.
    from workbench import limits

    text = "Ana:\n" + "and then we talked about the plan for the visit\n \n" * 40000
    start = time.process_time()  # CPU time: the quadratic version took minutes, load or not
    with limits.overridden(field_length=4 * limits.M):  # one turn of 2 million characters
        parsed = parse(text)
    assert time.process_time() - start < 5
    assert len(parsed.turns) == 1 and "\n" not in parsed.turns[0].text


def test_label_with_no_words_is_skipped_with_a_warning():
    parsed = parse("Ana: Hello.\nLeo:\n\nAna: Still here.\n")
    assert [t.speaker for t in parsed.turns] == ["Ana", "Ana"]
    assert any("'Leo' has no words" in w for w in parsed.warnings)


# --- WebVTT ------------------------------------------------------------------------------

ZOOM_VTT = """WEBVTT

1
00:00:01.000 --> 00:00:03.500
Lena Ortiz: When I come in, I want the team

2
00:00:03.600 --> 00:00:06.000
Lena Ortiz: to know what I have been doing at home.

3
00:00:06.100 --> 00:00:08.000
Dr. Sam Beck: That is fair.

4
00:00:08.100 --> 00:00:09.000
Mm-hmm.

5
00:00:09.100 --> 00:00:12.250
Dr. Sam Beck: We could send a form before the visit.
"""


def test_zoom_vtt_merges_consecutive_cues_and_keeps_unlabelled_cue():
    parsed = parse(ZOOM_VTT, "meeting.vtt")
    assert parsed.format == "webvtt (zoom)"
    assert [(t.speaker, t.text, t.start, t.end) for t in parsed.turns] == [
        (
            "Lena Ortiz",
            "When I come in, I want the team to know what I have been doing at home.",
            1.0,
            6.0,
        ),
        ("Dr. Sam Beck", "That is fair.", 6.1, 8.0),
        (None, "Mm-hmm.", 8.1, 9.0),
        ("Dr. Sam Beck", "We could send a form before the visit.", 9.1, 12.25),
    ]
    assert parsed.turns[2].line == 17
    assert any("no speaker" in w and "17" in w for w in parsed.warnings)


def test_zoom_names_with_pronouns_or_roles():
    text = (
        "WEBVTT\n\n00:01.000 --> 00:02.000\nSam Lee (they/them): Hello.\n\n"
        "00:02.000 --> 00:03.000\nAna (Parent): Hi.\n"
    )
    assert [t.speaker for t in parse(text, "p.vtt").turns] == [
        "Sam Lee (they/them)",
        "Ana (Parent)",
    ]


def test_zoom_vtt_cue_label_used_once_is_a_speaker():
    text = ZOOM_VTT + "\n6\n00:00:13.000 --> 00:00:14.000\nKai: Once only.\n"
    assert parse(text, "m.vtt").turns[-1].speaker == "Kai"


def test_zoom_display_names_typed_in_lower_case():
    text = ZOOM_VTT.replace("Lena Ortiz:", "lena.o:").replace("Dr. Sam Beck:", "dr. sam beck:")
    parsed = parse(text, "m.vtt")
    assert [t.speaker for t in parsed.turns] == ["lena.o", "dr. sam beck", None, "dr. sam beck"]
    assert parsed.turns[0].text.startswith("When I come in")


def test_a_lower_case_phrase_with_a_colon_once_is_not_a_display_name():
    text = ZOOM_VTT + "\n6\n00:00:13.000 --> 00:00:14.000\nand so: we left it there.\n"
    last = parse(text, "m.vtt").turns[-1]
    assert (last.speaker, last.text) == (None, "and so: we left it there.")


TEAMS_VTT = (
    "\ufeffWEBVTT\r\n"
    "\r\n"
    "NOTE\r\n"
    "This transcript was generated automatically.\r\n"
    "\r\n"
    "a1b2c3/12-0\r\n"
    "0:0:0.210 --> 0:0:3.890\r\n"
    "<v Ola Nordmann>I want to be asked what matters to me.</v>\r\n"
    "\r\n"
    "a1b2c3/13-0\r\n"
    "0:0:4.0 --> 0:0:6.500\r\n"
    "<v Ola Nordmann>Not just the numbers.</v>\r\n"
    "\r\n"
    "NOTE second note\r\n"
    "with two lines\r\n"
    "\r\n"
    "a1b2c3/14-0\r\n"
    "0:0:7.120 --> 0:1:2.5\r\n"
    "<v Dr. Ana Silva>We can do that &amp; more.</v>\r\n"
)


def test_teams_vtt_with_bom_crlf_unpadded_times_and_notes():
    data = TEAMS_VTT.encode("utf-8")
    parsed = parse_transcript(data, "teams.vtt")
    assert parsed.format == "webvtt (teams)"
    assert [(t.speaker, t.text, t.start, t.end) for t in parsed.turns] == [
        ("Ola Nordmann", "I want to be asked what matters to me. Not just the numbers.", 0.21, 6.5),
        ("Dr. Ana Silva", "We can do that & more.", 7.12, 62.5),
    ]
    assert not any("generated" in t.text or "note" in t.text.lower() for t in parsed.turns)


def test_teams_cue_with_two_voices_and_an_unvoiced_cue():
    text = (
        "WEBVTT\n\n"
        "00:00.000 --> 00:02.000\n<v Ola>Yes.</v> <v Ana>No.</v>\n\n"
        "00:02.000 --> 00:03.000\nunclear speech\n\n"
        "00:03.000 --> 00:04.000\n<v.loud Ana>Really no.\n"
    )
    parsed = parse(text, "t.vtt")
    assert [(t.speaker, t.text) for t in parsed.turns] == [
        ("Ola", "Yes."),
        ("Ana", "No."),
        (None, "unclear speech"),
        ("Ana", "Really no."),
    ]
    assert any("no speaker" in w for w in parsed.warnings)


def test_cue_with_a_label_but_no_words():
    text = (
        "WEBVTT\n\n00:01.000 --> 00:02.000\nAna: Hello.\n\n"
        "00:02.000 --> 00:03.000\nBo:\n\n00:03.000 --> 00:04.000\nBo: Hi.\n"
    )
    parsed = parse(text, "l.vtt")
    assert speakers_and_texts(parsed) == [("Ana", "Hello."), ("Bo", "Hi.")]
    assert any("line 7: speaker 'Bo' has no words" in w for w in parsed.warnings)
    with pytest.raises(TranscriptError, match=r"only\.vtt: no recognisable transcript structure"):
        parse("WEBVTT\n\n00:01.000 --> 00:02.000\nAna (Parent) (00:00:01):\n", "only.vtt")


def test_blank_line_inside_a_labelled_cue_keeps_the_words():
    text = (
        "WEBVTT\n\n1\n00:01.000 --> 00:02.000\nAna: When I come in,\n\nI want a plan.\n\n"
        "2\n00:02.000 --> 00:03.000\nBo: Fine.\n"
    )
    parsed = parse(text, "b.vtt")
    assert speakers_and_texts(parsed) == [
        ("Ana", "When I come in, I want a plan."),
        ("Bo", "Fine."),
    ]
    assert any("line 7: text after a blank line joined" in w for w in parsed.warnings)


def test_teams_voice_without_a_name_has_no_speaker():
    parsed = parse("WEBVTT\n\n00:01.000 --> 00:02.000\n<v  >Hello.</v>\n", "t.vtt")
    assert speakers_and_texts(parsed) == [(None, "Hello.")]


def test_long_run_of_one_speaker_stays_linear():
    # Was quadratic: the merged text was rebuilt for every cue of the run.
    from workbench import limits

    cue = "00:00:01.000 --> 00:00:02.000\n<v Ana>we planned the next visit together today</v>\n\n"
    start = time.process_time()  # CPU time: a loaded machine's wall clock says nothing here
    with limits.overridden(field_length=8 * limits.M):  # one turn of 4.2 million characters
        parsed = parse("WEBVTT\n\n" + cue * 100000, "long.vtt")
    assert time.process_time() - start < 10
    assert len(parsed.turns) == 1 and parsed.turns[0].text.count("together today we") == 99999


def test_vtt_with_no_speakers_gives_one_unnamed_turn_per_cue():
    text = (
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHello there.\n\n"
        "00:00:02.000 --> 00:00:03.000\nHello again.\n\n"
        "00:00:03.000 --> 00:00:04.000\nHello again.\n"
    )
    parsed = parse(text, "captions.vtt")
    assert [(t.speaker, t.text) for t in parsed.turns] == [
        (None, "Hello there."),
        (None, "Hello again."),
        (None, "Hello again."),
    ]
    assert "no speaker labels" in parsed.format
    assert any("no speaker labels" in w and "3 cue" in w for w in parsed.warnings)


def test_vtt_inside_a_txt_file_is_read_as_vtt():
    assert parse(ZOOM_VTT, "meeting.txt").format == "webvtt (zoom)"


def test_vtt_header_with_no_cues_is_refused():
    with pytest.raises(TranscriptError, match=r"empty\.vtt.*no caption cues"):
        parse("WEBVTT\n\nNOTE nothing here\n", "empty.vtt")
    with pytest.raises(TranscriptError, match=r"h\.vtt.*no caption cues"):
        parse("WEBVTT - Kind: captions\n", "h.vtt")


# --- SRT ---------------------------------------------------------------------------------

SRT = """1
00:00:01,000 --> 00:00:02,500
Facilitator: What helps you speak up?

2
00:00:02,600 --> 00:00:05,000
Rosa: Knowing they will listen.

3
00:00:05,100 --> 00:00:07,000
Rosa: And having time.
"""


def test_srt_with_labels():
    parsed = parse(SRT, "fg.srt")
    assert parsed.format.startswith("srt")
    assert [(t.speaker, t.text, t.start, t.end) for t in parsed.turns] == [
        ("Facilitator", "What helps you speak up?", 1.0, 2.5),
        ("Rosa", "Knowing they will listen. And having time.", 2.6, 7.0),
    ]


def test_srt_cue_with_an_empty_bracket_is_text():
    parsed = parse("1\n00:00:01,000 --> 00:00:02,000\n[ ] hello\n", "e.srt")
    assert speakers_and_texts(parsed) == [(None, "[ ] hello")]


def test_srt_without_labels_and_with_a_bracket_speaker():
    plain = "1\n00:00:01,000 --> 00:00:02,000\nhello\n\n2\n00:00:02,000 --> 00:00:03,000\nhello\n"
    parsed = parse(plain, "c.srt")
    assert [(t.speaker, t.text) for t in parsed.turns] == [(None, "hello"), (None, "hello")]
    assert any("no speaker labels" in w for w in parsed.warnings)
    bracket = "1\n00:00:01,000 --> 00:00:02,000\n[Nurse] Hello.\n\n2\n00:00:02,000 --> 00:00:03,000\n[Nurse] Again.\n"
    assert speakers_and_texts(parse(bracket, "b.srt")) == [("Nurse", "Hello. Again.")]


# --- Word --------------------------------------------------------------------------------


def docx_bytes(build) -> bytes:
    document = Document()
    build(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_paragraphs_with_inline_labels():
    data = docx_bytes(
        lambda d: [
            d.add_paragraph("Focus group 3, transcript"),
            d.add_paragraph("Moderator: How do you set goals for a visit?"),
            d.add_paragraph("Teen: I write them on my phone."),
            d.add_paragraph("Moderator: Great."),
        ]
    )
    parsed = parse_transcript(data, "fg3.docx")
    assert parsed.format.startswith("docx")
    assert speakers_and_texts(parsed) == [
        ("Moderator", "How do you set goals for a visit?"),
        ("Teen", "I write them on my phone."),
        ("Moderator", "Great."),
    ]


def test_docx_label_paragraph_then_text_paragraphs():
    data = docx_bytes(
        lambda d: [
            d.add_paragraph("Moderator:"),
            d.add_paragraph("How do you set goals for a visit?"),
            d.add_paragraph("Dad:"),
            d.add_paragraph("We talk in the car on the way."),
            d.add_paragraph("Sometimes we write a list."),
        ]
    )
    parsed = parse_transcript(data, "fg3.docx")
    assert speakers_and_texts(parsed) == [
        ("Moderator", "How do you set goals for a visit?"),
        ("Dad", "We talk in the car on the way.\nSometimes we write a list."),
    ]


def test_docx_two_column_speaker_table(tmp_path):
    def build(d):
        d.add_paragraph("Transcript")
        table = d.add_table(rows=0, cols=2)
        for who, words in [
            ("Speaker", "Text"),
            ("Moderator:", "Who leads the visit?"),
            ("Mum", "Increasingly, my son does."),
            ("Moderator", "Why?"),
        ]:
            cells = table.add_row().cells
            cells[0].text, cells[1].text = who, words

    path = tmp_path / "table.docx"
    path.write_bytes(docx_bytes(build))
    parsed = parse_transcript(path.read_bytes(), "table.docx")
    assert speakers_and_texts(parsed) == [  # the "Speaker | Text" heading row is no turn
        ("Moderator", "Who leads the visit?"),
        ("Mum", "Increasingly, my son does."),
        ("Moderator", "Why?"),
    ]


def _cell(text, props=""):
    return f"<w:tc>{props}<w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"


def test_docx_merged_cells_comments_and_content_controls():
    from docx.oxml import parse_xml

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    vmerge = '<w:tcPr><w:vMerge w:val="restart"/></w:tcPr>'

    def build(d):
        body = d.element.body
        # A first-row vertical merge: python-docx's cell grid raised ValueError on it.
        body.append(
            parse_xml(
                f"<w:tbl {w}><w:tr>{_cell('Ana', vmerge)}{_cell('Yes')}</w:tr>"
                f"<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc>{_cell('Yes')}</w:tr></w:tbl>"
            )
        )
        body.append(
            parse_xml(
                f"<w:sdt {w}><w:sdtContent><w:p><w:r><w:t>Bo: Inside a content control.</w:t></w:r></w:p>"
                "</w:sdtContent></w:sdt>"
            )
        )
        body.append(
            parse_xml(
                f"<w:tbl {w}><w:tr>{_cell('Time')}{_cell('Speaker')}{_cell('Text')}</w:tr>"
                f"<w:tr>{_cell('00:12:05')}{_cell('Cy')}{_cell('We set goals.')}</w:tr></w:tbl>"
            )
        )
        from lxml import etree

        body.insert(0, etree.Comment("a comment in the body"))  # its .tag is not a string

    parsed = parse_transcript(docx_bytes(build), "merged.docx")
    assert [(t.speaker, t.text, t.start) for t in parsed.turns] == [
        ("Ana", "Yes Yes", None),  # row 2 continues Ana's merged cell; its empty part adds nothing
        ("Bo", "Inside a content control.", None),
        ("Cy", "We set goals.", 725.0),
    ]


def test_docx_without_labels_gets_unnamed_paragraphs():
    data = docx_bytes(
        lambda d: [d.add_paragraph("First thought."), d.add_paragraph("Second thought.")]
    )
    parsed = parse_transcript(data, "notes.docx")
    assert speakers_and_texts(parsed) == [(None, "First thought."), (None, "Second thought.")]
    assert any("no speaker labels" in w for w in parsed.warnings)


def test_empty_docx_is_refused():
    with pytest.raises(TranscriptError, match=r"blank\.docx.*no text"):
        parse_transcript(docx_bytes(lambda d: None), "blank.docx")


def test_damaged_docx_and_other_zip_are_refused():
    data = docx_bytes(lambda d: d.add_paragraph("Ana: hi"))
    with pytest.raises(TranscriptError, match=r"cut\.docx"):
        parse_transcript(data[: len(data) // 2], "cut.docx")
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.txt", "Ana: hi")
    with pytest.raises(TranscriptError, match=r"bundle\.zip.*not a Word document"):
        parse_transcript(buffer.getvalue(), "bundle.zip")


# --- no recognisable structure -----------------------------------------------------------


@pytest.mark.parametrize(
    "text, what",
    [
        ("12:30 -- 14:00\n\n... --- ...\n2024-01-02\n", "no letters"),
        (json.dumps({"speaker": "Ana", "text": "hello"}), "JSON"),
        ('[{"speaker": "Ana", "text": "hello"}]', "JSON"),
        ('<?xml version="1.0"?>\n<transcript><turn who="Ana">hi</turn></transcript>\n', "XML/HTML"),
        ("<!DOCTYPE html>\n<html><body><p>Ana: hi</p></body></html>\n", "XML/HTML"),
        ("<html>\n<p>Ana: hi</p>\n</html>\n", "XML/HTML"),
        ("speaker,role,group\nAna,Parent,1\nLeo,HP,1\nKim,PwCHC,2\n", "CSV"),
        ("speaker\ttext\tstart\nAna\thello\t1\nLeo\tbye\t2\n", "CSV"),
    ],
)
def test_no_recognisable_structure(text, what):
    with pytest.raises(
        TranscriptError, match=rf"data\.txt: no recognisable transcript structure.*{what}"
    ):
        parse(text, "data.txt")


# --- real files --------------------------------------------------------------------------

ZOOM_SPEAKERS = {
    "Srijani Ghosh",
    "Conor Healy",
    "Dr. Melissa Ko",
    "Shreeharsh Kelkar",
    "Ryan Sloan",
}


@pytest.mark.realdata
def test_real_zoom_transcript(shared):
    data = (shared / "realdata" / "zoom_group_discussion.transcript.vtt").read_bytes()
    parsed = parse_transcript(data, "zoom_group_discussion.transcript.vtt")
    named = {t.speaker for t in parsed.turns if t.speaker}
    assert named == ZOOM_SPEAKERS
    cues = data.count(b"-->")
    assert len(parsed.turns) < cues
    for a, b in zip(parsed.turns, parsed.turns[1:], strict=False):
        assert not (a.speaker and a.speaker == b.speaker), (a.line, b.line)
    unnamed = [t for t in parsed.turns if t.speaker is None]
    assert [t.text for t in unnamed] == ["Hmm."]
    assert any("no speaker" in w for w in parsed.warnings)
    assert all(t.start is not None and t.end is not None and t.start <= t.end for t in parsed.turns)


@pytest.mark.realdata
def test_real_zoom_closed_captions_invent_no_speaker(shared):
    data = (shared / "realdata" / "zoom_group_discussion.cc.vtt").read_bytes()
    parsed = parse_transcript(data, "zoom_group_discussion.cc.vtt")
    cues = sum(1 for line in data.decode("utf-8").splitlines() if "-->" in line)
    assert all(t.speaker is None for t in parsed.turns)
    assert len(parsed.turns) == cues
    assert "no speaker labels" in parsed.format


PDF_WITH_FURNITURE = (
    "Focus Group 2 - Families (confidential)\n"  # 1  running header, page 1
    "MARIA:\n"  # 2
    "We plan the visit together before we arrive, so\n"  # 3
    "nobody is surprised by the agenda and the\n"  # 4
    "Page 1 of 3\n"  # 5  footer, mid-sentence
    "\fFocus Group 2 - Families (confidential)\n"  # 6  header, page 2
    "decisions are made with us rather than for us.\n"  # 7
    "JAMES:\n"  # 8
    "It takes time, and time is short.\n"  # 9
    "Page 2 of 3\n"  # 10
    "\fFocus Group 2 - Families (confidential)\n"  # 11 header, page 3
    "MARIA:\n"  # 12
    "How many visits a year? About 3\n"  # 13
    "3\n"  # 14 a bare page number
)


def test_pdf_page_headers_footers_and_numbers_are_left_out():
    parsed = parse(PDF_WITH_FURNITURE)
    assert speakers_and_texts(parsed) == [
        (
            "MARIA",
            "We plan the visit together before we arrive, so nobody is surprised by the "
            "agenda and the decisions are made with us rather than for us.",
        ),
        ("JAMES", "It takes time, and time is short."),
        ("MARIA", "How many visits a year? About 3"),
    ]
    assert [t.line for t in parsed.turns] == [2, 8, 12]  # line numbers unchanged
    warning = next(w for w in parsed.warnings if "page header" in w)
    assert warning.startswith(
        "line(s) 1, 5, 6, 10, 11, 14: 6 page header, footer or page-number line(s)"
    )


def test_a_lone_number_or_a_repeated_line_is_not_page_furniture():
    # A "3" answering a question at one page's end stays; a label alone that starts
    # every page is a speaker, not a running header; words that end two pages by
    # chance are words.
    text = (
        "ANA:\nHow many children?\nLEO:\n3\n\fANA:\nAnd their ages?\nLEO:\nThank you.\n"
        "\fANA:\nAnything else?\nLEO:\nThank you.\n"
    )
    parsed = parse(text)
    assert speakers_and_texts(parsed) == [
        ("ANA", "How many children?"),
        ("LEO", "3"),
        ("ANA", "And their ages?"),
        ("LEO", "Thank you."),
        ("ANA", "Anything else?"),
        ("LEO", "Thank you."),
    ]
    assert not any("page header" in w for w in parsed.warnings)


def test_explicit_page_lines_without_form_feeds():
    text = (
        "Ana: We share the plan\nPage 1 of 2\nbefore the visit.\n\nLeo: Yes.\n"
        "Page 2 of 2\n\nAna: Page 4 of the leaflet says so.\n"
    )
    parsed = parse(text)
    assert speakers_and_texts(parsed) == [
        ("Ana", "We share the plan before the visit."),
        ("Leo", "Yes."),
        ("Ana", "Page 4 of the leaflet says so."),
    ]
