"""Inter-coder agreement of a project: the report, its text forms, and frozen rounds.

The statistics are :mod:`workbench.agreement`'s (pure); this module picks the
codings from the project, formats the report for people (text, Markdown) and
machines (JSON, CSV), and freezes a report as a numbered round a methods section
can cite ("round 1" is the agreement before reconciliation).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from workbench.coding.coder import coder_names
from workbench.errors import WorkbenchError
from workbench.numerals import coefficient
from workbench.numerals import percent as as_percent
from workbench.project.lifecycle import active_codebook
from workbench.store import Store, default_actor

if TYPE_CHECKING:
    from workbench.agreement.report import Progress
    from workbench.project.where import Where

DEFAULT_SEED = 1  # reports are reproducible unless a seed is given


def select_coders(store: Store, coders: list[str] | None) -> list[str]:
    """The coders to compare: those named (people, or a model coder named explicitly),
    else every person who coded."""
    names = coder_names(store)
    if coders:
        known = names + [c.name for c in store.coders() if c.kind == "model"]
        unknown = [c for c in coders if c.lower() not in {n.lower() for n in known}]
        if unknown:
            raise WorkbenchError(f"--coders: no coder {', '.join(map(repr, unknown))} "
                                 f"(coders: {', '.join(known) or 'none'})")
        return [next(n for n in known if n.lower() == c.lower()) for c in coders]
    if len(names) < 2:
        raise WorkbenchError(f"agreement needs two coders; this project has {len(names)} "
                             f"({', '.join(names) or 'none'})")
    return names


SUGGESTED = ("include", "exclude", "only")
# {coder: {ref: (category, themes)}}: what codings() reads and agreement_report() compares.
Codings = dict[str, dict[Any, tuple[str | None, frozenset[str]]]]


def codings(store: Store, coders: list[str], group: str | None = None,
            suggested: str = "include", where: Where | None = None
            ) -> tuple[Codings, dict[str, int]]:
    """({coder: {ref: (category, frozenset(themes))}} for the codable comments each coded,
    {coder: codings taken from a model's suggestion}). ``suggested``: ``exclude`` leaves
    out every comment on which one of the coders accepted a suggestion, ``only`` keeps
    just those comments (for every coder, so they are still compared). ``where``: only the
    comments meeting it (a :class:`workbench.project.where.Where`, e.g. condition=CF)."""
    if suggested not in SUGGESTED:
        raise WorkbenchError(f"--suggested {suggested!r}: choose include, exclude or separate")
    group_code = None
    if group:
        found = store.group_by_name(group)
        if found is None:
            raise WorkbenchError(f"--group {group!r}: no such focus group")
        group_code = found.code
    chosen = where.comment_ids(store) if where else None
    rows = {}
    for name in coders:
        coder = store.coder_named(name)
        if coder is None:
            raise WorkbenchError(f"no coder {name!r} in {store.path}: name one who coded")
        # (ref, group code, category, themes "a b", suggested_by, comment id), reading order
        rows[name] = store.agreement_codings(coder.id)
        if group_code is not None or chosen is not None:
            rows[name] = [row for row in rows[name] if (group_code is None or row[1] == group_code)
                          and (chosen is None or row[5] in chosen)]
    assisted = {row[0] for coder_rows in rows.values() for row in coder_rows if row[4] is not None}
    keep = {"include": None, "exclude": lambda ref: ref not in assisted,
            "only": lambda ref: ref in assisted}[suggested]
    # one frozenset per distinct theme string: coders reuse a few
    sets: dict[str | None, frozenset[str]] = {None: frozenset()}
    data = {}
    for name, coder_rows in rows.items():
        for row in coder_rows:
            if row[3] not in sets:
                sets[row[3]] = frozenset(row[3].split())
        data[name] = {row[0]: (row[2], sets[row[3]]) for row in coder_rows
                      if keep is None or keep(row[0])}
    accepted = {name: sum(1 for row in coder_rows if row[4] is not None) for name, coder_rows in rows.items()}
    return data, accepted


def project_agreement(store: Store, coders: list[str] | None = None, group: str | None = None,
                      bootstrap: int = 1000, seed: int | None = DEFAULT_SEED, suggested: str = "include",
                      progress: Progress | None = None,
                      data: tuple[Codings, dict[str, int]] | None = None,
                      where: Where | None = None,
                      numbers: Callable[[dict[str, Any]], object] | None = None) -> dict[str, Any]:
    """The agreement report of ``coders`` (default: every person who coded). ``data``: their
    codings as :func:`codings` returns them, when the caller has read them already.
    ``numbers(report)``: given first the report without the bootstrap (what ``bootstrap=0``
    returns), from the same reading (the app shows the numbers, then their bootstrap CIs).
    ``where``: only the comments meeting it (condition=CF)."""
    from workbench.agreement.report import agreement_report

    names = select_coders(store, coders)
    coded, accepted = data or codings(store, names, group, suggested, where)
    categories = store.categories()
    scope = {"group": group, **({"where": str(where)} if where else {}),
             "codebook_sha256": active_codebook(store)["sha256"],
             "fingerprint": fingerprint(coded), "suggested": suggested,
             "suggestion_accepted": accepted}
    names_of = {"categories": {c["key"]: c["name"] for c in categories},
                "themes": {t["key"]: t["name"] for t in store.themes()}}

    def finished(report: dict[str, Any]) -> dict[str, Any]:
        report["scope"], report["names"] = dict(scope), names_of
        return report

    report = agreement_report(
        coded,
        [c["key"] for c in categories],
        [c["key"] for c in categories if c["takes_themes"]],
        [c["key"] for c in categories if c["polarity"] == "effective"],
        [c["key"] for c in categories if c["polarity"] == "ineffective"],
        [t["key"] for t in store.themes()],
        bootstrap=bootstrap, seed=seed, progress=progress,
        numbers=(lambda report: numbers(finished(report))) if numbers else None,
    )
    return finished(report)


def fingerprint(data: dict[str, dict[str, Any]]) -> str:
    """SHA-256 of the coders' codings the report was computed from."""
    lines: list[str] = []
    for coder in sorted(data):
        coding = data[coder]
        # Each distinct (category, theme set) written once: coders reuse a few.
        tails = {v: f"\t{v[0]}\t{','.join(sorted(v[1]))}\n" for v in set(coding.values())}
        lines += [f"{coder}\t{ref}{tails[coding[ref]]}" for ref in sorted(coding)]
    return hashlib.sha256("".join(lines).encode()).hexdigest()  # one update: the same digest, faster



def freeze_round(store: Store, report: dict[str, Any], label: str | None = None,
                 actor: str | None = None) -> int:
    """Save ``report`` as the next agreement round; return its number. Refused when nothing
    changed since the last round (same coders, codings, codebook and scope): it would be the
    same round twice."""
    with store.transaction():
        rounds = store.rounds()
        if rounds and _same(rounds[-1]["report"], report):
            last = rounds[-1]
            named = "" if last["label"] == f"round {last['number']}" else f"{last['label']}, "
            raise WorkbenchError(f"nothing changed since round {last['number']} ({named}frozen "
                                 f"{last['created_at'][:10]}): this report is identical to round {last['number']} "
                                 "(same coders, codings and codebook); nothing was frozen")
        number = max((r["number"] for r in rounds), default=0) + 1
        label = label or f"round {number}"
        number = store.add_round(label, report["coders"], report["scope"]["codebook_sha256"],
                                 report["scope"]["fingerprint"], report, actor or default_actor())
        store.audit("freeze", "agreement_round", str(number), after={
            "label": label, "coders": report["coders"], "fingerprint": report["scope"]["fingerprint"]},
            actor=actor)
    return number


def _same(frozen: dict[str, Any], report: dict[str, Any]) -> bool:
    keys = ("group", "codebook_sha256", "fingerprint", "suggested")
    return (frozen["coders"] == report["coders"]
            and all(frozen["scope"].get(k) == report["scope"].get(k) for k in keys))


def unfreeze_round(store: Store, number: int, actor: str | None = None) -> dict[str, Any]:
    """Remove agreement round ``number``, audited with what it held (its headline and
    fingerprint); returns the round removed."""
    with store.transaction():
        found = next((r for r in store.rounds() if r["number"] == number), None)
        if found is None:
            have = ", ".join(str(r["number"]) for r in store.rounds()) or "none"
            raise WorkbenchError(f"--unfreeze {number}: no agreement round {number} (rounds: {have})")
        store.delete_round(number)
        store.audit("unfreeze", "agreement_round", str(number), before={
            "label": found["label"], "coders": found["coders"], "fingerprint": found["fingerprint"],
            "codebook_sha256": found["codebook_sha256"], "created_by": found["created_by"],
            "created_at": found["created_at"], "headline": headline(found)}, actor=actor)
    return found


# -- formatting ------------------------------------------------------------------

STATS = [("percent_agreement", "% agreement"), ("cohen_kappa", "Cohen's kappa"),
         ("fleiss_kappa", "Fleiss' kappa"), ("krippendorff_alpha", "Krippendorff's alpha"),
         ("gwet_ac1", "Gwet's AC1")]


def fmt_estimate(estimate: dict[str, Any], percent: bool = False) -> str:
    """'.743 (SE .041, 95% CI .66-.82; substantial)' or 'undefined: <reason>'."""
    if estimate is None:
        return "-"
    if estimate["value"] is None:
        return f"undefined: {estimate['reason']}"
    value = as_percent(estimate["value"]) if percent else _num(estimate["value"])
    extra = []
    if estimate.get("se") is not None:
        extra.append(f"SE {_num(estimate['se'])}")
    boot = estimate.get("bootstrap") or {}
    if estimate.get("ci"):
        low, high = estimate["ci"]
        kind = "bootstrap " if estimate.get("bootstrap") else ""
        extra.append(f"95% {kind}CI {_num(low)} to {_num(high)}")
    elif boot.get("reason"):
        extra.append(_no_interval(boot["reason"]))
    for minimum, p in (boot.get("p_below") or {}).items():
        extra.append(f"P(α<{minimum.lstrip('0')}) = {p:.3f}")
    if estimate.get("interpretation"):
        extra.append(estimate["interpretation"])
    return value + (f" ({'; '.join(extra)})" if extra else "")


def _num(x: float) -> str:
    return coefficient(x)


def rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The report flattened: one row per layer, unit set, theme and statistic (for CSV)."""
    out = []
    theme_names = report["names"]["themes"]
    groups = [(pair["coders"], pair) for pair in report["pairs"]]
    if len(report["coders"]) > 2:  # the statistics over every coder at once come first
        groups.insert(0, (["all"], {"category": report["category"], "polarity": {}, "themes": {}}))
    for names, pair in groups:
        coders = " x ".join(names)
        layers: list[tuple[str, str, str | None, dict[str, Any]]]
        layers = [("category", "all coded by both" if names != ["all"] else "all coded by two or more",
                   None, pair["category"]),
                  ("polarity", "behaviour comments", None, pair["polarity"])]
        for unit_set, block in pair["themes"].items():
            for key, stats in block["themes"].items():
                layers.append(("theme", unit_set, theme_names.get(key, key), stats))
            layers.append(("themes (summary)", unit_set, "pooled kappa", {"cohen_kappa": block["pooled_kappa"]}))
            layers.append(("themes (summary)", unit_set, "MASI alpha", {"krippendorff_alpha": block["masi_alpha"]}))
        for layer, unit_set, theme, stats in layers:
            for key, label in STATS:
                est = stats.get(key)
                if est is None:
                    continue
                ci = est.get("ci") or (None, None)
                out.append({
                    "coders": coders, "layer": layer, "units": unit_set, "theme": theme or "",
                    "statistic": label, "value": est["value"], "se": est.get("se"), "ci_low": ci[0],
                    "ci_high": ci[1], "n": est.get("n"), "interpretation": est.get("interpretation") or "",
                    "undefined_reason": est.get("reason") or "",
                    "prevalence": "; ".join(f"{c} {_pct(p)}" for c, p in (stats.get("prevalence") or {}).items()),
                })
    return out


def _pct(estimate: dict[str, Any]) -> str:
    return "-" if estimate["value"] is None else as_percent(estimate["value"], 0)


def markdown(report: dict[str, Any], heading: str = "Inter-coder agreement") -> str:
    """The report for people: Markdown tables (also readable as plain text)."""
    lines = [f"# {heading}", ""]
    units = report["units"]
    lines.append(f"Coders: {', '.join(report['coders'])}. Comments coded: "
                 + ", ".join(f"{c} {n}" for c, n in units["coded"].items())
                 + f"; by all coders: {units['coded_by_all']}. A comment coded by one coder only is "
                 "missing for the other, never agreement.")
    boot = report["bootstrap"]
    lines.append(f"Bootstrap: {boot['resamples']} resamples of comments, seed {boot['seed']}.")
    if report["scope"]["group"]:
        lines.append(f"Focus group: {report['scope']['group']}.")
    if report["scope"].get("where"):
        lines.append(f"Only the comments where {report['scope']['where']}.")
    accepted = {c: n for c, n in (report["scope"].get("suggestion_accepted") or {}).items() if n}
    if accepted:
        which = {"include": "included below", "exclude": "the comments they touch are left out below",
                 "only": "only the comments they touch are compared below"}[report["scope"]["suggested"]]
        lines.append("Codings taken from a model's suggestion: "
                     + ", ".join(f"{c} {n}" for c, n in accepted.items()) + f" ({which}).")
    if len(report["coders"]) > 2:
        cat = report["category"]
        lines += ["", f"## All {len(report['coders'])} coders", "",
                  "| layer | n | % agreement (mean of pairs) | Fleiss' kappa | Krippendorff's alpha | Gwet's AC1 |",
                  "|---|---|---|---|---|---|",
                  f"| Category | {cat['n']} | {fmt_estimate(cat['percent_agreement'], True)} | "
                  f"{fmt_estimate(cat['fleiss_kappa'])} | {fmt_estimate(cat['krippendorff_alpha'])} | "
                  f"{fmt_estimate(cat['gwet_ac1'])} |",
                  "", f"n: comments coded by two or more coders; Fleiss' kappa is over the "
                      f"{cat['fleiss_kappa']['n']} coded by all of them. Each pair of coders follows."]
    for pair in report["pairs"]:
        a, b = pair["coders"]
        lines += ["", f"## {a} × {b}", ""]
        lines += ["| layer | n | % agreement | Cohen's kappa | Krippendorff's alpha | Gwet's AC1 |",
                  "|---|---|---|---|---|---|"]
        for name, block in (("Category", pair["category"]), ("Effective vs ineffective", pair["polarity"])):
            lines.append(f"| {name} | {block['n']} | {fmt_estimate(block['percent_agreement'], True)} | "
                         f"{fmt_estimate(block['cohen_kappa'])} | {fmt_estimate(block['krippendorff_alpha'])} | "
                         f"{fmt_estimate(block['gwet_ac1'])} |")
        matrix = pair["category"].get("confusion_matrix")
        if matrix:
            names = report["names"]["categories"]
            lines += ["", f"Confusion matrix (rows {a}, columns {b}):", "",
                      "| | " + " | ".join(names.get(k, k) for k in matrix["labels"]) + " |",
                      "|---|" + "---|" * len(matrix["labels"])]
            for label, counts in zip(matrix["labels"], matrix["matrix"], strict=True):
                lines.append(f"| {names.get(label, label)} | " + " | ".join(str(c) for c in counts) + " |")
        for block in pair["themes"].values():
            lines += ["", f"### Themes: {block['definition']} (n = {block['n']})", "",
                      f"| theme | {a} | {b} | % agreement | Cohen's kappa | Krippendorff's alpha | Gwet's AC1 |",
                      "|---|---|---|---|---|---|---|"]
            for key, stats in block["themes"].items():
                prevalence = stats["prevalence"]
                lines.append(
                    f"| {report['names']['themes'].get(key, key)} | {_pct(prevalence[a])} | {_pct(prevalence[b])} | "
                    f"{fmt_estimate(stats['percent_agreement'], True)} | {fmt_estimate(stats['cohen_kappa'])} | "
                    f"{fmt_estimate(stats['krippendorff_alpha'])} | {fmt_estimate(stats['gwet_ac1'])} |")
            lines += ["", f"Pooled kappa: {fmt_estimate(block['pooled_kappa'])}. "
                          f"Krippendorff's alpha with MASI distance on the theme sets: "
                          f"{fmt_estimate(block['masi_alpha'])}."]
    q = len(report["category"]["labels"])
    lines += ["", "Kappa bands: Landis & Koch (1977). Alpha: ≥ .800 reliable, ≥ .667 tentative "
                  "conclusions only, below unreliable (Krippendorff). The theme columns named after "
                  "the coders give each coder's prevalence.",
              "", f"Gwet's AC1 takes q, the number of values a comment could get: q = {q} for the "
                  f"category (the codebook's {q} categories), q = 2 for effective vs ineffective "
                  "and for each theme (present or absent). Bootstrap CIs are bias-corrected "
                  "percentile intervals (BC): where the resamples fall too far to one side of "
                  "the estimate, no interval is given and the reason is stated."]
    return "\n".join(lines)


def headline(round_: dict[str, Any]) -> str:
    """One sentence for a methods section from a frozen round."""
    report = round_["report"]
    pair = report["pairs"][0]
    a, b = pair["coders"]
    cat = pair["category"]
    themes = pair["themes"]["theme_taking"]
    date = round_["created_at"][:10]
    everyone = ""
    if len(report["coders"]) > 2:
        every = report["category"]
        everyone = (f"Across all {len(report['coders'])} coders, category agreement was Fleiss' κ = "
                    f"{short_estimate(every['fleiss_kappa'])} "
                    f"(Krippendorff's α = {short_estimate(every['krippendorff_alpha'])}); "
                    "for the first pair: ")
    return everyone + (
        f"Before reconciliation ({round_['label']}, frozen {date}), {a} and {b} agreed on the category of "
        f"{fmt_estimate(cat['percent_agreement'], True).split(' ')[0]} of the {cat['n']} comments both coded "
        f"(Cohen's κ = {short_estimate(cat['cohen_kappa'])}; "
        f"Krippendorff's α = {short_estimate(cat['krippendorff_alpha'])}); "
        f"on the themes of the {themes['n']} comments both placed in a behaviour category, pooled κ = "
        f"{short_estimate(themes['pooled_kappa'])} and Krippendorff's α with MASI distance = "
        f"{short_estimate(themes['masi_alpha'])}."
    )


def short_estimate(estimate: dict[str, Any]) -> str:
    if estimate["value"] is None:
        return f"undefined ({estimate['reason']})"
    text = _num(estimate["value"])
    if estimate.get("ci"):
        kind = "bootstrap CI" if estimate.get("bootstrap") else "CI"
        text += f", 95% {kind} {_num(estimate['ci'][0])} to {_num(estimate['ci'][1])}"
    elif (estimate.get("bootstrap") or {}).get("reason"):
        text += f" ({_no_interval(estimate['bootstrap']['reason'])})"
    return text


def _no_interval(reason: str) -> str:
    """Why a bootstrap gave no interval, as said beside the value."""
    return reason if reason.startswith("no 95% CI") else f"no 95% CI: bootstrap {reason}"


def rounds_table(rounds: list[dict[str, Any]]) -> tuple[list[str], list[list[str]]]:
    """Rounds side by side: one column per round, one row per headline statistic."""
    header = ["statistic", *(f"{r['number']}: {r['label']}" for r in rounds)]
    picks = [
        ("comments coded by both", lambda p: str(p["category"]["n"])),
        ("category % agreement", lambda p: fmt_estimate(p["category"]["percent_agreement"], True)),
        ("category kappa", lambda p: short_estimate(p["category"]["cohen_kappa"])),
        ("category alpha", lambda p: short_estimate(p["category"]["krippendorff_alpha"])),
        ("polarity kappa", lambda p: short_estimate(p["polarity"]["cohen_kappa"])),
        ("themes pooled kappa", lambda p: short_estimate(p["themes"]["theme_taking"]["pooled_kappa"])),
        ("themes MASI alpha", lambda p: short_estimate(p["themes"]["theme_taking"]["masi_alpha"])),
    ]
    body = [[label, *(pick(r["report"]["pairs"][0]) for r in rounds)] for label, pick in picks]
    body.append(["coders", *(" × ".join(r["coders"]) for r in rounds)])
    body.append(["frozen", *(f"{r['created_at'][:10]} by {r['created_by']}" for r in rounds)])
    return header, body
