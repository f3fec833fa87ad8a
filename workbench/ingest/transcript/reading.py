"""What looks wrong among the speakers a reader found, whatever the format: a speaker with
one turn, labels that differ only in case or spacing, one person's full name beside their
surname or first name (``CRAIG BREADEN`` / ``BREADEN``), and most turns without a speaker.
Each is a finding with its lines, said before anything is stored (see ``model.Finding``)."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Set
from operator import attrgetter

from workbench.ingest.transcript.model import ParsedTranscript

_TITLES = frozenset(
    {"dr", "mr", "mrs", "ms", "miss", "prof", "sr", "sra", "dra", "mme", "m", "herr", "frau"}
)
_WORD = re.compile(r"[^\W_]+")
_FIX = "`workbench speakers PROJECT --group GROUP --merge FROM=INTO`"


def check_speakers(parsed: ParsedTranscript, known: Set[str] = frozenset()) -> None:
    """Add the speaker findings to ``parsed``. A label someone vouched for (``known``: the
    roster, ``--role``, ``--speaker``) or a role word ("Observer") speaking once is no question."""
    from workbench.ingest.transcript.labels import generic, key

    vouched = {key(k) for k in known}
    turns = parsed.turns
    counts = Counter(map(attrgetter("speaker"), turns))  # in C: an import has many turns
    unnamed = counts.pop(None, 0)
    found: dict[str, list[int]] = {}

    def lines(label: str) -> list[int]:
        """The lines where ``label`` speaks (looked for only for the labels a finding names)."""
        if label not in found:
            found[label] = [t.line for t in turns if t.speaker == label]
        return found[label]

    if len(turns) >= 4 and len(counts) >= 2:
        once = [s for s, n in counts.items() if n == 1 and key(s) not in vouched and not generic(s)]
        if once:
            shown = ", ".join(f"{s!r} (line {lines(s)[0]})" for s in once[:8])
            more = f" and {len(once) - 8} more" if len(once) > 8 else ""
            parsed.warn(
                "one-turn",
                f"{len(once)} speaker(s) have one turn: {shown}{more}; a participant who spoke "
                "once, or words read as a label? Check before coding",
                tuple(lines(s)[0] for s in once),
            )
    by_key = defaultdict(list)
    for label in counts:
        by_key[" ".join(label.casefold().split())].append(label)
    for spellings in by_key.values():
        if len(spellings) > 1:
            shown = " and ".join(f"{s!r} ({counts[s]} turn(s))" for s in spellings)
            parsed.warn(
                "case-variants",
                f"labels {shown} differ only in case or spacing: one person? Merge them after "
                f"the import with {_FIX}",
                tuple(sorted(line for s in spellings for line in lines(s)[:3])),
            )
    names = {label: _words(label) for label in counts}
    for short, short_words in names.items():
        if not short_words or any(ch.isdigit() for ch in short):
            continue
        for full, full_words in names.items():
            if (
                full != short
                and set(short_words) <= set(full_words)
                and not any(c.isdigit() for c in full)
                and (len(set(short_words)) < len(set(full_words)) or len(short) < len(full))
            ):
                parsed.warn(
                    "full-name",
                    f"labels {full!r} and {short!r} look like one person's full name and part of "
                    f"it (lines {lines(full)[0]} and {lines(short)[0]}); if so, merge them "
                    f"after the import with {_FIX}",
                    (lines(full)[0], lines(short)[0]),
                )
    if counts and unnamed * 2 > len(turns):
        parsed.warn(
            "mostly-unlabelled",
            f"{unnamed} of {len(turns)} turns have no speaker: the labels read may not be the "
            "file's labels (check the styles above, or name the speakers with --speaker)",
        )


def _words(label: str) -> tuple[str, ...]:
    """A label's name words, lower case, titles and parenthesised notes left out."""
    label = re.sub(r"\(.*?\)|\|.*", " ", label)
    return tuple(
        w for w in (w.casefold() for w in _WORD.findall(label)) if w not in _TITLES and len(w) > 1
    )
