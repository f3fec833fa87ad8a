"""Validation against the official REFI-QDA XSDs, and the .qdpx rules the schema leaves out.

lxml is needed only here and imported only when something is validated.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.exchange.refi.archive import QdpxArchive
from workbench.exchange.refi.qdaxml import (
    RefiError,
    child_named,
    children_named,
    descendants_named,
    parse_refi,
)

if TYPE_CHECKING:
    from lxml import etree

PROJECT_XSD = "Project-mrt2019.xsd"
CODEBOOK_XSD = "Codebook.xsd"


def find_schemas() -> Path | None:
    """The folder holding the REFI-QDA XSDs: $WORKBENCH_REFI_SCHEMAS, else ../shared/refi-qda of a checkout."""
    candidates = []
    if os.environ.get("WORKBENCH_REFI_SCHEMAS"):
        candidates.append(Path(os.environ["WORKBENCH_REFI_SCHEMAS"]))
    candidates.append(Path(__file__).resolve().parents[4] / "shared" / "refi-qda")
    for folder in candidates:
        if (folder / PROJECT_XSD).is_file():
            return folder
    return None


def validate_qde(xml: bytes, schemas: str | Path | None = None) -> None:
    """Raise :class:`RefiError` listing every schema error of a ``project.qde`` document."""
    _validate(xml, PROJECT_XSD, schemas, "project.qde")


def validate_qdc(xml: bytes, schemas: str | Path | None = None) -> None:
    """Raise :class:`RefiError` listing every schema error of a ``.qdc`` codebook."""
    _validate(xml, CODEBOOK_XSD, schemas, "codebook")


_SCHEMA_CACHE: dict[str, etree.XMLSchema] = {}


def _validate(xml: bytes, xsd: str, schemas, what: str) -> None:
    folder = Path(schemas) if schemas is not None else find_schemas()
    if folder is None or not (folder / xsd).is_file():
        raise RefiError(
            f"{xsd}: the REFI-QDA schema was not found in {folder or 'any known folder'}; "
            "give the folder holding Project-mrt2019.xsd and Codebook.xsd"
        )
    try:
        from lxml import etree
    except ImportError:
        raise RefiError(
            "validating against the REFI-QDA schemas needs lxml: pip install lxml"
        ) from None
    key = str((folder / xsd).resolve())
    schema = _SCHEMA_CACHE.get(key)
    if schema is None:
        schema = _SCHEMA_CACHE[key] = etree.XMLSchema(etree.parse(key))
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    try:
        document = etree.fromstring(xml, parser)
    except etree.XMLSyntaxError as exc:
        raise RefiError(f"{what}: not well-formed XML: {exc}") from None
    if not schema.validate(document):
        # lxml-stubs 0.5.1 leave out _ErrorLog.__iter__; the log iterates its entries
        log = schema.error_log
        errors = [f"line {e.line}: {e.message}" for e in log]  # type: ignore[attr-defined]
        raise RefiError(
            f"{what}: does not validate against {xsd}:\n"
            + "\n".join(errors[:20])
            + (f"\n… and {len(errors) - 20} more" if len(errors) > 20 else "")
        )


def validate_qdpx(path: str | Path, schemas: str | Path | None = None) -> None:
    """Validate a .qdpx: project.qde against the schema, and the spec's rules the schema leaves
    out (each TextSource has its text inline or in the zip, not both; selections lie in the text)."""
    path = Path(path)
    with QdpxArchive(path) as archive:
        qde = archive.qde()
        validate_qde(qde, schemas)
        root = parse_refi(qde, f"{path}: project.qde")
        problems = []
        for source in descendants_named(root, "TextSource"):
            name = source.get("name") or source.get("guid")
            inline = child_named(source, "PlainTextContent")
            link = source.get("plainTextPath")
            if (inline is None) == (link is None):
                problems.append(
                    f"TextSource {name!r}: needs PlainTextContent or plainTextPath, not "
                    + ("both" if inline is not None else "neither")
                )
                continue
            text, reason = (
                ((inline.text or ""), None)
                if inline is not None
                else archive.source(link)
                if link is not None  # (one of the two: checked above)
                else (None, None)
            )
            if text is None:
                problems.append(f"TextSource {name!r}: {reason}")
                continue
            for selection in children_named(source, "PlainTextSelection"):
                # (both required by the schema, validated above; -1 would be said as out of range)
                start = int(selection.get("startPosition", "-1"))
                end = int(selection.get("endPosition", "-1"))
                if not 0 <= start <= end <= len(text):
                    problems.append(
                        f"TextSource {name!r}: selection {selection.get('name') or selection.get('guid')} "
                        f"[{start}, {end}) lies outside the text ({len(text)} code points)"
                    )
        if problems:
            raise RefiError(f"{path}:\n" + "\n".join(problems))
