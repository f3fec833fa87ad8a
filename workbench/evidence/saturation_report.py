"""Saturation for people: the tables (per focus group, per run, over orders), the sentence for a
methods paragraph, and the text forms (Markdown, CSV, JSON) of ``workbench saturation``.

Tables are :class:`workbench.reports.tables.Table` objects, so Word, Excel, LaTeX and HTML
come from :mod:`workbench.reports.exports` like every report table. Ratios show one decimal
(rounded half up) because the thresholds are compared exactly: 1/19 = 5.3% misses ≤ 5%.
"""

from __future__ import annotations

import json

DASH = "–"
WORDS = {
    1: "one",
    2: "two",
    3: "three",
    4: "four",
    5: "five",
    6: "six",
    7: "seven",
    8: "eight",
    9: "nine",
}


def ratio_text(new: int, base: int) -> str:
    """'2/13 = 15.4%' (one decimal, half up, exact); '0/0 (undefined)' for an empty base."""
    if not base:
        return f"{new}/0 (undefined)"
    tenths = (2000 * new + base) // (2 * base)
    return f"{new}/{base} = {tenths // 10}.{tenths % 10}%"


def _share(entry: dict) -> str:
    """An order-independent share as a whole percentage, half up (exact, from the counts)."""
    return (
        f"{(200 * entry['reached'] + entry['of']) // (2 * entry['of'])}%" if entry["of"] else DASH
    )


def _n(count: int, noun: str) -> str:
    return f"{WORDS.get(count, count)} {noun}{'' if count == 1 else 's'}"


def threshold_label(th: str | int) -> str:
    return "0% (no new themes)" if int(th) == 0 else f"≤ {th}%"


def tables(result: dict) -> list:
    """Three report tables: new themes per group, the ratio of each run, the order-independent summary."""
    import pandas as pd

    from workbench.reports.tables import Table

    p, obs, ind = result["parameters"], result["observed"], result["order_independent"]
    names = result["themes"]["names"]
    keys = result["themes"]["keys"]
    whose = result["source"]["whose"] + (
        " (provisional)" if result["source"]["provisional"] else ""
    )
    base, run = p["base"], p["run"]
    unit_rows, records = [], []
    for u in obs["units"]:
        part = "base" if u["position"] <= base else ""
        new = [names[keys[j]] for j in u["new"]]
        unit_rows.append(
            [
                str(u["position"]),
                f"{u['code']} {u['name']}",
                u["date"] or DASH,
                part,
                str(u["comments"]),
                str(len(u["themes_coded"])),
                str(len(u["new"])),
                str(u["cumulative"]),
                ", ".join(new) or DASH,
            ]
        )
        records.append(
            {
                "position": u["position"],
                "group": u["code"],
                "date": u["date"],
                "base": bool(part),
                "comments": u["comments"],
                "themes_coded": len(u["themes_coded"]),
                "new": len(u["new"]),
                "cumulative": u["cumulative"],
                "new_themes": "; ".join(new),
            }
        )
    found = (
        "a theme counts as found in the group where it has been coded on "
        f"{p['min_comments']} comments in all"
        if p["min_comments"] > 1
        else "a theme is new in the first group in which it is coded"
    )
    first = Table(
        "saturation_groups",
        f"New themes by focus group, {result['order']['how']} ({whose})",
        [
            "Order",
            "Focus group",
            "Date",
            "Part",
            "Comments",
            "Themes coded",
            "New themes",
            "Cumulative themes",
            "New themes found",
        ],
        unit_rows,
        pd.DataFrame(records),
        [
            f"Guest, Namey & Chen (2020): base size {base}"
            + (f" ({p['base_chosen']})" if p.get("base_chosen") else "")
            + f", run length {run}; {found}. "
            f"{obs['total_found']} of the codebook's {result['themes']['in_codebook']} themes were found."
        ],
    )
    thresholds = [str(t) for t in p["thresholds"]]
    run_rows, run_records = [], []
    for r in obs["runs"]:
        span = (
            f"{r['transcripts'][0]}" if run == 1 else f"{r['transcripts'][0]}–{r['transcripts'][1]}"
        )
        run_rows.append(
            [
                f"{r['after']}+{run}",
                span,
                str(r["new"]),
                str(obs["base_themes"]),
                ratio_text(r["new"], obs["base_themes"]),
                *("yes" if r["meets"][t] else "no" for t in thresholds),
            ]
        )
        run_records.append(
            {
                "point": r["after"],
                "run_from": r["transcripts"][0],
                "run_to": r["transcripts"][1],
                "new": r["new"],
                "base": obs["base_themes"],
                "ratio": r["ratio"],
                **{f"meets_{t}": r["meets"][t] for t in thresholds},
            }
        )
    second = Table(
        "saturation_runs",
        "Saturation ratio of each run: new themes in the run / themes in the base",
        [
            "Point",
            "Groups in run",
            "New themes",
            "Base themes",
            "Ratio",
            *(f"Meets {threshold_label(t)}" for t in thresholds),
        ],
        run_rows,
        pd.DataFrame(run_records),
        [verdict(result, t) for t in thresholds],
    )
    how = (
        f"all {ind['orders']:,} orders of the {len(obs['units'])} groups"
        if ind["exact"]
        else f"{ind['orders']:,} random orders of the {len(obs['units'])} groups (seed {ind['seed']})"
    )
    ind_rows, ind_records = [], []
    for t in thresholds:
        e = ind["thresholds"][t]
        ind_rows.append(
            [
                threshold_label(t),
                f"{e['reached']} of {e['of']} ({_share(e)})",
                f"{e['median']:g}+{run}" if "median" in e else DASH,
                f"{e['range95'][1]}+{run}" if "range95" in e else DASH,
                f"{e['min']}+{run} to {e['max']}+{run}" if "min" in e else DASH,
            ]
        )
        ind_records.append(
            {
                "threshold": int(t),
                "reached": e["reached"],
                "of": e["of"],
                "share": e["share"],
                "median": e.get("median"),
                "p97_5": (e.get("range95") or [None, None])[1],
            }
        )
    notes = [f"Over {how}; the base is always the first {base} groups of an order."]
    if ind["undefined"]:
        notes.append(
            f"{ind['undefined']} order(s) had no themes in the base (ratio 0/0) and are left out."
        )
    third = Table(
        "saturation_orders",
        "Order-independent saturation: the share of group orders that reach it",
        ["Threshold", "Orders reaching saturation", "Median point", "95% of those by", "Range"],
        ind_rows,
        pd.DataFrame(ind_records),
        notes,
    )
    return [first, second, third]


