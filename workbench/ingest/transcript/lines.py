"""One line of a transcript read on its own: a label candidate and its style, a timestamp
alone, an annotation alone, or text. Nothing here decides that a candidate is a label:
that is the file's decision (``rules.py``), made from how the candidates recur.

Styles: ``colon`` (``Name: text``, also ``Name (Org):``, ``Name | Org:``, ``**Name:**``),
``alone`` (``Name:`` with the words below), ``stamped`` (``[00:01:02] Name: text``),
``rev`` (``Speaker 1 (00:03:18):``), ``otter`` (``Name  0:35``), ``bold`` (``**Name**`` alone,
Markdown notes), ``chat`` (Zoom's ``10:02:44<tab>Name:<tab>text``), and the weak styles,
which only a file that uses them throughout can trust: ``bracket`` (``[id1] text``) and
``dash`` (``Name - text``, ``Name-<tab>text``).

Annotations (``[Music]``, ``[inaudible 00:12:03]``, ``(CROSSTALK)``, ``[ANIMATION]``) are
never names; at the start of a line they are stepped over, so a label after one is seen.
"""

from __future__ import annotations

import re
from functools import lru_cache

from workbench.ingest.transcript import labels as L

# How a line reads: (kind, style, name, stamp, col, pre), see read_line; a candidate's style and
# name are always there.
Read = tuple[int, str | None, str | None, str | None, int, int]
CandidateRead = tuple[int, str, str, str | None, int, int]
Candidate = tuple[str, str, str | None, int]  # (style, name, stamp, col)

# Line kinds (a blank line is 0).
TEXT, CAND, STAMP, ANNOT = 1, 2, 3, 4
WEAK = frozenset({"bracket", "dash"})

STAMP_ALONE = re.compile(
    r"^\s*(?:\[(?P<a>"
    + L.TIMESTAMP
    + r")\]|\((?P<b>"
    + L.TIMESTAMP
    + r")\)|(?P<c>"
    + L.TIMESTAMP
    + r"))\s*$"
)
_LEAD_ANNOTATION = re.compile(r"[ \t]*(?:\[(?P<b>[^\[\]\n]{1,80})\]|\((?P<p>[^()\n]{1,80})\))")
_WHOLE = re.compile(r"^\s*(?:\[(?P<b>[^\[\]\n]{1,80})\]|\((?P<p>[^()\n]{1,80})\))\s*$")
_BRACKET = re.compile(r"^\s*\[(?P<name>[^\[\]\n]{1,48})\][ \t]*:?[ \t]*(?P<rest>\S.*)$")
_BOLD = re.compile(r"^\s*(?:[-*+][ \t]+)?\*\*(?P<name>[^*\n:]{1,48}?)\*\*[ \t]*$")
_DASH = re.compile(
    r"^\s*(?:\*\*)?(?P<name>" + L.NAME + r")(?:\*\*)?"
    r"(?:[ \t]+[-–—][ \t]+|[ \t]*[-–—]\t[ \t]*)(?P<rest>\S.*)$"
)
# Zoom chat: "10:02:44\tAna Ruiz:\thello", "10:02:44\t From  Ana Ruiz : hello",
# "19:03:25 From Ana Ruiz to Everyone:" (the message on the lines below).
_CHAT = re.compile(
    r"^\s*(?P<ts>\d{1,2}:\d{2}(?::\d{2})?)(?:[ \t]*\t[ \t]*(?:From[ \t]+)?|[ \t]+From[ \t]+)"
    r"(?P<name>[^\t:]{1,60}?)(?:[ \t]+to[ \t]+[^\t:]{1,60}?)?[ \t]*:[ \t]*(?P<rest>.*)$"
)
_TIME_INSIDE = re.compile(L.TIMESTAMP)
_ANNOTATION_WORDS = frozenset(
    """
music musica música musique musik muziek applause applauding clapping cheering laughter laughs
laughing laugh chuckles chuckling giggles inaudible unintelligible indistinct unclear
incomprehensible crosstalk cross-talk cross talk overlapping overtalk silence pause pauses paused
noise background cough coughs coughing sighs sigh clears throat sneezes beep bleep redacted
interruption interrupted break recording audio video sound sfx bell door phone animation action
blank_audio no audio foreign language speaking inaudible end ends begins starts resumes stops
risas risa ríe aplausos ininteligible inaudible silencio pausa ruido tos risos aplausos inaudível
incompreensível silêncio rires rire applaudissements inaudible silence bruit lachen lacht
applaus unverständlich stille gelach onverstaanbaar stilte risate ride applausi incomprensibile
silenzio rumore
""".split()
)
_LETTERS = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=4096)
def is_annotation(inner: str, paren: bool = False, alone: bool = False) -> bool:
    """Whether a bracketed or parenthesised run is an annotation rather than a name: a
    parenthesis always ("Name (Org):" is read with its name, not here), a bracket whose words
    are transcription marks ("Music", "Cross Talk 3:00", "inaudible"), or a time with words;
    alone on its line, any bracket but a title-case name or a code (stage directions in
    capitals, "[door closes]")."""
    inner = inner.strip()
    if not inner or paren:
        return True
    words = [w.lower() for w in _LETTERS.findall(inner)]
    if not words:
        return False  # "[00:01:02]" is a time, "[1]" a footnote mark: neither
    if any(w in _ANNOTATION_WORDS for w in words) or _TIME_INSIDE.search(inner):
        return True
    return alone and L.shape(inner) not in ("title", "code")


