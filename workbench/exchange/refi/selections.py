"""Selections → codings: each coded selection codes one comment, by the overlap rule.

Each comment is located in the source text; for each ``PlainTextSelection`` the
coverage of a comment is the share of the comment's characters the selection
covers (``COVERAGE`` = 50%):

* a selection touching one comment only codes that comment (a quote inside a
  long turn codes the turn);
* a selection touching several comments codes the one comment it covers at
  least half of, if exactly one; if it covers half or more of several comments
  (e.g. a comment and a half) or of none, it is **ambiguous**: reported with its
  position, text and the coverage of each comment, and not imported;
* a selection touching no comment is reported as unmapped, with its lines and
  the comments it lies between, and why: only speaker labels or blank lines, or
  text the parser did not read as a comment (no speaker label: a title or date
  block such as NVivo's opening lines).

Users become coders (``agreed`` becomes the agreed coding). One user's codes on
one comment make one coding; two categories on one comment are reported and not
imported (their memo and flags are). Every coding is written with an audit row.
"""

from __future__ import annotations

import bisect
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.errors import WorkbenchError
from workbench.exchange.refi.codebook import CodebookPlan
from workbench.exchange.refi.qdaxml import _child, _children, norm_guid
from workbench.exchange.refi.sources import _Note, _Source
from workbench.store import Store

if TYPE_CHECKING:
    from workbench.exchange.refi.importer import ImportReport


# A selection touching several comments codes the one it covers at least this share of.
COVERAGE = 0.5
# Comments whose coverage a selection reports (a selection over more is ambiguous anyway).
_MEASURED = 10


def _locate(source: str, texts: list[str]) -> list[tuple[int, int] | None]:
    """Each comment's (start, end) in the source text, in order; None where it cannot be found.

    Whitespace is compared collapsed (the parser joins wrapped lines); a comment the
    parser changed otherwise is found by its first and last 40 characters.
    """
    chars, index = [], []
    pending = False
    for i, ch in enumerate(source):
        if ch.isspace():
            pending = True
            continue
        if pending and chars:
            chars.append(" ")
            index.append(i - 1)
        pending = False
        chars.append(ch)
        index.append(i)
    norm = "".join(chars)
    spans: list[tuple[int, int] | None] = []
    cursor = 0
    for text in texts:
        wanted = " ".join(text.split())
        if not wanted:
            spans.append(None)
            continue
        at = norm.find(wanted, cursor)
        end = at + len(wanted) if at >= 0 else -1
        if at < 0 and len(wanted) > 80:
            head, tail = wanted[:40], wanted[-40:]
            at = norm.find(head, cursor)
            tail_at = norm.find(tail, at + len(head)) if at >= 0 else -1
            end = tail_at + len(tail) if tail_at >= 0 else -1
            if end < 0:
                at = -1
        if at < 0:
            spans.append(None)
            continue
        spans.append((index[at], index[end - 1] + 1))
        cursor = end
    return spans


def map_selection(start: int, end: int, spans: list[tuple[int, int, int]],
                  bounds: tuple[list[int], list[int]] | None = None) -> tuple[int | None, list[tuple[int, float]]]:
    """Apply the overlap rule. ``spans`` are sorted (start, end, comment id); returns the comment
    the selection codes (None if unmapped or ambiguous) and the coverage of each comment it touches.
    ``bounds``, the spans' starts and ends, may be given once for many selections of a source."""
    starts, ends = bounds[:2] if bounds else ([s[0] for s in spans], [s[1] for s in spans])
    first = bisect.bisect_right(ends, start)
    last = bisect.bisect_left(starts, end)
    # Touching five or more comments, it covers the three inside whole: ambiguous. Only the first
    # few are measured, so a file of selections over everything costs no more than any other.
    touched = []
    for a, b, comment_id in spans[first:min(last, first + _MEASURED)]:
        overlap = min(b, end) - max(a, start)
        if overlap > 0 and b > a:
            touched.append((comment_id, overlap / (b - a)))
    if len(touched) == 1:
        return touched[0][0], touched
    covered = [c for c, share in touched if share >= COVERAGE]
    return (covered[0] if len(covered) == 1 else None), touched


def _coder_names(users: list[ET.Element], report: ImportReport) -> dict[str, str]:
    from workbench.coding.coder import AGREED, name_from_label, validate_name

    names: dict[str, str] = {}
    taken: set[str] = set()
    taken_names: set[str] = set()
    for user in users:
        guid = norm_guid(user.get("guid"))
        if guid is None or guid in names:
            continue
        raw = " ".join((user.get("name") or user.get("id") or "").split())
        if raw.lower() == AGREED:
            name = AGREED
        else:
            try:  # refused: the reserved name or one like it, and a name like an earlier user's
                name = validate_name(name_from_label(raw), sorted(taken_names))
            except WorkbenchError as exc:
                name = f"user_{guid[:8]}"
                report.warnings.append(f"user {raw!r} ({guid}): not a usable coder name ({exc}); imported as {name!r}")
        base, n = name, 2
        while name.lower() in taken:
            name = f"{base[:37]}_{n}"
            n += 1
        taken.add(name.lower())
        taken_names.add(name)
        names[guid] = name
        report.coders[raw if raw and raw not in report.coders else f"{raw} [{guid}]"] = name
    return names


