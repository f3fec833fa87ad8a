"""Coder validity from reconciliation (as CAT's adjudication reports it): how often each coder's
coding was taken into the agreed coding, overall, per category and per theme.

For each pair of coders the lead reconciled, every comment both coded that has an agreed
coding is compared with it. On the comments where the coders disagreed (the decisions
that show whose reading prevailed) each coder's outcome is: their whole coding taken,
their category taken (themes changed), or not taken. Per category: of the comments a
coder put in it, how many the agreed coding kept there; per theme: of a coder's
applications of it, how many the agreed coding kept (CAT's "accepted"), and how many
agreed applications the coder had missed. Both over the disagreements and over every
reconciled comment. Not an independent check: the agreed coding was built from these
codings, so this describes the reconciliation, not accuracy.
"""

from __future__ import annotations

import json

from workbench.coding.coder import AGREED
from workbench.errors import WorkbenchError
from workbench.store import Store
from workbench.store.coding_records import Coding

Codings = dict[int, Coding]  # one coder's codings by comment id (``Store.codings_of``)


def _share(n: int, d: int) -> dict:
    return {"n": n, "of": d, "share": n / d if d else None}


def _blank(keys) -> dict:
    return {k: [0, 0] for k in keys}


def coder_validity(store: Store) -> dict:
    agreed = store.coder_named(AGREED)
    states = store.reconciliations()
    if agreed is None or not states:
        raise WorkbenchError(
            "no reconciliation decisions yet: coder validity is computed from them "
            "(`workbench reconcile PROJECT --coders A B --as LEAD`)"
        )
    final = store.codings_of(agreed.id)
    pairs: dict[tuple[str, ...], list[int]] = {}
    for comment_id, state in states.items():
        names = tuple(
            json.loads(state["coders"]) if isinstance(state["coders"], str) else state["coders"]
        )
        if len(names) == 2 and comment_id in final and final[comment_id].category_key:
            pairs.setdefault(names, []).append(comment_id)
    categories = store.categories(include_retired=True)
    themes = store.themes(include_retired=True)
    cat_keys, theme_keys = [c.key for c in categories], [t.key for t in themes]
    out = []
    for names, ids in pairs.items():
        coders = [c for n in names if (c := store.coder_named(n)) is not None]
        if len(coders) != len(names):
            continue
        codings = [store.codings_of(c.id) for c in coders]
        both = [
            cid for cid in ids if all((k := cod.get(cid)) and k.category_key for cod in codings)
        ]
        disagree = [cid for cid in both if _differs(codings[0][cid], codings[1][cid])]
        per_coder = {}
        for name, cod in zip(names, codings, strict=True):
            per_coder[name] = {
                "disagreements": _outcomes(cod, final, disagree),
                "categories": {
                    "disagreements": _categories(cod, final, disagree, cat_keys),
                    "all": _categories(cod, final, both, cat_keys),
                },
                "themes": {
                    "disagreements": _themes(cod, final, disagree, theme_keys),
                    "all": _themes(cod, final, both, theme_keys),
                },
            }
        neither = sum(
            1 for cid in disagree if all(_differs(cod[cid], final[cid]) for cod in codings)
        )
        statuses: dict[str, int] = {}
        for cid in ids:
            statuses[states[cid]["status"]] = statuses.get(states[cid]["status"], 0) + 1
        out.append(
            {
                "coders": list(names),
                "reconciled": len(ids),
                "coded_by_both": len(both),
                "disagreements": len(disagree),
                "neither_taken": neither,
                "statuses": statuses,
                "per_coder": per_coder,
            }
        )
    if not out:
        raise WorkbenchError(
            "no reconciled comment has codings of both coders and an agreed coding"
        )
    return {
        "pairs": out,
        "names": {
            "categories": {c.key: c.name for c in categories},
            "themes": {t.key: t.name for t in themes},
        },
    }


def _differs(a: Coding, b: Coding) -> bool:
    return a.category_key != b.category_key or set(a.themes) != set(b.themes)


