"""Files given to ``workbench import`` that are not transcripts, named by their content (the
extension only where the content cannot tell): one line saying which command reads them, or
what to save them as. A project file is never "unpacked": its codings would be lost."""

from __future__ import annotations

import io
import zipfile

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SQLITE = b"SQLite format 3\x00"
_QDA_PROJECTS = {
    ".atlproj": "an ATLAS.ti project",
    ".hpr7": "an ATLAS.ti project",
    ".hpr6": "an ATLAS.ti project",
    ".nvp": "an NVivo project",
    ".nvpx": "an NVivo project",
    ".mx24": "a MAXQDA project",
    ".mx22": "a MAXQDA project",
    ".mx20": "a MAXQDA project",
    ".mx18": "a MAXQDA project",
    ".mex24": "a MAXQDA exchange file",
    ".mex22": "a MAXQDA exchange file",
    ".qda": "a QualCoder project",
}
_EXPORT = (
    "export it from {app} as a REFI-QDA project (.qdpx) and create a Workbench project from it "
    "with `workbench import-qdpx FILE.qdpx --out PROJECT.db`"
)
_TRANSCRIPTS = "a transcript can be text, Markdown, Word (.docx), .odt, .rtf, PDF, WebVTT or SRT"


def wrong_file(data: bytes, filename: str) -> str | None:
    """What ``data`` is, if it is a known kind of file that is not a transcript, and what to do."""
    lower = filename.lower()
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    suffix = lower[lower.rfind(".") :] if "." in lower else ""
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return _zip(data, suffix, name)
    if data.startswith(_OLE2):
        if suffix in (".xls", ".xlt"):
            return (
                "an Excel 97-2003 workbook (.xls), not a transcript: coding sheets come in with "
                "`workbench codings import PROJECT SHEET` as .xlsx or .csv, so save it as .xlsx "
                "first"
            )
        if suffix in _QDA_PROJECTS:
            return _project(suffix)
        return (
            "an old Word 97-2003 document (.doc) or another old Office file, which Workbench "
            "does not read: open it in Word or LibreOffice and save it as .docx (or .odt, or "
            "plain text), then import that"
        )
    if data.startswith(_SQLITE):
        if suffix in _QDA_PROJECTS:
            return _project(suffix)
        return (
            "a SQLite database (a Workbench project, or another program's project file), not a "
            "transcript: open a Workbench project with `workbench open`; export another "
            "program's project as REFI-QDA (.qdpx) and use `workbench import-qdpx`"
        )
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        if b"<CodeBook" in head and b"QDA-XML" in head:
            return (
                "a REFI-QDA codebook (.qdc), not a transcript: convert it with `workbench "
                f"import-qdc {name} --out codebook.toml`, then `workbench init PROJECT --codebook "
                "codebook.toml`"
            )
        if b"<Project" in head and b"QDA-XML" in head:
            return (
                "the project.qde of a REFI-QDA project, taken out of its .qdpx: import the .qdpx "
                "archive itself with `workbench import-qdpx FILE.qdpx --out PROJECT.db`, which "
                "keeps its codings"
            )
    return None


def _zip(data: bytes, suffix: str, name: str) -> str:
    try:
        names = [n.lower() for n in zipfile.ZipFile(io.BytesIO(data)).namelist()]
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        names = []
    if any(n == "project.qde" or n.endswith("/project.qde") for n in names) or suffix == ".qdpx":
        return (
            "a REFI-QDA project (.qdpx), not a transcript: create a Workbench project from it, "
            f"with its sources and codings, with `workbench import-qdpx {name} --out PROJECT.db`"
        )
    if any(n.startswith("xl/") for n in names) or suffix in (".xlsx", ".xlsm"):
        return (
            "an Excel workbook (.xlsx), not a transcript: coding sheets come in with `workbench "
            "codings import PROJECT SHEET`, a roster with --roster (as .csv or .toml); "
            f"{_TRANSCRIPTS}"
        )
    if any(n.startswith("ppt/") for n in names) or suffix == ".pptx":
        return f"a PowerPoint presentation, not a transcript: {_TRANSCRIPTS}"
    if "mimetype" in names and b"application/vnd.oasis.opendocument" in data[:200]:
        return (
            "an OpenDocument file that is not a text document (a spreadsheet or presentation): "
            f"{_TRANSCRIPTS}; save the transcript from LibreOffice Writer as .odt"
        )
    if suffix in _QDA_PROJECTS:
        return _project(suffix)
    if any(n.endswith(".qdpx") for n in names):
        return (
            "a zip archive holding REFI-QDA projects (.qdpx): unpack it and import each .qdpx "
            "with `workbench import-qdpx`, which keeps their codings"
        )
    return (
        "a zip archive that is not a Word document (nor an OpenDocument text); unpack it and "
        f"import the transcripts inside ({_TRANSCRIPTS})"
    )


def _project(suffix: str) -> str:
    what = _QDA_PROJECTS[suffix]
    app = what.split(" ", 2)[1] if what.startswith(("an ", "a ")) else "the program that made it"
    return (
        f"{what} file, not a transcript, which Workbench cannot open directly: "
        + _EXPORT.format(app=app)
    )
