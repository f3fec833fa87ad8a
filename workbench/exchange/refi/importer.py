"""Import: a project from a .qdpx made by Workbench or another QDA program (``import_qdpx``).

The archive is read once into memory (:mod:`.sources`: users, codes, sources with their
text, selections, notes, cases, and what has no place in Workbench), and the project is
built from it without a temporary file:

1. the codebook: the codes become a :class:`~workbench.project.codebook.Codebook` in memory
   (:mod:`.codebook`; a file without codes gets the bundled codebook);
2. the sources: each text source is parsed once into comments with their spans
   (:mod:`.transcripts`);
3. the codings, in three steps: mapping each selection onto a comment by offsets
   (:mod:`.mapping`, in the unit each source's positions are written in, :mod:`.units`),
   resolving users and codes into codings (:mod:`.resolve`), and writing them
   (:mod:`.writing`).

The import is all or nothing, and the :class:`~.report.ImportReport` lists every skip, guess
and ambiguity. A Workbench export that carries its own data (:mod:`.extension`), unchanged
since, is rebuilt from it instead of step 2 (:mod:`.restore`): the exact codebook,
transcript files, comment refs and times, reconciliation decisions and audit log.
"""

from __future__ import annotations

from pathlib import Path

from workbench.exchange.refi import restore
from workbench.exchange.refi.archive import QdpxArchive
from workbench.exchange.refi.cases import (
    attribute_sets,
    place_attributes,
    read_attributes,
    source_groups,
)
from workbench.exchange.refi.codebook import CodebookPlan, codebook_toml, plan_codebook
from workbench.exchange.refi.extension import read_extension
from workbench.exchange.refi.qdaxml import RefiError, local_name, parse_refi
from workbench.exchange.refi.report import ImportReport
from workbench.exchange.refi.sources import read_project
from workbench.exchange.refi.units import CODE_POINTS, UTF16

__all__ = ["ImportReport", "import_qdpx", "POSITIONS"]

# --positions: how selection positions are read (auto: decided per source, see .units).
POSITIONS = {"auto": None, "code-points": CODE_POINTS, "utf-16": UTF16}


def import_qdpx(
    path: str | Path,
    out_project: str | Path,
    name: str | None = None,
    sources: str | Path | None = None,
    positions: str = "auto",
    set_attributes: bool = True,
) -> ImportReport:
    """Create the project ``out_project`` from a .qdpx made by Workbench or another QDA program.

    Sources and notes are read from inside the archive only, or from the folder ``sources``
    (``--sources DIR``) when their path resolves inside it; every one not read is reported
    with the reason. ``positions``: ``auto`` (each source's unit decided from its selections),
    ``code-points`` or ``utf-16``. ``set_attributes``: ATLAS.ti's document groups named
    ``name: value`` become attributes of the groups of their documents (:mod:`.cases`). On
    any error the half-made project file is removed: the import is all or nothing.
    """
    from workbench.store import remove_project

    path, out = Path(path), Path(out_project)
    if out.exists():
        raise RefiError(
            f"{out}: a file already exists here; choose a new project path for the import"
        )
    if sources is not None and not Path(sources).is_dir():
        raise RefiError(
            f"--sources {sources}: not a folder; name the folder holding the project's source files"
        )
    if positions not in POSITIONS:
        raise RefiError(f"--positions {positions}: give one of {', '.join(POSITIONS)}")
    with QdpxArchive(path, sources) as archive:
        root = parse_refi(archive.qde(), f"{path}: {archive.entry('project.qde') or 'project.qde'}")
        if local_name(root) != "Project":
            raise RefiError(
                f"{path}: project.qde's root element is <{local_name(root)}>, not <Project>"
            )
        report = ImportReport(str(path), str(out), (root.get("origin") or "").strip())
        project = read_project(root, archive, path, report)
        attributes = read_attributes(root)  # placed once the sources are focus groups (.cases)
        ext, unusable = read_extension(archive, project.sources)
    del root  # the tree is read: only the records are kept
    project_name = name or project.name or path.stem
    plan = plan_codebook(project.codes, project_name, path.name) if project.codes else None
    if ext is not None and not (plan is not None and restore.codebook_keys_match(ext, plan)):
        ext, unusable = None, "project.qde's codes are not those of its codebook"
    if unusable:
        report.warnings.append(
            f"the archive's Workbench data was not used ({unusable}; edited after export?): "
            "imported like a file from another program"
        )
    report.not_imported += project.not_imported
    declined = [] if set_attributes else attribute_sets(attributes)
    if declined:
        shown = ", ".join(map(repr, declined[:12])) + (
            f" and {len(declined) - 12} more" if len(declined) > 12 else ""
        )
        report.not_imported.append(
            f"{len(declined)} document group(s) named 'name: value' ({shown}): not taken as "
            "attributes (declined)"
        )
    store = None
    try:
        store, plan = _create(out, project_name, path, plan, ext, project, report)
        _theme_sets(project.theme_sets, plan, report)
        if ext is not None:
            placed = restore.attach_sources(
                store, ext, [s for s in project.sources if s.text is not None], report
            )
        else:
            from workbench.exchange.refi.transcripts import import_sources

            placed = import_sources(store, project, report)
        _import_codings(store, project, placed, plan, path, POSITIONS[positions], report)
        groups = source_groups(
            store, [(p.source.guid, p.ids, {x.guid for x in p.source.selections}) for p in placed]
        )
        report.attributes = place_attributes(store, attributes, groups, set_attributes)
        if ext is not None:
            restore.finish(store, ext, path, report)
    except BaseException:
        if store is not None:
            store.close()
        remove_project(out)
        raise
    return report