def _outcomes(cod: Codings, final: Codings, ids: list[int]) -> dict:
    whole = sum(1 for cid in ids if not _differs(cod[cid], final[cid]))
    category = sum(1 for cid in ids if cod[cid].category_key == final[cid].category_key)
    return {
        "whole": _share(whole, len(ids)),
        "category": _share(category, len(ids)),
        "category_only": _share(category - whole, len(ids)),
        "not_taken": _share(len(ids) - category, len(ids)),
    }


def _categories(cod: Codings, final: Codings, ids: list[int], keys: list[str]) -> dict:
    tally = _blank(keys)
    for cid in ids:
        mine = cod[cid].category_key
        tally[mine][1] += 1
        tally[mine][0] += final[cid].category_key == mine
    return {k: _share(*v) for k, v in tally.items() if v[1]}


def _themes(cod: Codings, final: Codings, ids: list[int], keys: list[str]) -> dict:
    applied, kept, missed = _blank(keys), _blank(keys), _blank(keys)
    for cid in ids:
        mine, theirs = set(cod[cid].themes), set(final[cid].themes)
        for t in mine:
            applied[t][0] += 1
            kept[t][0] += t in theirs
        for t in theirs - mine:
            missed[t][0] += 1
    return {
        k: {
            "applied": applied[k][0],
            "accepted": _share(kept[k][0], applied[k][0]),
            "missed": missed[k][0],
        }
        for k in keys
        if applied[k][0] or missed[k][0]
    }


def markdown(result: dict) -> str:
    """The validity report as Markdown tables: outcomes, then per category and per theme."""
    names = result["names"]
    lines = [
        "# Coder validity from reconciliation",
        "",
        "How often each coder's coding was taken into the agreed coding (as CAT's adjudication "
        "reports it). Not an independent check: the agreed coding was built from these codings.",
    ]
    for pair in result["pairs"]:
        a, b = pair["coders"]
        lines += [
            "",
            f"## {a} × {b}",
            "",
            f"{pair['reconciled']} reconciled comments, {pair['coded_by_both']} coded by both; "
            f"{pair['disagreements']} disagreements (different category or themes), of which "
            f"{pair['neither_taken']} were settled with neither coder's coding.",
            "",
            f"| on the {pair['disagreements']} disagreements | {a} | {b} |",
            "|---|---:|---:|",
        ]
        for key, label in (
            ("whole", "whole coding taken"),
            ("category_only", "category taken, themes changed"),
            ("not_taken", "category not taken"),
        ):
            lines.append(
                f"| {label} | "
                + " | ".join(_fmt(pair["per_coder"][c]["disagreements"][key]) for c in (a, b))
                + " |"
            )
        lines += [
            "",
            "| category: kept where the coder put it | "
            + " | ".join(f"{c} (disagreements) | {c} (all)" for c in (a, b))
            + " |",
            "|---|" + "---:|" * 4,
        ]
        for key, label in names["categories"].items():
            cells = [
                _fmt(pair["per_coder"][c]["categories"][part].get(key))
                for c in (a, b)
                for part in ("disagreements", "all")
            ]
            if any(cell != "–" for cell in cells):
                lines.append(f"| {label} | " + " | ".join(cells) + " |")
        lines += [
            "",
            "| theme: applications accepted (missed) | "
            + " | ".join(f"{c} (disagreements) | {c} (all)" for c in (a, b))
            + " |",
            "|---|" + "---:|" * 4,
        ]
        for key, label in names["themes"].items():
            cells = [
                _theme(pair["per_coder"][c]["themes"][part].get(key))
                for c in (a, b)
                for part in ("disagreements", "all")
            ]
            if any(cell != "–" for cell in cells):
                lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "Accepted: of the comments a coder gave the theme, those the agreed coding also has it on; "
        "missed: agreed applications the coder did not make.",
    ]
    return "\n".join(lines)


def _fmt(entry: dict | None) -> str:
    if not entry or not entry["of"]:
        return "–"
    return f"{entry['n']}/{entry['of']} ({(200 * entry['n'] + entry['of']) // (2 * entry['of'])}%)"


def _theme(entry: dict | None) -> str:
    if not entry:
        return "–"
    return f"{_fmt(entry['accepted']) if entry['applied'] else 'none'} ({entry['missed']} missed)"