def leading_annotations(line: str) -> int:
    """The column after the annotations that open ``line`` (0 if none). A time in brackets
    is no annotation ("[00:01:02] Ana:" is a stamped label); a bracket that is not one but
    stands before a label is stepped over too, so the label is seen."""
    end = 0
    while True:
        m = _LEAD_ANNOTATION.match(line, end)
        if not m:
            return end
        inner = m["b"] if m["b"] is not None else m["p"]
        if STAMP_ALONE.match(inner):
            return end
        if not is_annotation(inner, paren=m["p"] is not None):
            found = _candidate(line[m.end() :])
            if found is None or found[0] in WEAK:
                return end
        end = m.end()


def read_lines(lines: list[str]) -> list[Read]:
    """How each line reads, a blank one as ``BLANK_LINE``: :func:`read_line`, called only for
    lines that could be more than words (most lines of a transcript are words only, told in
    a few C calls: no colon, no dash, no digit at the end, a letter first)."""
    return [
        BLANK_LINE
        if not line or line.isspace()
        else _TEXT_LINE
        if (
            line[:1].isalpha()
            and ":" not in line
            and "-" not in line
            and not line[-1:].isdigit()
            and not line[-1:].isspace()
            and "–" not in line
            and "—" not in line
        )
        else read_line(line) or BLANK_LINE
        for line in lines
    ]


