"""Page-ready sentences for a reporting checklist, one function per kind of item.

Each takes the facts of :func:`workbench.evidence.facts.gather` and returns (text or None,
complete[, why]): None when the project cannot answer the item, ``complete`` False when the
text answers only part of it (the checklist then lists what the authors must add), and
optionally why the project could not answer it (added to the authors' to-do).
"""

from __future__ import annotations

from datetime import date

from workbench.project.sample import attributes_sentence

WORDS = {
    1: "One",
    2: "Two",
    3: "Three",
    4: "Four",
    5: "Five",
    6: "Six",
    7: "Seven",
    8: "Eight",
    9: "Nine",
    10: "Ten",
}


def _count(n: int, noun: str, plural: str | None = None, capital: bool = False) -> str:
    word = (
        WORDS.get(n, str(n)) if capital else (WORDS.get(n, str(n)).lower() if n <= 10 else str(n))
    )
    return f"{word} {noun if n == 1 else plural or noun + 's'}"


def _plural(name: str) -> str:
    """'Health professional' → 'health professionals'; 'Person with a ...' → 'people with a ...'."""
    head, sep, tail = name.partition(" with ")
    words = head.split()
    last = words[-1].lower()
    words[-1] = {"person": "people", "child": "children"}.get(last, last + "s")
    words = [w.lower() if w[0].isupper() and not w.isupper() else w for w in words]
    return " ".join(words) + (sep + tail if sep else "")


def _day(iso: str) -> str:
    d = date.fromisoformat(iso)
    return f"{d.day} {d.strftime('%B')} {d.year}"


def _list(items: list[str]) -> str:
    return (
        items[0]
        if len(items) == 1
        else ", ".join(items[:-1]) + " and " + items[-1]
        if items
        else ""
    )


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def _role(key: str, name: str, n: int = 2) -> str:
    """'health professionals (HP)'; the key only where it differs from the name."""
    text = _plural(name) if n != 1 else name.lower()
    return text if key.lower() == name.lower() else f"{text} ({key})"


def _people(f: dict) -> str:
    p = f["participants"]
    parts = [f"{n} {_role(k, p['role_names'][k], n)}" for k, n in p["by_role"].items()]
    return f"{p['total']} participants: {_list(parts)}"


def _groups(f: dict) -> str:
    groups = f["groups"]
    kinds = {"individual": "individual stakeholder group", "multi": "multi-stakeholder group"}
    parts = []
    for kind, noun in kinds.items():
        names = [g.name for g in groups if g.kind == kind]
        if names:
            parts.append(f"{_count(len(names), noun)} ({'; '.join(names)})")
    when = f" between {_day(f['dates'][0])} and {_day(f['dates'][1])}" if f["dates"] else ""
    return f"{_count(len(groups), 'focus group', capital=True)} were held{when}" + (
        ": " + " and ".join(parts) if parts else ""
    )


def facilitators(f: dict):
    staff = f["participants"]["staff"]
    if not staff:
        return None, False
    parts = [
        f"{_article(role.lower())} {role.lower()} spoke in {_list(codes)}"
        for role, codes in staff.items()
    ]
    return f"Besides the participants, {_list(parts)}.", False


def non_participants(f: dict):
    return facilitators(f)


def sample_size(f: dict):
    if not f["participants"]["total"]:
        return None, False
    unknown = f["participants"]["unknown_role"]
    linked = f["sample"].linked
    how = (
        "counted per group from the speakers in the transcripts"
        if not linked
        else f"from the speakers in the transcripts; {len(linked)} who took part in more than one "
        "group counted once"
    )
    groups = _count(len(f["groups"]), "focus group")
    text = f"{_people(f)[0].upper()}{_people(f)[1:]}, in {groups} ({how})."
    if unknown:
        text += f" {unknown} further speaker(s) have no role recorded."
    return text, not unknown


def sample(f: dict):
    rows = []
    names = f["participants"]["role_names"]
    for g in f["groups"]:
        when = f", {_day(g.date)}" if g.date else ""
        who = f": {g.stakeholders}" if g.stakeholders else ""
        rows.append(f"{g.code} {g.name}{when}{who}")
    if not rows:
        return None, False
    roles = ", ".join(_role(k, n) for k, n in names.items())
    described = attributes_sentence(f["sample"])
    if described:  # the participants' recorded attributes describe the sample
        text = (
            "Participants were identified by stakeholder role"
            + (f" ({roles})" if roles else "")
            + f". {described} Groups: "
            + "; ".join(rows)
            + "."
        )
        return text, bool(f["sample"].participant_values)
    return (
        "Participants were identified only by stakeholder role"
        + (f" ({roles})" if roles else "")
        + ". Groups: "
        + "; ".join(rows)
        + "."
    ), False


def repeat(f: dict):
    return (
        f"Each of the {len(f['groups'])} focus groups was held once; no participant group was repeated."
        if f["groups"]
        else None
    ), False


def recording(f: dict):
    d = f["durations"]
    if not d["formats"]:
        return None, False
    parts = []
    for fmt, codes in d["formats"].items():
        low = fmt.lower()
        how = (
            "captions of a video-conference recording"
            if low.split()[0] in ("webvtt", "srt")
            else "a transcript made from the recording with Otter"
            if "otter" in low
            else "a transcript by Rev"
            if "rev" in low
            else f"a {fmt.split(' (')[0]} transcript"
        )
        parts.append(f"{_list(codes)}: {how}")
    return "The groups were recorded and transcribed (" + "; ".join(parts) + ").", False


