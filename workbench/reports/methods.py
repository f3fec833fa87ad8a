"""The methods paragraph: what a manuscript says about the data, coding and agreement.

Editable text built from the project itself: groups, comments, coders, agreement
before reconciliation (the frozen round 1) with its statistics and confidence
intervals, how many disagreements were resolved, and any machine assistance (codings
taken from a model's suggestions, a review of the agreed coding against a model),
which a paper must disclose.
"""

from __future__ import annotations

from typing import Any

from workbench.project.lifecycle import active_codebook
from workbench.reconcile.project import project_counts
from workbench.store import Store


def methods_paragraph(store: Store) -> str:
    groups = store.group_summaries()
    comments = sum(g.codable for g in groups)
    coders = [c.name for c in store.coders() if c.kind == "coder"]
    kinds = {k: sum(1 for g in groups if g.kind == k) for k in ("individual", "multi")}
    book = active_codebook(store)
    parts = [
        _count(len(groups), "focus group")
        + (
            f" ({_plural(kinds['individual'], 'individual stakeholder group')} and "
            f"{_plural(kinds['multi'], 'multi-stakeholder group')})"
            if any(kinds.values())
            else ""
        )
        + f" yielded {comments} participant comment{'' if comments == 1 else 's'} (facilitator and "
        "observer turns excluded).",
        *_sample(store),
        (
            f"{_count(len(coders), 'analyst')} independently mapped each comment to one of "
            f"{len(store.categories())} categories and assigned the comments on effective or "
            "ineffective behaviours"
            if coders
            # not "0 analysts independently mapped"
            else f"No analysts have coded yet; the codebook maps each comment to one of "
            f"{len(store.categories())} categories and gives the comments on effective or "
            "ineffective behaviours"
        )
        + f" one or more of {len(store.themes())} behavioural themes "
        f"(codebook \u201c{book['name']}\u201d, {_version(store, book)}).",
    ]
    rounds = store.rounds()
    if rounds:
        parts.append(_round_sentence(rounds[0]))
    numbers = project_counts(store) if store.reconciliations() else None
    if numbers:  # as they are now: a coding changed after its reconciliation counts as open
        n = numbers
        open_ = ""
        if n["open"]:
            changed = n["changed_since_reconciled"]
            open_ = f"; {n['open']} {'is' if n['open'] == 1 else 'are'} open" + (
                f" ({changed} of {'it' if n['open'] == 1 else 'them'} changed after being reconciled)"
                if changed
                else ""
            )
        parts.append(
            f"The analysts then met to reconcile their coding: of the {n['compared']} comments compared, "
            f"{n['agreed_automatically']} coded identically were accepted as agreed and {n['resolved']} of the "
            f"{n['disagreements']} disagreements were resolved by discussion"
            + (f"; {n['deferred']} remain deferred" if n["deferred"] else "")
            + open_
            + "."
        )
    parts += _machine_sentences(store)
    agreed = store.coder_named("agreed")
    missing = comments - (len(store.codings_of(agreed.id)) if agreed else 0)
    if missing:
        have = "comment has" if missing == 1 else "comments have"
        parts.append(f"{missing} {have} no agreed coding yet; tables computed now are provisional.")
    else:
        parts.append("All reported tables were computed from the agreed coding.")
    return " ".join(parts)


def _sample(store: Store) -> list[str]:
    """Who took part, from participants and their attributes (nothing when none is recorded)."""
    from workbench.project.sample import describe, sample

    text = describe(sample(store))
    return [text] if text else []


def _version(store: Store, book: dict[str, Any]) -> str:
    """The codebook version(s) the agreed coding was made with (else the coders', else the one
    in use): a paper cites the codebook its numbers come from."""
    from workbench.project.versions import cite, versions_used

    used = versions_used(store)
    if not used:
        every: dict[str, int] = {}
        for coder in store.coders():
            if coder.kind == "coder":
                for u in versions_used(store, coder.name):
                    every[u["version"]] = every.get(u["version"], 0) + u["codings"]
        used = [{"version": v, "codings": n} for v, n in every.items()]
    return cite(used) or f"version {book['version']}"


