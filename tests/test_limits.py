"""The reading policy: one table of limits, overridable; shapes; reading files, zips and XML
within it; text made safe for a terminal."""

from __future__ import annotations

import io
import re
from pathlib import Path

import hostile as H
import pytest
from helpers import run_cli

from workbench import limits
from workbench.errors import LimitError, WorkbenchError
from workbench.files import load_json, parse_xml, read_bytes, read_csv
from workbench.plain import printable
from workbench.shapes import ANY, check, nullable, optional
from workbench.zips import Archive

DOC = Path(__file__).resolve().parents[1] / "docs" / "bad-inputs.md"


class Refused(WorkbenchError):
    pass


# -- the policy -------------------------------------------------------------------------


def test_the_documented_table_is_the_policy():
    text = DOC.read_text(encoding="utf-8").split("## Limits", 1)[1]
    rows = re.findall(r"^\| `([\w-]+)` \| `([\w.]+)` \|", text, re.MULTILINE)
    assert [name for name, _ in rows] == list(limits.LIMITS)
    for name, value in rows:
        assert limits.parse(f"{name}={value}", "doc") == (name, limits.LIMITS[name].default)


@pytest.mark.parametrize(
    "pair, expected",
    [
        ("transcript-size=64M", ("transcript-size", 64 * limits.M)),
        ("file-size=1.5G", ("file-size", int(1.5 * limits.G))),
        ("field-length=10k", ("field-length", 10 * 1024)),
        ("depth=200", ("depth", 200)),
        ("ENTRIES = 20", ("entries", 20)),
        ("entry-size=64MB", ("entry-size", 64 * limits.M)),
        ("entry-size=64MiB", ("entry-size", 64 * limits.M)),
    ],
)
def test_values_parse(pair, expected):
    assert limits.parse(pair, "--limit") == expected


@pytest.mark.parametrize(
    "pair, message",
    [
        ("size=1M", "give NAME=VALUE with a NAME from file-size"),
        ("depth", "give NAME=VALUE"),
        ("depth=10M", "depth takes a whole number"),
        ("file-size=lots", "a whole number of bytes"),
        ("depth=0", "at least 1"),
    ],
)
def test_bad_values_are_refused(pair, message):
    with pytest.raises(LimitError, match=message):
        limits.parse(pair, "--limit")


def test_the_option_and_the_environment_raise_a_limit(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "big.txt").write_text("Ann: " + "word " * 20_000 + "\n")
    assert run_cli(capsys, "init", "p.db")[0] == 0
    monkeypatch.setenv(limits.ENV, "transcript-size=64K")
    code, _, err = run_cli(capsys, "import", "p.db", "big.txt")
    assert code == 1 and "over the transcript-size limit of 64.0 KB" in err
    code, _, err = run_cli(capsys, "--limit", "transcript-size=1M", "import", "p.db", "big.txt")
    assert code == 0, err  # the option wins over the environment
    assert limits.value("transcript-size") == limits.M  # this command's; the next one starts afresh
    run_cli(capsys, "status", "p.db")
    assert limits.value("transcript-size") == 64 * limits.K


def test_a_bad_limit_is_a_usage_error(capsys, monkeypatch):
    code, _, err = run_cli(capsys, "--limit", "speed=11", "status", "p.db")
    assert code == 2 and "--limit 'speed=11': give NAME=VALUE" in err
    monkeypatch.setenv(limits.ENV, "depth=deep")
    code, _, err = run_cli(capsys, "status", "p.db")
    assert code == 2 and "WORKBENCH_LIMITS 'depth=deep': depth takes a whole number" in err


def test_overridden_is_for_a_block_only():
    with limits.overridden(field_length=10):
        assert limits.value("field-length") == 10
    assert limits.value("field-length") == limits.LIMITS["field-length"].default
    with pytest.raises(LimitError, match="no limit named 'speed'"), limits.overridden(speed=1):
        pass


