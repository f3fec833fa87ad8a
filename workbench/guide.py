"""The user guide: where its sources are, and building it (MkDocs, Material theme) when they
changed since the last build, into a folder of the user's cache. ``workbench guide`` opens it.

The sources are the repository's ``mkdocs.yml`` and ``docs/guide/`` (with ``docs/bad-inputs.md``,
which makes the troubleshooting page, and ``docs/guide_hooks.py``); a wheel carries them in
``workbench/_bundled/guide`` in the same layout. MkDocs is not a dependency of Workbench: it
comes with the ``docs`` (or ``test``) extra, and without it the guide's chapters are still
Markdown files to read. Building needs no network (see ``mkdocs.yml``).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from workbench.errors import WorkbenchError

_PACKAGE = Path(__file__).resolve().parent
STAMP = ".workbench-guide"  # in a built guide: the fingerprint of the sources it was built from
INSTALL = "pip install 'workbench[docs]' (in a checkout: pip install -e '.[docs]')"


class GuideError(WorkbenchError):
    """The guide cannot be built here (MkDocs missing, sources missing, a failed build)."""


@dataclass(frozen=True)
class Guide:
    """A built guide: its first page, and whether this call built it (or found it current)."""

    index: Path
    built: bool


def sources() -> Path:
    """The folder holding the guide's ``mkdocs.yml`` (the wheel's copy, else the checkout)."""
    for root in (_PACKAGE / "_bundled" / "guide", _PACKAGE.parent):
        if (root / "mkdocs.yml").is_file() and (root / "docs" / "guide").is_dir():
            return root
    raise GuideError(
        f"the user guide's sources are not installed with Workbench (looked beside {_PACKAGE})"
    )


def cache_dir() -> Path:
    """Where ``workbench guide`` builds the guide: ``$WORKBENCH_GUIDE_DIR`` if set, else the user's
    cache folder (``$XDG_CACHE_HOME/workbench/guide``, by default ``~/.cache/workbench/guide``;
    ``~/Library/Caches/Workbench/guide`` on macOS; ``%LOCALAPPDATA%\\Workbench\\Cache\\guide``)."""
    if os.environ.get("WORKBENCH_GUIDE_DIR"):
        return Path(os.environ["WORKBENCH_GUIDE_DIR"])
    home = Path.home()
    if sys.platform == "darwin":
        return home / "Library" / "Caches" / "Workbench" / "guide"
    if sys.platform == "win32":
        return (
            Path(os.environ.get("LOCALAPPDATA") or home / "AppData" / "Local")
            / "Workbench"
            / "Cache"
            / "guide"
        )
    return Path(os.environ.get("XDG_CACHE_HOME") or home / ".cache") / "workbench" / "guide"


def source_files(root: Path) -> list[Path]:
    """Every file the built guide depends on, in a fixed order."""
    docs = root / "docs"
    files = [root / "mkdocs.yml", docs / "guide_hooks.py", docs / "bad-inputs.md"]
    files += sorted(
        p for p in (docs / "guide").rglob("*") if p.is_file() and "__pycache__" not in p.parts
    )
    return files


def fingerprint(root: Path) -> str:
    """The sources' identity: a guide built from other sources is built again."""
    digest = hashlib.sha256()
    for path in source_files(root):
        digest.update(f"{path.relative_to(root).as_posix()}\n".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def ensure_built(out: Path | None = None, *, rebuild: bool = False) -> Guide:
    """The built guide in ``out`` (default :func:`cache_dir`), built first when it is absent or
    was built from other sources. The build goes to a new folder beside ``out`` and replaces it
    only once complete, so an interrupted build leaves the previous guide whole."""
    root = sources()
    out = Path(out) if out is not None else cache_dir()
    stamp = fingerprint(root)
    if (out.exists() and not out.is_dir()) or (
        out.is_dir() and any(out.iterdir()) and not (out / STAMP).is_file()
    ):
        raise GuideError(
            f"{out}: this folder holds files that are not a guide Workbench built; give a "
            "new or empty folder with --out (nothing was changed)"
        )
    if not rebuild and (out / "index.html").is_file() and _read(out / STAMP) == stamp:
        return Guide(out / "index.html", built=False)
    out.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        try:
            build(root, fresh)
        except GuideError as exc:
            older = (
                f" (a guide built from older sources is at {out / 'index.html'})"
                if (out / STAMP).is_file()
                else ""
            )
            raise GuideError(f"{exc}{older}") from None
        (fresh / STAMP).write_text(stamp + "\n", encoding="utf-8")
        if out.exists():
            shutil.rmtree(out)
        fresh.rename(out)
    finally:
        shutil.rmtree(fresh, ignore_errors=True)
    return Guide(out / "index.html", built=True)


def build(root: Path, site: Path, *, strict: bool = True) -> None:
    """Build the guide from ``root``'s ``mkdocs.yml`` into ``site`` (MkDocs's own build)."""
    try:
        from mkdocs.commands.build import build as mkdocs_build
        from mkdocs.config import load_config
        from mkdocs.exceptions import MkDocsException
    except ImportError:
        raise GuideError(
            f"the guide is built with MkDocs, which is not installed here: {INSTALL}, then run "
            f"`workbench guide` again. Its chapters are Markdown files, readable as they are, in "
            f"{root / 'docs' / 'guide'}"
        ) from None
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # the theme's notice about its successor
    try:
        config = load_config(str(root / "mkdocs.yml"), site_dir=str(site), strict=strict)
        mkdocs_build(config)
    except (MkDocsException, SystemExit) as exc:
        raise GuideError(f"building the guide from {root / 'mkdocs.yml'} failed: {exc}") from None


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8").strip()
    except OSError:
        return None
