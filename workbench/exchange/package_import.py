"""A coder package merged into the lead's project (``workbench coder import``).

``workbench coder import`` merges a package into the lead's project, all or
nothing, in one transaction:

1. it is refused (nothing imported) unless the codebook hash matches, every
   transcript hash matches a transcript of the same group and file name, and
   every ref names a comment of that transcript with the same text: the message
   names each mismatching transcript and ref;
2. the coder is created if new (the reserved name ``agreed`` is refused);
3. codings identical to the project's are left alone, new ones are added, and a
   comment the coder already coded *differently* in the project is a conflict:
   all conflicts are listed and nothing is written, unless ``overwrite`` (then the
   replaced coding is the audit row's "before");
4. codings the project has for this coder but the package lacks are kept (the
   package never deletes) and counted in the result.

Every coding written gets its audit row (:func:`workbench.coding.session.write_coding`),
plus one audit row for the package.

The package's format and reading it: :mod:`workbench.exchange.package`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

from workbench.errors import CodingRuleError, WorkbenchError
from workbench.exchange.package import PackageError, read_package, text_hash
from workbench.project.lifecycle import active_codebook
from workbench.store import Store, default_actor
from workbench.store.codebook import Codebook


@dataclass
class PackageImport:
    path: str
    coder: str
    created_coder: bool = False
    new: int = 0
    unchanged: int = 0
    replaced: int = 0
    kept: int = 0  # the project's codings of this coder that the package does not hold
    conflicts: list[dict] = field(default_factory=list)  # ref, project, package

    def as_dict(self) -> dict:
        return asdict(self)


class PackageConflict(PackageError):
    """The package would replace codings the project holds; nothing was imported."""

    def __init__(self, message: str, result: PackageImport):
        super().__init__(message)
        self.result = result


def _describe(coding, book: Codebook) -> str:
    """A coding in words, by the codebook's names (keys where it lacks them)."""
    if coding.empty:
        return "not coded"
    parts = [book.category_name(coding.category) if coding.category else "no category"]
    if coding.themes:
        parts.append("[" + ", ".join(book.theme_name(t) for t in coding.themes) + "]")
    if coding.unsure:
        parts.append("(not sure)")
    if coding.exemplar:
        parts.append("(exemplar)")
    if coding.memo:
        memo = " ".join(coding.memo.split())
        parts.append(f"memo {memo[:40] + '…' if len(memo) > 40 else memo!r}")
    return " ".join(parts)


