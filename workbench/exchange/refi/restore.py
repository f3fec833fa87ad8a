"""A Workbench → Workbench round trip: the project rebuilt from a .qdpx's own Workbench data.

When :func:`.extension.read_extension` accepts an archive's ``workbench/`` data,
``import_qdpx`` builds the project from it instead of parsing the source texts:

1. :func:`create_project`: the exact codebook file (same SHA-256), the original
   audit log (appended as it was, after a row that says where it comes from, so the
   new file's log reads in order: its creation, the history, this import), the roles, the
   focus groups with their codes and next comment numbers, each transcript with its
   original bytes, file name, format, encoding and import time, the speakers and
   their roles, the comments with their refs, order, speakers, words, start/end
   times, source lines and exclusions, and the coders (kind, creation time);
2. :func:`attach_sources`: each ``TextSource`` gets its comments and their exact
   positions in the source text, so the selections (read from ``project.qde`` as
   from any file, and mapped by :mod:`.mapping`) code exactly those comments;
3. :func:`finish`: after the codings, the reconciliation decisions (``auto``,
   ``resolved``, ``deferred`` with rationale, who and when) replace the
   ``imported`` the agreed codings were given, and the frozen agreement rounds are
   stored.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.exchange.refi.extension import Extension
from workbench.store import Store

if TYPE_CHECKING:
    from workbench.exchange.refi.report import ImportReport
    from workbench.exchange.refi.sources import SourceRecord
    from workbench.exchange.refi.transcripts import SourceComments


def codebook_keys_match(ext: Extension, plan) -> bool:
    """Whether every code of the file maps to an entry of the exact codebook (else: no restore)."""
    from workbench.project.codebook import parse_codebook

    book = parse_codebook(ext.codebook, "codebook")
    keys = {c.key for c in book.categories} | {t.key for t in book.themes}
    return all(kind == "flag" or key in keys for kind, key, _ in plan.codes.values())


def create_project(out: Path, name: str, ext: Extension, path: Path) -> Store:
    """The new project at ``out`` with everything of step 1 above, in one transaction."""
    from workbench.project.codebook import parse_codebook
    from workbench.project.lifecycle import init_project

    data = ext.data
    source_name = re.sub(
        r"[\\/:*?\"<>|\x00-\x1f]+", "_", Path(data["codebook"]["source_name"] or "").name
    )
    book = parse_codebook(ext.codebook, source_name or "codebook.toml")
    store = init_project(out, name=name, codebook=book, source_name=source_name or "codebook.toml")
    note = f"restored from {path.name}"
    with store.transaction():
        history = [tuple(row) for row in data["audit"]]
        store.audit(
            "import",
            "audit_history",
            path.name,
            after={
                "rows": len(history),
                "project": data["project"]["name"],
                "created_at": data["project"]["created_at"],
            },
            note=f"the {len(history)} rows that follow are the audit log of {data['project']['name']!r}, "
            f"as carried in {path.name}",
        )
        store.carry_audit(history)
        known = {r.key.lower() for r in store.roles()}
        for key, role_name, excluded, aliases in data["roles"]:
            if key.lower() not in known:
                store.add_role(key, role_name, excluded, tuple(aliases))
        group_ids = {}
        for code, group_name, kind, date, stakeholders, next_number in data["groups"]:
            group = store.create_group(group_name, code, kind, date, stakeholders)
            store.take_comment_numbers(group.id, next_number - 1)
            group_ids[code] = group.id
        speaker_ids = {
            (code, label): store.ensure_speaker(group_ids[code], label, role)
            for code, label, role in data["speakers"]
        }
        for transcript in data["transcripts"]:
            group_id = group_ids[transcript["group"]]
            transcript_id = store.add_transcript(
                group_id,
                transcript["filename"],
                transcript["format"],
                transcript["encoding"],
                transcript["sha256"],
                ext.files[transcript["file"]],
                transcript["imported_at"],
            )
            text = _texts(ext, transcript)
            rows = []
            for (
                ref,
                position,
                speaker,
                _start,
                _end,
                words,
                start_s,
                end_s,
                line,
                excluded,
                reason,
            ), body in zip(transcript["comments"], text, strict=True):
                speaker_id = (
                    speaker_ids[(transcript["group"], speaker)] if speaker is not None else None
                )
                rows.append(
                    (
                        ref,
                        group_id,
                        transcript_id,
                        position,
                        speaker_id,
                        body,
                        words,
                        start_s,
                        end_s,
                        line,
                        int(speaker is None),
                        int(excluded),
                        reason,
                    )
                )
            store.insert_comments(rows)
            store.audit(
                "import",
                "transcript",
                f"{transcript['group']}/{transcript['filename']}",
                after={
                    "sha256": transcript["sha256"],
                    "format": transcript["format"],
                    "comments": len(rows),
                },
                note=note,
            )
        for coder_name, kind, created_at in data["coders"]:
            if store.coder_named(coder_name) is None:
                store.add_coder(coder_name, kind, created_at)
                store.audit("create", "coder", coder_name, after={"name": coder_name}, note=note)
    return store


def _texts(ext: Extension, transcript: dict) -> list[str]:
    text = ext.texts.get(transcript["source"], "")
    return [text[c[3] : c[4]] for c in transcript["comments"]]


def attach_sources(
    store: Store, ext: Extension, sources: list[SourceRecord], report: ImportReport
) -> list[SourceComments]:
    """Each TextSource's comments and their exact spans in its text (from the Workbench data)."""
    from workbench.exchange.refi.transcripts import SourceComments

    by_ref = {c.ref: c for c in store.comments()}
    transcripts = {t["source"]: t for t in ext.data["transcripts"] if t["source"]}
    groups = {g.code: g for g in store.groups()}
    placed = []
    for source in sources:
        transcript = transcripts[source.guid]
        rows = [by_ref[c[0]] for c in transcript["comments"]]
        group = groups[transcript["group"]]
        summary = {
            "name": source.name,
            "group": group.name,
            "code": group.code,
            "transcript": transcript["filename"],
            "entry": source.entry,
            "format": transcript["format"],
            "comments": len(rows),
            "selections": len(source.selections),
            "speakers_without_role": sorted(
                {c.speaker for c in rows if not c.no_speaker and not c.role}
            ),
        }
        report.sources.append(summary)
        spans = [(c[3], c[4]) for c in transcript["comments"]]
        placed.append(SourceComments.of(source, rows, spans, summary))
    return placed


def finish(store: Store, ext: Extension, path: Path, report: ImportReport) -> None:
    """Reconciliation decisions and agreement rounds (step 3 above)."""
    data = ext.data
    ids = {c.ref: c.id for c in store.comments()}
    with store.transaction():
        for ref, status, rationale, coders, decided_by, decided_at in data["reconciliations"]:
            if ref in ids:
                store.save_reconciliation(
                    ids[ref], status, rationale, coders, decided_by, decided_at
                )
        for label, coders, sha256, fingerprint, round_report, created_by, created_at in data[
            "rounds"
        ]:
            store.add_round(
                label, coders, sha256, fingerprint, round_report, created_by, created_at
            )
    report.restored = (
        f"Workbench's own data: the exact codebook (sha256 {data['codebook']['sha256'][:12]}), "
        f"{len(data['transcripts'])} transcript file(s), comment refs and times, "
        f"{len(data['reconciliations'])} reconciliation decision(s), {len(data['rounds'])} agreement "
        f"round(s), {len(data['audit'])} audit row(s)"
    )