def _import_codings(store: Store, root: ET.Element, sources: list[_Source], notes: dict[str, _Note],
                    plan: CodebookPlan, path: Path, report: ImportReport) -> None:
    from workbench.coding.coder import AGREED
    from workbench.coding.session import Coding, codings_by_comment, write_coding

    users = _children(_child(root, "Users"), "User")
    coder_of = _coder_names(users, report)
    default_user = norm_guid(root.get("creatingUserGUID"))
    theme_order = {t.key: i for i, t in enumerate(plan.themes)}
    takes = {c["key"]: bool(c["takes_themes"]) for c in store.categories()}
    # (user guid, comment id) → codes, memos
    applied: dict[tuple[str | None, int], dict] = {}
    refs: dict[int, tuple[str, bool]] = {}
    used_notes: set[str] = set()
    for source in sources:
        comments = source.comments
        if not comments:
            if source.selections:
                report.problems.append(f"source {source.name!r}: {len(source.selections)} selection(s) not "
                                       "imported (the source was not imported)")
            continue
        spans_found = source.spans or _locate(source.text, [c[2] for c in comments])
        missing = [c[1] for c, s in zip(comments, spans_found) if s is None]
        if missing:
            report.warnings.append(f"source {source.name!r}: comment(s) {', '.join(missing)} could not be located "
                                   "in the source text; selections over them are reported as unmapped or ambiguous")
        spans = sorted((s[0], s[1], c[0]) for c, s in zip(comments, spans_found) if s is not None)
        bounds = ([s[0] for s in spans], [s[1] for s in spans])
        for c in comments:
            refs[c[0]] = (c[1], bool(c[3]))
        if source.whole_codings:
            report.problems.append(f"source {source.name!r}: {source.whole_codings} coding(s) of the whole source "
                                   "not imported (the unit is a comment)")
        for sel in source.selections:
            where = {"source": source.name, "selection": sel.name or sel.guid, "start": sel.start, "end": sel.end,
                     "text": _snippet(source.text, sel.start, sel.end)}
            if not 0 <= sel.start < sel.end <= len(source.text):
                reason = (f"positions outside the text ({len(source.text)} code points)"
                          if not 0 <= sel.start <= sel.end <= len(source.text) else "an empty selection")
                if sel.codings or sel.notes:
                    report.unmapped.append({**where, "reason": reason})
                continue
            comment_id, touched = map_selection(sel.start, sel.end, spans, bounds)
            where["coverage"] = {refs[c][0]: round(share, 2) for c, share in touched}
            codes = [(code, user) for code, user in sel.codings]
            if comment_id is None:
                if not sel.codings and not sel.notes:
                    continue
                where["codes"] = sorted({_code_label(plan, code) for code, _ in codes})
                if touched:
                    where["reason"] = ("covers half or more of several comments" if
                                       sum(share >= COVERAGE for _, share in touched) > 1 else
                                       "covers less than half of each comment it touches")
                    report.ambiguous.append(where)
                else:
                    if len(bounds) == 2:  # the line breaks, once per source that needs them
                        bounds = (*bounds, [m.start() for m in re.finditer("\n", source.text)])
                    where["reason"] = _outside(source.text, sel.start, sel.end, spans, refs, bounds)
                    report.unmapped.append(where)
                continue
            report.mapped_selections += 1
            for code, user in codes:
                user = user or default_user
                entry = applied.setdefault((user, comment_id), {"codes": [], "memos": []})
                entry["codes"].append(code)
            for note_guid in sel.notes:
                note = notes.get(note_guid)
                if note is None or not note.text:
                    continue
                used_notes.add(note_guid)
                user = note.user or sel.user or default_user
                entry = applied.setdefault((user, comment_id), {"codes": [], "memos": []})
                if note.text not in entry["memos"]:
                    entry["memos"].append(note.text)
    loose = [g for g, n in notes.items() if g not in used_notes and n.text]
    if loose:
        report.warnings.append(f"{len(loose)} note(s) not attached to a coded selection were not imported")

    unknown_codes: set[str] = set()
    results: dict[tuple[str | None, int], Coding] = {}
    for (user, comment_id), entry in applied.items():
        categories, themes, flags = [], [], set()
        for code in entry["codes"]:
            meaning = plan.codes.get(code)
            if meaning is None:
                unknown_codes.add(code or "(none)")
                continue
            kind, key, implied = meaning
            if kind == "category" and key not in categories:
                categories.append(key)
            elif kind == "theme":
                if key not in themes:
                    themes.append(key)
                if implied and implied not in categories:
                    categories.append(implied)
            elif kind == "flag":
                flags.add(key)
        ref = refs[comment_id][0]
        who = coder_of.get(user) if user else None
        category = None
        if len(categories) > 1:
            report.problems.append(f"{ref}: {who or 'a user'} applied several categories ({', '.join(categories)}); "
                                   "category and themes not imported")
            themes = []
        elif categories:
            category = categories[0]
            if themes and not takes.get(category):
                report.problems.append(f"{ref}: themes {', '.join(themes)} not imported: category {category} takes none")
                themes = []
        elif themes:
            report.problems.append(f"{ref}: themes {', '.join(themes)} without a category not imported")
            themes = []
        results[(user, comment_id)] = Coding(category, tuple(sorted(themes, key=theme_order.get)),
                                             "\n\n".join(entry["memos"]), "unsure" in flags, "exemplar" in flags)
    if unknown_codes:
        report.problems.append(f"{len(unknown_codes)} code(s) used by codings are not in the codebook: "
                               + ", ".join(sorted(unknown_codes)[:10]))

    note = f"from {path.name}"
    with store.transaction():
        coders: dict[str | None, dict] = {}

        def coder_for(user: str | None) -> dict:
            if user not in coders:
                name = coder_of.get(user) if user else None
                if name is None:
                    name = f"user {user[:8]}" if user else "imported"
                    coder_of[user] = name
                    report.coders[user or "(no user)"] = name
                coder = store.coder_named(name)
                if coder is None:
                    coder = store.add_coder(name, "agreed" if name == AGREED else "coder")
                    store.audit("create", "coder", name, after={"name": name}, note=note)
                coders[user] = coder
            return coders[user]

        for guid in list(coder_of):
            coder_for(guid)
        current: dict[int, dict] = {}
        excluded = 0
        for (user, comment_id), coding in results.items():
            if coding.empty:
                continue
            coder = coder_for(user)
            if coder["id"] not in current:  # read once per coder (setdefault would read it for every coding)
                current[coder["id"]] = codings_by_comment(store, coder["id"])
            before = current[coder["id"]].get(comment_id, Coding())
            ref, is_excluded = refs[comment_id]
            excluded += is_excluded
            write_coding(store, coder, comment_id, ref, before, coding, "import", note=note)
            if coder["kind"] == "agreed":
                store.save_reconciliation(comment_id, "imported", note, [], coder["name"])
            report.codings[coder["name"]] = report.codings.get(coder["name"], 0) + 1
        if excluded:
            report.warnings.append(f"{excluded} coding(s) are on comments excluded from coding (e.g. a "
                                   "facilitator's); they are imported but not counted in tables")
        store.audit("import", "qdpx", path.name, after={
            "origin": report.origin, "sources": len(report.sources), "skipped_sources": len(report.skipped_sources),
            "skipped_notes": len(report.skipped_notes),
            "codings": report.codings, "ambiguous": len(report.ambiguous), "unmapped": len(report.unmapped),
            "problems": len(report.problems)})


