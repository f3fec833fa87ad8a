"""Workbench's own data in a .qdpx: what REFI-QDA has no element for, for a Workbench → Workbench round trip.

REFI-QDA readers (ATLAS.ti, MAXQDA, NVivo, QualCoder) read ``project.qde`` and the
source files it names; the XSD allows no foreign elements in ``project.qde``. So
the project's own data travels beside it, in the archive's ``workbench/`` folder,
which those readers ignore:

* ``workbench/project.json`` (``format`` = ``workbench-qdpx-extension``, version 1):
  the project's name and creation, the exact codebook TOML (so its SHA-256, and the
  coder packages made against it, stay valid), the roles, the focus groups (with
  their next comment number), the speakers and roles, each transcript (file name,
  format, encoding, SHA-256, import time) with its comments (ref, order, speaker,
  position in the exported source text, words, start/end times, source line,
  exclusion), the coders, the reconciliation decisions (``auto``, ``resolved``,
  ``deferred``), the frozen agreement rounds, and the whole audit log;
* ``workbench/transcripts/<source guid><suffix>``: each transcript's original bytes.

The codings themselves are read from ``project.qde`` as from any file (REFI-QDA
carries them). :func:`read_extension` accepts the data only if it matches the
archive: the codebook's hash, every transcript file's hash, and the text of every
``TextSource`` (SHA-256 of the exported text); otherwise the file is imported like
one from another program and the report says why (e.g. it was edited after export).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.project.lifecycle import active_codebook
from workbench.shapes import ANY, nullable
from workbench.store import Store

if TYPE_CHECKING:
    from workbench.exchange.refi.archive import QdpxArchive
    from workbench.exchange.refi.sources import SourceRecord

FORMAT = "workbench-qdpx-extension"
VERSION = 1
MEMBER = "workbench/project.json"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def extension_files(store: Store, exported: list[dict]) -> dict[str, bytes]:
    """The ``workbench/`` members of a .qdpx. ``exported``: per TextSource written, its
    ``guid``, ``transcript`` row, ``text`` and the comment ``rows`` with their ``spans``."""
    from workbench import __version__

    files: dict[str, bytes] = {}
    by_transcript = {(e["transcript"].group_name, e["transcript"].filename): e for e in exported}
    groups = store.groups()
    code_of = {g.id: g.code for g in groups}
    transcripts = []
    for number, transcript in enumerate(store.transcripts(), start=1):
        source = by_transcript.get((transcript.group_name, transcript.filename))
        name = f"{source['guid'] if source else f'transcript-{number}'}{Path(transcript.filename).suffix}"
        files[f"workbench/transcripts/{name}"] = store.transcript_content(transcript.id)
        comments = []
        if source is not None:
            for c, (start, end) in zip(source["rows"], source["spans"], strict=True):
                comments.append(
                    [
                        c.ref,
                        c.position,
                        None if c.no_speaker else c.speaker,
                        start,
                        end,
                        c.word_count,
                        c.start_s,
                        c.end_s,
                        c.source_line,
                        int(c.excluded),
                        c.excluded_reason,
                    ]
                )
        transcripts.append(
            {
                "source": source["guid"] if source else None,
                "group": code_of[transcript.group_id],
                "filename": transcript.filename,
                "format": transcript.format,
                "encoding": transcript.encoding,
                "sha256": transcript.sha256,
                "imported_at": transcript.imported_at,
                "file": f"workbench/transcripts/{name}",
                "text_sha256": _sha(source["text"].encode("utf-8")) if source else None,
                "comments": comments,
            }
        )
    refs = {c.id: c.ref for c in store.comments()}
    book = active_codebook(store)
    data = {
        "format": FORMAT,
        "version": VERSION,
        "workbench": __version__,
        "about": "Workbench's own data for a Workbench to Workbench round trip; REFI-QDA readers ignore it.",
        "project": store.project_info(),
        "codebook": {
            "source_name": book["source_name"],
            "sha256": book["sha256"],
            "content": book["content"],
        },
        "roles": [[r.key, r.name, r.excluded, list(r.aliases)] for r in store.roles()],
        "groups": [[g.code, g.name, g.kind, g.date, g.stakeholders, g.next_number] for g in groups],
        "speakers": [[code_of[s.group_id], s.label, s.role_key] for s in store.speakers()],
        "transcripts": transcripts,
        "coders": [[c.name, c.kind, c.created_at] for c in store.coders()],
        "reconciliations": [
            [
                refs[i],
                r["status"],
                r["rationale"],
                json.loads(r["coders"]),
                r["decided_by"],
                r["decided_at"],
            ]
            for i, r in sorted(store.reconciliations().items())
        ],
        "rounds": [
            [
                r["label"],
                r["coders"],
                r["codebook_sha256"],
                r["fingerprint"],
                r["report"],
                r["created_by"],
                r["created_at"],
            ]
            for r in store.rounds()
        ],
        "audit": [
            [
                r["at"],
                r["actor"],
                r["action"],
                r["entity"],
                r["entity_ref"],
                r["before"],
                r["after"],
                r["note"],
            ]
            for r in store.audit_rows()
        ],
    }
    files[MEMBER] = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return files


# The shape of project.json (workbench.shapes), checked before any of it is used.
_N = nullable
SHAPE = {
    "format": str,
    "version": int,
    "project": {"name": str, "created_at": str},
    "codebook": {"source_name": _N(str), "sha256": str, "content": str},
    "roles": [(str, str, bool, [str])],
    "groups": [(str, str, _N(str), _N(str), _N(str), int)],
    "speakers": [(str, str, _N(str))],
    "transcripts": [
        {
            "source": _N(str),
            "group": str,
            "filename": str,
            "format": str,
            "encoding": _N(str),
            "sha256": str,
            "imported_at": str,
            "file": str,
            "text_sha256": _N(str),
            # ref, position, speaker, start, end, words, start s, end s, source line, excluded, why excluded
            "comments": [
                (str, int, _N(str), int, int, int, _N(float), _N(float), _N(int), int, _N(str))
            ],
        }
    ],
    "coders": [(str, str, str)],
    "reconciliations": [(str, str, _N(str), [str], _N(str), _N(str))],
    "rounds": [(str, [str], str, str, ANY, _N(str), str)],
    "audit": [(str, _N(str), str, str, _N(str), _N(str), _N(str), _N(str))],
}


@dataclass
class Extension:
    """Workbench's data from an archive, checked against it (see :func:`read_extension`)."""

    data: dict
    codebook: bytes  # the codebook file's exact bytes (hash = data["codebook"]["sha256"])
    files: dict[str, bytes]  # transcript member → original bytes
    texts: dict[str, str]  # TextSource GUID → its text in the archive


