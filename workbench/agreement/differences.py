"""Which comments two coders disagree on, for one line of the agreement report: the category,
effective vs ineffective, one theme, or the theme sets (pooled kappa, MASI alpha), over the
same comments the statistic was computed on (:mod:`workbench.agreement.report`).

Plain Python, no numpy: the agreement screen lists these when a line is opened.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

Codings = Mapping[str, tuple[str | None, Collection[str]]]  # ref -> (category, themes)

THEME_SETS = ("theme_taking", "all_coded")


def disagreements(
    a: Codings,
    b: Codings,
    line: str,
    unit_set: str = "theme_taking",
    *,
    theme_categories: Collection[str] = (),
    effective: Collection[str] = (),
    ineffective: Collection[str] = (),
) -> list[str]:
    """The refs, in ``a``'s order, on which coders ``a`` and ``b`` disagree for ``line``:
    ``category``; ``polarity`` (both put the comment in a behaviour category, of opposite
    polarity); ``theme:<key>`` (one coder gave the theme, the other not, over ``unit_set``);
    ``pooled`` or ``masi`` (the theme sets differ, over ``unit_set``)."""
    if unit_set not in THEME_SETS:
        raise ValueError(f"unit set {unit_set!r}: one of {', '.join(THEME_SETS)}")
    both = [
        ref
        for ref, (category, _) in a.items()
        if category is not None and ref in b and b[ref][0] is not None
    ]
    if line == "category":
        return [ref for ref in both if a[ref][0] != b[ref][0]]
    if line == "polarity":
        side: dict[str | None, str] = {c: "effective" for c in effective}
        side.update({c: "ineffective" for c in ineffective})
        return [
            ref
            for ref in both
            if a[ref][0] in side and b[ref][0] in side and side[a[ref][0]] != side[b[ref][0]]
        ]
    taking = set(theme_categories)
    units = [
        ref
        for ref in both
        if unit_set == "all_coded" or (a[ref][0] in taking and b[ref][0] in taking)
    ]
    if line.startswith("theme:"):
        theme = line.split(":", 1)[1]
        return [ref for ref in units if (theme in a[ref][1]) != (theme in b[ref][1])]
    if line in ("pooled", "masi"):
        return [ref for ref in units if set(a[ref][1]) != set(b[ref][1])]
    raise ValueError(f"no line {line!r} in the agreement report")
