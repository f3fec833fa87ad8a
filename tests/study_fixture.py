"""A fictional agreed coding that reproduces the published study's Tables 1-3 exactly.

The study (../shared/study.md) prints only aggregates, so this fixture builds one set of
comments consistent with all of them: per group category counts (Tables 1 and 2) and,
over the 88 behaviour comments, per theme totals and effective counts (Table 3). Theme
assignments are dealt out deterministically, so every run builds the same frame.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from workbench.project.codebook import load_codebook
from workbench.store.codebook import Category, Theme

CODEBOOK = Path(__file__).resolve().parents[1] / "codebooks" / "coproduction.toml"

# (code, name, kind, roles speaking, {category: count}) — Tables 1 and 2.
GROUPS = [
    (
        "FG1",
        "Health professionals",
        "individual",
        ("HP",),
        {"defining": 9, "effective": 6, "ineffective": 0, "benefits": 1},
    ),
    (
        "FG2",
        "People with CF or IBD and parents",
        "individual",
        ("PwCHC", "Parent"),
        {"defining": 3, "effective": 25, "ineffective": 11, "benefits": 1},
    ),
    (
        "FG3",
        "Teen and parents",
        "individual",
        ("Teen", "Parent"),
        {"defining": 4, "effective": 13, "ineffective": 4, "benefits": 5},
    ),
    (
        "FG4",
        "First multi-stakeholder",
        "multi",
        ("HP", "Parent", "PwCHC"),
        {"defining": 0, "effective": 8, "ineffective": 6, "benefits": 1},
    ),
    (
        "FG5",
        "Last multi-stakeholder",
        "multi",
        ("HP", "Parent", "PwCHC"),
        {"defining": 4, "effective": 13, "ineffective": 2, "benefits": 6},
    ),
]

# Table 3: theme key -> (comments carrying it, of which effective).
THEME_COUNTS = {
    "role_shift": (44, 32),
    "communication": (33, 25),
    "empowerment": (33, 26),
    "knowing_the_person": (32, 24),
    "asking_questions": (28, 24),
    "learning": (15, 13),
    "risk_aware": (14, 13),
    "joint_decision_making": (14, 11),
    "recognize_expertise": (13, 11),
    "goal_setting": (12, 8),
    "shared_knowledge": (12, 7),
    "mutuality": (12, 9),
    "listening": (6, 4),
    "pre_visit_planning": (5, 4),
}

# The study's printed Table 3 (theme name, comments, % effective), in its order.
TABLE3 = [
    ("Role shift", 44, 73),
    ("Communication", 33, 76),
    ("Empowerment", 33, 79),
    ("Getting to know the person", 32, 75),
    ("Asking questions", 28, 86),
    ("Learning", 15, 87),
    ("Risk aware", 14, 93),
    ("Joint decision making", 14, 79),
    ("Recognize other's expertise", 13, 85),
    ("Goal setting", 12, 67),
    ("Shared knowledge", 12, 58),
    ("Mutuality", 12, 75),
    ("Listening", 6, 67),
    ("Pre-visit planning", 5, 80),
]
# The study's Tables 1 and 2: group name -> (count, row %) per category in codebook order.
TABLE1 = {
    "Health professionals": [(9, 56), (6, 38), (0, 0), (1, 6)],
    "People with CF or IBD and parents": [(3, 8), (25, 63), (11, 28), (1, 3)],
    "Teen and parents": [(4, 15), (13, 50), (4, 15), (5, 19)],
}
TABLE2 = {
    "First multi-stakeholder": [(0, 0), (8, 53), (6, 40), (1, 7)],
    "Last multi-stakeholder": [(4, 16), (13, 52), (2, 8), (6, 24)],
}


def codebook_records(path: Path = CODEBOOK) -> tuple[list[Category], list[Theme]]:
    """The codebook's records, as the tables take them (in codebook order)."""
    book = load_codebook(path)
    return list(book.categories), list(book.themes)


def _spread(counts: dict[str, int]) -> list[str]:
    """Category labels interleaved evenly (as in a real discussion), deterministically."""
    slots = [
        ((j + 0.5) / n, order, cat)
        for order, (cat, n) in enumerate(counts.items())
        for j in range(n)
    ]
    return [cat for _, _, cat in sorted(slots)]


def _deal(n_comments: int, counts: list[tuple[str, int]]) -> list[set[str]]:
    """Give each theme to `count` slots in a row, cycling on where the last theme stopped.

    Slot p is comment (p * stride) mod n, a bijection (stride coprime to n) that spreads a
    theme over the groups instead of one run of neighbours. Each count is at most n, so a
    theme never lands twice on one comment, and the counts sum to at least n, so every
    comment gets at least one theme.
    """
    assert all(c <= n_comments for _, c in counts) and sum(c for _, c in counts) >= n_comments
    stride = next(s for s in (7, 11, 13, 17, 19) if math.gcd(s, n_comments) == 1)
    assigned: list[set[str]] = [set() for _ in range(n_comments)]
    pointer = 0
    for key, count in counts:
        for i in range(count):
            assigned[(pointer + i) % n_comments * stride % n_comments].add(key)
        pointer = (pointer + count) % n_comments
    return assigned


def study_dataframe() -> tuple[pd.DataFrame, list[dict], list[dict]]:
    """(df, categories, themes): the agreed coding of five fictional focus groups."""
    categories, themes = codebook_records()
    order = [t.key for t in themes]
    rows = []
    for position, (code, name, kind, roles, counts) in enumerate(GROUPS, start=1):
        for i, category in enumerate(_spread(counts), start=1):
            role = roles[(i - 1) % len(roles)]
            rows.append(
                {
                    "ref": f"{code}-{i:03d}",
                    "group_code": code,
                    "group_name": name,
                    "group_kind": kind,
                    "group_position": position,
                    "speaker": f"{role}{(i - 1) // len(roles) % 3 + 1}",
                    "role": role,
                    "category": category,
                    "themes": (),
                    "exemplar": False,
                    "text": f"Comment {i} of {code}",
                }
            )
    for polarity, pick in (("effective", lambda t: t[1]), ("ineffective", lambda t: t[0] - t[1])):
        idx = [i for i, r in enumerate(rows) if r["category"] == polarity]
        dealt = _deal(len(idx), [(k, pick(v)) for k, v in THEME_COUNTS.items()])
        for i, keys in zip(idx, dealt, strict=True):
            rows[i]["themes"] = tuple(k for k in order if k in keys)
        # The first comment carrying each theme (per polarity) is that theme's exemplar.
        for key in THEME_COUNTS:
            first = next((i for i in idx if key in rows[i]["themes"]), None)
            if first is not None:
                rows[first]["exemplar"] = True
    return pd.DataFrame(rows), categories, themes