def test_messages_say_how_to_raise_the_limit():
    error = limits.refuse("x.json", "the text is 3,000 characters", "field-length", 3000)
    assert str(error) == (
        "x.json: the text is 3,000 characters, over the field-length limit of 1,048,576 characters; "
        "nothing was changed. If the file is genuine, raise the limit: workbench --limit "
        "field-length=2M ... (see docs/bad-inputs.md)"
    )  # twice the limit when it is not past it
    assert "--limit entry-ratio=1024 " in str(
        limits.refuse("a", "it expands 1,000 times", "entry-ratio", 1000)
    )
    assert str(limits.refuse("a", "its nesting goes beyond", "depth")).startswith(
        "a: its nesting goes beyond the depth limit of 64 levels; "
    )


# -- reading files ----------------------------------------------------------------------


def test_read_bytes_checks_the_size_before_reading(tmp_path):
    (tmp_path / "f.txt").write_bytes(b"x" * 2000)
    with (
        limits.overridden(config_size=1000),
        pytest.raises(LimitError, match="f.txt: the roster is 2.0 KB, over the config-size limit"),
    ):
        read_bytes(tmp_path / "f.txt", "config-size", "roster", Refused)
    with pytest.raises(Refused, match="is a folder"):
        read_bytes(tmp_path, "config-size", "roster", Refused)
    with pytest.raises(Refused, match="no such file"):
        read_bytes(tmp_path / "nothing.txt", "config-size", "roster", Refused)


def test_read_bytes_stops_a_file_without_a_size_at_the_limit():
    """/dev/zero says it is empty and never ends: read up to the limit, then refused."""
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero")
    with (
        limits.overridden(config_size=4096),
        pytest.raises(
            LimitError, match="the roster is 4.0 KB, over the config-size limit of 4.0 KB"
        ),
    ):
        read_bytes("/dev/zero", "config-size", "roster", Refused)


def test_json_nesting_and_lists_are_limited():
    assert load_json("[[1]]", "x") == [[1]]
    with pytest.raises(LimitError, match="its nesting goes beyond the depth limit"):
        load_json(H.nested_json(200_000), "x")
    with (
        limits.overridden(elements=10),
        pytest.raises(LimitError, match="up to 11 objects and lists"),
    ):
        load_json("[" + ",".join(["[]"] * 10) + "]", "x")


def test_csv_line_ends_and_fields():
    assert read_csv('a,b\r\n"x\r\ny",z\rq,r\n', "s.csv", Refused) == [
        ["a", "b"],
        ["x\r\ny", "z"],
        ["q", "r"],
    ]
    with (
        limits.overridden(field_length=5),
        pytest.raises(LimitError, match="s.csv: line 2: a field goes beyond"),
    ):
        read_csv("a\nabcdefgh\n", "s.csv", Refused)
    with (
        limits.overridden(elements=3),
        pytest.raises(LimitError, match="its cells go beyond the elements limit"),
    ):
        read_csv("a,b\nc,d\n", "s.csv", Refused)


def test_xml_without_dtd_depth_and_elements():
    root = parse_xml(
        b'<?xml version="1.0"?><!-- a comment --><r><a/><b>t</b></r>', "x.xml", Refused
    )
    assert [child.tag for child in root] == ["a", "b"]
    with pytest.raises(Refused, match="declares a DTD"):
        parse_xml(H.BILLION_LAUGHS + b"<lolz>&lol9;</lolz>", "x.xml", Refused)
    with pytest.raises(Refused, match="declares a DTD"):
        parse_xml(b'<!DOCTYPE r SYSTEM "http://example.invalid/r.dtd"><r/>', "x.xml", Refused)
    with pytest.raises(LimitError, match="its nesting goes beyond the depth limit of 64 levels"):
        parse_xml(b"<a>" * 65 + b"</a>" * 65, "x.xml", Refused)
    parse_xml(b"<a>" * 64 + b"</a>" * 64, "x.xml", Refused)
    with limits.overridden(elements=5), pytest.raises(LimitError, match="its elements go beyond"):
        parse_xml(b"<r>" + b"<a/>" * 5 + b"</r>", "x.xml", Refused)
    with pytest.raises(Refused, match="not well-formed XML"):
        parse_xml(b"<r>", "x.xml", Refused)


# -- zip archives -----------------------------------------------------------------------