def _theme_sets(sets: list, plan: CodebookPlan, report: ImportReport) -> None:
    """The sets Workbench wrote say which categories take which themes, as the codes' markers
    do: read as agreeing with the codebook imported, or named as not imported where they differ
    (edited in another program: the markers were followed)."""
    names = {c.name: c for c in plan.categories}
    themes = {key for kind, key, _ in plan.codes.values() if kind == "theme"}
    for name, category, members in sets:
        entry = names.get(category)
        got = {plan.codes.get(m, ("", "", None))[1] for m in members}
        if entry is not None and entry.takes_themes and got == themes:
            report.code_mapping.append(f"set {name!r} → category {entry.key} takes every theme")
        else:
            report.not_imported.append(
                f"set {name!r}: written by Workbench, but it no longer matches the codes (edited "
                "in another program?); which categories take themes follows the codes' markers"
            )


def _create(
    out: Path, name: str, path: Path, plan: CodebookPlan | None, ext, project, report: ImportReport
):
    """The new project with its codebook, built in memory (no file is written but the project)."""
    from workbench.project.codebook import parse_codebook
    from workbench.project.lifecycle import init_project

    if ext is not None:
        store = restore.create_project(out, name, ext, path)
        report.codebook = "Workbench codes (markers), the exact codebook restored"
        report.code_mapping = plan.mapping if plan is not None else []
    elif plan is not None and plan.categories:
        source_name = f"{path.stem}-codebook.toml"
        book = parse_codebook(
            codebook_toml(plan, path.name).encode("utf-8"), f"{path} (its codes as a codebook)"
        )
        store = init_project(out, name=name, codebook=book, source_name=source_name)
        marked = any(c.marker for c in project.codes)
        report.codebook = (
            "Workbench codes (markers)" if marked else "codes of another program (nesting rule)"
        )
        report.code_mapping = plan.mapping
        report.renamed, report.keyless = plan.renamed, plan.keyless
        report.warnings += plan.notes
    else:
        store = init_project(out, None, name)
        report.codebook = "the bundled codebook (the file has no codes)"
        plan = plan or CodebookPlan({})
    report.categories = [f"{c.key} = {c.name}" for c in store.categories()]
    report.themes = [f"{t.key} = {t.name}" for t in store.themes()]
    return store, plan


def _import_codings(
    store, project, placed, plan: CodebookPlan, path: Path, unit: str | None, report: ImportReport
) -> None:
    """Map the selections of every source, resolve them into codings, write them."""
    from workbench.exchange.refi.mapping import map_source
    from workbench.exchange.refi.resolve import code_label, coder_names, resolve
    from workbench.exchange.refi.writing import write_codings

    coder_of, programs = coder_names(project.users, project.origin, report)
    imported = {p.source.guid for p in placed}
    for source in project.sources:
        if source.guid not in imported and (source.selections or source.whole_codings):
            lost = [f"{len(source.selections)} selection(s)"] if source.selections else []
            lost += [f"{source.whole_codings} coding(s) of the whole source"] * bool(
                source.whole_codings
            )
            report.problems.append(
                f"source {source.name!r}: {' and '.join(lost)} not imported (the source was not "
                "imported)"
            )
    found = []
    comments: dict[int, tuple[str, bool]] = {}
    for item in placed:
        comments.update(zip(item.ids, zip(item.refs, item.excluded, strict=True), strict=True))
        if item.source.whole_codings:
            report.problems.append(
                f"source {item.source.name!r}: {item.source.whole_codings} coding(s) of the whole "
                "source not imported (the unit is a comment)"
            )
        found += map_source(item, project.origin, unit, report, lambda code: code_label(plan, code))
    results = resolve(
        found,
        plan,
        project.notes,
        project.creating_user,
        programs,
        {i: ref for i, (ref, _) in comments.items()},
        coder_of,
        store.codebook(),
        report,
    )
    write_codings(store, results, coder_of, comments, path, report)
