"""Creating a project and changing its codebook.

A project keeps the exact codebook text it was created with (content and hash).
Replacing the codebook (``codebook --replace``, or the app's codebook editor, both through
:func:`install_codebook`) once anything is coded is refused unless the caller says
``force``; then a backup is made first, and the change is recorded in the audit log with
both hashes and the keys that were retired (kept, so existing codings still resolve).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from workbench.errors import CodebookError, WorkbenchError
from workbench.project.codebook import Codebook, load_codebook
from workbench.project.resources import default_codebook
from workbench.project.roles import DEFAULT_ROLES
from workbench.store import Store


def init_project(
    path: str | Path,
    codebook_path: str | Path | None = None,
    name: str | None = None,
    *,
    codebook: Codebook | None = None,
    source_name: str | None = None,
) -> Store:
    """Create a project file with a codebook and the study's roles. The codebook is ``codebook``
    (already read and validated by the loader, named ``source_name``: an import builds it in
    memory), else the file ``codebook_path`` (TOML, CSV or Excel), else the bundled one."""
    if codebook is None:
        source = Path(codebook_path) if codebook_path else default_codebook()
        codebook = load_codebook(source)  # validate before creating anything
        source_name = source.name
    store = Store.create(path, name)
    with store.transaction():
        for role in DEFAULT_ROLES:
            store.add_role(role.key, role.name, role.excluded, role.aliases)
        store.save_codebook(codebook, source_name or "codebook.toml")
        store.audit("create", "project", str(Path(path).name), after={"codebook": codebook.sha256})
        store.audit("load", "codebook", codebook.key, after=_summary(codebook))
    return store


class CodebookInUse(CodebookError):
    """Replacing the codebook of a project that has codings, without ``force``."""

    def __init__(self, message: str, coded: int):
        super().__init__(message)
        self.coded = coded


def replace_codebook(
    store: Store,
    path: str | Path,
    force: bool = False,
    version: str | None = None,
    codebook: Codebook | None = None,
) -> str:
    """Install the codebook file ``path`` (TOML, CSV or Excel; ``codebook``: that file already
    read); return what happened ("unchanged" or "replaced")."""
    return install_codebook(
        store,
        codebook or load_codebook(path),
        Path(path).name,
        force,
        where=str(path),
        version=version,
    )


def install_codebook(
    store: Store,
    codebook: Codebook,
    source_name: str,
    force: bool = False,
    where: str | None = None,
    note: str | None = None,
    actor: str | None = None,
    version: str | None = None,
) -> str:
    """Make ``codebook`` (validated by the loader) the project's; return "unchanged" or
    "replaced". Refused once anything is
    coded unless ``force`` (:class:`CodebookInUse`; then an automatic backup is made first).
    Its version is ``version`` if given, else its own, bumped if another text has that version
    already (``project.versions``). Audited with both hashes and versions, the retired keys and
    ``note`` (e.g. what the app edited). ``where`` names the codebook in messages."""
    from workbench.project.versions import choose_version

    where = where or source_name
    current = store.active_codebook()
    if current and current["sha256"] == codebook.sha256 and version in (None, current["version"]):
        return "unchanged"
    codebook, bumped = choose_version(store, codebook, version)
    if current and current["sha256"] == codebook.sha256:
        return "unchanged"
    backup = (
        store.automatic_backup("codebook replace")
        if current and store.coding_count() and force
        else None
    )
    with store.transaction():
        coded = store.coding_count()
        if coded and not force:
            assert current is not None  # codings are made with a codebook
            raise CodebookInUse(
                f"{where}: the project already has {coded} coding(s) made with codebook "
                f"{current['name']!r} {current['version']} ({current['sha256'][:12]}); replacing "
                "it could change what they mean. Re-run with --force to replace it anyway "
                "(recorded in the audit log).",
                coded,
            )
        before_keys = {c.key for c in store.categories()} | {t.key for t in store.themes()}
        store.save_codebook(codebook, source_name)
        after_keys = {c.key for c in codebook.categories} | {t.key for t in codebook.themes}
        forced = f"forced with {coded} coding(s) in the project" if coded else None
        store.audit(
            "replace",
            "codebook",
            codebook.key,
            before={
                "sha256": current["sha256"] if current else None,
                "version": current["version"] if current else None,
            },
            after={**_summary(codebook), "retired": sorted(before_keys - after_keys)},
            note="; ".join(
                filter(None, (note, forced, bumped, f"backup: {backup}" if backup else None))
            )
            or None,
            actor=actor,
        )
    return "replaced"


def _summary(codebook: Codebook) -> dict[str, Any]:
    return {
        "name": codebook.name,
        "version": codebook.version,
        "sha256": codebook.sha256,
        "categories": [c.key for c in codebook.categories],
        "themes": [t.key for t in codebook.themes],
    }


def active_codebook(store: Store) -> dict[str, Any]:
    """The project's codebook (its row): every project has one from ``init``."""
    book = store.active_codebook()
    if book is None:
        raise WorkbenchError(
            "this project has no codebook: load one with "
            "`workbench codebook PROJECT --replace FILE`"
        )
    return book