def test_an_archive_is_checked_from_its_directory(tmp_path):
    H.zip_with_bomb(tmp_path / "b.zip", {"ok.txt": b"fine"}, "bomb.txt", 8 * limits.M)
    with pytest.raises(LimitError, match="bomb.txt: it expands 1,02[0-9] times"):
        Archive(tmp_path / "b.zip", "b.zip", Refused, "hint")
    with (
        limits.overridden(entry_ratio=2000, entry_size=4 * limits.M),
        pytest.raises(
            LimitError, match="its uncompressed size is 8.0 MB, over the entry-size limit of 4.0 MB"
        ),
    ):
        Archive(tmp_path / "b.zip", "b.zip", Refused, "hint")
    with (
        limits.overridden(entry_ratio=2000, archive_size=4 * limits.M),
        pytest.raises(LimitError, match="its entries expand to 8.0 MB in all"),
    ):
        Archive(tmp_path / "b.zip", "b.zip", Refused, "hint", whole=True)


def test_reads_are_counted_against_the_archive_size(tmp_path):
    H.write_zip(tmp_path / "two.zip", {"a": b"a" * 3000, "b": b"b" * 3000})
    with (
        limits.overridden(archive_size=5000),
        Archive(tmp_path / "two.zip", "two.zip", Refused, "hint") as archive,
    ):
        archive.read(archive.infos[0])
        with pytest.raises(LimitError, match="its entries expand beyond the archive-size limit"):
            archive.read(archive.infos[1])


def test_a_directory_that_says_less_than_the_data_fails_its_crc(tmp_path):
    H.write_zip(tmp_path / "l.zip", {"a.xml": b"<r>" + b" " * 5000 + b"</r>"})
    H.patch_entry(tmp_path / "l.zip", "a.xml", file_size=100)
    with (
        Archive(tmp_path / "l.zip", "l.zip", Refused, "hint") as archive,
        pytest.raises(Refused, match="a.xml is damaged \\(its data fails the CRC check\\); hint"),
    ):
        archive.read(archive.infos[0])


def test_a_directory_too_large_for_its_entries_is_refused_before_it_is_read(tmp_path):
    H.write_zip(tmp_path / "many.zip", {f"{i}.txt": b"" for i in range(30)})
    with (
        limits.overridden(entries=20),
        pytest.raises(LimitError, match="the number of entries is 30"),
    ):
        Archive(tmp_path / "many.zip", "many.zip", Refused, "hint")


def test_not_a_zip(tmp_path):
    with pytest.raises(
        Refused, match="x.zip: not a Word document, or a damaged one \\(the zip cannot be read"
    ):
        Archive(b"PK\x03\x04 and then nothing", "x.zip", Refused, "hint", kind="a Word document")


def test_verify_streams_every_entry_and_refuses_a_dtd_in_any_xml_part(tmp_path):
    utf16 = (
        '<?xml version="1.0" encoding="utf-16"?><!DOCTYPE r [<!ENTITY a "b">]><r>&a;</r>'.encode(
            "utf-16"
        )
    )
    H.write_zip(
        tmp_path / "x.zip",
        {"image.png": b"\x89PNG....", "a.xml": b"<!-- c --><r/>", "odd.bin": utf16},
    )
    with (
        Archive(tmp_path / "x.zip", "x.zip", Refused, "hint") as archive,
        pytest.raises(Refused, match="x.zip: odd.bin: declares a DTD"),
    ):
        archive.verify()


# -- shapes -----------------------------------------------------------------------------

SHAPE = {
    "name": str,
    "n": int,
    "ok": bool,
    "score": optional(float),
    "tags": [str],
    "row": (str, nullable(int)),
    "extra": optional(ANY),
}


