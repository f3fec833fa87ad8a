"""The methods paragraph: what a manuscript says about the data, coding and agreement.

Editable text built from the project itself: groups, comments, coders, agreement
before reconciliation (the frozen round 1) with its statistics and confidence
intervals, and how many disagreements were resolved.
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
        f"{len(groups)} focus groups"
        + (f" ({kinds['individual']} individual stakeholder groups and {kinds['multi']} multi-stakeholder groups)"
           if any(kinds.values()) else "")
        + f" yielded {comments} participant comments (facilitator and observer turns excluded).",
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
    parts.append("All reported tables were computed from the agreed coding.")
    return " ".join(parts)


def _round_sentence(round_: dict) -> str:
    from workbench.agreement_summary import headline

    return headline(round_)


def _count(n: int, noun: str) -> str:
    words = {1: "One", 2: "Two", 3: "Three", 4: "Four"}
    return f"{words.get(n, n)} {noun}{'' if n == 1 else 's'}"
