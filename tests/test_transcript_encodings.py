"""Transcript bytes: the encodings files really arrive in, and files that are not text."""

import codecs
import random

import pytest

from workbench.errors import TranscriptError
from workbench.ingest.transcript import parse_transcript

TEXT = (
    "Facilitator: What did “working together” mean at the clinic?\n"
    "Zoë Müller: It’s when they ask me first – not after.\n"
    "Facilitator: Thank you.\n"
)
EXPECTED = [
    ("Facilitator", "What did “working together” mean at the clinic?"),
    ("Zoë Müller", "It’s when they ask me first – not after."),
    ("Facilitator", "Thank you."),
]


def turns(parsed):
    return [(t.speaker, t.text) for t in parsed.turns]


@pytest.mark.parametrize(
    "data, encoding",
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16-le"),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16-be"),
        (TEXT.encode("utf-16-le"), "utf-16-le"),  # Notepad-style "Unicode" without a BOM
        (TEXT.encode("utf-16-be"), "utf-16-be"),
        (TEXT.replace("\n", "\r\n").encode("utf-16"), None),  # Windows: BOM + CRLF
        (codecs.BOM_UTF32_LE + TEXT.encode("utf-32-le"), "utf-32-le"),
    ],
)
def test_unicode_encodings(data, encoding):
    parsed = parse_transcript(data, "fg.txt")
    assert turns(parsed) == EXPECTED
    if encoding:
        assert parsed.encoding == encoding
    assert not any("\ufeff" in t.text for t in parsed.turns)


def test_windows_1252_from_word_with_smart_quotes():
    data = (
        b"Moderator: Was the visit \x93shared\x94?\r\n"
        b"Jos\xe9: I\x92d say so \x96 they \x91asked\x92 me\x85\r\n"
    )
    parsed = parse_transcript(data, "word.txt")
    assert parsed.encoding == "cp1252"
    assert turns(parsed) == [
        ("Moderator", "Was the visit “shared”?"),
        ("José", "I’d say so – they ‘asked’ me…"),
    ]
    assert parsed.warnings == []


def test_explicit_encoding_is_used():
    data = "Ana: Für mich – ja.\nBo: Gut.\n".encode("latin-1", errors="replace")
    assert parse_transcript(data, "fg.txt", encoding="latin-1").turns[0].text == "Für mich ? ja."
    assert (
        parse_transcript(TEXT.encode("utf-16-le"), "fg.txt", encoding="utf-16-le").turns[1].speaker
        == "Zoë Müller"
    )


def test_explicit_wrong_encoding_names_the_line():
    data = b"Moderator: Hello.\nAna: Fine.\nBo: It was \x93good\x94.\n"
    with pytest.raises(
        TranscriptError,
        match=r"fg\.txt: line 3: byte 0x93 cannot be decoded as utf-8.*without --encoding",
    ):
        parse_transcript(data, "fg.txt", encoding="utf-8")


@pytest.mark.parametrize("name", ["no-such-codec", "rot13", "base64"])
def test_unknown_or_non_text_encoding_is_refused(name):
    with pytest.raises(TranscriptError, match=rf"fg\.txt: unknown text encoding '{name}'"):
        parse_transcript(b"Ana: hi\n", "fg.txt", encoding=name)


def test_explicit_latin1_does_not_let_binary_in():
    with pytest.raises(TranscriptError, match=r"fg\.txt: binary data"):
        parse_transcript(b"Ana: hi\x00\x01\n", "fg.txt", encoding="latin-1")


@pytest.mark.parametrize("bad", [0x81, 0x8D, 0x8F, 0x90, 0x9D])
def test_bytes_undefined_in_utf8_and_cp1252_are_refused(bad):
    data = b"Ana: first line\nBo: a \x93quote\x94 then " + bytes([bad]) + b" here\n"
    with pytest.raises(TranscriptError) as info:
        parse_transcript(data, "odd.txt")
    message = str(info.value)
    # The byte named is the one no encoding accepts, not the (valid cp1252) smart quote.
    assert message.startswith(f"odd.txt: line 2: byte 0x{bad:02x} is not valid UTF-8")
    assert "re-save the file as UTF-8" in message


@pytest.mark.parametrize(
    "data, what",
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10", "PNG image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG"),
        (b"\x1f\x8b\x08\x00", "gzip"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", r"\.doc"),
    ],
)
def test_known_binary_formats_are_named(data, what):
    with pytest.raises(TranscriptError, match=rf"file\.txt: this is (a|an) .*{what}"):
        parse_transcript(data, "file.txt")


def test_random_bytes_with_nuls_are_binary():
    rng = random.Random(7)
    data = bytes(rng.randrange(256) for _ in range(4000)) + b"\x00"
    with pytest.raises(TranscriptError, match=r"blob\.txt: binary data.*not a text transcript"):
        parse_transcript(data, "blob.txt")


def test_control_characters_without_nuls_are_binary():
    data = bytes(range(1, 9)) * 50 + b"Ana: hi\n"
    with pytest.raises(TranscriptError, match=r"ctl\.txt: binary data \(control characters"):
        parse_transcript(data, "ctl.txt")


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"   \n\t\r\n",
        codecs.BOM_UTF8,
        codecs.BOM_UTF8 + b" \n",
        " \r\n ".encode("utf-16"),
        b"\xa0\xa0\n",
    ],
)
def test_empty_or_whitespace_only_is_refused(data):
    with pytest.raises(TranscriptError, match=r"blank\.txt: the file is empty"):
        parse_transcript(data, "blank.txt")


def test_mojibake_in_the_file_is_warned_about():
    data = "Ana: It’s fine.\nBo: Yes.\n".encode().decode("cp1252").encode("utf-8")
    parsed = parse_transcript(data, "m.txt")
    assert any("line 1" in w and "mojibake" in w for w in parsed.warnings)


def test_utf16_vtt_from_teams_keeps_speakers():
    vtt = "WEBVTT\r\n\r\n0:0:1.0 --> 0:0:2.0\r\n<v Zoë>Señor, sí.</v>\r\n"
    parsed = parse_transcript(vtt.encode("utf-16"), "teams.vtt")
    assert turns(parsed) == [("Zoë", "Señor, sí.")]


def test_large_random_ascii_is_not_mistaken_for_binary():
    rng = random.Random(3)
    words = " ".join(rng.choice(["care", "plan", "visit", "team"]) for _ in range(5000))
    parsed = parse_transcript(f"Ana: {words}.\nBo: ok.\n".encode(), "big.txt")
    assert len(parsed.turns) == 2


def test_random_bytes_never_escape_as_another_exception():
    rng = random.Random(11)
    for size in (1, 2, 3, 17, 256, 4096):
        data = rng.randbytes(size)
        try:
            parse_transcript(data, "r.bin")
        except TranscriptError as exc:
            assert str(exc).startswith("r.bin")
