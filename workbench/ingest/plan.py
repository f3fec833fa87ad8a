"""What an import would store, worked out before anything is written: each file's reading
(format, label styles, speakers with their turns and roles, lines set aside, findings) and
the first turns as they would be stored, with the refs they would take.

``importer.read_import`` fills these reports; ``workbench import --dry-run``, the app's
import screen and every real import show them (``cli.ingest.format_report``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import asdict, dataclass, field
from operator import attrgetter
from typing import Any

from workbench.ingest.refs import comment_ref
from workbench.ingest.transcript import ParsedTranscript
from workbench.project.roles import find_role, role_from_label
from workbench.store import Role, Speaker

PREVIEW = 8  # turns shown as they would be stored


@dataclass
class SpeakerReport:
    label: str
    role: str | None
    comments: int
    role_source: str  # "roster", "--role", "chosen", "tag", "header", "label", "project", or ""


@dataclass
class FileReport:
    path: str
    group: str
    status: (
        str  # "imported", "replaced" or "unchanged" (read, not yet written: ``written`` is False)
    )
    format: str = ""
    encoding: str = ""
    comments: int = 0
    codable: int = 0
    unknown_speaker: int = 0
    words: int = 0
    speakers: list[SpeakerReport] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # e.g. a roster's columns as attributes
    styles: list[str] = field(default_factory=list)
    set_aside: list[dict[str, Any]] = field(default_factory=list)  # {"kind", "lines", "example"}
    annotations: list[int] = field(default_factory=list)  # lines of annotations kept in the text
    findings: list[dict[str, Any]] = field(default_factory=list)  # {"code", "message", "lines"}
    preamble: str = ""
    preview: list[dict[str, Any]] = field(
        default_factory=list
    )  # {"ref", "speaker", "role", "excluded", "line", "text"}
    written: bool = False  # False for a dry run (and until the import is written)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def reading(report: FileReport, parsed: ParsedTranscript) -> None:
    """Copy what the reader found into ``report``."""
    report.styles = list(parsed.styles)
    report.set_aside = [
        {"kind": s.kind, "lines": list(s.lines), "example": s.example} for s in parsed.set_aside
    ]
    report.annotations = list(parsed.annotations)
    report.findings = [
        {"code": f.code, "message": f.message, "lines": list(f.lines)} for f in parsed.findings
    ]
    report.preamble = parsed.preamble


def speakers(
    parsed: ParsedTranscript,
    assignments: dict[str, Any],
    roles: list[Role],
    existing: dict[str, Speaker],
) -> list[SpeakerReport]:
    """Each speaker of a parsed file with its turns and role, and where the role came from
    (turns counted in C: a large import has tens of thousands)."""
    counts = Counter(map(attrgetter("speaker"), parsed.turns))
    counts.pop(None, None)
    tags: dict[str, set[str]] = {}
    if any(map(attrgetter("role_tag"), parsed.turns)):
        for turn in parsed.turns:
            if turn.role_tag and turn.speaker:
                tags.setdefault(turn.speaker, set()).add(turn.role_tag)
    out = []
    for label, n in counts.items():
        role, source = _role_for(label, parsed, assignments, roles, existing, tags.get(label, ()))
        out.append(SpeakerReport(label, role, n, source))
    return out


def _role_for(
    label: str,
    parsed: ParsedTranscript,
    assignments: dict[str, Any],
    roles: list[Role],
    existing: dict[str, Speaker],
    tags: Collection[str],
) -> tuple[str | None, str]:
    """Roster and --role first, then a ~tag, the header's facilitator, the label itself, the
    group's earlier import."""
    if label in assignments:
        role, where, _line = assignments[label]
        source = (
            "--role" if where.startswith("--role") else "chosen" if where == "chosen" else "roster"
        )
        return role, source
    for tag in sorted(tags):
        role = find_role(tag, roles)
        if role is not None:
            return role.key, "tag"
    if label in parsed.facilitators:
        role = find_role("Facilitator", roles)
        if role is not None:
            return role.key, "header"
    role = role_from_label(label, roles)
    if role is not None:
        return role.key, "label"
    if label in existing and existing[label].role_key:
        return existing[label].role_key, "project"
    return None, ""


