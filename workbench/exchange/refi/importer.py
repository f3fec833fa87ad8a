"""Import: a project from a .qdpx made by Workbench or another QDA program (``import_qdpx``).

The codes become the new project's codebook (:mod:`.codebook`; a file without
codes gets the bundled codebook). Each ``TextSource`` becomes a focus group (named
by the source, or by its Focus group variable) whose text is parsed by the
ordinary transcript parser into comments; roles come from the Cases' Role
variable, else from the labels as on any import. Then the selections become
codings (:mod:`.selections`). The import is all or nothing, and the
:class:`ImportReport` lists every skip and ambiguity.

A Workbench export that carries its own data (:mod:`.extension`), unchanged since,
is rebuilt from it instead (:mod:`.restore`): the exact codebook, transcript files,
comment refs and times, reconciliation decisions and audit log.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

from workbench.exchange.refi import restore
from workbench.exchange.refi.archive import _Archive
from workbench.exchange.refi.cases import place_attributes, read_attributes, source_groups
from workbench.exchange.refi.codebook import (
    CodebookPlan,
    _read_codes,
    codebook_toml,
    plan_codebook,
    slug,
)
from workbench.exchange.refi.extension import read_extension
from workbench.exchange.refi.qdaxml import (
    V_CODE,
    V_DATE,
    V_FILE,
    V_GROUP,
    V_KIND,
    V_ROLE,
    V_SPEAKER,
    V_STAKEHOLDERS,
    RefiError,
    _child,
    _local,
    _parse,
)
from workbench.exchange.refi.selections import _import_codings
from workbench.exchange.refi.sources import _read_project, _Source
from workbench.store import Store


@dataclass
class ImportReport:
    """What ``import_qdpx`` did: every skip and ambiguity is listed, nothing is dropped silently."""

    path: str
    project: str
    origin: str = ""
    codebook: str = ""  # "workbench codes", "other tool's codes" or "bundled codebook (no codes)"
    categories: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    code_mapping: list[str] = field(default_factory=list)
    coders: dict[str, str] = field(default_factory=dict)  # user → coder
    sources: list[dict] = field(default_factory=list)  # name, group, transcript, comments, selections
    skipped_sources: list[str] = field(default_factory=list)
    skipped_notes: list[str] = field(default_factory=list)
    codings: dict[str, int] = field(default_factory=dict)  # coder → comments coded
    mapped_selections: int = 0
    ambiguous: list[dict] = field(default_factory=list)
    unmapped: list[dict] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    restored: str = ""  # what a Workbench export's own data restored (empty: another program's file)
    attributes: list[str] = field(default_factory=list)  # participants' and groups' (.cases)

    def as_dict(self) -> dict:
        return asdict(self)


def import_qdpx(path: str | Path, out_project: str | Path, name: str | None = None,
                sources: str | Path | None = None, set_attributes: bool = True) -> ImportReport:
    """Create the project ``out_project`` from a .qdpx made by Workbench or another QDA program.

    Sources and notes are read from inside the archive only, or from the folder ``sources``
    (``--sources DIR``) when their path resolves inside it; every one not read is reported
    with the reason. On any error the half-made project file is removed: the import is all
    or nothing. ``set_attributes``: ATLAS.ti's document groups named ``name: value`` become
    attributes of the groups of their documents (:mod:`.cases`).
    """
    from workbench.store import remove_project

    path, out = Path(path), Path(out_project)
    if out.exists():
        raise RefiError(f"{out}: a file already exists here; choose a new project path for the import")
    if sources is not None and not Path(sources).is_dir():
        raise RefiError(f"--sources {sources}: not a folder; name the folder holding the project's source files")
    with _Archive(path, sources) as archive:
        root = _parse(archive.qde(), f"{path}: project.qde")
        if _local(root) != "Project":
            raise RefiError(f"{path}: project.qde's root element is <{_local(root)}>, not <Project>")
        project_name = name or (root.get("name") or "").strip() or path.stem
        report = ImportReport(str(path), str(out), (root.get("origin") or "").strip())
        sources, notes, cases = _read_project(root, archive, path, report)
        attributes = read_attributes(root)  # placed once the sources are focus groups (.cases)
        ext, unusable = read_extension(archive, sources)
    codes = _read_codes(_child(_child(root, "CodeBook"), "Codes"))
    plan = plan_codebook(codes, project_name, path.name) if codes else None
    if ext is not None and not (plan is not None and restore.codebook_keys_match(ext, plan)):
        ext, unusable = None, "project.qde's codes are not those of its codebook"
    if unusable:
        report.warnings.append(f"the archive's Workbench data was not used ({unusable}; edited after export?): "
                               "imported like a file from another program")
    store = None
    try:
        with tempfile.TemporaryDirectory(prefix="workbench-qdpx-") as tmp:
            if ext is not None:
                store = restore.create_project(out, project_name, Path(tmp), ext, path)
                report.codebook = "Workbench codes (markers), the exact codebook restored"
                report.code_mapping = plan.mapping
            elif plan is not None and plan.categories:
                toml_path = Path(tmp) / f"{slug(path.stem)}-codebook.toml"
                toml_path.write_text(codebook_toml(plan, path.name), encoding="utf-8")
                from workbench.project.lifecycle import init_project

                store = init_project(out, toml_path, project_name)
                marked = any(c.marker for c in codes)
                report.codebook = "Workbench codes (markers)" if marked else "codes of another program (nesting rule)"
                report.code_mapping = plan.mapping
                report.warnings += plan.notes
            else:
                from workbench.project.lifecycle import init_project

                store = init_project(out, None, project_name)
                report.codebook = "the bundled codebook (the file has no codes)"
                plan = plan or CodebookPlan({})
            report.categories = [f"{c['key']} = {c['name']}" for c in store.categories()]
            report.themes = [f"{t['key']} = {t['name']}" for t in store.themes()]
            if ext is not None:
                restore.attach_sources(store, ext, [s for s in sources if s.text is not None], report)
            else:
                _import_sources(store, sources, cases, Path(tmp), report)
            _import_codings(store, root, sources, notes, plan, path, report)
            placed = [(s.guid, [c[0] for c in s.comments or []], {x.guid for x in s.selections})
                      for s in sources]
            groups = source_groups(store, placed)
            report.attributes = place_attributes(store, attributes, groups, set_attributes)
            if ext is not None:
                restore.finish(store, ext, path, report)
    except BaseException:
        if store is not None:
            store.close()
        remove_project(out)
        raise
    return report


def _import_sources(store: Store, sources: list[_Source], cases: list[dict], tmp: Path, report: ImportReport) -> None:
    from workbench.errors import LimitError, TranscriptError
    from workbench.ingest.importer import KINDS, GroupMeta, import_transcripts
    from workbench.ingest.transcript import parse_transcript
    from workbench.project.roles import Role, find_role

    roles = [Role(r["key"], r["name"], bool(r["excluded"]), tuple(r["aliases"])) for r in store.roles()]
    wanted = {c["values"].get(V_ROLE) for c in cases} - {None, ""}
    new_roles = sorted(r for r in wanted if find_role(r, roles) is None)
    if new_roles:
        with store.transaction():
            for key in new_roles:
                store.add_role(key, key, False)
                store.audit("create", "role", key, after={"name": key, "excluded": False}, note="from a .qdpx Case")
                roles.append(Role(key, key, False))
        report.warnings.append(f"role(s) {', '.join(new_roles)} added to the project (coded, not excluded)")

    used_groups: set[str] = set()
    used_files: set[tuple[str, str]] = set()
    used_codes = set()
    for number, source in enumerate(sources, start=1):
        if source.text is None:
            report.skipped_sources.append(f"TextSource {source.name!r}: {source.problem}")
            continue
        group = source.variables.get(V_GROUP) or _without_extension(source.name)
        group = " ".join(group.split())[:80] or f"Source {number}"
        own_group = source.variables.get(V_GROUP) is not None
        if not own_group:
            base, n = group, 2
            while group.lower() in used_groups:
                group, n = f"{base} ({n})", n + 1
        used_groups.add(group.lower())
        stem = Path(source.variables.get(V_FILE) or source.name).stem or f"source{number}"
        stem = re.sub(r"[\\/:*?\"<>|\x00-\x1f]+", "_", stem)[:100].strip(" .") or f"source{number}"
        filename, n = f"{stem}.txt", 2
        while (group.lower(), filename.lower()) in used_files:
            filename, n = f"{stem} ({n}).txt", n + 1
        used_files.add((group.lower(), filename.lower()))
        folder = tmp / f"s{number}"
        folder.mkdir()
        file = folder / filename
        file.write_bytes(source.text.encode("utf-8"))
        code = source.variables.get(V_CODE)
        if code:
            holder = store.group_by_name(code)
            if (not re.match(r"^[A-Za-z]\w*$", code) or code.upper() in used_codes
                    or (holder is not None and holder["name"].lower() != group.lower())):
                code = None
        kind = source.variables.get(V_KIND)
        meta = GroupMeta(name=group, code=code, kind=kind if kind in KINDS else None,
                         date=source.variables.get(V_DATE) or None, stakeholders=source.variables.get(V_STAKEHOLDERS) or None)
        # Roles from the Cases of this source, for the speakers the parser finds in it.
        try:
            speaking = {t.speaker for t in parse_transcript(source.text.encode("utf-8"), filename).turns if t.speaker}
        except LimitError as exc:  # a source over a limit stops the import; the message names the .qdpx
            raise LimitError(f"{report.path}: TextSource {source.name!r}: {exc}") from None
        except TranscriptError as exc:
            report.skipped_sources.append(f"TextSource {source.name!r}: {exc}")
            continue
        assigned = {}
        selection_guids = {s.guid for s in source.selections}
        for case in cases:
            label, role = case["values"].get(V_SPEAKER), case["values"].get(V_ROLE)
            if not label or not role or label not in speaking:
                continue
            if source.guid in case["sources"] or case["selections"] & selection_guids:
                assigned[label] = role
        try:
            [file_report] = import_transcripts(store, [file], meta, roles=assigned)
        except TranscriptError as exc:
            report.skipped_sources.append(f"TextSource {source.name!r}: {exc}")
            continue
        if file_report.status == "unchanged":
            report.skipped_sources.append(f"TextSource {source.name!r}: the same text as an earlier source "
                                          f"({file_report.warnings[0] if file_report.warnings else ''}); "
                                          "its selections are not imported")
            continue
        group_row = store.group_by_name(group)
        used_codes.add(group_row["code"].upper())
        source.comments = [(c["id"], c["ref"], c["text"], c["excluded"]) for c in store.comments(group_row["id"])
                           if c["transcript"] == filename]
        report.sources.append({
            "name": source.name, "group": group_row["name"], "code": group_row["code"], "transcript": filename,
            "format": file_report.format, "comments": file_report.comments, "selections": len(source.selections),
            "speakers_without_role": [s.label for s in file_report.speakers if s.role is None],
        })
        report.warnings += [f"{source.name}: {w}" for w in file_report.warnings]


_FILE_SUFFIX = re.compile(r"\.(txt|text|docx?|rtf|odt|pdf|md|html?|vtt|srt)$", re.IGNORECASE)


def _without_extension(name: str) -> str:
    return _FILE_SUFFIX.sub("", name).strip() or name
