"""Sources → focus groups: each text source parsed once, in memory, into comments with their spans.

Each ``TextSource`` (or a PDF's text) becomes a focus group, named by the source or by its
Focus group variable, whose text the ordinary transcript parser splits into comments; roles
come from the Cases' Role variable, else from the labels as on any import. The parsed
transcripts are written by :func:`workbench.ingest.importer.import_parsed` (no file is written
or read again, nothing is parsed twice), and each source keeps its comments with their
``(start, end)`` in its text (:class:`SourceComments`), which is all the mapping of selections
needs (:mod:`.mapping`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.exchange.refi.qdaxml import (
    V_CODE,
    V_DATE,
    V_FILE,
    V_GROUP,
    V_KIND,
    V_ROLE,
    V_SPEAKER,
    V_STAKEHOLDERS,
)
from workbench.store import Store
from workbench.store.comment_records import ListedComment
from workbench.store.values import written

if TYPE_CHECKING:
    from workbench.exchange.refi.report import ImportReport
    from workbench.exchange.refi.sources import ParsedProject, SourceRecord


@dataclass
class SourceComments:
    """One imported source's comments in order: ids, refs, whether excluded, and each one's
    ``(start, end)`` in the source's text in code points (None where it is not known)."""

    source: SourceRecord
    ids: list[int]
    refs: list[str]
    excluded: list[bool]
    spans: list[tuple[int, int] | None]
    summary: dict  # the source's entry in the report (the mapping adds its positions' unit)

    @classmethod
    def of(
        cls, source: SourceRecord, rows: list[ListedComment], spans: list, summary: dict
    ) -> SourceComments:
        """From the source's comment rows (``Store.comments``) in order and their spans."""
        ids, refs = [c.id for c in rows], [c.ref for c in rows]
        return cls(source, ids, refs, [c.excluded for c in rows], spans, summary)


def comment_spans(text: str, turns: list) -> list[tuple[int, int] | None]:
    """Each turn's ``(start, end)`` in ``text``, the decoded source text the turns were parsed from.

    TEMPORARY, until ``Turn.span`` (the ingest branch: each turn's offsets, kept by the parsers)
    is on main: then the spans are the turns' own and this function's search goes. It is the only
    place the REFI import looks for text: from the line the turn starts on, the turn's text itself,
    else its words with any whitespace between them (the parser joins wrapped lines); a turn not
    found so has no span, and selections over it are reported, never guessed.
    """
    if turns and all(getattr(t, "span", None) is not None for t in turns):
        return [tuple(t.span) for t in turns]
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    spans: list[tuple[int, int] | None] = []
    cursor = 0
    for turn in turns:
        wanted = turn.text.strip()
        line = getattr(turn, "line", 0) or 0
        origin = max(cursor, starts[line - 1] if 0 < line <= len(starts) else cursor)
        if not wanted:
            spans.append(None)
            continue
        at = text.find(wanted, origin)
        found = (at, at + len(wanted)) if at >= 0 else None
        if found is None:
            words = wanted.split()
            pattern = re.compile(r"\s+".join(map(re.escape, words)))
            match = pattern.search(text, origin)
            found = match.span() if match else None
        spans.append(found)
        if found is not None:
            cursor = found[1]
    return spans


