"""Inter-coder agreement of a project: which coders and codings, and the report of them.

The statistics are :mod:`workbench.agreement`'s (pure); this module picks the codings from
the project and gives their :class:`~workbench.agreement.results.AgreementReport` with its
scope and the codebook's names. :mod:`~workbench.agreement.presentation` formats it for
people (Markdown) and spreadsheets (CSV); :mod:`~workbench.agreement.rounds` freezes it as
a numbered round.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from workbench.agreement.results import AgreementReport, Names, Scope
from workbench.coding.coder import coder_names
from workbench.errors import WorkbenchError
from workbench.project.lifecycle import active_codebook
from workbench.store import Store

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
            raise WorkbenchError(
                f"--coders: no coder {', '.join(map(repr, unknown))} "
                f"(coders: {', '.join(known) or 'none'})"
            )
        return [next(n for n in known if n.lower() == c.lower()) for c in coders]
    if len(names) < 2:
        raise WorkbenchError(
            f"agreement needs two coders; this project has {len(names)} "
            f"({', '.join(names) or 'none'})"
        )
    return names


SUGGESTED = ("include", "exclude", "only")
# {coder: {ref: (category, themes)}}: what codings() reads and agreement_report() compares.
Codings = dict[str, dict[Any, tuple[str | None, frozenset[str]]]]


def codings(
    store: Store,
    coders: list[str],
    group: str | None = None,
    suggested: str = "include",
    where: Where | None = None,
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
            rows[name] = [
                row
                for row in rows[name]
                if (group_code is None or row[1] == group_code)
                and (chosen is None or row[5] in chosen)
            ]
    assisted = {row[0] for coder_rows in rows.values() for row in coder_rows if row[4] is not None}
    keep = {
        "include": None,
        "exclude": lambda ref: ref not in assisted,
        "only": lambda ref: ref in assisted,
    }[suggested]
    # one frozenset per distinct theme string: coders reuse a few
    sets: dict[str | None, frozenset[str]] = {None: frozenset()}
    data = {}
    for name, coder_rows in rows.items():
        for row in coder_rows:
            if row[3] not in sets:
                sets[row[3]] = frozenset(row[3].split())
        data[name] = {
            row[0]: (row[2], sets[row[3]]) for row in coder_rows if keep is None or keep(row[0])
        }
    accepted = {
        name: sum(1 for row in coder_rows if row[4] is not None)
        for name, coder_rows in rows.items()
    }
    return data, accepted


def project_agreement(
    store: Store,
    coders: list[str] | None = None,
    group: str | None = None,
    bootstrap: int = 1000,
    seed: int | None = DEFAULT_SEED,
    suggested: str = "include",
    progress: Progress | None = None,
    data: tuple[Codings, dict[str, int]] | None = None,
    where: Where | None = None,
    numbers: Callable[[AgreementReport], object] | None = None,
) -> AgreementReport:
    """The agreement report of ``coders`` (default: every person who coded). ``data``: their
    codings as :func:`codings` returns them, when the caller has read them already.
    ``numbers(report)``: given first the report without the bootstrap (what ``bootstrap=0``
    returns), from the same reading (the app shows the numbers, then their bootstrap CIs).
    ``where``: only the comments meeting it (condition=CF)."""
    from workbench.agreement.report import agreement_report

    names = select_coders(store, coders)
    coded, accepted = data or codings(store, names, group, suggested, where)
    categories = store.categories()
    scope = Scope(
        group,
        active_codebook(store)["sha256"],
        fingerprint(coded),
        suggested,
        accepted,
        str(where) if where else None,
    )
    names_of = Names({c.key: c.name for c in categories}, {t.key: t.name for t in store.themes()})

    def finished(report: AgreementReport) -> AgreementReport:
        return replace(report, scope=scope, names=names_of)

    report = agreement_report(
        coded,
        [c.key for c in categories],
        [c.key for c in categories if c.takes_themes],
        [c.key for c in categories if c.polarity == "effective"],
        [c.key for c in categories if c.polarity == "ineffective"],
        [t.key for t in store.themes()],
        bootstrap=bootstrap,
        seed=seed,
        progress=progress,
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
    return hashlib.sha256(
        "".join(lines).encode()
    ).hexdigest()  # one update: the same digest, faster