def import_package(
    store: Store, path: str | Path, overwrite: bool = False, actor: str | None = None
) -> PackageImport:
    """Merge a coder package into ``store`` (see the module docstring)."""
    from workbench.coding.coder import known_or_new
    from workbench.coding.session import Coding, codings_by_comment, write_coding

    path = Path(path)
    package = read_package(path)
    try:
        name = known_or_new(store, package["coder"])
    except WorkbenchError as exc:
        raise PackageError(f'{path}: field "coder": {exc}. Nothing was imported.') from None
    if overwrite and store.coding_count():
        store.automatic_backup(f"coder import {path.name}")
    result = PackageImport(str(path), name)
    origin = f"{package.get('project', {}).get('name', '?')!r}"

    installed = active_codebook(store)
    wanted = package["codebook"].get("sha256")
    if wanted != installed["sha256"]:
        raise PackageError(
            f"{path}: coded with codebook {package['codebook'].get('name')!r} "
            f"{package['codebook'].get('version')} (sha256 {str(wanted)[:12]}), but {store.path} has "
            f"{installed['name']!r} {installed['version']} (sha256 {installed['sha256'][:12]}); "
            "the codings could mean other things. Install the same codebook in both projects "
            "first. Nothing was imported."
        )

    problems = []
    by_hash = {t.sha256: t for t in store.transcripts()}
    named = {(t.group_name.lower(), t.filename.lower()): t for t in store.transcripts()}
    for item in package["transcripts"]:
        where = f"transcript {item.get('filename')!r} of group {item.get('group')!r}"
        mine = named.get((str(item.get("group")).lower(), str(item.get("filename")).lower()))
        if mine is None:
            other = by_hash.get(item.get("sha256"))
            problems.append(
                f"{where}: not in this project"
                + (
                    f" (the same file is {other.filename!r} of group {other.group_name!r})"
                    if other
                    else ""
                )
            )
        elif mine.sha256 != item.get("sha256"):
            problems.append(
                f"{where}: the project holds a different version (sha256 {mine.sha256[:12]}, "
                f"package {str(item.get('sha256'))[:12]})"
            )
    comments = {c.ref: c for c in store.comments()}
    planned = []  # (number, comment, coding)
    for number, entry in enumerate(package["codings"], start=1):
        ref = entry["ref"]
        comment = comments.get(ref)
        if comment is None:
            problems.append(f"{ref}: no such comment in this project (was it split or merged?)")
            continue
        if text_hash(comment.text) != entry["text_sha256"]:
            problems.append(
                f"{ref}: the comment's text differs from the coder's copy (edited after the copy was made)"
            )
            continue
        if (comment.group_name, comment.transcript) != (
            entry.get("group"),
            entry.get("transcript"),
        ):
            problems.append(
                f"{ref}: belongs to transcript {comment.transcript!r} of {comment.group_name!r} "
                f"here, {entry.get('transcript')!r} of {entry.get('group')!r} in the package"
            )
            continue
        planned.append(
            (
                number,
                comment,
                Coding(
                    entry.get("category"),
                    tuple(entry.get("themes") or ()),
                    str(entry.get("memo") or ""),
                    bool(entry.get("unsure")),
                    bool(entry.get("exemplar")),
                ),
            )
        )
    if problems:
        more = f"\n… and {len(problems) - 50} more" if len(problems) > 50 else ""
        raise PackageError(
            f"{path}: the package of {name} from project {origin} does not match {store.path}:\n"
            + "\n".join(f"  {p}" for p in problems[:50])
            + more
            + "\nThe coder must code in a copy of this project (same transcripts and comments). Nothing was imported."
        )

    note = f"from coder package {path.name}"
    with store.transaction():
        coder = store.coder_named(name)
        if coder is not None and coder.kind != "coder":
            raise PackageError(
                f"{path}: coder name {name!r} is reserved in {store.path}; nothing was imported"
            )
        current = codings_by_comment(store, coder.id) if coder else {}
        book = store.codebook()
        _allowed(path, book, planned, current)
        writes = []
        for _, comment, after in planned:
            before = current.get(comment.id, Coding())
            if before == after:
                result.unchanged += 1
            elif before.empty:
                writes.append((comment, before, after))
                result.new += 1
            else:
                result.conflicts.append(
                    {
                        "ref": comment.ref,
                        "project": _describe(before, book),
                        "package": _describe(after, book),
                    }
                )
                writes.append((comment, before, after))
        in_package = {comment.id for _, comment, _ in planned}
        result.kept = sum(
            1
            for comment_id, coding in current.items()
            if comment_id not in in_package and not coding.empty
        )
        if result.conflicts and not overwrite:
            lines = [
                f"  {c['ref']}: project has {c['project']}; package has {c['package']}"
                for c in result.conflicts[:50]
            ]
            more = (
                f"\n  … and {len(result.conflicts) - 50} more" if len(result.conflicts) > 50 else ""
            )
            raise PackageConflict(
                f"{path}: {len(result.conflicts)} comment(s) already coded differently by {name} in "
                f"{store.path}:\n"
                + "\n".join(lines)
                + more
                + "\nRe-run with --overwrite to take the package's codings (the replaced ones stay in the "
                "audit log). Nothing was imported.",
                result,
            )
        if coder is None:
            coder = store.add_coder(name)
            store.audit(
                "create",
                "coder",
                name,
                after={"name": name},
                actor=actor or default_actor(),
                note=note,
            )
            result.created_coder = True
        importer = actor or default_actor()
        for comment, before, after in writes:
            # The coding is the coder's (the audit actor, as when coding); the note says who merged it.
            replaced = " (replaced with --overwrite)" if not before.empty else ""
            write_coding(
                store,
                coder,
                comment.id,
                comment.ref,
                before,
                after,
                "import",
                actor=name,
                note=f"{note}, merged by {importer}{replaced}",
            )
        result.replaced = len(result.conflicts)
        store.audit(
            "import",
            "coder_package",
            path.name,
            actor=actor or default_actor(),
            after={
                "coder": name,
                "project": package.get("project"),
                "exported_at": package.get("exported_at"),
                "exported_by": package.get("exported_by"),
                "codebook_sha256": wanted,
                "new": result.new,
                "replaced": result.replaced,
                "unchanged": result.unchanged,
                "kept": result.kept,
            },
        )
    return result


def _allowed(path: Path, book: Codebook, planned: list, current: dict) -> None:
    """Every coding the package would write, by the codebook's rule (a hand-edited package can
    say anything the format allows); a coding the project already holds as it is passes."""
    from workbench.coding.record import Coding

    problems = []
    for number, comment, after in planned:
        before = current.get(comment.id, Coding())
        if before != after:
            try:
                book.check(after, before)
            except CodingRuleError as exc:
                problems.append(f"{path}: codings #{number} ({comment.ref}): {exc}")
    if problems:
        more = f"\n… and {len(problems) - 50} more" if len(problems) > 50 else ""
        raise PackageError(
            "\n".join(problems[:50]) + more + f"\n{len(problems)} coding(s) the codebook does "
            "not allow (was the package edited by hand?). Nothing was imported."
        )
