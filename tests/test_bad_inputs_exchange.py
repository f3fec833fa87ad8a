"""docs/bad-inputs.md, "Codebooks from other programs" (each a refusal: exactly that first line,
exit status 1, nothing written) and "What an import from another program reports" (each a line of
the import's summary: the import goes on)."""

import uuid
import zipfile

import pytest
from helpers import documented, run

REFUSED = "Codebooks from other programs"
REPORTED = "What an import from another program reports"


def _csv(tmp, name, text):
    (tmp / name).write_text(text, encoding="utf-8")
    return ["init", "p.db", "--codebook", name]


def refused_codebook_pdf(tmp):
    (tmp / "codebook.pdf").write_bytes(b"%PDF-1.4\n%...")
    return ["init", "p.db", "--codebook", "codebook.pdf"]


def refused_codebook_word(tmp):
    (tmp / "codebook.docx").write_bytes(b"PK\x03\x04 a Word document")
    assert run("init", "p.db") == 0
    return ["codebook", "p.db", "--replace", "codebook.docx"]


def refused_codebook_table_no_code_column(tmp):
    return _csv(tmp, "codes.csv", "Colour,Count\nred,1\n")


def refused_codebook_table_code_twice(tmp):
    return _csv(tmp, "codes.csv", "Code,Memo\nListening,Heard\nAsking,Questions\nListening,Again\n")


def refused_codebook_table_no_code_name(tmp):
    return _csv(tmp, "codes.csv", "Code,Memo\nListening,Heard\n,Questions\n")


def refused_codebook_table_parent_loop(tmp):
    return _csv(tmp, "codes.csv", "Code,Parent\nListening,Asking\nAsking,Listening\n")


def refused_codebook_table_header_only(tmp):
    return _csv(tmp, "codes.csv", "Code,Description\n")


def refused_codebook_table_damaged_xlsx(tmp):
    (tmp / "codes.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    return ["init", "p.db", "--codebook", "codes.xlsx"]


def refused_codebook_xlsx_entities(tmp):
    import hostile as H

    members = H.xlsx_members([["Code", "Memo"], ["Listening", "Heard"]])
    members["xl/sharedStrings.xml"] = H.BILLION_LAUGHS + b"<lolz>&lol9;</lolz>"
    H.write_zip(tmp / "laughs.xlsx", members)
    return ["init", "p.db", "--codebook", "laughs.xlsx"]


def refused_codebook_xlsx_bomb(tmp):
    import hostile as H

    members = H.xlsx_members([["Code", "Memo"]])
    sheet = "xl/worksheets/sheet1.xml"
    H.zip_with_bomb(
        tmp / "bomb.xlsx", {k: v for k, v in members.items() if k != sheet}, sheet, 48 << 20
    )
    return ["init", "p.db", "--codebook", "bomb.xlsx"]


def refused_codebook_csv_too_large(tmp):
    return _csv(
        tmp, "big.csv", "Code,Memo\n" + "".join(f"Code {n},{'x' * 200}\n" for n in range(6000))
    )


def G(name: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, name)).upper()


TEXT = (
    "Moderator: Welcome 😀\r\n\r\nAnn: We plan the visit together.\r\n\r\nBob: Nobody asked me.\r\n"
)


def _qdpx(
    tmp,
    origin="NVivo for Windows 12.6",
    users=(("Carol", "carol"),),
    codes=None,
    source='name="Clinic"',
    selection=None,
    extra="",
):
    codes = codes or f'<Code guid="{G("eff")}" name="Effective"/>'
    start = len(TEXT[: TEXT.index("We plan")].encode("utf-16-le")) // 2
    end = start + len("We plan the visit together.")
    selection = selection or (start, end, "carol")
    user_xml = "".join(f'<User guid="{G(g)}" name="{n}"/>' for n, g in users)
    qde = (
        f'<?xml version="1.0"?><Project xmlns="urn:QDA-XML:project:1.0" name="Study" '
        f'origin="{origin}">'
        f"<Users>{user_xml}</Users><CodeBook><Codes>{codes}</Codes></CodeBook><Sources>"
        f'<TextSource guid="{G("src")}" {source} plainTextPath="internal://{G("src")}.txt">'
        f'<PlainTextSelection guid="{G("sel")}" startPosition="{selection[0]}" '
        f'endPosition="{selection[1]}" '
        f'creatingUser="{G(selection[2])}"><Coding guid="{G("c")}" '
        f'creatingUser="{G(selection[2])}">'
        f'<CodeRef targetGUID="{G("eff")}"/></Coding></PlainTextSelection></TextSource></Sources>'
        f"{extra}</Project>"
    )
    with zipfile.ZipFile(tmp / "other.qdpx", "w") as archive:
        archive.writestr("project.qde", qde)
        archive.writestr(f"Sources/{G('src')}.txt", TEXT.encode("utf-8"))
    return ["import-qdpx", "other.qdpx", "--out", "new.db"]


def reported_positions(tmp):
    return _qdpx(tmp)


