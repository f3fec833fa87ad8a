"""Plain text and Markdown transcripts, whatever produced them.

Every label style people write (``lines.py``: ``Name: text``, a label alone on its line
with the words below, ``NAME:``, ``p3:``, ``[00:01:23] Name: text``, Rev's ``Speaker 1
(00:03:18):``, Otter's ``Name  0:35`` and its closing ``Transcribed by`` line, ``**Name**``,
``Name | Org:``, ``[id1] text``, ``Name - text``, Zoom chat logs), read by the file's own
decision (``rules.py``) after its header block (``preamble.py``); quotes ending in a role
tag such as ``~HP``; and text with no labels at all (one comment per paragraph, speaker
unknown). Text extracted from PDF has its page furniture left out (``pages.py``) and its
hard-wrapped sentences joined again.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Set

from workbench.errors import TranscriptError
from workbench.ingest.transcript import lines as R
from workbench.ingest.transcript.model import ParsedTranscript
from workbench.ingest.transcript.pages import drop_page_furniture
from workbench.ingest.transcript.preamble import find_header, leader_of
from workbench.ingest.transcript.rules import STYLE_NAMES, decide
from workbench.ingest.transcript.turns import build, join_lines, take_role_tag

__all__ = ["parse_text", "split_lines", "join_lines", "take_role_tag", "line_offsets"]

_TRANSCRIBED_BY = re.compile(r"^\s*Transcribed by\b", re.IGNORECASE)
_LETTER = re.compile(r"[^\W\d_]")
_CSV_LINE = re.compile(r"^[^,\t]*(?:[,\t][^,\t]*){2,}$")
_NEWLINE = re.compile(r"\r\n|\r|\n")
# Line boundaries of str.splitlines that are not line ends in an editor.
_OTHER_BREAKS = "\v\f\x1c\x1d\x1e\x85\u2028\u2029"


def _plain(text: str) -> bool:
    """Whether only CR and LF break lines in ``text`` (eight ``in`` scans: ~50 times faster
    than a character-class regex over a transcript)."""
    return not any(c in text for c in _OTHER_BREAKS)


def parse_text(
    text: str, filename: str, encoding: str, known: Set[str] = frozenset(), kind: str = "text"
) -> ParsedTranscript:
    """Split a plain-text transcript into speaker turns, each with its span in ``text``."""
    plain = _plain(text)
    lines = split_lines(text, plain)
    starts = line_offsets(text, lines, plain)  # before page furniture is blanked
    while lines and not lines[-1].strip():
        lines.pop()
    # Otter ends every export with "Transcribed by https://otter.ai".
    otter_footer = bool(lines) and bool(_TRANSCRIBED_BY.match(lines[-1]))
    if otter_footer:
        lines.pop()
    lines, page_warnings = drop_page_furniture(lines, label_of, text)
    _refuse_structured(text, lines, filename)
    if not _LETTER.search(text):
        raise TranscriptError(
            f"{filename}: no recognisable transcript structure: the file has no words "
            "(no letters at all)"
        )
    header = find_header(lines)
    decided = decide(lines, known, set(header.lines))
    built = build(lines, decided, starts)
    turns = built.turns
    labelled = any(decided.styles.values())
    if not turns:
        what = "speaker labels but no words after any of them" if labelled else "no words to import"
        raise TranscriptError(f"{filename}: no recognisable transcript structure: {what}")
    warnings = page_warnings + built.warnings
    if labelled:
        style = _describe(decided.styles, otter_footer)
    else:
        style = "role-tagged quotes" if any(t.speaker for t in turns) else "no speaker labels"
        unknown = sum(1 for t in turns if not t.speaker)
        if unknown:
            warnings.append(
                f"no speaker labels found: {unknown} paragraph(s) imported as comments of speaker "
                "'unknown'; assign speakers before coding if the source has them"
            )
    parsed = ParsedTranscript(
        format=f"{kind} ({style})",
        encoding=encoding,
        turns=turns,
        warnings=warnings,
        styles=[STYLE_NAMES[s] for s, _ in decided.styles.most_common()],
        set_aside=built.set_aside,
        annotations=built.annotations,
        preamble="\n".join(lines[i].replace("\f", "") for i in sorted(built.preamble)),
    )
    for code, message, at in decided.findings + built.findings:
        parsed.warn(code, message, at)
    for speaker in dict.fromkeys(t.speaker for t in turns if t.speaker):
        why = leader_of(speaker, header.leaders)
        if why:
            parsed.facilitators[speaker] = why
    return parsed


def label_of(line: str) -> tuple[str, str] | None:
    """(label, words after it) if ``line`` opens with a name-shaped label in a strong style."""
    from workbench.ingest.transcript import labels as L

    read = R.read_line(line)
    name = read[2] if read is not None and read[0] == R.CAND else None
    if read is None or name is None or read[1] in R.WEAK or not L.plausible(name):
        return None
    return name, line[read[4] :].strip()


def line_offsets(text: str, lines: list[str], plain: bool | None = None) -> list[int]:
    """Where each of ``lines`` starts in ``text``. Where every line ends alike (one "\\n", or
    "\\r\\n") the offsets are sums of the lines' lengths, computed in C (``accumulate`` and
    ``map``, no Python step per line); else they are the line ends found."""
    from itertools import accumulate, chain
    from operator import add, mul

    plain = _plain(text) if plain is None else plain
    width = 0
    if plain and "\r" not in text:
        width = 1
    elif plain and text.count("\r\n") == text.count("\r") == text.count("\n"):
        width = 2
    if not width:
        return [0, *(m.end() for m in _NEWLINE.finditer(text))][: max(len(lines), 1)]
    ends = chain((0,), accumulate(map(len, lines)))
    breaks = range(len(lines)) if width == 1 else map(mul, range(len(lines)), [2] * len(lines))
    return list(map(add, ends, breaks))


def split_lines(text: str, plain: bool | None = None) -> list[str]:
    """Lines as an editor numbers them: only CR/LF end a line.

    ``str.splitlines`` also breaks at form feeds (PDF page breaks), vertical tabs and
    U+2028, which would shift every line number reported after them. Where none of
    those occur (``plain``, if the caller looked), the much faster ``str.splitlines``
    gives the same lines.
    """
    if plain if plain is not None else _plain(text):
        lines = text.splitlines()
        if text.endswith(("\n", "\r")):
            lines.append("")  # re.split keeps the empty last line; callers strip it anyway
        return lines
    return _NEWLINE.split(text)


def _describe(styles: Counter[str], otter_footer: bool) -> str:
    names = [STYLE_NAMES[s] for s, _ in styles.most_common()]
    if otter_footer and "otter" not in styles:
        names.append(STYLE_NAMES["otter"])
    return ", ".join(names)


def _refuse_structured(text: str, lines: list[str], filename: str) -> None:
    """Refuse data files handed over by mistake (JSON, XML/HTML, CSV)."""
    head = text.lstrip()[:200]
    if head[:1] in "{[":
        try:
            json.loads(text)
        except ValueError:
            pass
        else:
            raise TranscriptError(
                f"{filename}: no recognisable transcript structure: this is JSON data; "
                "export the transcript as text, WebVTT, SRT or .docx"
            )
    if head.startswith("<") and re.match(
        r"<(\?xml|!doctype|html|[a-zA-Z][\w:-]*[\s>])", head, re.I
    ):
        raise TranscriptError(
            f"{filename}: no recognisable transcript structure: this is XML/HTML markup; "
            "export the transcript as text, WebVTT, SRT or .docx"
        )
    sample = [line for line in lines[:20] if line.strip()]
    if len(sample) >= 3 and all(_CSV_LINE.match(line) for line in sample):
        separators = {line.count(",") + line.count("\t") for line in sample}
        if len(separators) == 1 and ":" not in sample[0]:
            raise TranscriptError(
                f"{filename}: no recognisable transcript structure: this looks like a "
                "CSV/TSV table; a roster goes in --roster, codings in `workbench codings import`"
            )
