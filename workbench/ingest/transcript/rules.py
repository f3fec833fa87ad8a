"""The file's decision, line by line: label, text, annotation, timestamp or header.

A speaker label recurs: the same few names open line after line, while the words before
a colon in a sentence ("Note:", "The thing is:", "Time: 3pm") are different each time or
are not names at all. So a file's label *style* is trusted when the candidates written in
it recur (names that come back at least twice make at least half of its lines), or when
it opens most blocks of the file (a transcript where each of three people speaks once);
the weak styles (``[id1] text``, ``Name - text``) only when two or more names recur and
they open at least half the blocks. Then every line is read with that decision:

- a known name (``--role``, ``--speaker``, the roster) is a label in any style, case and
  spacing, and takes the spelling it was given;
- in a strong style (colon, alone, stamped, Rev, Otter, bold, chat) a name that recurs, a
  generic label ("Speaker 2", "Moderadora"), a name in capitals, or a name alone on its line
  with a colon or a time after it is a label; in a trusted
  style so is a name-shaped label that appears once (a speaker who talks once), where it
  opens a block; lower case only where the file's labels are written so ("p3", "li wei");
- in a weak style, a name-shaped label where that style is trusted.

Every candidate not taken that looks like a label is reported with its line ("looks like a
label but was read as text"), and so is a weak-style line naming a speaker of the file.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Set
from dataclasses import dataclass, field
from operator import itemgetter

from workbench.ingest.transcript import labels as L
from workbench.ingest.transcript import lines as R

BLANK, TEXT, LABEL, STAMP, ANNOT, HEADER = 0, 1, 2, 3, 4, 5
FAMILY = {
    "colon": "plain",
    "alone": "plain",
    "stamped": "plain",
    "rev": "plain",
    "otter": "otter",
    "bold": "bold",
    "chat": "chat",
    "bracket": "bracket",
    "dash": "dash",
}
_STANDALONE = frozenset({"alone", "otter", "rev"})
# A label candidate: (style, name, key, shape, its lines).
_Cand = tuple[str, str, str, str | None, list[int]]
STYLE_NAMES = {
    "colon": "Name: text",
    "alone": "labels on their own lines",
    "stamped": "timestamped labels",
    "rev": "Rev labels with times",
    "otter": "Otter",
    "bold": "bold Markdown labels",
    "chat": "chat log",
    "bracket": "[label] text",
    "dash": "Name - text",
}


@dataclass
class Decided:
    kind: list[int]  # per line: BLANK, TEXT, LABEL, STAMP, ANNOT or HEADER
    speaker: dict[int, str]  # a label line's speaker
    # per line, as ``lines.read_line`` read it (a label's column, annotations, time)
    reads: list[R.Read]
    styles: Counter[str] = field(default_factory=Counter)  # style → label lines read in it
    findings: list[tuple[str, str, tuple[int, ...]]] = field(default_factory=list)

    def stamp(self, i: int) -> str | None:
        return self.reads[i][3]


def decide(lines: list[str], known: Set[str], header: set[int]) -> Decided:
    """Read every line of ``lines`` (``header``: indexes of the header block)."""
    key_shape, weak = L.key_shape, R.WEAK
    reads = R.read_lines(lines)
    # The kinds of lines.py are those of this module (a candidate is a LABEL until rejected).
    kind = list(map(itemgetter(0), reads))
    for i in header:
        kind[i] = HEADER
    known_keys = {L.key(k): k for k in known}
    # The candidates by (style, name): a label's checks are made once, however often it recurs.
    groups: dict[tuple[str, str], list[int]] = {}
    for i in _positions(kind, LABEL):
        read = reads[i]
        at = (read[1] or "", read[2] or "")  # a candidate's style and name: always there
        indices = groups.get(at)
        if indices is None:
            groups[at] = [i]
        else:
            indices.append(i)
    cands: list[_Cand] = []
    by_style: dict[str, Counter[str]] = {}
    strong_total: Counter[str] = Counter()
    notes: list[int] = []
    for (style, name), indices in groups.items():
        k, shp = key_shape(name)
        if shp is None and k not in known_keys:
            for i in indices:
                kind[i] = TEXT
            if k.rstrip(".") in L.NOT_SPEAKERS:  # "Decision: ...", "Note: ..." opening a paragraph
                notes += [i for i in indices if i == 0 or kind[i - 1] in (BLANK, LABEL)]
            continue
        cands.append((style, name, k, shp, indices))
        by_style.setdefault(style, Counter())[k] += len(indices)
        if style not in weak:
            strong_total[k] += len(indices)
    by_family: dict[str, Counter[str]] = {}
    for style, counts in by_style.items():
        by_family.setdefault(FAMILY[style], Counter()).update(counts)
    # Blocks: the candidates, and each text line after a blank one (counted in C: the kinds
    # as bytes, the pair BLANK, TEXT found as a substring).
    blocks = sum(len(c[4]) for c in cands) + bytes([BLANK, *kind]).count(bytes([BLANK, TEXT]))
    trusted = _trusted(by_family, known_keys, blocks)
    lower_ok = _lower_case_labels(cands, strong_total)
    numbered = _numbered(cands, strong_total)
    # Where labels stand alone on their lines (hard-wrapped text, PDF), "Word: words" once
    # inside a turn is prose unless it opens a block: those are decided line by line, last.
    alone_file = by_style.get("alone") and sum(by_style["alone"].values()) > sum(
        by_style.get("colon", {}).values()
    )
    speaker: dict[int, str] = {}
    accepted_keys = set()
    rejected: list[tuple[int, str, str, str]] = []  # (index, style, name, shape)
    styles: dict[str, int] = {}

    def take(
        style: str, name: str, k: str, shp: str | None, indices: list[int], label: str | None
    ) -> None:
        if label is None:
            for i in indices:
                kind[i] = TEXT
            rejected.extend((i, style, name, shp or "") for i in indices)
        else:
            speaker.update(dict.fromkeys(indices, label))
            accepted_keys.add(k)
            styles[style] = styles.get(style, 0) + len(indices)

    later = []
    for style, name, k, shp, indices in cands:
        if k in numbered:
            take(style, name, k, shp, indices, None)
        elif alone_file and style == "colon":
            later.append((style, name, k, shp, indices))
        else:
            take(
                style,
                name,
                k,
                shp,
                indices,
                _accept(style, name, k, shp, known_keys, strong_total, trusted, lower_ok, True),
            )
    for style, name, k, shp, indices in later:
        verdicts = {}
        for i in indices:
            opens = i == 0 or kind[i - 1] != TEXT
            if opens not in verdicts:
                verdicts[opens] = _accept(
                    style, name, k, shp, known_keys, strong_total, trusted, lower_ok, opens
                )
            take(style, name, k, shp, [i], verdicts[opens])
    rejected.sort()
    decided = Decided(kind, speaker, reads, Counter(styles))
    _report(decided, rejected, accepted_keys, trusted, lines)
    first = min(speaker, default=len(lines))
    notes = [i for i in notes if i > first]
    if notes:
        decided.findings.append(
            (
                "note-in-turn",
                _lines_message(
                    notes,
                    lines,
                    "read(s) like a note (a heading word and a colon), not speech; kept in the "
                    "text of the turn above",
                ),
                tuple(i + 1 for i in notes),
            )
        )
    return decided


def _positions(kind: list[int], wanted: int) -> list[int]:
    """The indexes of ``wanted`` in ``kind``, found in C (bytes.find) rather than line by line."""
    found, data, at = [], bytes(kind), -1
    while (at := data.find(wanted, at + 1)) >= 0:
        found.append(at)
    return found


def _trusted(
    by_family: dict[str, Counter[str]], known_keys: dict[str, str], blocks: int
) -> set[str]:
    trusted = set()
    for family, names in by_family.items():
        count = sum(names.values())
        recurring = sum(c for k, c in names.items() if c >= 2 or k in known_keys)
        if family in ("bracket", "dash"):
            ok = sum(1 for c in names.values() if c >= 2) >= 2 and recurring >= 0.5 * blocks
        else:
            ok = (recurring >= 2 and recurring >= 0.5 * count) or (
                blocks > 0 and count >= 0.6 * blocks
            )
        if ok:
            trusted.add(family)
    return trusted


def _numbered(cands: list[_Cand], strong_total: Counter[str]) -> set[str]:
    """Keys of a numbered run ("Question 1:", "Question 2:", ... each once, at least three):
    items or headings, not speakers; generic labels ("Speaker 3") and codes ("P3") aside."""
    runs: dict[str, list[str]] = {}
    for _style, name, k, _shp, _indices in cands:
        if not k[-1:].isdigit():
            continue
        base, _sep, number = k.rpartition(" ")
        if base and number.isdigit() and strong_total[k] == 1 and not L.generic(name):
            runs.setdefault(base, []).append(k)
    return {k for keys in runs.values() if len(set(keys)) >= 3 for k in keys}


def _lower_case_labels(cands: list[_Cand], strong_total: Counter[str]) -> bool:
    """Whether the file writes its labels in lower case: recurring lower-case names make at
    least a third of the lines of recurring names."""
    recurring = lower = 0
    for _style, _name, k, shp, indices in cands:
        if strong_total[k] >= 2:
            recurring += len(indices)
            lower += len(indices) if shp == "lower" else 0
    return lower >= 2 and lower * 3 >= recurring


def _accept(
    style: str,
    name: str,
    k: str,
    shp: str | None,
    known_keys: dict[str, str],
    strong_total: Counter[str],
    trusted: set[str],
    lower_ok: bool,
    opens_block: bool,
) -> str | None:
    if k in known_keys:
        return known_keys[k]
    if shp is None:
        return None
    family_trusted = FAMILY[style] in trusted
    if style == "chat" and family_trusted:  # a chat log's names are display names, in any case
        return name
    if style in R.WEAK:
        if family_trusted and shp in ("title", "code", "caps") or (family_trusted and lower_ok):
            return name
        return None
    if strong_total[k] >= 2 and (shp != "lower" or lower_ok or family_trusted):
        return name
    if L.generic(name) or shp == "caps" and len(name) > 1:
        return name
    # "Ana:" alone on its line, or with a time after it: no sentence ends so.
    if style in _STANDALONE and shp in ("title", "code"):
        return name
    if family_trusted and opens_block and (shp in ("title", "code") or lower_ok):
        return name
    return None


def _report(
    decided: Decided,
    rejected: list[tuple[int, str, str, str]],
    accepted_keys: set[str],
    trusted: set[str],
    lines: list[str],
) -> None:
    """Findings for candidates read as text that look like labels."""
    looks: list[int] = []
    other_style: list[int] = []
    for i, style, name, shp in rejected:
        k = L.key(name)
        if k in accepted_keys:
            other_style.append(i)
        elif style not in R.WEAK and shp in ("title", "code", "caps", "lower"):
            looks.append(i)
    if other_style:
        decided.findings.append(
            (
                "label-as-text",
                _lines_message(
                    other_style,
                    lines,
                    "start(s) with a speaker's name written in another label style (such as "
                    "'Name - text'); read as text of the turn above",
                ),
                tuple(n + 1 for n in other_style),
            )
        )
    if looks:
        decided.findings.append(
            (
                "label-as-text",
                _lines_message(
                    looks,
                    lines,
                    "look(s) like a speaker label but the file does not use that label "
                    "consistently; read as text (if it is a speaker, name it with --speaker "
                    "NAME)",
                ),
                tuple(n + 1 for n in looks),
            )
        )


def _lines_message(indexes: list[int], lines: list[str], what: str) -> str:
    shown = ", ".join(f"{i + 1} ({_head(lines[i])!r})" for i in indexes[:5])
    more = f" and {len(indexes) - 5} more" if len(indexes) > 5 else ""
    return f"line(s) {shown}{more} {what}"


def _head(line: str) -> str:
    line = " ".join(line.replace("\f", " ").split())
    return line if len(line) <= 30 else line[:29] + "…"