def verdict(result: dict, threshold: str) -> str:
    """Where saturation at one threshold was reached in the order of collection, in words."""
    obs, run = result["observed"], result["parameters"]["run"]
    s = obs["saturation"][threshold]
    label = (
        "with no new information (0%)"
        if int(threshold) == 0
        else f"at ≤ {threshold}% new information"
    )
    if s["reached"]:
        return (
            f"Saturation {label}: reached after {s['after']} groups ({s['label']}): "
            f"the next {'group' if run == 1 else _n(run, 'group')} added "
            f"{ratio_text(s['new_in_run'], obs['base_themes'])} new themes."
        )
    return f"Saturation {label}: not reached ({s['reason']})."


def sentence(result: dict) -> str:
    """The methods paragraph's sentences on saturation (editable text)."""
    p, obs, ind = result["parameters"], result["observed"], result["order_independent"]
    n, run, base = len(obs["units"]), p["run"], p["base"]
    whose = (
        "agreed coding"
        if result["source"]["kind"] == "agreed"
        else f"coding of {result['source']['coder']}"
    )
    if p.get("where"):
        whose += f" (only the comments where {p['where']})"
    how = {
        "in the order they were held (by date)": "in the order they were held",
        "in the order given": "in the order they were held",
    }.get(result["order"]["how"], result["order"]["how"])
    parts = [
        f"Thematic saturation was assessed with the method of Guest, Namey and Chen (2020) on the "
        f"{result['themes']['in_codebook']} themes of the {whose}, taking the {_n(n, 'focus group')} "
        f"{how} (base size {base}, run length {run}"
        + (
            f"; a theme counted once it had been coded on {p['min_comments']} comments"
            if p["min_comments"] > 1
            else ""
        )
        + ")."
    ]
    if p.get("left_out"):
        verb = "was" if len(p["left_out"]) == 1 else "were"
        parts.append(f"{', '.join(p['left_out'])} had no such comment and {verb} left out.")
    if p.get("base_chosen"):
        parts.append(f"The base size of {base} is {p['base_chosen']}.")
    first = "first group" if base == 1 else f"first {_n(base, 'group')}"
    parts.append(f"The {first} yielded {obs['base_themes']} themes.")
    thresholds = [str(x) for x in p["thresholds"]]
    what = {
        t: "no new information (0%)" if t == "0" else f"≤{t}% new information" for t in thresholds
    }
    reached = {t: obs["saturation"][t] for t in thresholds}
    points = {s["label"] for s in reached.values() if s["reached"]}
    if len(points) == 1 and all(s["reached"] for s in reached.values()) and len(thresholds) > 1:
        s = next(iter(reached.values()))
        parts.append(
            f"Saturation was reached after {_n(s['after'], 'group')} ({s['label']}) at both "
            + " and ".join(what[t] for t in thresholds)
            + "."
        )
    else:
        for t, s in reached.items():
            parts.append(
                f"Saturation at {what[t]} was reached after {_n(s['after'], 'group')} ({s['label']})."
                if s["reached"]
                else f"Saturation at {what[t]} was not reached in this order."
            )
    scope = (
        f"all {ind['orders']:,} possible orders"
        if ind["exact"]
        else f"{ind['orders']:,} random orders"
    )
    shares = []
    for t in thresholds:
        e = ind["thresholds"][t]
        where = f" (median {e['median']:g}+{run})" if "median" in e else ""
        shares.append(f"in {_share(e)} at {'≤' + t + '%' if t != '0' else '0%'}{where}")
    parts.append(
        f"Across {scope} of the groups, saturation was reached " + " and ".join(shares) + "."
    )
    return " ".join(parts)


def markdown(result: dict) -> str:
    from workbench.reports.exports import to_markdown

    heading = "# Thematic saturation (Guest, Namey & Chen 2020)"
    body = "\n".join(to_markdown(t, i) for i, t in enumerate(tables(result), start=1))
    return f"{heading}\n\n{sentence(result)}\n\n{body}"


def csv_text(result: dict) -> str:
    from workbench.reports.exports import to_csv

    return "\n".join(to_csv(t) for t in tables(result))


def render(result: dict, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(result, indent=2, ensure_ascii=False)
    if fmt == "csv":
        return csv_text(result)
    if fmt == "sentence":
        return sentence(result)
    return markdown(result)