def _machine_sentences(store: Store) -> list[str]:
    """Disclosure of machine assistance, with the model's cross-validated agreement."""
    accepted = {c: n for c, n in store.suggestion_accepted_counts().items()}
    models = {m["id"]: m for m in store.models()}
    out = []
    if accepted:
        from workbench.agreement.presentation import short_estimate

        newest = models[max(models)]["summary"] if models else None
        model = ""
        if newest:
            line = newest["cross_validated"]
            model = (
                f", a model trained on the {newest['trained_on']} coding of {newest['comments']} comments whose "
                f"cross-validated agreement with that coding (folds by {newest['by']}) was Cohen's κ = "
                f"{short_estimate(line['category_kappa'])} for the category"
            )
        out.append(
            "Coders could see a local model's suggestions (Workbench machine-assisted coding"
            + model
            + "); "
            + ", ".join(f"{n} of {c}'s codings" for c, n in accepted.items())
            + " were taken from a suggestion and are marked as such."
        )
    reviewed = [r for model_id in models for r in store.review_items(model_id) if r["decision"]]
    runs = store.precode_runs()
    if runs:
        precoded = [r for model_id in models for r in store.review_items(model_id, "precode")]
        out.append(precode_sentence(runs[-1]["summary"], precoded))
    if reviewed:
        changed = sum(1 for r in reviewed if r["decision"] == "changed")
        out.append(
            f"The lead reviewed {len(reviewed)} agreed codings that a cross-validated model contradicted "
            f"and changed {changed} of them, each with a recorded rationale."
        )
    return out


def precode_sentence(run: dict[str, Any], items: list[dict[str, Any]] | None = None) -> str:
    """The share pre-coded by a model, the bar and its cross-validated kappa (and the review)."""

    def num(x: float | None, digits: int = 3) -> str:
        return "-" if x is None else f"{x:.{digits}f}".replace("0.", ".", 1)

    share = run["precoded"] / run["codable"] if run["codable"] else 0
    unit = "transcript" if run.get("by") == "transcript" else "focus group"
    text = (
        f"A local model (Workbench machine-assisted coding, trained on the agreed coding) pre-coded "
        f"{run['precoded']} of the {run['codable']} comments ({share:.0%}), only comments no analyst had "
        f"coded and only where its least sure decision reached a confidence bar of p \u2265 "
        f"{num(run['bar'], 2)}; the bar was chosen for a target category Cohen's \u03ba of "
        f"{num(run['target'], 2)}, and in nested cross-validation by {unit} (bars chosen on the training "
        f"folds, judged on the held-out ones) it coded {run['cv_share']:.0%} of the held-out comments at "
        f"\u03ba = {num(run['cv_kappa'])}."
    )
    items = items or []
    decided = [i for i in items if i["decision"]]
    if decided:
        kept = sum(1 for i in decided if i["decision"] == "kept")
        text += (
            f" The lead reviewed {len(decided)} of the {len(items)} pre-codes: {kept} kept, "
            f"{len(decided) - kept} changed or returned to the analysts."
        )
    return text


def _round_sentence(round_: dict[str, Any]) -> str:
    from workbench.agreement.rounds import Round, headline

    return headline(Round.from_dict(round_))


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _count(n: int, noun: str) -> str:
    """A count that can open a sentence: "Two analysts", "12 focus groups"."""
    words = {
        1: "One",
        2: "Two",
        3: "Three",
        4: "Four",
        5: "Five",
        6: "Six",
        7: "Seven",
        8: "Eight",
        9: "Nine",
    }
    return f"{words.get(n, n)} {noun}{'' if n == 1 else 's'}"