def duration(f: dict):
    d = f["durations"]
    if not d["minutes"]:
        return None, False
    spans = [f"{code} at least {round(m)} min" for code, m in d["minutes"].items()]
    text = (
        "From the transcripts' time stamps (first to last turn), the discussions lasted: "
        + "; ".join(spans)
        + "."
    )
    if d["untimed"]:
        text += f" The transcripts of {_list(d['untimed'])} have no time stamps."
    return text, not d["untimed"]


def saturation(f: dict):
    if not f["saturation"]:  # why not, for the authors' to-do
        return None, False, f"The project could not assess saturation ({f['saturation_source']})."
    return f["saturation"], True


def coders(f: dict):
    if not f["coders"]:
        return None, False
    rec = f["reconciliation"]
    text = (
        f"{_count(len(f['coders']), 'analyst', capital=True)} ({_list(f['coders'])}) independently coded "
        f"every one of the {f['comments']} participant comments."
    )
    if rec["resolved"] or rec["auto"]:
        # A name never opens the sentence: "Lead then reconciled" read as a title, not a name.
        who = "Their codings were then reconciled" + (
            f" by {_list(f['leads'])}" if f["leads"] else ""
        )
        text += (
            f" {who}: {rec['auto']} identically coded comments were "
            f"accepted as agreed and {rec['resolved']} disagreements resolved by discussion"
            + (f"; {rec['deferred']} remain deferred" if rec["deferred"] else "")
            + "."
        )
    if f["agreement"]:
        text += " " + f["agreement"]
    if f.get("precoding"):
        text = (
            text.replace("independently coded every one of the", "independently coded the")
            + " "
            + f["precoding"]
        )
    return text, True


def coder_training(f: dict):
    sentences = f["evidence"]["training"] + f["evidence"]["retest"]
    return ("Coder calibration: " + " ".join(sentences) if sentences else None), False


def coding_tree(f: dict):
    book = f["codebook"]
    cats = book["categories"]
    taking = [c.name for c in cats if c.takes_themes]
    text = (
        f"The coding tree has two levels: each comment was mapped to one of {len(cats)} categories "
        f"({'; '.join(c.name for c in cats)})"
    )
    if taking and book["themes"]:
        text += (
            f", and comments in {' or '.join(taking)} were given one or more of {len(book['themes'])} "
            f"themes ({'; '.join(t.name for t in book['themes'])})"
        )
    return (
        text
        + f". Each theme has a written definition in the codebook (\u201c{book['name']}\u201d, version "
        f"{book['version']}).",
        False,
    )


def derivation(f: dict):
    book = f["codebook"]
    return (
        f"Comments were coded deductively against a predefined codebook of {len(book['themes'])} themes "
        f"(\u201c{book['name']}\u201d, version {book['version']}), held fixed during coding."
    ), False


def software(f: dict):
    text = (
        f"Transcripts were managed, coded, reconciled and tabulated in Workbench (version {f['version']}), "
        "which keeps each study in one SQLite file with an append-only audit trail of every coding decision."
    )
    if f.get("precoding"):
        text += (
            " Its local machine-assisted coding (a model trained on the team's agreed coding, on this "
            "computer, with no data sent elsewhere) pre-coded part of the comments, as stated in the analysis."
        )
    return text, True


def quotations(f: dict):
    if not f["exemplars"]:
        return None, False
    return (
        f"Quotations illustrate the themes ({f['exemplars']} exemplar quotes); each is identified by the "
        "speaker's stakeholder role after a tilde (e.g. ~HP, ~PwCHC, ~Parent), not by name."
    ), True


def consistency(f: dict):
    if not f["report_runs"]:
        return None, False
    return (
        "All tables were computed by software from the agreed coding, and each run was stored with a "
        "fingerprint of the coding it read, so every number can be traced to the coded comments."
    ), False


def _themes(f: dict, top: bool):
    ranked = [(t, n) for t, n in f["themes_by_frequency"] if n]
    if not ranked:
        return None
    pick = ranked[:3] if top else ranked[-2:]
    cited = _list([f"{t} ({n} comments)" for t, n in pick])
    suffix = " (provisional: not every comment is agreed yet)" if f["themes_provisional"] else ""
    return cited, suffix


def major_themes(f: dict):
    found = _themes(f, True)
    return (f"The most frequent themes were {found[0]}{found[1]}." if found else None), False


def minor_themes(f: dict):
    found = _themes(f, False)
    return (f"The least frequent themes were {found[0]}{found[1]}." if found else None), False


def collection(f: dict):
    return (_groups(f) + "." if f["groups"] else None), False


def units(f: dict):
    if not f["groups"]:
        return None, False
    text = (
        f"The unit of analysis was the participant comment (a statement by one speaker): {f['comments']} "
        f"comments from {_people(f)}, in {_count(len(f['groups']), 'focus group')}. Facilitator and "
        "observer turns were kept as context but not coded."
    )
    return text, not f["participants"]["unknown_role"]


def processing(f: dict):
    if not f["groups"]:
        return None, False
    return (
        f"Transcripts were imported into Workbench (version {f['version']}), which keeps each original "
        "file with its SHA-256 hash and divides it into comments by speaker; participants are identified "
        "only by stakeholder role. Every coding and reconciliation decision was recorded in an append-only "
        f"audit trail ({f['audit_rows']} entries)."
    ), False


def analysis(f: dict):
    first, _ = coders(f)
    tree, _ = coding_tree(f)
    return (" ".join(filter(None, [tree, first])) or None), False


def trustworthiness(f: dict):
    parts = [p for p in (f["agreement"], *f["evidence"]["training"], *f["evidence"]["retest"]) if p]
    parts.append(
        "Every coding decision, with who made it and when, and every reconciliation rationale is kept "
        "in an audit trail."
    )
    if f["saturation"]:
        parts.append(f["saturation"])
    return " ".join(parts), False
