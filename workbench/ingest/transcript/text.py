"""Plain text and Markdown transcripts, whatever produced them.

Handles ``Name: text``; a label alone on its line with the words below it
(transcription services, text extracted from PDF with hard-wrapped sentences and
whitespace-only lines); ``NAME:``; ``[00:01:23] Name: text``; Rev's
``Speaker 1 (00:03:18):``; Otter's ``Name  0:35`` (also ``**Name**``) and its
closing ``Transcribed by`` line; ``Interviewer1 : text``; quotes ending in a role
tag such as ``~HP``; and text with no labels at all (one comment per paragraph,
speaker unknown).
"""

from __future__ import annotations

import json
import re
from collections import Counter

from workbench.errors import TranscriptError
from workbench.ingest.transcript import labels as L
from workbench.ingest.transcript.model import ParsedTranscript, Turn
from workbench.ingest.transcript.pages import drop_page_furniture

_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")
_TRANSCRIBED_BY = re.compile(r"^\s*Transcribed by\b", re.IGNORECASE)
_LETTER = re.compile(r"[^\W\d_]")
_CSV_LINE = re.compile(r"^[^,\t]*(?:[,\t][^,\t]*){2,}$")
_NEWLINE = re.compile(r"\r\n|\r|\n")
# Line boundaries of str.splitlines that are not line ends in an editor.
_OTHER_BREAKS = re.compile("[\v\f\x1c\x1d\x1e\x85\u2028\u2029]")

# Per-line classification.
_BLANK, _BODY, _LABEL = 0, 1, 2


def parse_text(
    text: str, filename: str, encoding: str, known: set[str] = frozenset(), kind: str = "text"
) -> ParsedTranscript:
    """Split a plain-text transcript into speaker turns."""
    lines = split_lines(text)
    while lines and not lines[-1].strip():
        lines.pop()
    # Otter ends every export with "Transcribed by https://otter.ai".
    otter_footer = bool(lines) and bool(_TRANSCRIBED_BY.match(lines[-1]))
    if otter_footer:
        lines.pop()
    lines, page_warnings = drop_page_furniture(
        lines, lambda line: (found[0], found[3]) if (found := _match_label(line)) else None)
    _refuse_structured(text, filename)
    if not _LETTER.search(text):
        raise TranscriptError(
            f"{filename}: no recognisable transcript structure: the file has no words "
            "(no letters at all)"
        )

    matches: list[tuple[str, str, str | None, str] | None] = []  # (name, style, stamp, rest)
    candidates: Counter = Counter()
    standalone: set[str] = set()
    blocks = 0
    prev_blank = True
    for line in lines:
        if not line.strip():
            matches.append(None)
            prev_blank = True
            continue
        found = _match_label(line)
        if found:
            candidates[found[0]] += 1
            if found[1] in ("otter", "alone"):
                standalone.add(found[0])
            blocks += 1
        elif prev_blank:
            blocks += 1
        matches.append(found)
        prev_blank = False

    accepted = L.accepted_labels(candidates, blocks, set(known) | standalone)
    if accepted:
        turns, warnings, styles = _labelled_turns(lines, matches, accepted, filename)
        style = _describe(styles, otter_footer)
    else:
        turns, warnings = _unlabelled_turns(lines)
        style = "role-tagged quotes" if any(t.speaker for t in turns) else "no speaker labels"
    if not turns:
        what = "speaker labels but no words after any of them" if accepted else "no words to import"
        raise TranscriptError(f"{filename}: no recognisable transcript structure: {what}")
    return ParsedTranscript(format=f"{kind} ({style})", encoding=encoding, turns=turns,
                            warnings=page_warnings + warnings)


def _match_label(line: str) -> tuple[str, str, str | None, str] | None:
    m = L.match_inline(line)
    if m:
        name = L.clean_label(m["name"])
        rest = m["rest"].strip()
        stamp = m["ts1"] or m["ts2"] or m["ts3"]
        style = "alone" if not rest else "inline"
        if m["ts3"]:
            style = "rev" if not rest else "inline"
        elif stamp:
            style = "timestamped"
        return (name, style, stamp, rest) if L.plausible(name) else None
    m = L.match_otter(line)
    if m:
        name = L.clean_label(m["name"])
        return (name, "otter", m["ts"], "") if L.plausible(name) else None
    return None


def _labelled_turns(lines, matches, accepted, filename):
    turns: list[Turn] = []
    warnings: list[str] = []
    styles: Counter = Counter()
    body: list[str] = []
    current: Turn | None = None
    header_lines: list[int] = []

    def flush():
        if current is None:
            return
        current.text = join_lines(body)
        _take_role_tag(current)
        if current.text:
            turns.append(current)
        else:
            warnings.append(f"line {current.line}: speaker {current.speaker!r} has no words; skipped")

    for number, (line, found) in enumerate(zip(lines, matches), start=1):
        if found and found[0] in accepted:
            flush()
            name, style, stamp, rest = found
            styles[style] += 1
            current = Turn(speaker=name, text="", start=L.seconds(stamp), line=number)
            body = [rest] if rest else []
        elif current is None:
            if line.strip():
                header_lines.append(number)
        else:
            body.append(line)
    flush()
    if header_lines:
        first, last = header_lines[0], header_lines[-1]
        span = f"line {first}" if first == last else f"lines {first}-{last}"
        warnings.insert(
            0,
            f"{span}: text before the first speaker label is not a comment (kept in the "
            "stored transcript, not coded)",
        )
    return turns, warnings, styles


