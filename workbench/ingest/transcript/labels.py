"""Recognising speaker labels and timestamps, shared by the text and caption parsers.

A speaker label is short and name-shaped: up to six words, each starting with a
capital letter or a digit ("Dr. Melissa Ko", "Speaker 1", "MUM", "P3"), so that
"The problem is this: nobody listens" is not mistaken for a speaker.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

# h:mm:ss(.mmm), mm:ss, and Teams' unpadded 0:0:0.210. The first field is unbounded:
# recordings past 99 minutes are stamped "104:05", and a label stamped so must not be
# swallowed as text into the previous speaker's turn.
TIMESTAMP = r"\d+(?::\d{1,2}){1,2}(?:[.,]\d{1,3})?"
_PARTICLES = r"(?:de|da|del|der|den|di|du|la|le|van|von|bin|al|el|y|and|&|of|the)"
# "\d[\w.]*", not "\d+[\w.]*": two ways to split a digit run backtrack quadratically.
# A parenthesised word carries a role or pronouns: "Ana (Parent)", "Sam Lee (they/them)".
_WORD = r"(?:[^\W\d_][\w.'’\-]*|\d[\w.]*|" + _PARTICLES + r"|\([\w .'’/\-]{1,30}\))"
_PARTICLE_RE = re.compile(_PARTICLES, re.IGNORECASE)
NAME = r"(?:[^\W\d_][\w.'’\-]*(?:[ \t]" + _WORD + r"){0,5})"

# "Name: text", "NAME:", "[00:01:23] Name: text", "Speaker 1 (00:03:18):",
# "Interviewer1 : text", "**Name:** text", ">> NAME: text".
# Leading "\s*", not "[ \t]*": pdftotext starts each page with a form feed ("\fMARIA:").
INLINE = re.compile(
    r"^\s*(?:>>[ \t]*)?(?:\[(?P<ts1>" + TIMESTAMP + r")\][ \t]*|(?P<ts2>" + TIMESTAMP + r")[ \t]+)?"
    r"(?:\*\*)?(?P<name>" + NAME + r")(?:\*\*)?"
    r"(?:[ \t]*\((?P<ts3>" + TIMESTAMP + r")\))?"
    r"[ \t]?:(?:\*\*)?(?![/\d])[ \t]*(?P<rest>.*)$"
)
# Otter: "Name  0:35" or "**Name**  0:35" alone on its line.
OTTER = re.compile(
    r"^\s*(?:\*\*)?(?P<name>" + NAME + r")(?:\*\*)?[ \t]+(?P<ts>" + TIMESTAMP + r")[ \t]*$"
)
# A quote ending in a role tag: '"I felt heard." ~Parent'. No leading "[ \t]*": searched
# from every space of a long run of spaces it would be quadratic; callers rstrip instead.
ROLE_TAG = re.compile(r"~[ \t]*(?P<tag>[^\W\d_][\w\-]{0,30})[ \t]*$")

# Words that, alone before a colon, are sentence openers rather than speakers.
_NOT_SPEAKERS = {
    "note", "notes", "example", "e.g", "i.e", "update", "answer", "question", "re",
    "subject", "date", "time", "location", "duration", "title", "summary", "http",
    "https", "warning", "ps", "nb", "tip", "important", "quote", "source",
}
# Generic labels that are speakers even if they appear once.
_GENERIC = re.compile(
    r"^(?:speaker|participant|respondent|interviewer|interviewee|moderator|facilitator|"
    r"observer|p|hp|parent|teen|patient|doctor|nurse|mum|mom|dad|mother|father|unknown)"
    r"[ \t]*\d*$",
    re.IGNORECASE,
)


def seconds(stamp: str | None) -> float | None:
    """'1:02:03.5' → 3723.5; '0:35' → 35.0; None → None."""
    if not stamp:
        return None
    parts = stamp.replace(",", ".").split(":")
    total = 0.0
    for part in parts:
        total = total * 60 + float(part)
    return total


# Labels repeat on every turn: caching the checks is most of a large import's label cost.
@lru_cache(maxsize=8192)
def clean_label(name: str) -> str:
    """Collapse inner whitespace and drop Markdown bold markers."""
    return " ".join(name.replace("**", "").split())


@lru_cache(maxsize=8192)
def plausible(name: str) -> bool:
    """Whether a label candidate is name-shaped enough to be a speaker."""
    if len(name) > 48:
        return False
    if name.lower().rstrip(".") in _NOT_SPEAKERS:
        return False
    words = name.split()
    if not words or not words[0][0].isupper():  # "[ ]" in a caption has an empty name
        return False
    return all(
        w[0].isupper() or w[0].isdigit() or w[0] == "(" or _PARTICLE_RE.fullmatch(w)
        for w in words[1:]
    )


@lru_cache(maxsize=8192)
def plausible_display_name(name: str) -> bool:
    """Whether a caption cue's label can be a video-call display name: any case, since
    people type their own ("jsmith", "dr. melissa ko"), but at most four words."""
    if plausible(name):
        return True
    if len(name) > 48 or name.lower().rstrip(".") in _NOT_SPEAKERS:
        return False
    words = name.split()
    return 0 < len(words) <= 4 and all(w[0].isalnum() or w[0] == "(" for w in words)


# Where a label's colon can be at the latest: a timestamp prefix, "**", a 48-character
# name and a "(00:03:18)" suffix. Lines with their first colon further in skip the regex.
_MAX_COLON = 90


def match_inline(line: str):
    """``INLINE.match(line)``, skipped cheaply for lines that cannot hold a label."""
    colon = line.find(":")
    if colon < 0 or colon > _MAX_COLON:
        return None
    return INLINE.match(line)


def match_otter(line: str):
    """``OTTER.match(line)``, skipped cheaply unless the line ends with a digit."""
    end = line.rstrip()[-1:]
    return OTTER.match(line) if end.isdigit() else None


def accepted_labels(candidates: Counter, blocks: int, known: set[str],
                    display_names: bool = False) -> set[str]:
    """Decide which label candidates are real speakers.

    A candidate is a speaker if it recurs, is a known label (roster, role name or a
    generic label like "Speaker 2"), or is in capitals; and when most blocks of the
    file start with a candidate the file is label-driven, so every candidate counts
    (a participant who speaks once is still a participant). With ``display_names``
    (caption cues) a label-driven file's labels may be in any case: Zoom writes each
    participant's display name as they typed it.
    """
    if display_names:
        names = {c: n for c, n in candidates.items() if plausible_display_name(c)}
        if blocks and sum(names.values()) >= 0.6 * blocks:
            # A lower-case one must recur: "and so: we went" once is a sentence, not a name.
            return {c for c, n in names.items() if n >= 2 or plausible(c)}
    plausible_ones = {c: n for c, n in candidates.items() if plausible(c)}
    labelled_blocks = sum(plausible_ones.values())
    if blocks and labelled_blocks >= 0.6 * blocks:
        return set(plausible_ones)
    known_lower = {k.lower() for k in known}
    return {
        c
        for c, n in plausible_ones.items()
        if n >= 2 or c.lower() in known_lower or _GENERIC.match(c) or (c.isupper() and len(c) > 1)
    }
