"""Coder packages: one analyst codes on their own laptop, the lead merges the work.

Each analyst gets a copy of the lead's project file, codes in it, and sends back a
package (``workbench coder export``): a UTF-8 JSON file holding

* ``format``/``version`` (``workbench-coder-package``, 1), the project's name and
  creation time, the exporting Workbench version, who exported it and when;
* the SHA-256 of the active codebook (its exact TOML text);
* the coder's name;
* every transcript the coder coded in: focus group, file name and the SHA-256 of
  its content;
* one entry per coded comment: ref, group, transcript, the SHA-256 of the
  comment's text, and the coding (category, themes, memo, unsure, exemplar).

``workbench coder import`` merges a package into the lead's project, all or nothing
(:mod:`workbench.exchange.package_import`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from workbench.errors import WorkbenchError
from workbench.project.lifecycle import active_codebook
from workbench.shapes import check, optional
from workbench.store import Store, default_actor, now

FORMAT = "workbench-coder-package"
VERSION = 1


class PackageError(WorkbenchError):
    """A coder package cannot be written, read or merged."""


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class PackageExport:
    path: str
    coder: str
    comments: int
    transcripts: int


def build_package(store: Store, coder_name: str) -> dict:
    """The package of one coder's codings, as a JSON-ready dict."""
    from workbench import __version__

    coder = store.coder_named(" ".join(coder_name.split()))
    if coder is None or coder.kind != "coder":
        names = ", ".join(c.name for c in store.coders() if c.kind == "coder") or "none yet"
        raise PackageError(
            f"--coder {coder_name!r}: no such coder in {store.path} (coders: {names})"
        )
    codings = store.codings_of(coder.id)
    transcripts = {(t.group_name, t.filename): t for t in store.transcripts()}
    info = store.project_info()
    book = active_codebook(store)
    entries, used = [], []
    for comment in store.comments():
        coding = codings.get(comment.id)
        if coding is None:
            continue
        key = (comment.group_name, comment.transcript)
        if key not in used:
            used.append(key)
        entries.append(
            {
                "ref": comment.ref,
                "group": comment.group_name,
                "transcript": comment.transcript,
                "text_sha256": text_hash(comment.text),
                "category": coding.category_key,
                "themes": list(coding.themes),
                "memo": coding.memo,
                "unsure": bool(coding.unsure),
                "exemplar": bool(coding.exemplar),
            }
        )
    return {
        "format": FORMAT,
        "version": VERSION,
        "project": {"name": info["name"], "created_at": info["created_at"]},
        "codebook": {
            "key": book["key"],
            "name": book["name"],
            "version": book["version"],
            "sha256": book["sha256"],
        },
        "coder": coder.name,
        "exported_at": now(),
        "exported_by": default_actor(),
        "workbench": __version__,
        "transcripts": [
            {"group": g, "filename": f, "sha256": transcripts[(g, f)].sha256} for g, f in used
        ],
        "codings": entries,
    }


def export_package(
    store: Store, coder_name: str, out: str | Path, force: bool = False
) -> PackageExport:
    """Write one coder's package to ``out`` (JSON), by the rule of :mod:`workbench.output`
    (never the project; an existing file only if this project wrote it, or with ``force``)."""
    from workbench.output import for_project

    out = Path(out)
    output = for_project(store, force)
    output.check(out)
    package = build_package(store, coder_name)
    output.write_text(out, json.dumps(package, indent=1, ensure_ascii=False) + "\n")
    return PackageExport(
        str(out), package["coder"], len(package["codings"]), len(package["transcripts"])
    )


# The shape of a package (workbench.shapes): every field's type is checked before use.
_CODING = {
    "ref": str,
    "group": str,
    "transcript": str,
    "text_sha256": str,
    "category": optional(str, null=True),
    "themes": optional([str]),
    "memo": optional(str, null=True),
    "unsure": optional(bool),
    "exemplar": optional(bool),
}
SHAPE = {
    "format": str,
    "version": int,
    "coder": str,
    "project": optional({"name": optional(str, null=True), "created_at": optional(str, null=True)}),
    "codebook": {
        "sha256": str,
        "key": optional(str, null=True),
        "name": optional(str, null=True),
        "version": optional(str, null=True),
    },
    "exported_at": optional(str, null=True),
    "exported_by": optional(str, null=True),
    "workbench": optional(str, null=True),
    "transcripts": [{"group": str, "filename": str, "sha256": str}],
    "codings": [_CODING],
}


def read_package(path: str | Path) -> dict:
    """A package file, read within ``document-size`` and checked against :data:`SHAPE`."""
    from workbench.files import load_json, read_bytes

    path = Path(path)
    data = read_bytes(path, "document-size", "package", PackageError)
    try:
        data = load_json(data.decode("utf-8"), str(path))
    except (UnicodeDecodeError, ValueError):
        raise PackageError(
            f"{path}: not a coder package (not UTF-8 JSON); make one with "
            "`workbench coder export PROJECT --coder NAME --out FILE`"
        ) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise PackageError(f'{path}: not a coder package (no "format": "{FORMAT}")')
    if data.get("version") != VERSION:
        raise PackageError(
            f"{path}: package version {data.get('version')!r}; this Workbench reads version "
            f"{VERSION}: upgrade Workbench"
        )
    check(
        data,
        SHAPE,
        str(path),
        PackageError,
        "; the package is damaged or was not made by Workbench",
    )
    return data
