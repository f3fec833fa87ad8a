"""Creating a project and changing its codebook.

A project keeps the exact codebook text it was created with (content and hash).
Replacing the codebook once anything is coded is refused unless the caller says
``force``; then it is recorded in the audit log with both hashes and the keys that
were retired (kept, so existing codings still resolve).
"""

from __future__ import annotations

from pathlib import Path

from workbench.errors import CodebookError
from workbench.project.codebook import Codebook, load_codebook
from workbench.project.resources import default_codebook
from workbench.project.roles import DEFAULT_ROLES
from workbench.store import Store


def init_project(path: str | Path, codebook_path: str | Path | None = None, name: str | None = None) -> Store:
    """Create a project file with a codebook (default: coproduction) and the study's roles."""
    source = Path(codebook_path) if codebook_path else default_codebook()
    codebook = load_codebook(source)  # validate before creating anything
    store = Store.create(path, name)
    with store.transaction():
        for role in DEFAULT_ROLES:
            store.add_role(role.key, role.name, role.excluded, role.aliases)
        store.save_codebook(codebook, source.name)
        store.audit("create", "project", str(Path(path).name), after={"codebook": codebook.sha256})
        store.audit("load", "codebook", codebook.key, after=_summary(codebook))
    return store


def replace_codebook(store: Store, path: str | Path, force: bool = False) -> str:
    """Install a new codebook; return what happened ("unchanged" or "replaced")."""
    codebook = load_codebook(path)
    current = store.active_codebook()
    if current and current["sha256"] == codebook.sha256:
        return "unchanged"
    if current and store.coding_count() and force:
        store.automatic_backup("codebook replace")
    with store.transaction():
        coded = store.coding_count()
        if coded and not force:
            raise CodebookError(
                f"{path}: the project already has {coded} coding(s) made with codebook "
                f"{current['name']!r} {current['version']} ({current['sha256'][:12]}); replacing "
                "it could change what they mean. Re-run with --force to replace it anyway "
                "(recorded in the audit log)."
            )
        before_keys = {c["key"] for c in store.categories()} | {t["key"] for t in store.themes()}
        store.save_codebook(codebook, Path(path).name)
        after_keys = {c.key for c in codebook.categories} | {t.key for t in codebook.themes}
        store.audit(
            "replace",
            "codebook",
            codebook.key,
            before={"sha256": current["sha256"] if current else None,
                    "version": current["version"] if current else None},
            after={**_summary(codebook), "retired": sorted(before_keys - after_keys)},
            note=f"forced with {coded} coding(s) in the project" if coded else None,
        )
    return "replaced"


def _summary(codebook: Codebook) -> dict:
    return {
        "name": codebook.name,
        "version": codebook.version,
        "sha256": codebook.sha256,
        "categories": [c.key for c in codebook.categories],
        "themes": [t.key for t in codebook.themes],
    }
