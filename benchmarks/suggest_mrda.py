"""The MRDA meeting corpus as a Workbench project, for ``suggest_bench.py --mrda``.

75 real research-group meetings (ICSI MRDA, ``../shared/realdata/mrda_meeting_dialogue_acts.csv``),
108,202 dialogue-act units coded by trained annotators with five basic tags. Each meeting is
imported as a focus group (a transcript of ``speaker: text`` lines, through the product's own
importer), each unit is a comment, and the annotators' tag is the agreed coding of a codebook
of five categories without themes. Cross-validation is by meeting. Setup, not timed.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "realdata" / "mrda_meeting_dialogue_acts.csv"
TAGS = {
    "S": "Statement",
    "B": "Backchannel",
    "D": "Disruption",
    "F": "Floor mechanism",
    "Q": "Question",
}
CODEBOOK = "\n".join(
    ["[codebook]", 'key = "mrda"', 'name = "MRDA basic dialogue acts"', 'version = "1"', ""]
    + [
        f'[[category]]\nkey = "{k.lower()}"\nname = "{name}"\nshortcut = "{i}"\ntakes_themes = false\n'
        for i, (k, name) in enumerate(TAGS.items(), start=1)
    ]
)


def build(folder: Path, limit: int | None = None) -> Path:
    """The project (``limit`` meetings, all by default); refuses if the importer's comments do not
    match the corpus's units one for one."""
    from workbench.coding.coder import AGREED
    from workbench.ingest.importer import GroupMeta, import_transcripts
    from workbench.project.lifecycle import init_project

    meetings: dict[str, list[dict]] = defaultdict(list)
    with CORPUS.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            meetings[row["conversation_id"]].append(row)
    names = sorted(meetings)[:limit] if limit else sorted(meetings)
    (folder / "mrda.toml").write_text(CODEBOOK, encoding="utf-8")
    store = init_project(folder / "mrda.db", folder / "mrda.toml", name="MRDA")
    truth = []
    for name in names:
        rows = meetings[name]
        path = folder / f"{name}.txt"
        path.write_text(
            "\n".join(f"{r['speaker'].upper()}: {r['text']}" for r in rows) + "\n", encoding="utf-8"
        )
        import_transcripts(
            store,
            [path],
            GroupMeta(name=name, kind="multi"),
            roles={s.upper(): "HP" for s in {r["speaker"] for r in rows}},
        )
        truth += [r["code"].lower() for r in rows]
    comments = [c for c in store.comments() if not c.excluded]
    if len(comments) != len(truth):
        raise SystemExit(f"MRDA: the importer made {len(comments)} comments of {len(truth)} units")
    with store.transaction():
        agreed = store.add_coder(AGREED, "agreed")
        for comment, code in zip(comments, truth, strict=True):
            store.save_coding(agreed.id, comment.id, code, [], "", False, False)
    store.close()
    return folder / "mrda.db"
