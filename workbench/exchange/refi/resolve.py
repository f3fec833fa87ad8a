"""Placed selections → codings: users resolved to coders, codes to categories and themes.

Users become coders (``agreed`` becomes the agreed coding), except a program's own user: ATLAS.ti
writes a user named ``ATLAS.ti`` beside the people, and other programs may do the same. A user
is the program's own when its name is a QDA program's (:data:`PROGRAMS`) or the program named
by the project's ``origin`` (``ATLAS.ti 8.4.0 ...`` → ``ATLAS.ti``), compared without case,
spaces, dots or hyphens; it is not a coder, and codings it made (automatic coding) are
reported, not imported.

One user's codes on one comment make one coding; two categories on one comment are reported
and not imported (their memo and flags are).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from workbench.errors import CodingRuleError, WorkbenchError

if TYPE_CHECKING:
    from workbench.coding.session import Coding
    from workbench.exchange.refi.codebook import CodebookPlan
    from workbench.exchange.refi.mapping import Placed
    from workbench.exchange.refi.report import ImportReport
    from workbench.exchange.refi.sources import NoteRecord
    from workbench.store.codebook import Codebook

# Programs that write REFI-QDA projects, as their own users may be named. Not Workbench (its
# exports carry coders only, and a coder may be called anything) nor names people have.
PROGRAMS = (
    "ATLAS.ti",
    "NVivo",
    "MAXQDA",
    "QualCoder",
    "Dedoose",
    "f4analyse",
    "Quirkos",
    "QDA Miner",
    "Transana",
    "Taguette",
    "webQDA",
    "Kwalitan",
)


def _folded(name: str) -> str:
    return re.sub(r"[\s.\-_]+", "", name).casefold()


def origin_program(origin: str) -> str:
    """``"ATLAS.ti 8.4.0 573 , macOS ..."`` → ``"ATLAS.ti"``: the words before its version."""
    words = []
    for word in origin.split():
        if word[:1].isdigit() or word.startswith(("v1", "v2", "(")):
            break
        words.append(word)
    return " ".join(words).strip(" ,;")


def is_program_user(name: str, origin: str) -> bool:
    """Whether a user named ``name`` is the program itself: a QDA program's name, or the name of
    the program in ``origin`` (``NVivo for Windows 12.6``: ``NVivo for Windows`` or ``NVivo``)."""
    program = origin_program(origin)
    names = {*PROGRAMS, program, program.split(" for ")[0]} - {""}
    return bool(_folded(name)) and _folded(name) in {_folded(p) for p in names}


def coder_names(
    users: list[tuple[str, str]], origin: str, report: ImportReport
) -> tuple[dict[str, str], set[str]]:
    """User GUID → coder name, and the GUIDs of program users (who are not coders)."""
    from workbench.coding.coder import AGREED, name_from_label, validate_name

    names: dict[str, str] = {}
    programs: set[str] = set()
    taken: set[str] = set()
    taken_names: set[str] = set()
    for guid, raw in users:
        if guid in names or guid in programs:
            continue
        if is_program_user(raw, origin):
            programs.add(guid)
            wrote = " (the program that wrote the file)" if _folded(raw) in _folded(origin) else ""
            report.program_users.append(
                f"{raw}: the program's own user, named as a QDA program{wrote}"
            )
            continue
        if raw.lower() == AGREED:
            name = AGREED
        else:
            try:  # refused: the reserved name or one like it, and a name like an earlier user's
                name = validate_name(name_from_label(raw), sorted(taken_names))
            except WorkbenchError as exc:
                name = f"user_{guid[:8]}"
                report.warnings.append(
                    f"user {raw!r} ({guid}): not a usable coder name ({exc}); imported as {name!r}"
                )
        base, n = name, 2
        while name.lower() in taken:
            name = f"{base[:37]}_{n}"
            n += 1
        taken.add(name.lower())
        taken_names.add(name)
        names[guid] = name
        report.coders[raw if raw and raw not in report.coders else f"{raw} [{guid}]"] = name
    return names, programs


def resolve(
    placed: list[Placed],
    plan: CodebookPlan,
    notes: dict[str | None, NoteRecord],
    default_user: str | None,
    programs: set[str],
    comment_refs: dict[int, str],
    coder_of: dict[str, str],
    book: Codebook,
    report: ImportReport,
) -> dict[tuple[str | None, int], Coding]:
    """(user GUID, comment id) → the coding that user's selections give the comment; ``book``
    (the new project's codebook) says by its one rule which themes a coding may keep."""
    from workbench.coding.session import Coding

    applied: dict[tuple[str | None, int], dict] = {}
    used_notes: set[str] = set()
    by_program = 0
    for item in placed:
        sel = item.selection
        for code, user in sel.codings:
            user = user or default_user
            if user in programs:
                by_program += 1
                continue
            applied.setdefault((user, item.comment_id), {"codes": [], "memos": []})["codes"].append(
                code
            )
        memos = [(sel.user, sel.description)] if sel.description else []
        for note_guid in sel.notes:
            # (a reference without a valid GUID names no note, not one without a GUID)
            note = notes.get(note_guid) if note_guid is not None else None
            if note_guid is not None and note is not None and note.text:
                used_notes.add(note_guid)
                memos.append((note.user or sel.user, note.text))
        for user, text in memos:  # the selection's description and its notes: one memo each, once
            user = user or default_user
            if user in programs:
                continue
            entry = applied.setdefault((user, item.comment_id), {"codes": [], "memos": []})
            if text not in entry["memos"]:
                entry["memos"].append(text)
    if by_program:
        report.problems.append(
            f"{by_program} coding(s) made by the program's own user (automatic coding) are not "
            "imported: the program is not a coder"
        )
    loose = [n for g, n in notes.items() if g not in used_notes and n.text]
    if loose:
        shown = ", ".join(repr(n.name) for n in loose[:12]) + (
            f" and {len(loose) - 12} more" if len(loose) > 12 else ""
        )
        report.not_imported.append(
            f"{len(loose)} note(s) not attached to a coded selection ({shown}): a memo in "
            "Workbench belongs to a coding"
        )

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
        ref = comment_refs[comment_id]
        who = coder_of.get(user) if user else None
        category = None
        if len(categories) > 1:
            report.problems.append(
                f"{ref}: {who or 'a user'} applied several categories ({', '.join(categories)}); "
                "category and themes not imported"
            )
            themes = []
        elif categories:
            category = categories[0]
        try:  # the codebook's rule: e.g. themes on a category that takes none, or no category
            book.check(Coding(category, tuple(themes)))
        except CodingRuleError as exc:
            if not themes:
                raise  # the plan named a code the codebook does not have: a defect, not the file
            report.problems.append(f"{ref}: themes {', '.join(themes)} not imported: {exc}")
            themes = []
        results[(user, comment_id)] = Coding(
            category,
            book.ordered(themes),
            "\n\n".join(entry["memos"]),
            "unsure" in flags,
            "exemplar" in flags,
        )
    if unknown_codes:
        report.problems.append(
            f"{len(unknown_codes)} code(s) used by codings are not in the codebook: "
            + ", ".join(sorted(unknown_codes)[:10])
        )
    return results


def code_label(plan: CodebookPlan, code: str | None) -> str:
    meaning = plan.codes.get(code) if code is not None else None
    return f"{meaning[0]} {meaning[1]}" if meaning else f"unknown code {code}"
