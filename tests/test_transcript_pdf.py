"""PDF transcripts: the text layer read page by page, page furniture left out."""

import io

import pytest
from helpers import run_cli
from pdf_fixture import make_pdf
from pypdf import PdfReader, PdfWriter

from workbench.errors import TranscriptError
from workbench.ingest.transcript import parse_transcript

HEADER = "Focus Group 2 - Families and clinicians"
PAGES = [
    [
        HEADER,
        "MARIA:",
        "We plan the visit together before we arrive, so nobody",
        "is surprised by the agenda and the",
        "Page 1 of 2",
    ],
    [
        HEADER,
        "decisions are made with us. It’s our visit too.",
        "DR. OKAFOR:",
        "That is a helpful way to put it (and fair).",
        "Page 2 of 2",
    ],
]


def test_a_word_processor_pdf_reads_like_its_text():
    parsed = parse_transcript(make_pdf(PAGES), "fg2.pdf")
    assert parsed.format.startswith("pdf ") and parsed.encoding == "pdf text"
    assert [(t.speaker, t.text) for t in parsed.turns] == [
        (
            "MARIA",
            "We plan the visit together before we arrive, so nobody is surprised by the "
            "agenda and the decisions are made with us. It’s our visit too.",
        ),
        ("DR. OKAFOR", "That is a helpful way to put it (and fair)."),
    ]
    warning = next(w for w in parsed.warnings if "page header" in w)
    assert "4 page header, footer or page-number line(s)" in warning and HEADER in warning


def test_a_pdf_imports_from_the_command_line(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "fg2.pdf").write_bytes(make_pdf(PAGES))
    assert run_cli(capsys, "init", "p.db")[0] == 0
    code, out, err = run_cli(
        capsys, "import", "p.db", "fg2.pdf", "--role", "MARIA=Parent", "--role", "DR. OKAFOR=HP"
    )
    assert code == 0, err
    assert "2 comments" in out and "pdf" in out
    code, out, _ = run_cli(capsys, "comments", "p.db", "--format", "json")
    import json

    comments = json.loads(out)
    assert [c["speaker"] for c in comments] == ["MARIA", "DR. OKAFOR"]
    assert HEADER not in " ".join(c["text"] for c in comments)


def _encrypted(password: str) -> bytes:
    writer = PdfWriter(
        clone_from=PdfReader(io.BytesIO(make_pdf([["Ana: Hello there.", "Leo: Hi."]])))
    )
    writer.encrypt(user_password=password, owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_password_protected_pdf_is_refused_with_what_to_do():
    with pytest.raises(TranscriptError, match="x.pdf: the PDF is password-protected; save a copy"):
        parse_transcript(_encrypted("secret"), "x.pdf")
    # Protected against editing only (an empty password opens it): read as usual.
    assert [t.speaker for t in parse_transcript(_encrypted(""), "x.pdf").turns] == ["Ana", "Leo"]


def test_a_damaged_pdf_names_the_parser_problem_on_a_second_line():
    with pytest.raises(TranscriptError) as caught:
        parse_transcript(make_pdf(PAGES)[:400], "cut.pdf")
    first, second = str(caught.value).split("\n")
    assert first.startswith("cut.pdf: cannot read this PDF: it is damaged or incomplete")
    assert second.startswith("  (pypdf: ")


def test_a_label_shaped_running_header_is_furniture_but_a_speaker_starting_pages_is_not():
    pages = [
        [
            "Transcript: Focus group 3",
            "Interviewer: What helps you most",
            "at the clinic?",
            "Sam: When they ask first.",
        ],
        [
            "Transcript: Focus group 3",
            "Sam: And when they explain the plan.",
            "Interviewer: Thank you.",
        ],
        ["Transcript: Focus group 3", "Interviewer: Anything else?", "Sam: No."],
    ]
    parsed = parse_transcript(make_pdf(pages), "fg3.pdf")
    assert [(t.speaker, t.text) for t in parsed.turns] == [
        ("Interviewer", "What helps you most at the clinic?"),
        ("Sam", "When they ask first."),
        ("Sam", "And when they explain the plan."),
        ("Interviewer", "Thank you."),
        ("Interviewer", "Anything else?"),
        ("Sam", "No."),
    ]
    assert any("'Transcript: Focus group 3'" in w for w in parsed.warnings)
