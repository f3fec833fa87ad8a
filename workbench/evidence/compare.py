"""One coding against another, for training (a trainee against the gold coding) and retest
(a coder against their own first coding): the agreement report, with the statistics and
confidence intervals reported for the study's coders (:func:`workbench.agreement.report.agreement_report`),
and the comments on which the two differ, described for people.
"""

from __future__ import annotations

from workbench.project.lifecycle import active_codebook
from workbench.store import Store

Coding = tuple[str | None, frozenset[str]]


def agreement(
    store: Store, data: dict[str, dict[str, Coding]], bootstrap: int = 1000, seed: int = 1
) -> dict:
    """The agreement report of two codings ``{label: {ref: (category, themes)}}`` as JSON (the
    training and retest results keep it so), shaped like a project's (names and scope), so
    the agreement module's Markdown and CSV forms read it back (``AgreementReport.from_dict``)."""
    from workbench.agreement.report import agreement_report

    categories, themes = store.categories(), store.themes()
    report = agreement_report(
        data,
        [c.key for c in categories],
        [c.key for c in categories if c.takes_themes],
        [c.key for c in categories if c.polarity == "effective"],
        [c.key for c in categories if c.polarity == "ineffective"],
        [t.key for t in themes],
        bootstrap=bootstrap,
        seed=seed,
    ).as_dict()
    report["scope"] = {
        "group": None,
        "suggested": "include",
        "suggestion_accepted": {},
        "codebook_sha256": active_codebook(store)["sha256"],
    }
    report["names"] = {
        "categories": {c.key: c.name for c in store.categories(include_retired=True)},
        "themes": {t.key: t.name for t in store.themes(include_retired=True)},
    }
    return report


def describe(coding: Coding | None, names: dict) -> str:
    """'Effective behaviours [Listening, Role shift]' or 'not coded'."""
    if coding is None or coding[0] is None:
        return "not coded"
    category, themes = coding
    order = list(names["themes"])
    listed = sorted(themes, key=lambda k: order.index(k) if k in order else len(order))
    return names["categories"].get(category, category) + (
        f" [{', '.join(names['themes'].get(t, t) for t in listed)}]" if listed else ""
    )


def differences(
    items: list[dict], first: dict[str, Coding], second: dict[str, Coding], names: dict
) -> list[dict]:
    """The items (dicts with ref, text, role, optional rationale) on which ``second`` differs
    from ``first``; an item ``second`` did not code is listed as not coded, never as agreement."""
    out = []
    for item in items:
        # (an item ``first`` did not code: "instead of not coded")
        a, b = first.get(item["ref"]) or (None, frozenset()), second.get(item["ref"])
        if b is None or b[0] is None:
            what = ["not coded"]
        else:
            what = []
            if a[0] != b[0]:
                what.append(
                    f"{describe((b[0], frozenset()), names)} instead of "
                    f"{describe((a[0], frozenset()), names)}"
                )
            missed, added = sorted(a[1] - b[1]), sorted(b[1] - a[1])
            if missed:
                what.append("missed " + ", ".join(names["themes"].get(t, t) for t in missed))
            if added:
                what.append("added " + ", ".join(names["themes"].get(t, t) for t in added))
        if what:
            out.append(
                {
                    "ref": item["ref"],
                    "role": item.get("role"),
                    "text": item["text"],
                    "expected": describe(a, names),
                    "given": describe(b, names),
                    "what": what,
                    "rationale": item.get("rationale", ""),
                }
            )
    return out


def markdown_differences(rows: list[dict], expected: str, given: str, heading: str) -> list[str]:
    """The differences as a Markdown section: one paragraph per comment."""
    lines = ["", f"## {heading} ({len(rows)})", ""]
    if not rows:
        return lines + ["None."]
    for row in rows:
        text = " ".join(row["text"].split())
        quote = text if len(text) <= 240 else text[:237].rstrip() + "…"
        lines += [
            f"**{row['ref']}** (~{row['role'] or 'unknown'}): “{quote}”  ",
            f"{given}: {row['given']}; {expected}: {row['expected']} ({'; '.join(row['what'])}).  ",
        ]
        if row.get("rationale"):
            lines.append(f"Rationale: {row['rationale']}")
        lines.append("")
    return lines


def headline(report: dict) -> dict:
    """The numbers a summary sentence cites: category and polarity kappa, theme pooled kappa and
    MASI alpha (on the comments both placed in a behaviour category), with their units."""
    pair = report["pairs"][0]
    themes = pair["themes"]["theme_taking"]
    return {
        "n": pair["category"]["n"],
        "category_kappa": pair["category"]["cohen_kappa"],
        "category_alpha": pair["category"]["krippendorff_alpha"],
        "category_ac1": pair["category"]["gwet_ac1"],
        "percent": pair["category"]["percent_agreement"],
        "theme_n": themes["n"],
        "pooled_kappa": themes["pooled_kappa"],
        "masi_alpha": themes["masi_alpha"],
    }
