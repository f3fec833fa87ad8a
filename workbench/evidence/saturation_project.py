"""Saturation of a project: which coding, which units in which order, the counts, the run record.

The unit is the focus group (one data-collection event; a group recorded in two files
counts once), in the order the groups were held: by their dates, or an order the user
gives (group codes or names), or the order of import when asked for. Themes are counted
from the agreed coding unless a coder's is asked for; like the report tables, an
incomplete coding is refused unless the result is asked for as provisional. Each run
from the command line is stored as a report run (``report --history`` lists it) with
the fingerprint of the counts it read.
"""

from __future__ import annotations

import hashlib
import json

from workbench.errors import WorkbenchError
from workbench.evidence.saturation import Params, assess, check, order_independent
from workbench.project.lifecycle import active_codebook
from workbench.store import GroupSummary, Store, default_actor
from workbench.store.coding_records import Coder

ORDER_HELP = "dates (as held), import (as imported), or the group codes in order, e.g. FG2,FG1,FG3"
RUN_TABLE = "saturation"


def ordered_groups(store: Store, order: str = "dates") -> tuple[list[GroupSummary], str]:
    """The focus groups with transcripts, in the order asked for, and how it was decided."""
    groups = [g for g in store.group_summaries() if g.transcripts]
    if order == "import":
        return groups, "in the order they were imported"
    if order == "dates":
        undated = [g.code for g in groups if not g.date]
        if undated:
            raise WorkbenchError(
                f"focus group(s) {', '.join(undated)} have no date, so the order the groups were held in is "
                "unknown: give it with --order FG1,FG2,... (or --order import for the order of import)"
            )
        return sorted(
            groups, key=lambda g: (g.date, g.position)
        ), "in the order they were held (by date)"
    wanted = [part.strip() for part in order.split(",") if part.strip()]
    by_name = {}
    for g in groups:
        by_name[g.code.lower()] = by_name[g.name.lower()] = g
    unknown = [w for w in wanted if w.lower() not in by_name]
    if unknown:
        raise WorkbenchError(
            f"--order: no focus group {', '.join(map(repr, unknown))} with transcripts "
            f"(groups: {', '.join(g.code for g in groups) or 'none'})"
        )
    chosen = [by_name[w.lower()] for w in wanted]
    codes = [g.code for g in chosen]
    twice = sorted({c for c in codes if codes.count(c) > 1})
    left = [g.code for g in groups if g.code not in codes]
    if twice or left:
        raise WorkbenchError(
            "--order must list every focus group once: "
            + "; ".join(
                filter(
                    None,
                    [
                        f"{', '.join(twice)} twice" if twice else "",
                        f"{', '.join(left)} missing" if left else "",
                    ],
                )
            )
        )
    return chosen, "in the order given"


def coding_source(store: Store, coder: str | None) -> Coder:
    from workbench.reports.runs import coding_source as source

    return source(store, coder)


def counts(store: Store, coder_id: int, groups: list[GroupSummary], theme_keys: list[str]):
    """Groups x themes: comments of each group carrying each theme (one SQL aggregate)."""
    import numpy as np

    row = {g.id: i for i, g in enumerate(groups)}
    col = {k: j for j, k in enumerate(theme_keys)}
    matrix = np.zeros((len(groups), len(theme_keys)), dtype=np.int64)
    for group_id, key, n in store.theme_counts_by_group(coder_id):
        if group_id in row:
            matrix[row[group_id], col[key]] += n
    return matrix


def _meeting(store: Store, coder_id: int, where) -> list[dict]:
    """The codable comments meeting ``where``, from the coding table (the unfiltered path is one
    SQL aggregate)."""
    chosen = where.comment_ids(store)
    rows = [r for r in store.coded_comments(coder_id) if r["id"] in chosen]
    if not rows:
        raise WorkbenchError(f"--where {where}: no codable comment meets it")
    return rows


def _narrowed(rows: list[dict], groups: list[GroupSummary], keys: list[str]):
    """Counts, comments per group and the uncoded, over only the comments ``rows``."""
    import numpy as np

    row = {g.code: i for i, g in enumerate(groups)}
    col = {k: j for j, k in enumerate(keys)}
    matrix = np.zeros((len(groups), len(keys)), dtype=np.int64)
    coded: dict[str, list[int]] = {}
    for r in rows:
        counts = coded.setdefault(r["group_code"], [0, 0])
        counts[0] += 1
        counts[1] += r["category"] is not None
        for key in r["themes"]:
            if r["group_code"] in row and key in col:
                matrix[row[r["group_code"]], col[key]] += 1
    missing = [r["ref"] for r in rows if r["category"] is None]
    by_id = {g.id: tuple(coded.get(g.code, (0, 0))) for g in groups}
    return matrix, by_id, len(missing), missing[:5]


