"""The methods paragraph: what a manuscript says about the data, coding and agreement.

Editable text built from the project itself: groups, comments, coders, agreement
before reconciliation (the frozen round 1) with its statistics and confidence
intervals, how many disagreements were resolved, and any machine assistance (codings
taken from a model's suggestions, a review of the agreed coding against a model),
which a paper must disclose.
"""

from __future__ import annotations

from workbench.store import Store


def methods_paragraph(store: Store) -> str:
    groups = store.group_summaries()
    comments = sum(g["codable"] for g in groups)
    coders = [c["name"] for c in store.coders() if c["kind"] == "coder"]
    kinds = {k: sum(1 for g in groups if g["kind"] == k) for k in ("individual", "multi")}
    book = store.active_codebook()
    parts = [
        _count(len(groups), "focus group")
        + (f" ({_plural(kinds['individual'], 'individual stakeholder group')} and "
           f"{_plural(kinds['multi'], 'multi-stakeholder group')})" if any(kinds.values()) else "")
        + f" yielded {comments} participant comments (facilitator and observer turns excluded).",
        *_sample(store),
        f"{_count(len(coders), 'analyst')} independently mapped each comment to one of "
        f"{len(store.categories())} categories and assigned the comments on effective or ineffective "
        f"behaviours one or more of {len(store.themes())} behavioural themes "
        f"(codebook \u201c{book['name']}\u201d, version {book['version']}).",
    ]
    rounds = store.rounds()
    if rounds:
        parts.append(_round_sentence(rounds[0]))
    states = store.reconciliations()
    if states:
        resolved = sum(1 for s in states.values() if s["status"] == "resolved")
        auto = sum(1 for s in states.values() if s["status"] == "auto")
        deferred = sum(1 for s in states.values() if s["status"] == "deferred")
        parts.append(
            f"The analysts then met to reconcile their coding: {auto} comments coded identically were "
            f"accepted as agreed and {resolved} disagreements were resolved by discussion"
            + (f"; {deferred} remain deferred" if deferred else "") + "."
        )
    parts += _machine_sentences(store)
    agreed = store.coder_named("agreed")
    missing = comments - (len(store.codings_of(agreed["id"])) if agreed else 0)
    if missing:
        parts.append(f"{missing} comments have no agreed coding yet; tables computed now are provisional.")
    else:
        parts.append("All reported tables were computed from the agreed coding.")
    return " ".join(parts)


def _sample(store: Store) -> list[str]:
    """Who took part, from participants and their attributes (nothing when none is recorded)."""
    from workbench.project.sample import describe, sample

    text = describe(sample(store))
    return [text] if text else []


def _machine_sentences(store: Store) -> list[str]:
    """Disclosure of machine assistance, with the model's cross-validated agreement."""
    accepted = {c: n for c, n in store.suggestion_accepted_counts().items()}
    models = {m["id"]: m for m in store.models()}
    out = []
    if accepted:
        from workbench.agreement.reliability import short_estimate

        newest = models[max(models)]["summary"] if models else None
        model = ""
        if newest:
            line = newest["cross_validated"]
            model = (f", a model trained on the {newest['trained_on']} coding of {newest['comments']} comments whose "
                     f"cross-validated agreement with that coding (folds by {newest['by']}) was Cohen's κ = "
                     f"{short_estimate(line['category_kappa'])} for the category")
        out.append("Coders could see a local model's suggestions (Workbench machine-assisted coding" + model + "); "
                   + ", ".join(f"{n} of {c}'s codings" for c, n in accepted.items())
                   + " were taken from a suggestion and are marked as such.")
    reviewed = [r for model_id in models for r in store.review_items(model_id) if r["decision"]]
    if reviewed:
        changed = sum(1 for r in reviewed if r["decision"] == "changed")
        out.append(f"The lead reviewed {len(reviewed)} agreed codings that a cross-validated model contradicted "
                   f"and changed {changed} of them, each with a recorded rationale.")
    return out


def _round_sentence(round_: dict) -> str:
    from workbench.agreement.reliability import headline

    return headline(round_)


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _count(n: int, noun: str) -> str:
    """A count that can open a sentence: "Two analysts", "12 focus groups"."""
    words = {1: "One", 2: "Two", 3: "Three", 4: "Four", 5: "Five", 6: "Six", 7: "Seven", 8: "Eight", 9: "Nine"}
    return f"{words.get(n, n)} {noun}{'' if n == 1 else 's'}"