def _unlabelled_turns(lines):
    """Paragraphs become comments of speaker unknown; role-tagged quotes keep their tag."""
    turns: list[Turn] = []
    paragraph: list[str] = []
    start = 0

    def flush():
        if paragraph:
            turn = Turn(speaker=None, text=join_lines(paragraph), line=start)
            if _take_role_tag(turn):
                turn.speaker = turn.role_tag
            if turn.text:
                turns.append(turn)
        paragraph.clear()

    for number, line in enumerate(lines, start=1):
        if not line.strip():
            flush()
            continue
        if not paragraph:
            start = number
        paragraph.append(line)
        if "~" in line and L.ROLE_TAG.search(line):  # a quote list: each tagged line ends a quote
            flush()
    flush()
    warnings = []
    unknown = sum(1 for t in turns if not t.speaker)
    if unknown:
        warnings.append(
            f"no speaker labels found: {unknown} paragraph(s) imported as comments of speaker "
            "'unknown'; assign speakers before coding if the source has them"
        )
    return turns, warnings


def _take_role_tag(turn: Turn) -> bool:
    if "~" not in turn.text:
        return False
    m = L.ROLE_TAG.search(turn.text)
    if not m:
        return False
    turn.role_tag = m["tag"]
    turn.text = turn.text[: m.start()].rstrip()
    return True


def split_lines(text: str) -> list[str]:
    """Lines as an editor numbers them: only CR/LF end a line.

    ``str.splitlines`` also breaks at form feeds (PDF page breaks), vertical tabs and
    U+2028, which would shift every line number reported after them. Where none of
    those occur, the much faster ``str.splitlines`` gives the same lines.
    """
    if _OTHER_BREAKS.search(text) is None:
        lines = text.splitlines()
        if text.endswith(("\n", "\r")):
            lines.append("")  # re.split keeps the empty last line; callers strip it anyway
        return lines
    return _NEWLINE.split(text)


def join_lines(lines: list[str]) -> str:
    """Join hard-wrapped lines back into sentences.

    A blank or whitespace-only line starts a new paragraph only where the text
    before it ends a sentence; elsewhere (a PDF page break mid-sentence) it is
    dropped, so no line break is ever left inside a sentence. Runs of whitespace
    inside a line (PDF layout, tabs, form feeds) become one space. Pieces are
    collected in a list, not concatenated: a long monologue must stay linear.
    """
    pieces: list[str] = []
    prev = ""  # the previous non-blank line
    gap = False
    for raw in lines:
        line = raw.strip()
        # isprintable() is False for any whitespace but the space: a cheap test for the
        # rare line that needs its whitespace collapsed.
        if "  " in line or not line.isprintable():
            line = " ".join(line.split())
        if not line:
            gap = True
            continue
        if not prev:
            pieces.append(line)
        elif gap and _SENTENCE_END.search(prev):
            pieces.append("\n" + line)
        elif prev.endswith("-") and prev[-2:-1].isalpha() and line[:1].islower():
            pieces.append(line)  # "self-\ndetermined" → "self-determined"
        else:
            pieces.append(" " + line)
        prev, gap = line, False
    return "".join(pieces)


def _describe(styles: Counter, otter_footer: bool) -> str:
    names = {
        "inline": "Name: text",
        "alone": "labels on their own lines",
        "timestamped": "timestamped labels",
        "rev": "Rev labels with times",
        "otter": "Otter",
    }
    if otter_footer and "otter" not in styles:
        styles["otter"] += 1
    return ", ".join(names[s] for s, _ in styles.most_common())


def _refuse_structured(text: str, filename: str) -> None:
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
    if head.startswith("<") and re.match(r"<(\?xml|!doctype|html|[a-zA-Z][\w:-]*[\s>])", head, re.I):
        raise TranscriptError(
            f"{filename}: no recognisable transcript structure: this is XML/HTML markup; "
            "export the transcript as text, WebVTT, SRT or .docx"
        )
    sample = [line for line in text.splitlines()[:20] if line.strip()]
    if len(sample) >= 3 and all(_CSV_LINE.match(line) for line in sample):
        separators = {line.count(",") + line.count("\t") for line in sample}
        if len(separators) == 1 and ":" not in sample[0]:
            raise TranscriptError(
                f"{filename}: no recognisable transcript structure: this looks like a "
                "CSV/TSV table; a roster goes in --roster, codings in `workbench codings import`"
            )
