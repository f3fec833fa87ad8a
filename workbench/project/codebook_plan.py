"""A codebook planned from another program's tree of codes: the nesting rule, names kept apart,
shortcuts from the keyboard, the TOML.

Codes from a REFI-QDA file (:mod:`workbench.exchange.refi.codebook`) or a CSV/XLSX codebook
(:mod:`workbench.project.codebook_table`) become a Workbench codebook by one rule: a top-level
code is a category; every code nested below it (any depth) is a theme, and coding with a
theme implies its top-level category. A category takes themes when codes are nested under it.

* Codes of the same name under different parents stay apart: each such theme carries its
  parent in its name (``Effective > Listening``, ``Ineffective > Listening``; more of the path
  where the parents' names are the same too), and :attr:`CodebookPlan.renamed` lists them.
* Keys are slugs of the names (``Role shift`` → ``role_shift``), made unique.
* Shortcuts are keys on a keyboard only (:data:`KEYBOARD`, less the screens' own keys,
  :data:`~workbench.project.codebook.RESERVED_KEYS`), categories first, then each theme its
  first letter where free; past them an entry has no shortcut (it is coded from the command
  palette), and :attr:`CodebookPlan.keyless` says which.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

# The keys a shortcut may be: digits, letters (one case: a key is taken in either case) and the
# punctuation of a US keyboard, in the order they are handed out.
KEYBOARD = "123456789" + "abcdefghijklmnopqrstuvwxyz" + "0!@#$%^&*()-=[];',./`~_+{}|:<>?"
_KEY_RE = re.compile(r"^[a-z][a-z0-9_]*$")
# How the parent is written into the name of a theme whose name another theme has too.
PATH_SEPARATOR = " > "


def slug(name: str) -> str:
    """``"Recognize other's expertise"`` → ``recognize_other_s_expertise``; always a valid key."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    key = re.sub(r"[^a-z0-9]+", "_", ascii_name.lower()).strip("_")
    if not key:
        return "code"
    return key if key[0].isalpha() else f"c_{key}"


@dataclass
class Entry:
    key: str
    name: str
    description: str
    shortcut: str | None = None
    takes_themes: bool = False
    polarity: str | None = None


@dataclass
class CodebookPlan:
    """The codebook a tree of codes maps to, and what each code means."""

    header: dict[str, Any]
    categories: list[Entry] = field(default_factory=list)
    themes: list[Entry] = field(default_factory=list)
    # code id → ("category", key, None) | ("theme", key, implied category or None)
    # | ("flag", name, None)
    codes: dict[str, tuple[str, str, str | None]] = field(default_factory=dict)
    mapping: list[str] = field(
        default_factory=list
    )  # "code path → category key" lines for the report
    notes: list[str] = field(default_factory=list)
    renamed: list[str] = field(default_factory=list)  # codes of the same name kept apart
    keyless: list[str] = field(default_factory=list)  # entries past the keyboard: no shortcut


@dataclass
class _Pending:
    code_id: str
    entry: Entry
    path: list[str]  # the code's names from the top level down, its own last
    wanted_key: str | None
    implied: Entry | None = None
    kind: str = "theme"