def import_sources(
    store: Store, project: ParsedProject, report: ImportReport
) -> list[SourceComments]:
    """Every readable source as a focus group; what each became is added to the report."""
    from workbench.errors import LimitError, TranscriptError
    from workbench.ingest.importer import KINDS, GroupMeta, ParsedFile, import_parsed
    from workbench.ingest.transcript import parse_transcript

    _add_case_roles(store, project.cases, report)
    used_groups: set[str] = set()
    used_files: set[tuple[str, str]] = set()
    used_codes: set[str] = set()
    texts: dict[str, str] = {}
    batch: list[tuple[SourceRecord, ParsedFile, list]] = []
    for number, source in enumerate(project.sources, start=1):
        where = f"{source.kind} {source.name!r}"
        if source.text is None:
            report.skipped_sources.append(f"{source.kind} {source.name!r}: {source.problem}")
            continue
        if source.text in texts:
            report.skipped_sources.append(
                f"{where} ({source.entry}): the same text as source "
                f"{texts[source.text]!r}; its selections are not imported"
            )
            continue
        group = _group_name(source, number, used_groups)
        filename = _file_name(source, number, group, used_files)
        data = source.text.encode("utf-8")
        # The parser's messages name what it reads: the archive entry (Sources/….txt), or for a text
        # inline in project.qde the transcript's file name.
        read_as = source.entry if source.entry and source.entry != "project.qde" else filename
        try:
            parsed = parse_transcript(data, read_as)
        except (
            LimitError
        ) as exc:  # a source over a limit stops the import; the message names the .qdpx
            raise LimitError(f"{report.path}: {where}: {exc}") from None
        except TranscriptError as exc:
            report.skipped_sources.append(f"{where}: {exc}")
            continue
        texts[source.text] = source.name
        code = _group_code(store, source, group, used_codes)
        kind = source.variables.get(V_KIND)
        meta = GroupMeta(
            name=group,
            code=code,
            kind=kind if kind in KINDS else None,
            date=source.variables.get(V_DATE) or None,
            stakeholders=source.variables.get(V_STAKEHOLDERS) or None,
        )
        speaking = {t.speaker for t in parsed.turns if t.speaker}
        roles = _case_roles(source, project.cases, speaking)
        batch.append((source, ParsedFile(filename, data, parsed, meta, roles), parsed.turns))
    reports = import_parsed(store, [item for _, item, _ in batch])
    placed = []
    for (source, item, turns), file_report in zip(batch, reports, strict=True):
        # (the import just wrote the group under the name given: _group_name's)
        group_row = written(store.group_by_name(item.meta.name or ""), f"group {item.meta.name}")
        used_codes.add(group_row.code.upper())
        rows = [c for c in store.comments(group_row.id) if c.transcript == item.name]
        summary = {
            "name": source.name,
            "group": group_row.name,
            "code": group_row.code,
            "transcript": item.name,
            "entry": source.entry,
            "format": file_report.format,
            "comments": file_report.comments,
            "selections": len(source.selections),
            "speakers_without_role": [s.label for s in file_report.speakers if s.role is None],
        }
        report.sources.append(summary)
        spans = comment_spans(source.text or "", turns)  # (sources without text: skipped above)
        placed.append(SourceComments.of(source, rows, spans, summary))
        report.warnings += [f"{source.name}: {w}" for w in file_report.warnings]
    return placed


def _add_case_roles(store: Store, cases: list[dict], report: ImportReport) -> None:
    from workbench.project.roles import find_role

    roles = store.roles()
    wanted = {c["values"].get(V_ROLE) for c in cases} - {None, ""}
    new_roles = sorted(r for r in wanted if find_role(r, roles) is None)
    if new_roles:
        with store.transaction():
            for key in new_roles:
                store.add_role(key, key, False)
                store.audit(
                    "create",
                    "role",
                    key,
                    after={"name": key, "excluded": False},
                    note="from a .qdpx Case",
                )
        report.warnings.append(
            f"role(s) {', '.join(new_roles)} added to the project (coded, not excluded)"
        )


def _case_roles(source: SourceRecord, cases: list[dict], speaking: set[str]) -> dict[str, str]:
    """Roles from the Cases of this source, for the speakers the parser found in it."""
    assigned = {}
    selection_guids = {s.guid for s in source.selections}
    for case in cases:
        label, role = case["values"].get(V_SPEAKER), case["values"].get(V_ROLE)
        if not label or not role or label not in speaking:
            continue
        if source.guid in case["sources"] or case["selections"] & selection_guids:
            assigned[label] = role
    return assigned


def _group_name(source: SourceRecord, number: int, used: set[str]) -> str:
    group = source.variables.get(V_GROUP) or _without_extension(source.name)
    group = " ".join(group.split())[:80] or f"Source {number}"
    if source.variables.get(V_GROUP) is None:
        base, n = group, 2
        while group.lower() in used:
            group, n = f"{base} ({n})", n + 1
    used.add(group.lower())
    return group


def _file_name(source: SourceRecord, number: int, group: str, used: set[tuple[str, str]]) -> str:
    stem = Path(source.variables.get(V_FILE) or source.name).stem or f"source{number}"
    stem = re.sub(r"[\\/:*?\"<>|\x00-\x1f]+", "_", stem)[:100].strip(" .") or f"source{number}"
    filename, n = f"{stem}.txt", 2
    while (group.lower(), filename.lower()) in used:
        filename, n = f"{stem} ({n}).txt", n + 1
    used.add((group.lower(), filename.lower()))
    return filename


def _group_code(store: Store, source: SourceRecord, group: str, used: set[str]) -> str | None:
    code = source.variables.get(V_CODE)
    if code:
        holder = store.group_by_name(code)
        if (
            not re.match(r"^[A-Za-z]\w*$", code)
            or code.upper() in used
            or (holder is not None and holder.name.lower() != group.lower())
        ):
            return None
        used.add(code.upper())
    return code


_FILE_SUFFIX = re.compile(r"\.(txt|text|docx?|rtf|odt|pdf|md|html?|vtt|srt)$", re.IGNORECASE)


def _without_extension(name: str) -> str:
    return _FILE_SUFFIX.sub("", name).strip() or name