@pytest.mark.parametrize(
    "document, message",
    [
        ([], "x.json: the document: must be an object, not a list of 0"),
        ({"n": 1, "ok": True, "tags": [], "row": ["a", 1]}, "x.json: name: missing"),
        (
            {"name": 3, "n": 1, "ok": True, "tags": [], "row": ["a", 1]},
            "x.json: name: must be text, not a number \\(3\\)",
        ),
        (
            {"name": "a", "n": True, "ok": True, "tags": [], "row": ["a", 1]},
            "n: must be a whole number, not true",
        ),
        (
            {"name": "a", "n": 1, "ok": 1, "tags": [], "row": ["a", 1]},
            "ok: must be true or false, not a number",
        ),
        (
            {"name": "a", "n": 1, "ok": True, "tags": ["a", {}], "row": ["a", 1]},
            "tags #2: must be text, not an object",
        ),
        (
            {"name": "a", "n": 1, "ok": True, "tags": [], "row": ["a"]},
            "row: must be a list of 2, not a list of 1",
        ),
        (
            {"name": "a", "n": 1, "ok": True, "tags": [], "row": ["a", "b"]},
            "row #2: must be a whole number",
        ),
        (
            {"name": "a", "n": 1, "ok": True, "tags": [], "row": ["a", None], "score": "high"},
            "score: must be a number",
        ),
        (
            {"name": "a", "n": 1, "ok": True, "tags": {}, "row": ["a", 1]},
            "tags: must be a list of text, not an object",
        ),
    ],
)
def test_a_wrong_type_names_the_field(document, message):
    with pytest.raises(Refused, match=message):
        check(document, SHAPE, "x.json", Refused)


def test_a_list_of_objects_that_is_not_a_list():
    """Found by the package fuzz: a shape of a list of objects, given an object."""
    with pytest.raises(Refused, match="codings: must be a list, not an object"):
        check({"codings": {}}, {"codings": [{"ref": str}]}, "x.json", Refused)


def test_shapes_hold_every_text_and_every_depth():
    good = {
        "name": "a",
        "n": 1,
        "ok": False,
        "tags": [],
        "row": ["a", None],
        "score": 2,
        "extra": {"any": [1, "x"]},
    }
    check(good, SHAPE, "x.json", Refused)
    with (
        limits.overridden(field_length=3),
        pytest.raises(LimitError, match="extra → any #2: the text is 4 charact"),
    ):
        check({**good, "extra": {"any": [1, "four"]}}, SHAPE, "x.json", Refused)
    deep = [[]]
    for _ in range(70):
        deep = [deep]
    with pytest.raises(LimitError, match="its nesting goes beyond the depth limit"):
        check({**good, "extra": deep}, SHAPE, "x.json", Refused)


# -- text on a terminal -----------------------------------------------------------------


@pytest.mark.parametrize(
    "text, shown",
    [
        ("plain words, “quotes” and ü", "plain words, “quotes” and ü"),
        ("line\nnext\ttab", "line\nnext\ttab"),
        ("crlf\r\nline", "crlf\nline"),
        ("red \x1b[31mALERT\x1b[0m", "red \\x1b[31mALERT\\x1b[0m"),
        ("clear\x1b[2J\x1b[H", "clear\\x1b[2J\\x1b[H"),
        ("bell\x07 back\x08 cr\r", "bell\\x07 back\\x08 cr\\x0d"),
        ("C1 \x9b31m", "C1 \\x9b31m"),
        ("evil\u202etxt.exe", "evil\\u202etxt.exe"),
        ("agreed\u200b", "agreed\\u200b"),
        ("tag\U000e0041", "tag\\U000e0041"),
        ("emoji 👩\u200d👩\u200d👧 and so\u00adft", "emoji 👩\u200d👩\u200d👧 and so\u00adft"),
    ],
)
def test_printable(text, shown):
    assert printable(text) == shown


def test_the_cli_escapes_what_it_prints_to_a_terminal_and_keeps_it_in_a_pipe(
    tmp_path, monkeypatch, capsys
):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "fg1.txt").write_text("Ann: We met today.\n\nBob: Right, yes.\n")
    (tmp_path / "s.csv").write_text(
        'ref,coder,category,memo\nFG1-002,ana,defining,"red \x1b[31mALERT \u202eyes"\n'
    )
    for args in (
        ["init", "p.db"],
        ["import", "p.db", "fg1.txt"],
        ["codings", "import", "p.db", "s.csv"],
    ):
        assert run_cli(capsys, *args)[0] == 0
    code, out, _ = run_cli(capsys, "audit", "p.db")
    assert code == 0 and "ALERT \u202eyes" in out  # redirected: the stored text

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    terminal = Terminal()
    monkeypatch.setattr("sys.stdout", terminal)
    assert run_cli(capsys, "audit", "p.db")[0] == 0
    shown = terminal.getvalue()
    assert "ALERT \\u202eyes" in shown and "\u202e" not in shown and "\x1b" not in shown