def _outside(text: str, start: int, end: int, spans: list[tuple[int, int, int]], refs: dict, bounds) -> str:
    """Why a selection touching no comment was not mapped, and where it is: its lines, and
    before, between or after which comments (e.g. NVivo's opening block of title and date).
    ``bounds``: the spans' starts and ends and the text's line breaks (each sorted), so each
    selection costs a few bisections, whatever the number of comments and selections."""
    starts, ends, breaks = bounds
    first, last = bisect.bisect_left(breaks, start) + 1, bisect.bisect_left(breaks, max(start, end - 1)) + 1
    lines = f"line {first}" if first == last else f"lines {first}-{last}"
    before = bisect.bisect_right(ends, start)  # spans ending at or before start
    after = bisect.bisect_left(starts, end)  # the first span starting at or after end
    place = ("before the first comment" if not before else "after the last comment" if after == len(spans)
             else f"between {refs[spans[before - 1][2]][0]} and {refs[spans[after][2]][0]}")
    if end - start <= 4096 and all(not line.strip() or (line.strip().endswith(":") and len(line.strip()) <= 80)
                                   for line in text[start:end].splitlines()):
        return f"touches no comment: only speaker labels or blank lines ({lines}, {place})"
    return (f"covers text at {lines}, {place}, that was not read as a comment: it has no speaker label "
            "(a title, date or heading block, for instance), so there is no comment to code")


def _code_label(plan: CodebookPlan, code: str | None) -> str:
    meaning = plan.codes.get(code)
    return f"{meaning[0]} {meaning[1]}" if meaning else f"unknown code {code}"


def _snippet(text: str, start: int, end: int, width: int = 60) -> str:
    start = max(start, 0)
    piece = " ".join(text[start:min(max(end, 0), start + width * 8)].split())  # never the whole of a long one
    return piece if len(piece) <= width and end - start <= width * 8 else piece[: width - 1] + "…"

