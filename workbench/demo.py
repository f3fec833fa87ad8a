"""The demo project: five fictional focus groups mirroring the study's design.

``transcripts/demo.toml`` lists the groups with their metadata, transcript file
and roster; each transcript uses a different real-world format. With ``coded``, the
demo also gets what a finished study has, built through the product's own steps: two
fictional analysts' codings (imported as sheets), the agreement before reconciling
(frozen as round 1), and the lead's reconciliation decisions with their rationales.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from workbench.errors import WorkbenchError
from workbench.ingest.importer import FileReport, GroupMeta, import_transcripts
from workbench.project.lifecycle import init_project
from workbench.project.resources import bundled
from workbench.store import Store, remove_project


def _manifest() -> tuple[Path, dict]:
    folder = bundled("transcripts")
    with open(folder / "demo.toml", "rb") as handle:
        return folder, tomllib.load(handle)


def demo_manifest() -> tuple[Path, list[dict]]:
    folder, manifest = _manifest()
    return folder, manifest["group"]


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
            name=group["name"],
            code=group.get("code"),
            kind=group.get("kind"),
            date=group.get("date"),
            stakeholders=group.get("stakeholders"),
        )
        roster = folder / group["roster"] if group.get("roster") else None
        try:
            reports += import_transcripts(store, [folder / group["file"]], meta, roster)
        except WorkbenchError as exc:
            # The bundled transcripts changed since this demo was built and it has codings.
            raise WorkbenchError(
                f"{exc}\nThe demo project {path} is older than the bundled "
                "transcripts: `workbench demo --rebuild` starts it afresh."
            ) from None
    return store, reports


def code_demo(store: Store) -> dict:
    """Give the demo its two analysts' codings, round 1 and the lead's reconciliation
    (once: a demo that already has codings is left as it is). A summary."""
    import csv

    from workbench.agreement.reliability import project_agreement
    from workbench.agreement.rounds import freeze_round
    from workbench.coding.session import Coding
    from workbench.exchange.sheets import import_sheet
    from workbench.reconcile.consensus import Reconciliation

    folder, manifest = _manifest()
    plan = manifest["coding"]
    if store.coding_count():
        return {"coded": False}
    for sheet in plan["coders"]:
        import_sheet(store, folder / sheet, actor=plan["lead"])
    coders = [c.name for c in store.coders() if c.kind == "coder"]
    round_1 = freeze_round(
        store, project_agreement(store, coders), "round 1: before reconciling", plan["lead"]
    )
    coder_a, coder_b = coders  # (the demo's two coders)
    rec = Reconciliation(store, coder_a, coder_b, plan["lead"])
    automatic = rec.auto_agree()
    themes = {t.name: t.key for t in store.themes()}
    with open(folder / plan["agreed"], encoding="utf-8", newline="") as handle:
        agreed = {row["ref"]: row for row in csv.DictReader(handle)}
    decided = 0
    for item in rec.items():
        row = agreed[item.ref]
        coding = Coding(
            row["category"],
            tuple(themes[n.strip()] for n in row["themes"].split(";") if n.strip()),
            exemplar=row["exemplar"] == "1",
        )
        now = item.agreed or Coding()
        if row["rationale"] or (now.category, set(now.themes), now.exemplar) != (
            coding.category,
            set(coding.themes),
            coding.exemplar,
        ):
            rec.decide(item, coding, row["rationale"] or "as both analysts coded it")
            decided += 1
    return {
        "coded": True,
        "coders": coders,
        "round": round_1,
        "automatic": automatic,
        "decided": decided,
    }