def read_line(line: str) -> Read | None:
    """``None`` for a blank line, else ``(kind, style, name, stamp, col, pre)``: a candidate is
    anything written where a label stands (its shape is judged by the rules); for one,
    ``col`` is the column where its words begin and ``pre`` the column after the annotations
    standing before it (0 if none)."""
    first = line[:1]
    if not first or first.isspace():
        if line.isspace() or not line:
            return None
        first = line.lstrip()[:1]
    if first.isalpha():
        # The common label, "Name: text", first; then most lines of a transcript are words:
        # nothing else a label needs (a time at its end, a dash) sends them straight to text
        # ("in" is memchr: far cheaper than a screening regex).
        last = line[-1:]
        if last.isdigit() or last.isspace():
            last = line.rstrip()[-1:]
        digit_last = last.isdigit()
        if not digit_last and line.find(":", 0, L.MAX_COLON + 1) > 0:
            m = L.INLINE.match(line)
            if m:
                return _inline(line, m)
        if not digit_last and "-" not in line and "–" not in line and "—" not in line:
            return _TEXT_LINE
        found = _candidate(line)
        return _TEXT_LINE if found is None else (CAND, *found, 0)
    pre = 0
    if first in "[(" or first.isdigit():
        m = STAMP_ALONE.match(line)
        if m:
            return (STAMP, None, None, m["a"] or m["b"] or m["c"], 0, 0)
    if first in "[(":
        pre = leading_annotations(line)
        if pre and not line[pre:].strip():
            return _ANNOT_LINE
        if not pre:
            whole = _WHOLE.match(line)
            if whole and is_annotation(
                whole["b"] or whole["p"] or "", whole["p"] is not None, alone=True
            ):
                return _ANNOT_LINE
    found = _candidate(line[pre:] if pre else line)
    if found is None:
        return (TEXT, None, None, None, 0, pre) if pre else _TEXT_LINE
    style, name, stamp, col = found
    return (CAND, style, name, stamp, pre + col, pre)


_TEXT_LINE = (TEXT, None, None, None, 0, 0)
BLANK_LINE = (0, None, None, None, 0, 0)
_ANNOT_LINE = (ANNOT, None, None, None, 0, 0)


def _inline(line: str, m: re.Match[str]) -> CandidateRead:
    """A candidate read by ``labels.INLINE``."""
    at = m.start("rest")
    stamp = m["ts1"] or m["ts2"] or m["ts3"]
    if m["ts3"]:
        style = "stamped" if at < len(line) else "rev"
    elif stamp:
        style = "stamped"
    elif line.find("**", 0, m.start("name")) >= 0:
        style = "bold"  # "**Ana**: text", "- **Ana:** text": Markdown notes
    else:
        style = "colon" if at < len(line) else "alone"
    return (CAND, style, L.clean_label(m["name"]), stamp, at, 0)


def _candidate(line: str) -> Candidate | None:
    """``(style, name, stamp, col)`` of a label candidate at the start of ``line``, or None."""
    end = line.rstrip() if line[-1:].isspace() else line
    if (
        end[-1:].isdigit() and line.find(":") > len(end) - 10
    ):  # "Name  0:35": its only colon in its time
        m = L.OTTER.match(line)
        if m:
            return ("otter", L.clean_label(m["name"]), m["ts"], len(line))
    if line[:1].isdigit() or "\t" in line[:12] or " From " in line[:24]:
        m = _CHAT.match(line)
        if m and m["name"].strip():
            name = L.clean_label(m["name"])
            if L.plausible_display_name(name):
                return ("chat", name, m["ts"], m.start("rest"))
    m = L.match_inline(line)
    if m:
        return _inline(line, m)[1:5]
    if "**" in line[:8] and end[-2:] == "**":
        m = _BOLD.match(line)
        if m:
            return ("bold", L.clean_label(m["name"]), None, len(line))
    m = L.OTTER.match(line) if end[-1:].isdigit() else None
    if m:
        return ("otter", L.clean_label(m["name"]), m["ts"], len(line))
    if line.lstrip(" \t\f")[:1] == "[":
        m = _BRACKET.match(line)
        if m and not is_annotation(m["name"]) and not STAMP_ALONE.match(f"[{m['name']}]"):
            return ("bracket", L.clean_label(m["name"]), None, m.start("rest"))
        return None
    dash = _dash_at(line[:64])
    if dash > 0:
        m = _DASH.match(line)
        if m:
            name = L.clean_label(m["name"]).rstrip("-–— ")
            return ("dash", name, None, m.start("rest")) if name else None
    return None


def _dash_at(line: str) -> int:
    """Where a dash separator could be (-1 if nowhere): checked before the regex runs."""
    for sep in (" - ", "-\t", " – ", " — ", "–\t", " -\t"):
        at = line.find(sep)
        if at >= 0:
            return at
    return -1
