"""Codebook versions: every change of the codebook gets a version of its own, and what a
coding, a report or the methods paragraph cites is the version the coding was made with.

A version names one codebook text. Installing a changed codebook (``codebook --replace``, the
app's editor) whose version is already taken, by the codebook in use or an earlier one, bumps
it (1.0 → 1.1, 2 → 3, 1.2.9 → 1.2.10, draft → draft.1) in its TOML, unless a version is given
(``--version``; the app asks, offering the bump); a version given that names another text is
refused. Which version a coding used is read from the times: the codebook in use when the
coding was last written (``codings.updated_at`` against ``codebooks.loaded_at``).
"""

from __future__ import annotations

import re
from typing import Any

from workbench.errors import CodebookError
from workbench.project.codebook import Codebook
from workbench.store import Store


def next_version(version: str) -> str:
    """The version after ``version``: its last number plus one, else ``.1`` appended."""
    match = re.search(r"(\d+)(?!.*\d)", version)
    if match is None:
        return f"{version}.1" if version else "1"
    return version[: match.start()] + str(int(match[1]) + 1) + version[match.end() :]


def taken(store: Store) -> dict[str, str]:
    """Version → the SHA-256 of the codebook text it names, over every codebook installed."""
    return {row["version"]: row["sha256"] for row in store.codebook_history()}


def choose_version(
    store: Store, codebook: Codebook, version: str | None = None
) -> tuple[Codebook, str | None]:
    """``codebook`` with the version it will be installed under, and a sentence saying what was
    bumped (None: its own version stands). ``version``: the version asked for."""
    used = taken(store)
    if version is not None:
        version = version.strip()
        if not version:
            raise CodebookError("--version: give a version, e.g. 1.1")
        if used.get(version, codebook.sha256) != codebook.sha256:
            raise CodebookError(
                f"--version {version}: another codebook of this project has that version already; "
                f"choose a new one (versions used: {', '.join(used)})"
            )
        return (
            (with_version(codebook, version), None)
            if version != codebook.version
            else (codebook, None)
        )
    if used.get(codebook.version, codebook.sha256) == codebook.sha256:
        return codebook, None
    current = store.active_codebook()
    bumped = next_version(current["version"] if current else codebook.version)
    while bumped in used:
        bumped = next_version(bumped)
    return with_version(codebook, bumped), (
        f"version {codebook.version} names the codebook already in use, so this one is version "
        f"{bumped}"
    )


def with_version(codebook: Codebook, version: str) -> Codebook:
    """``codebook`` with ``version`` written into its TOML (``[codebook] version``)."""
    from workbench.project.codebook_edit import CodebookDraft

    draft = CodebookDraft(codebook.source)
    draft.edit("codebook", "", version=version)
    return draft.codebook()


def versions_used(store: Store, coder: str | None = None) -> list[dict[str, Any]]:
    """The codebook versions ``coder``'s coding (default: the agreed coding) was made with:
    [{version, name, sha256, codings}], oldest first."""
    row = store.coder_named(coder or "agreed")
    return store.codebook_versions_of(row.id) if row else []


def cite(used: list[dict[str, Any]]) -> str:
    """'version 1.1' or 'versions 1.0 (12 codings) and 1.1 (110)'."""
    if not used:
        return ""
    if len(used) == 1:
        return f"version {used[0]['version']}"
    parts = [
        f"{u['version']} ({u['codings']} coding{'s' if u['codings'] != 1 else ''})" for u in used
    ]
    return "versions " + ", ".join(parts[:-1]) + " and " + parts[-1]