def read_extension(
    archive: QdpxArchive, sources: list[SourceRecord]
) -> tuple[Extension | None, str | None]:
    """The archive's Workbench data if there is some and it matches the archive; else (None, why
    not) — why is None when there is no such data (a file from another program)."""
    from workbench.exchange.refi.qdaxml import RefiError
    from workbench.files import load_json
    from workbench.shapes import check

    raw = archive.read(MEMBER)
    if raw is None:
        return None, None
    try:
        data = load_json(raw.decode("utf-8"), f"{archive.path}: {MEMBER}")
    except (UnicodeDecodeError, ValueError):
        return None, f"{MEMBER} is not UTF-8 JSON"
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return None, f"{MEMBER} is not Workbench data"
    if data.get("version") != VERSION:
        return (
            None,
            f"{MEMBER} is version {data.get('version')!r}; this Workbench reads version {VERSION}",
        )
    try:
        check(data, SHAPE, MEMBER, RefiError)
        _check_coders(data["coders"])
        return _check(archive, data, sources)
    except RefiError as exc:  # a field of the wrong type, or a coder that may not be restored
        return None, f"{exc}"
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        return None, f"{MEMBER} is damaged ({type(exc).__name__}: {exc})"


def _check_coders(rows: list) -> None:
    """Coders are restored by name, so their names are held to the rules of new coders: one
    word, nothing that looks like ``agreed`` or like another coder (``workbench.coding.coder``)."""
    from workbench.coding.coder import AGREED, SCOPED_KINDS, validate_name
    from workbench.errors import WorkbenchError
    from workbench.exchange.refi.qdaxml import RefiError

    seen: list[str] = []
    for name, kind, _created in rows:
        person = name.removesuffix(f" ({kind})") if kind in SCOPED_KINDS else name
        try:
            if kind not in ("coder", "agreed", "model", *SCOPED_KINDS):
                raise WorkbenchError(f"unknown kind {kind!r}")
            if (kind == "agreed") != (name == AGREED):
                raise WorkbenchError(f"only the coder {AGREED!r} may be of kind agreed")
            if kind in ("coder", *SCOPED_KINDS):
                validate_name(person, seen)
        except WorkbenchError as exc:
            raise RefiError(f"{MEMBER}: coder {name!r}: {exc}") from None
        seen.append(person)


def _check(
    archive: QdpxArchive, data: dict, sources: list[SourceRecord]
) -> tuple[Extension | None, str | None]:
    book = data["codebook"]
    content = book["content"].encode("utf-8")
    codebook = next(
        (b for b in (content, b"\xef\xbb\xbf" + content) if _sha(b) == book["sha256"]), None
    )
    if codebook is None:
        return None, "the codebook's text does not match its SHA-256"
    texts = {s.guid: s.text for s in sources if s.text is not None}
    known = dict(texts)
    files = {}
    for transcript in data["transcripts"]:
        original = archive.read(transcript["file"])
        if original is None or _sha(original) != transcript["sha256"]:
            return None, f"transcript {transcript['filename']!r}: its file is missing or changed"
        files[transcript["file"]] = original
        guid = transcript["source"]
        if guid is None:
            continue
        text = texts.pop(guid, None)
        if text is None or _sha(text.encode("utf-8")) != transcript["text_sha256"]:
            return (
                None,
                f"transcript {transcript['filename']!r}: its source text in project.qde is missing or changed",
            )
        for comment in transcript["comments"]:
            if not 0 <= comment[3] <= comment[4] <= len(text):
                return None, f"comment {comment[0]}: its position lies outside the source text"
    if texts:
        return None, f"project.qde has {len(texts)} source(s) the Workbench data does not know"
    return Extension(data, codebook, files, known), None
