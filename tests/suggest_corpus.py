"""A small synthetic coded project on which a model can be good: each category and theme has
words of its own among common ones, so the coverage curve and pre-coding have a bar to find.
Six focus groups of 30 comments; the agreed coding covers the first ``agreed_groups``."""

from __future__ import annotations

import random
from pathlib import Path

COMMON = (
    "we the a and it was that so then really think people time make good about just know "
    "very some more when there they with for this had"
).split()
SIGNAL = {
    "defining": "means partnership definition shared meaning describe".split(),
    "effective": "helped listened worked supported explained respected".split(),
    "ineffective": "ignored dismissed rushed failed blocked refused".split(),
    "benefits": "outcome benefit improved better result gained".split(),
}
THEME_SIGNAL = {
    "communication": "talked phoned messaged".split(),
    "shared_knowledge": "learned taught knew".split(),
}


def build(
    folder: Path, agreed_groups: int = 5, seed: int = 3, groups: int = 6, per_group: int = 30
):
    from workbench.coding.coder import AGREED
    from workbench.ingest.importer import GroupMeta, import_transcripts
    from workbench.project.lifecycle import init_project

    rng = random.Random(seed)
    store = init_project(folder / "synthetic.db")
    truth = []
    for g in range(groups):
        lines = []
        for n in range(per_group):
            category = rng.choice(list(SIGNAL))
            themes = []
            words = rng.sample(COMMON, 6) + rng.sample(SIGNAL[category], 2)
            if rng.random() < 0.3:  # a word of another category: the model is sure only of some
                words += rng.sample(
                    SIGNAL[rng.choice([c for c in SIGNAL if c != category])], 1 + (n % 2)
                )
            if category in ("effective", "ineffective"):
                themes = [rng.choice(list(THEME_SIGNAL))]
                words += rng.sample(THEME_SIGNAL[themes[0]], 1)
            rng.shuffle(words)
            speaker = ("Sam", "Ruth")[n % 2]
            lines.append(f"{speaker}: {' '.join(words).capitalize()}.")
            truth.append((g, category, themes))
        path = folder / f"group{g}.txt"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        import_transcripts(
            store,
            [path],
            GroupMeta(name=f"Group {g}", kind="individual"),
            roles={"Sam": "Parent", "Ruth": "HP"},
        )
    with store.transaction():
        agreed = store.add_coder(AGREED, "agreed")
        for comment, (g, category, themes) in zip(store.comments(), truth, strict=True):
            if g < agreed_groups:
                store.save_coding(agreed.id, comment.id, category, themes, "", False, False)
    return store
