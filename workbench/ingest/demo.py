"""The demo project: five fictional focus groups mirroring the study's design.

``transcripts/demo.toml`` lists the groups with their metadata, transcript file
and roster; each transcript uses a different real-world format.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from workbench.errors import WorkbenchError
from workbench.ingest.importer import FileReport, GroupMeta, import_transcripts
from workbench.project.lifecycle import init_project
from workbench.project.resources import bundled
from workbench.store import Store, remove_project


def demo_manifest() -> tuple[Path, list[dict]]:
    folder = bundled("transcripts")
    with open(folder / "demo.toml", "rb") as handle:
        return folder, tomllib.load(handle)["group"]


def build_demo(path: str | Path, rebuild: bool = False) -> tuple[Store, list[FileReport]]:
    """Create the demo project at ``path`` (or reopen it) and import every demo group.

    Importing is idempotent (content hashes), so reopening an existing demo only
    adds what is missing.
    """
    path = Path(path)
    if rebuild:
        remove_project(path)
    store = Store.open(path) if path.exists() else init_project(path, name="Coproduction demo")
    folder, groups = demo_manifest()
    reports: list[FileReport] = []
    for group in groups:
        meta = GroupMeta(
            name=group["name"], code=group.get("code"), kind=group.get("kind"),
            date=group.get("date"), stakeholders=group.get("stakeholders"),
        )
        roster = folder / group["roster"] if group.get("roster") else None
        try:
            reports += import_transcripts(store, [folder / group["file"]], meta, roster)
        except WorkbenchError as exc:
            # The bundled transcripts changed since this demo was built and it has codings.
            raise WorkbenchError(f"{exc}\nThe demo project {path} is older than the bundled "
                                 "transcripts: `workbench demo --rebuild` starts it afresh.") from None
    return store, reports