class PlanBuilder:
    """Collects categories and themes as a tree is walked; :meth:`finish` names, keys and
    shortcuts them once every code is known (a same-name code may come last)."""

    def __init__(self, header: dict[str, Any]):
        self.plan = CodebookPlan(header)
        self._pending: list[_Pending] = []
        self._by_wanted_key: dict[str, _Pending] = {}

    def category(
        self,
        code_id: str,
        path: list[str],
        description: str = "",
        *,
        key: str | None = None,
        shortcut: str | None = None,
        takes_themes: bool = False,
        polarity: str | None = None,
    ) -> Entry:
        entry = Entry("", path[-1] or "Unnamed code", description, shortcut, takes_themes, polarity)
        self._pending.append(_Pending(code_id, entry, path, key, kind="category"))
        self.plan.categories.append(entry)
        return entry

    def theme(
        self,
        code_id: str,
        path: list[str],
        description: str = "",
        implied: Entry | None = None,
        *,
        key: str | None = None,
        shortcut: str | None = None,
    ) -> Entry:
        """A theme; a marker's ``key`` seen before names the same theme (a Workbench export)."""
        known = self._by_wanted_key.get(key) if key else None
        if known is not None:
            if description and not known.entry.description:
                known.entry.description = description
            self._pending.append(_Pending(code_id, known.entry, path, key, implied, kind="alias"))
        else:
            entry = Entry("", path[-1] or "Unnamed code", description, shortcut)
            pending = _Pending(code_id, entry, path, key, implied)
            self._pending.append(pending)
            self.plan.themes.append(entry)
            if key:
                self._by_wanted_key[key] = pending
        if implied is not None:
            implied.takes_themes = True
        return self._pending[-1].entry

    def flag(self, code_id: str, flag: str, path: str) -> None:
        self.plan.codes[code_id] = ("flag", flag, None)
        self.plan.mapping.append(f"{path} → flag {flag}")

    def finish(self) -> CodebookPlan:
        plan = self.plan
        self._keep_apart([p for p in self._pending if p.kind == "theme"], "theme")
        self._keep_apart([p for p in self._pending if p.kind == "category"], "category")
        keys: dict[str, set[str]] = {"category": set(), "theme": set()}
        for pending in self._pending:
            if pending.kind == "alias":
                continue
            taken = keys[pending.kind]
            wanted = pending.wanted_key
            key = (
                wanted
                if wanted and _KEY_RE.match(wanted) and wanted not in taken
                else slug(pending.entry.name)
            )
            base, n = key, 2
            while key in taken:
                key, n = f"{base}_{n}", n + 1
            taken.add(key)
            pending.entry.key = key
        for pending in self._pending:
            shown = " / ".join(pending.path)
            if pending.kind == "category":
                plan.codes[pending.code_id] = ("category", pending.entry.key, None)
                plan.mapping.append(f"{shown} → category {pending.entry.key}")
                continue
            implied = pending.implied
            plan.codes[pending.code_id] = (
                "theme",
                pending.entry.key,
                implied.key if implied else None,
            )
            plan.mapping.append(
                f"{shown} → theme {pending.entry.key}"
                + (f" (implies category {implied.key})" if implied else "")
            )
        for cat in plan.categories:
            if not cat.takes_themes:
                cat.polarity = None
        assign_shortcuts(plan)
        return plan

    def _keep_apart(self, pending: list[_Pending], kind: str) -> None:
        """Entries of one kind whose names are the same (in any case): each theme gets as much of
        its parents' path in its name as tells it apart; categories (no parents) a number."""
        groups: dict[str, list[_Pending]] = {}
        for item in pending:
            groups.setdefault(item.entry.name.casefold(), []).append(item)
        for same in groups.values():
            if len(same) < 2:
                continue
            if kind == "category":
                for n, item in enumerate(same[1:], start=2):
                    item.entry.name = f"{item.entry.name} ({n})"
            else:
                depth = 2
                while True:
                    names = [PATH_SEPARATOR.join(item.path[-depth:]) for item in same]
                    if len({n.casefold() for n in names}) == len(names) or depth >= max(
                        len(i.path) for i in same
                    ):
                        break
                    depth += 1
                for item, name in zip(same, names, strict=True):
                    item.entry.name = name
            for item in same:
                where = " / ".join(item.path[:-1]) or "the top level"
                self.plan.renamed.append(
                    f"{kind} {item.path[-1]!r} under {where} → {kind} {item.entry.name!r}"
                )


def assign_shortcuts(plan: CodebookPlan) -> None:
    """Keep an entry's own shortcut where it is a free key; give the others keys of the keyboard
    (categories first, a theme its first letter where free); past the keyboard, none."""
    from workbench.project.codebook import RESERVED_KEYS

    # The screens' own keys are never given to a code (case matters for those: "m" is free,
    # "M" merges), nor is a key twice in either case.
    used: set[str] = {k for k in RESERVED_KEYS if k.lower() == k}
    reserved = set(RESERVED_KEYS)
    entries = plan.categories + plan.themes
    for entry in entries:
        s = entry.shortcut
        if s and len(s) == 1 and not s.isspace() and s.lower() not in used and s not in reserved:
            used.add(s.lower())
        else:
            entry.shortcut = None

    def take(preferred: str) -> str | None:
        for ch in preferred + KEYBOARD:
            if ch.lower() not in used and ch not in reserved:
                used.add(ch.lower())
                return ch
        return None

    for kind, group in (("category", plan.categories), ("theme", plan.themes)):
        for entry in group:
            if entry.shortcut is None:
                first = (
                    next((ch for ch in entry.name.lower() if "a" <= ch <= "z"), "")
                    if kind == "theme"
                    else ""
                )
                entry.shortcut = take(first)
            if entry.shortcut is None:
                plan.keyless.append(f"{kind} {entry.key}")


def _toml_string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


def codebook_toml(plan: CodebookPlan, source: str) -> str:
    """The codebook TOML of a plan (what ``workbench codebook --format toml`` shows and the loader
    reads); an entry without a shortcut has no ``shortcut`` line."""
    from workbench import __version__

    lines = [
        f"# Codebook imported from {' '.join(source.split())} by Workbench {__version__}.",
        "",
        "[codebook]",
    ]
    for key in ("key", "name", "version", "description"):
        lines.append(f"{key} = {_toml_string(plan.header[key])}")
    for cat in plan.categories:
        lines += [
            "",
            "[[category]]",
            f"key = {_toml_string(cat.key)}",
            f"name = {_toml_string(cat.name)}",
        ]
        if cat.shortcut:
            lines.append(f"shortcut = {_toml_string(cat.shortcut)}")
        lines.append(f"takes_themes = {'true' if cat.takes_themes else 'false'}")
        if cat.polarity:
            lines.append(f"polarity = {_toml_string(cat.polarity)}")
        if cat.description:
            lines.append(f"description = {_toml_string(cat.description)}")
    for theme in plan.themes:
        lines += [
            "",
            "[[theme]]",
            f"key = {_toml_string(theme.key)}",
            f"name = {_toml_string(theme.name)}",
        ]
        if theme.shortcut:
            lines.append(f"shortcut = {_toml_string(theme.shortcut)}")
        if theme.description:
            lines.append(f"definition = {_toml_string(theme.description)}")
    return "\n".join(lines) + "\n"
