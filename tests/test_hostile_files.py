"""Every file a user receives is hostile until checked: the corpus of docs/bad-inputs.md
("Hostile files") through every command that reads a file.

Each case builds its hostile file (bombs that expand tens of megabytes from kilobytes, lying
zip directories, damaged entries, entities, deep nesting, wrong types, oversized fields; a few
made small with a low ``--limit``), runs the command in-process and checks: the documented
first line of the message, exit status 1, the project unchanged (a dump of every table before
and after; no project left behind by ``import-qdpx``) and the memory the command took
(tracemalloc's peak, far below what the bomb would expand to).
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import tracemalloc
import zipfile
from pathlib import Path

import hostile as H
import pytest
from helpers import documented, run

TRANSCRIPT = "Facilitator: Welcome.\n\nDr. Patel: We plan together.\n\nRuth: She listens.\n"
MB = 1 << 20
BOMB = 48 * MB  # what every bomb expands to
PEAK = 24 * MB  # the most memory any refusal may take (tracemalloc), half a bomb


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """A project with one transcript imported (copied for each case)."""
    folder = tmp_path_factory.mktemp("template")
    (folder / "fg1.txt").write_text(TRANSCRIPT)
    assert run("init", str(folder / "p.db")) == 0
    assert run("import", str(folder / "p.db"), str(folder / "fg1.txt")) == 0
    with sqlite3.connect(folder / "p.db") as conn:  # everything in the file itself, to be copied
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return folder / "p.db"


CASES = {}


def case(fn):
    CASES[fn.__name__.removeprefix("case_").replace("_", "-")] = fn
    return fn


# -- transcripts ------------------------------------------------------------------------


@case
def case_transcript_too_large(tmp):
    (tmp / "big.txt").write_text("Ann: " + "word " * 20_000)
    return ["--limit", "transcript-size=64K", "import", "p.db", "big.txt"]


@case
def case_transcript_one_long_turn(tmp):
    (tmp / "one.txt").write_text("Ann: " + "we talked " * 5_000 + "\n")
    return ["--limit", "field-length=10K", "import", "p.db", "one.txt"]


@case
def case_docx_bomb(tmp):
    H.zip_with_bomb(
        tmp / "bomb.docx",
        {k: v for k, v in H.docx_members().items() if k != "word/document.xml"},
        "word/document.xml",
        BOMB,
    )
    return ["import", "p.db", "bomb.docx"]


@case
def case_docx_directory_lies(tmp):
    members = H.docx_members()
    members["word/document.xml"] += b" " * 5000
    H.write_zip(tmp / "lies.docx", members)
    H.patch_entry(
        tmp / "lies.docx", "word/document.xml", file_size=len(members["word/document.xml"]) - 4000
    )
    return ["import", "p.db", "lies.docx"]


@case
def case_docx_entities(tmp):
    members = H.docx_members()
    members["word/document.xml"] = H.BILLION_LAUGHS + b"<lolz>&lol9;</lolz>"
    H.write_zip(tmp / "laughs.docx", members)
    return ["import", "p.db", "laughs.docx"]


@case
def case_docx_unsupported_compression(tmp):
    H.write_zip(tmp / "lzma.docx", H.docx_members(), method=zipfile.ZIP_LZMA)
    return ["import", "p.db", "lzma.docx"]


@case
def case_pdf_stream_bomb(tmp):
    (tmp / "bomb.pdf").write_bytes(H.pdf_with_flate_stream(BOMB))
    return ["--limit", "document-size=4M", "import", "p.db", "bomb.pdf"]


# -- rosters and codebooks --------------------------------------------------------------


@case
def case_roster_deep_toml(tmp):
    (tmp / "fg2.txt").write_text(TRANSCRIPT)
    (tmp / "roster.toml").write_text('[speakers]\n"Ruth" = ' + "[" * 50_000 + "]" * 50_000 + "\n")
    return ["import", "p.db", "fg2.txt", "--roster", "roster.toml"]


@case
def case_roster_long_field(tmp):
    (tmp / "fg2.txt").write_text(TRANSCRIPT)
    (tmp / "roster.csv").write_text("speaker,role\nRuth," + "P" * 5000 + "\n")
    return ["--limit", "field-length=1K", "import", "p.db", "fg2.txt", "--roster", "roster.csv"]


@case
def case_codebook_deep_init(tmp):
    (tmp / "deep.toml").write_text("[codebook]\nname = " + "[" * 50_000 + "]" * 50_000 + "\n")
    return ["init", "new.db", "--codebook", "deep.toml"]


@case
def case_codebook_deep_replace(tmp):
    (tmp / "deep.toml").write_text("[codebook]\nname = " + "[" * 50_000 + "]" * 50_000 + "\n")
    return ["codebook", "p.db", "--replace", "deep.toml"]


@case
def case_codebook_too_large(tmp):
    (tmp / "big.toml").write_text(
        '[codebook]\nname = "Big"\ndescription = "' + "x" * (2 * MB) + '"\n'
    )
    return ["codebook", "p.db", "--replace", "big.toml"]


# -- coding sheets ----------------------------------------------------------------------

SHEET = "ref,coder,category,themes,memo,unsure,exemplar\n"


@case
def case_sheet_long_field(tmp):
    (tmp / "ana.csv").write_text(SHEET + 'FG1-002,ana,defining,,"' + "m" * (MB + 10) + '",,\n')
    return ["codings", "import", "p.db", "ana.csv"]


@case
def case_sheet_bare_carriage_return(tmp):
    (tmp / "ana.csv").write_bytes((SHEET + "FG1-002,ana,defining,,first\rsecond,,\n").encode())
    return ["codings", "import", "p.db", "ana.csv"]


@case
def case_sheet_coder_zero_width(tmp):
    (tmp / "ana.csv").write_text(SHEET + "FG1-002,agreed\u200b,defining,,,,\n", encoding="utf-8")
    return ["codings", "import", "p.db", "ana.csv"]


@case
def case_sheet_coder_cyrillic(tmp):
    (tmp / "ana.csv").write_text(SHEET + "FG1-002,\u0430greed,defining,,,,\n", encoding="utf-8")
    return ["codings", "import", "p.db", "ana.csv"]


@case
def case_xlsx_entity_expansion(tmp):
    members = H.xlsx_members([["ref", "coder", "category"], ["FG1-002", "ana", "defining"]])
    members["xl/sharedStrings.xml"] = H.BILLION_LAUGHS + b"<lolz>&lol9;</lolz>"
    H.write_zip(tmp / "laughs.xlsx", members)
    return ["codings", "import", "p.db", "laughs.xlsx"]


@case
def case_xlsx_external_entity(tmp):
    members = H.xlsx_members([["ref", "coder", "category"], ["FG1-002", "ana", "defining"]])
    members["xl/worksheets/sheet1.xml"] = H.EXTERNAL_ENTITY + b"<r>&xxe;</r>"
    H.write_zip(tmp / "xxe.xlsx", members)
    return ["codings", "import", "p.db", "xxe.xlsx"]


@case
def case_xlsx_truncated(tmp):
    H.write_zip(
        tmp / "whole.xlsx",
        H.xlsx_members([["ref", "coder", "category"], ["FG1-002", "ana", "defining"]]),
    )
    data = (tmp / "whole.xlsx").read_bytes()
    (tmp / "cut.xlsx").write_bytes(data[: len(data) // 2])
    return ["codings", "import", "p.db", "cut.xlsx"]


@case
def case_xlsx_bomb(tmp):
    members = H.xlsx_members([["ref", "coder", "category"]])
    H.zip_with_bomb(
        tmp / "bomb.xlsx",
        {k: v for k, v in members.items() if k != "xl/worksheets/sheet1.xml"},
        "xl/worksheets/sheet1.xml",
        BOMB,
    )
    return ["codings", "import", "p.db", "bomb.xlsx"]


@case
def case_xlsx_far_cell(tmp):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["ref", "coder", "category"])
    book.active["XFD2"] = "far away"  # the sheet claims 16,384 columns
    book.save(tmp / "far.xlsx")
    return ["--limit", "elements=1000", "codings", "import", "p.db", "far.xlsx"]


# -- coder packages ---------------------------------------------------------------------


@case
def case_package_deep(tmp):
    H.write_json(
        tmp / "deep.json",
        '{"format": "workbench-coder-package", "version": 1, "coder": '
        + H.nested_json(100_000)
        + "}",
    )
    return ["coder", "import", "p.db", "deep.json"]


@case
def case_package_themes_a_number(tmp):
    data = H.package()
    data["codings"][0]["themes"] = 3
    H.write_json(tmp / "ana.json", data)
    return ["coder", "import", "p.db", "ana.json"]


@case
def case_package_transcripts_not_objects(tmp):
    H.write_json(tmp / "ana.json", H.package(transcripts=[1, "fg1.txt"]))
    return ["coder", "import", "p.db", "ana.json"]


@case
def case_package_huge_memo(tmp):
    data = H.package()
    data["codings"][0]["memo"] = "m" * 100_000
    H.write_json(tmp / "ana.json", data)
    return ["--limit", "field-length=1K", "coder", "import", "p.db", "ana.json"]


@case
def case_package_too_large(tmp):
    data = H.package()
    data["codings"][0]["memo"] = "m" * 100_000
    H.write_json(tmp / "big.json", data)
    return ["--limit", "document-size=64K", "coder", "import", "p.db", "big.json"]


@case
def case_package_many_lists(tmp):
    H.write_json(tmp / "lists.json", H.package(padding=[[] for _ in range(2000)]))
    return ["--limit", "elements=1000", "coder", "import", "p.db", "lists.json"]


@case
def case_package_coder_zero_width(tmp):
    H.write_json(tmp / "ana.json", H.package(coder="agreed\u200b"))
    return ["coder", "import", "p.db", "ana.json"]


@case
def case_package_coder_cyrillic(tmp):
    H.write_json(tmp / "ana.json", H.package(coder="\u0430greed"))
    return ["coder", "import", "p.db", "ana.json"]


@case
def case_package_coder_like_existing(tmp):
    assert run("codings", "import", "p.db", str(_sheet(tmp, "ana"))) == 0
    H.write_json(tmp / "ana.json", H.package(coder="\u0430na"))
    return ["coder", "import", "p.db", "ana.json"]


def _sheet(tmp, coder):
    path = tmp / f"{coder}-sheet.csv"
    path.write_text(SHEET + f"FG1-002,{coder},defining,,,,\n")
    return path


# -- the coding screen's --coder --------------------------------------------------------


@case
def case_code_coder_zero_width(tmp):
    return ["code", "p.db", "--coder", "agreed\u200b"]


@case
def case_code_coder_cyrillic(tmp):
    return ["code", "p.db", "--coder", "\u0430greed"]


# -- REFI-QDA ---------------------------------------------------------------------------


def _qdpx(tmp, name, **members):
    return H.write_zip(
        tmp / name, {"project.qde": H.qde(sources=H.text_source("One", TRANSCRIPT)), **members}
    )


@case
def case_qdpx_entry_bomb(tmp):
    H.zip_with_bomb(tmp / "bomb.qdpx", {}, "project.qde", BOMB)
    return ["import-qdpx", "bomb.qdpx", "--out", "new.db"]


@case
def case_qdpx_source_bomb(tmp):
    H.zip_with_bomb(
        tmp / "bomb.qdpx",
        {
            "project.qde": H.qde(
                sources='<TextSource guid="{00000001-0000-0000-0000-000000000000}" name="One" '
                'plainTextPath="internal://one.txt"/>'
            )
        },
        "sources/one.txt",
        BOMB,
    )
    return ["import-qdpx", "bomb.qdpx", "--out", "new.db"]


@case
def case_qdpx_entry_too_large(tmp):
    import os

    _qdpx(tmp, "big.qdpx", **{"sources/noise.bin": os.urandom(2 * MB)})
    return ["--limit", "entry-size=1M", "import-qdpx", "big.qdpx", "--out", "new.db"]


@case
def case_qdpx_unsupported_compression(tmp):
    _qdpx(tmp, "odd.qdpx")
    H.patch_entry(tmp / "odd.qdpx", "project.qde", compress_type=99)
    return ["import-qdpx", "odd.qdpx", "--out", "new.db"]


@case
def case_qdpx_encrypted(tmp):
    _qdpx(tmp, "locked.qdpx")
    H.patch_entry(tmp / "locked.qdpx", "project.qde", flag_bits=1)
    return ["import-qdpx", "locked.qdpx", "--out", "new.db"]


@case
def case_qdpx_bad_crc(tmp):
    _qdpx(tmp, "crc.qdpx")
    H.patch_entry(tmp / "crc.qdpx", "project.qde", crc=12345)
    return ["import-qdpx", "crc.qdpx", "--out", "new.db"]


@case
def case_qdpx_directory_says_more(tmp):
    _qdpx(tmp, "more.qdpx")
    H.patch_entry(tmp / "more.qdpx", "project.qde", file_size=900_000)
    return ["import-qdpx", "more.qdpx", "--out", "new.db"]


@case
def case_qdpx_long_single_line_source(tmp):
    H.write_zip(
        tmp / "line.qdpx",
        {"project.qde": H.qde(sources=H.text_source("One", "Ann: " + "word " * 20_000))},
    )
    return ["--limit", "field-length=10K", "import-qdpx", "line.qdpx", "--out", "new.db"]


@case
def case_qdpx_source_too_large(tmp):
    H.write_zip(
        tmp / "big.qdpx",
        {
            "project.qde": H.qde(
                sources='<TextSource guid="{00000001-0000-0000-0000-000000000000}" name="One" '
                'plainTextPath="internal://one.txt"/>'
            ),
            "sources/one.txt": b"Ann: " + b"word " * 20_000,
        },
    )
    return ["--limit", "transcript-size=64K", "import-qdpx", "big.qdpx", "--out", "new.db"]


@case
def case_qdpx_deep_codes(tmp):
    H.write_zip(tmp / "deep.qdpx", {"project.qde": H.qde(codes=H.nested_codes(5000))})
    return ["import-qdpx", "deep.qdpx", "--out", "new.db"]


@case
def case_qdpx_entity_expansion(tmp):
    H.write_zip(tmp / "laughs.qdpx", {"project.qde": H.qde(prolog=H.BILLION_LAUGHS)})
    return ["import-qdpx", "laughs.qdpx", "--out", "new.db"]


@case
def case_qdpx_external_entity(tmp):
    H.write_zip(tmp / "xxe.qdpx", {"project.qde": H.qde(prolog=H.EXTERNAL_ENTITY)})
    return ["import-qdpx", "xxe.qdpx", "--out", "new.db"]


@case
def case_qdpx_many_elements(tmp):
    codes = "".join(
        f'<Code guid="{{{i:08d}-0000-0000-0000-000000000000}}" name="c{i}"/>' for i in range(2000)
    )
    H.write_zip(tmp / "many.qdpx", {"project.qde": H.qde(codes=codes)})
    return ["--limit", "elements=1000", "import-qdpx", "many.qdpx", "--out", "new.db"]


@case
def case_qdpx_too_many_entries(tmp):
    _qdpx(tmp, "files.qdpx", **{f"sources/{i}.txt": b"x" for i in range(20)})
    return ["--limit", "entries=10", "import-qdpx", "files.qdpx", "--out", "new.db"]


@case
def case_qdpx_huge_note(tmp):
    note = (
        '<Note guid="{00000009-0000-0000-0000-000000000000}" name="n"><PlainTextContent>'
        + "n" * 5000
        + "</PlainTextContent></Note>"
    )
    H.write_zip(
        tmp / "note.qdpx",
        {"project.qde": H.qde(sources=H.text_source("One", TRANSCRIPT), notes=note)},
    )
    return ["--limit", "field-length=1K", "import-qdpx", "note.qdpx", "--out", "new.db"]


@case
def case_qdc_deep(tmp):
    (tmp / "deep.qdc").write_text(
        '<?xml version="1.0"?><CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
        + H.nested_codes(5000)
        + "</Codes></CodeBook>"
    )
    return ["import-qdc", "deep.qdc", "--out", "deep.toml"]


@case
def case_qdc_entity_expansion(tmp):
    (tmp / "laughs.qdc").write_bytes(
        H.BILLION_LAUGHS + b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0">&lol9;</CodeBook>'
    )
    return ["import-qdc", "laughs.qdc", "--out", "laughs.toml"]


# -- the tests --------------------------------------------------------------------------


def test_every_documented_case_is_tested_and_vice_versa():
    assert set(documented("Hostile files")) == set(CASES)


def _dump(folder: Path) -> dict[str, str]:
    """Each project's every table (SQL dump, hashed) and every other file's bytes (hashed)."""
    state = {}
    for path in sorted(folder.iterdir()):
        if path.name.endswith(("-wal", "-shm")) or not path.is_file():
            continue
        if path.suffix == ".db":
            with sqlite3.connect(path) as conn:
                state[path.name] = hashlib.sha256("\n".join(conn.iterdump()).encode()).hexdigest()
            conn.close()
        else:
            state[path.name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return state


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_file(name, template, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    shutil.copy(template, tmp_path / "p.db")
    args = CASES[name](tmp_path)
    before = _dump(tmp_path)
    capsys.readouterr()
    tracemalloc.start()
    try:
        status = run(*args)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    err = capsys.readouterr().err
    assert status == 1, err
    assert err.splitlines()[0] == documented("Hostile files")[name]
    assert _dump(tmp_path) == before, "a refused file changed something"
    assert peak < PEAK, f"{peak / MB:.1f} MB"