def tally(
    report: FileReport,
    parsed: ParsedTranscript,
    roles: list[Role],
    first_ref: tuple[str, int] | None,
    preview: bool,
) -> None:
    """Comments, codable, unknown speaker and words of ``report`` from its speakers' roles; with
    ``preview``, the first turns as they would be stored (refs from ``first_ref``: code, number)."""
    role_of: dict[str | None, str | None] = {s.label: s.role for s in report.speakers}
    excluded_roles = {r.key for r in roles if r.excluded}
    report.comments = len(parsed.turns)
    excluded = sum(s.comments for s in report.speakers if s.role in excluded_roles)
    report.codable = report.comments - excluded
    report.unknown_speaker = report.comments - sum(s.comments for s in report.speakers)
    report.words = sum(map(attrgetter("words"), parsed.turns))
    if preview and first_ref is not None:
        code, number = first_ref
        report.preview = [
            {
                "ref": comment_ref(code, number + i),
                "speaker": t.speaker,
                "role": role_of.get(t.speaker),
                "excluded": role_of.get(t.speaker) in excluded_roles,
                "line": t.line,
                "start": t.start,
                "text": t.text,
            }
            for i, t in enumerate(parsed.turns[:PREVIEW])
        ]


_SOURCES = {
    "roster": "from the roster",
    "--role": "from --role",
    "chosen": "as chosen",
    "tag": "from its ~tag",
    "header": "the header names them",
    "label": "the label names it",
    "project": "as before in this project",
}
_SET_ASIDE = {
    "header": "header block",
    "preamble": "opening without labels",
    "annotation": "annotations",
    "timestamp": "timestamps alone",
}


def format_report(report: FileReport, dry_run: bool = False) -> str:
    """The per-file reading (and, for a dry run, the first turns as they would be stored) as
    text: what ``workbench import`` prints, and the app's import screen shows."""
    status = {"imported": "would be imported", "replaced": "would replace the earlier version"}
    said = status.get(report.status, report.status) if dry_run else report.status
    head = f"{report.path} → group {report.group!r}: {said}"
    if report.status == "unchanged":
        return "\n".join([head, *(f"  note: {w}" for w in report.warnings + report.notes)])
    lines = [
        f"{head} ({report.format}, {report.encoding})",
        f"  {report.comments} comments ({report.codable} to code, "
        f"{report.comments - report.codable} excluded), {len(report.speakers)} speakers, "
        f"{report.words:,} words",
    ]
    if report.styles:
        lines.append(f"  label styles read: {'; '.join(report.styles)}")
    if report.unknown_speaker:
        lines.append(
            f"  {report.unknown_speaker} comment(s) with speaker 'unknown' (no label in the file)"
        )
    for s in report.speakers:
        # "Facilitator: Facilitator (from label)" said the role twice; say where it came from.
        role = f"{s.role} ({_SOURCES.get(s.role_source, s.role_source)})" if s.role else "no role"
        lines.append(f"    {s.label}: {role}, {s.comments} comment(s)")
    return "\n".join(lines + details(report, dry_run))


def details(report: FileReport, dry_run: bool = True) -> list[str]:
    """The reading below the speakers: lines set aside, annotations, warnings, the first turns."""
    lines = []
    for aside in report.set_aside:
        lines.append(
            f"  set aside, not comments: {_SET_ASIDE.get(aside['kind'], aside['kind'])} at "
            f"{_lines(aside['lines'])} (e.g. {aside['example']!r})"
        )
    if report.annotations:
        lines.append(
            f"  annotations kept in the text where they stand: {_lines(report.annotations)}"
        )
    lines += [f"  warning: {w}" for w in report.warnings]
    lines += [f"  note: {n}" for n in report.notes]
    if dry_run and report.preview:
        lines.append("  first turns as they would be stored:")
        for row in report.preview:
            who = row["speaker"] or "unknown (no speaker)"
            role = (
                f" ({row['role']}{', not coded' if row['excluded'] else ''})" if row["role"] else ""
            )
            text = " ".join(row["text"].split())
            lines.append(
                f"    {row['ref']}  line {row['line']}  {who}{role}: "
                f"{text[:90]}{'…' if len(text) > 90 else ''}"
            )
    return lines


def _lines(numbers: list[int]) -> str:
    """ "line 3", "lines 1-5", "lines 4, 9, 12 …" for a list of line numbers."""
    if len(numbers) == 1:
        return f"line {numbers[0]}"
    if numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"lines {numbers[0]}-{numbers[-1]}"
    return "lines " + ", ".join(map(str, numbers[:8])) + (" …" if len(numbers) > 8 else "")