def saturation(
    store: Store,
    params: Params = Params(),
    coder: str | None = None,
    order: str = "dates",
    orders: int = 1000,
    seed: int = 1,
    provisional: bool = False,
    where=None,
) -> dict:
    """The whole assessment of a project: in the collection order and over many orders; with
    ``where`` (a :class:`workbench.project.where.Where`), of the comments meeting it only."""
    held = [g.code for g in store.group_summaries() if g.transcripts]
    scope, left_out, meeting = str(store.path.name), [], []
    if where:
        # A group none of whose comments meet the conditions holds no data on that part: left
        # out (and said), or its empty column would pass for a run with no new themes.
        meeting = _meeting(store, coding_source(store, coder).id, where)
        present = {r["group_code"] for r in meeting}
        left_out = [code for code in held if code not in present]
        held = [code for code in held if code in present]
        scope += f" (only the comments where {where})"
    check(params, held, scope, "focus groups")  # first: no other answer helps then
    note = params.base_note(len(held))  # the default base, fitted to the groups: said, not silent
    params = params.fit(len(held))
    source = coding_source(store, coder)
    groups, how = ordered_groups(store, order)
    if where:
        groups = [g for g in groups if g.code in held]
    if orders < 1:
        raise WorkbenchError("--orders must be at least 1")
    themes = store.themes(include_retired=True)
    used = {key for _, key, _ in store.theme_counts_by_group(source.id)}
    themes = [t for t in themes if not t.retired or t.key in used]
    keys = [t.key for t in themes]
    if where:
        matrix, coded, missing, refs = _narrowed(meeting, groups, keys)
    else:
        missing, refs = store.uncoded_refs(source.id)
    whose = "agreed coding" if source.kind == "agreed" else f"coding of {source.name}"
    if missing and not provisional:
        shown = ", ".join(refs) + (", ..." if missing > len(refs) else "")
        what = "agreed category" if source.kind == "agreed" else f"category from {source.name}"
        raise WorkbenchError(
            f"{missing} comment(s) have no {what} yet ({shown}); finish them first, or ask "
            "for a provisional assessment (--provisional)"
        )
    if not where:
        matrix = counts(store, source.id, groups, keys)
        coded = store.codable_by_group(source.id)
    observed = assess(matrix, params)
    independent = order_independent(matrix, params, orders, seed)
    for unit, group in zip(observed["units"], groups, strict=True):
        unit.update(
            code=group.code,
            name=group.name,
            date=group.date,
            comments=coded.get(group.id, (0, 0))[0],
            coded=coded.get(group.id, (0, 0))[1],
        )
    digest = hashlib.sha256(
        json.dumps(
            {"order": [g.code for g in groups], "themes": keys, "counts": matrix.tolist()}
        ).encode()
    ).hexdigest()
    return {
        "method": "Guest, Namey & Chen (2020), PLoS ONE 15(5): e0232076",
        "parameters": {
            **params.as_dict(),
            "order": order,
            "orders": orders,
            "seed": seed,
            "provisional": provisional,
            "coder": source.name,
            "base_chosen": note,
            **({"where": str(where), "left_out": left_out} if where else {}),
        },
        "source": {
            "coder": source.name,
            "kind": source.kind,
            "whose": whose,
            "not_coded": missing,
            "provisional": bool(missing),
        },
        "order": {"groups": [g.code for g in groups], "how": how},
        "themes": {
            "keys": keys,
            "names": {t.key: t.name for t in themes},
            "in_codebook": sum(1 for t in themes if not t.retired),
        },
        "observed": observed,
        "order_independent": independent,
        "fingerprint": digest,
    }


def save_run(
    store: Store, result: dict, outputs: list[str] | None = None, actor: str | None = None
) -> int:
    """Record the assessment as a report run (``report --history``), with the audit row."""
    book = active_codebook(store)
    summary = {
        "saturation": result["observed"]["saturation"],
        "base_themes": result["observed"]["base_themes"],
        "order_independent": {
            k: {"share": v["share"], "median": v.get("median")}
            for k, v in result["order_independent"]["thresholds"].items()
        },
        "order": result["order"]["groups"],
    }
    with store.transaction():
        run_id = store.add_report_run(
            actor or default_actor(),
            [RUN_TABLE],
            result["parameters"],
            result["fingerprint"],
            book["sha256"],
            [summary],
            outputs or [],
        )
        store.audit(
            "report",
            "report_run",
            str(run_id),
            after={
                "tables": [RUN_TABLE],
                "fingerprint": result["fingerprint"],
                "outputs": outputs or [],
            },
            actor=actor,
        )
    return run_id


def latest_parameters(store: Store) -> dict | None:
    """The parameters of the last stored saturation run of the agreed coding (the checklist and the
    app reuse them)."""
    # A run on part of the data (--where) is not the study's.
    runs = [
        r
        for r in store.report_runs()
        if r["tables"] == [RUN_TABLE]
        and r["parameters"].get("coder") == "agreed"
        and not r["parameters"].get("where")
    ]
    return runs[-1]["parameters"] if runs else None


def params_from(stored: dict | None, **given) -> tuple[Params, dict]:
    """Params and the other options (order, orders, seed) from a stored run, overridden by ``given``;
    the coding is always the agreed one."""
    stored = dict(stored or {})
    stored.update({k: v for k, v in given.items() if v is not None})
    # A stored run whose base was chosen for its groups chooses again (the groups may differ now).
    base = None if stored.get("base") is None or stored.get("base_chosen") else int(stored["base"])
    if given.get("base") is not None:
        base = int(given["base"])
    params = Params(
        base=base, run=int(stored.get("run", 2)), min_comments=int(stored.get("min_comments", 1))
    )
    rest = {
        "order": stored.get("order", "dates"),
        "orders": int(stored.get("orders", 1000)),
        "seed": int(stored.get("seed", 1)),
        "coder": None,
    }
    return params, rest