def reported_same_name(tmp):
    codes = (
        f'<Code guid="{G("eff")}" name="Effective"><Code guid="{G("a")}" name="Listening"/></Code>'
        f'<Code guid="{G("ineff")}" name="Ineffective"><Code guid="{G("b")}" '
        'name="Listening"/></Code>'
    )
    return _qdpx(tmp, codes=codes)


def reported_no_shortcut(tmp):
    codes = (
        f'<Code guid="{G("eff")}" name="Effective">'
        + "".join(f'<Code guid="{G(str(n))}" name="Theme {n}"/>' for n in range(60))
        + "</Code>"
    )
    return _qdpx(tmp, codes=codes)


def reported_program_user(tmp):
    return _qdpx(tmp, origin="ATLAS.ti 9.1", users=(("ATLAS.ti", "atlas"), ("Carol", "carol")))


def reported_program_user_codings(tmp):
    start = len(TEXT[: TEXT.index("We plan")].encode("utf-16-le")) // 2
    return _qdpx(
        tmp,
        origin="ATLAS.ti 9.1",
        users=(("ATLAS.ti", "atlas"), ("Carol", "carol")),
        selection=(start, start + 7, "atlas"),
    )


def reported_unnamed_source(tmp):
    return _qdpx(tmp, source="")


def reported_sets(tmp):
    return _qdpx(tmp, extra=f'<Sets><Set guid="{G("s")}" name="gender: female"/></Sets>')


def reported_graphs(tmp):
    return _qdpx(tmp, extra=f'<Graphs><Graph guid="{G("g")}" name="Network"/></Graphs>')


def reported_links(tmp):
    return _qdpx(
        tmp,
        extra=f'<Links><Link guid="{G("l")}" name="supports" originGUID="{G("a")}" '
        f'targetGUID="{G("b")}"/></Links>',
    )


def reported_loose_notes(tmp):
    return _qdpx(
        tmp,
        extra=f'<Notes><Note guid="{G("n")}" name="Research plan"><PlainTextContent>Plan'
        "</PlainTextContent></Note></Notes>",
    )


def reported_inside_a_pair(tmp):
    start = len(TEXT[: TEXT.index("😀")].encode("utf-16-le")) // 2 + 1
    return [*_qdpx(tmp, selection=(start, start + 20, "carol")), "--positions", "utf-16"]


def reported_media_codings(tmp):
    args = _qdpx(tmp)
    with zipfile.ZipFile(tmp / "other.qdpx") as archive:
        qde = archive.read("project.qde").decode()
        text = archive.read(f"Sources/{G('src')}.txt")
    picture = (
        f'<PictureSource guid="{G("p")}" name="photo.jpg" '
        f'path="internal://{G("p")}.jpg"><PictureSelection '
        f'guid="{G("ps")}" firstX="1" firstY="1" secondX="5" secondY="5"><Coding guid="{G("pc")}">'
        f'<CodeRef targetGUID="{G("eff")}"/></Coding></PictureSelection></PictureSource></Sources>'
    )
    with zipfile.ZipFile(tmp / "other.qdpx", "w") as archive:
        archive.writestr("project.qde", qde.replace("</Sources>", picture))
        archive.writestr(f"Sources/{G('src')}.txt", text)
    return args


def reported_codebook_table_layout(tmp):
    (tmp / "codebook.csv").write_text(
        "tag,parent,description,number of highlights\nhelps,,What helps,2\n", encoding="utf-8"
    )
    return ["init", "p.db", "--codebook", "codebook.csv"]


def reported_codebook_table_title(tmp):
    (tmp / "codebook.csv").write_text(
        "Our codebook\nCode,Definition\nHelps,What helps\n", encoding="utf-8"
    )
    return ["init", "p.db", "--codebook", "codebook.csv"]


def reported_qdc_sets(tmp):
    (tmp / "book.qdc").write_text(
        f'<?xml version="1.0"?><CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code '
        f'guid="{G("c")}" '
        f'name="code1"/></Codes><Sets><Set guid="{G("s")}" name="code group 1"/></Sets></CodeBook>',
        encoding="utf-8",
    )
    return ["import-qdc", "book.qdc", "--out", "book.toml"]


def _cases(prefix):
    return {
        name[len(prefix) :].replace("_", "-"): fn
        for name, fn in globals().items()
        if name.startswith(prefix)
    }


REFUSALS, REPORTS = _cases("refused_"), _cases("reported_")


def test_every_documented_case_is_tested_and_vice_versa():
    assert set(documented(REFUSED)) == set(REFUSALS)
    assert set(documented(REPORTED)) == set(REPORTS)


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_refused(case, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    args = REFUSALS[case](tmp_path)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()}
    capsys.readouterr()
    assert run(*args) == 1
    assert capsys.readouterr().err.splitlines()[0] == documented(REFUSED)[case]
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()} == before


@pytest.mark.parametrize("case", sorted(REPORTS))
def test_reported(case, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    args = REPORTS[case](tmp_path)
    capsys.readouterr()
    assert run(*args) == 0
    out = capsys.readouterr().out
    assert documented(REPORTED)[case].replace("GUID", G("src")) in [
        line.strip() for line in out.splitlines()
    ], out
