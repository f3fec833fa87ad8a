"""Editing the active codebook as the app does: names, definitions and shortcuts of its
entries, and new themes, written back into its TOML text.

A :class:`CodebookDraft` holds the project's codebook TOML with edits staged on it. Each
edit is checked at once by the same loader as ``workbench codebook --replace``
(:func:`~workbench.project.codebook.parse_codebook`: required fields, keys, shortcuts unique
and not one of the screens' ``RESERVED_KEYS``), and refused with its message if the result
would not load; the draft is then installed through
:func:`~workbench.project.lifecycle.install_codebook`, the path ``--replace`` takes (refused
once coded unless confirmed, an automatic backup first, audited).

The text keeps the file as the team wrote it: an edit replaces the one line of the field
(its trailing comment kept) or adds one, and a new theme is a ``[[theme]]`` table after the
last. Where a field is written in a form a line edit cannot change safely (a multi-line
string, inline tables), the TOML is written afresh from the data, keeping the opening
comment block. Either way the text is checked to read back as exactly the intended data.
Keys are never edited: they are what codings store (rename = retire and add, with
``--replace``).
"""

from __future__ import annotations

import copy
import re
import tomllib
from typing import Any

from workbench.errors import CodebookError
from workbench.project.codebook import KEY_RE, Codebook, parse_codebook
from workbench.project.lifecycle import active_codebook, install_codebook
from workbench.store import Store

SOURCE = "codebook edited in the app"
#: What the app may change, per kind of entry.
EDITABLE = {
    "codebook": ("name", "version", "description"),
    "category": ("name", "shortcut", "description"),
    "theme": ("name", "shortcut", "definition"),
}
_HEADER = re.compile(r"^\s*\[(\[)?\s*(codebook|category|theme)\s*\]\]?\s*(#.*)?$")
_FIELD = re.compile(r"^(\s*)([A-Za-z0-9_-]+)\s*=\s*(.*?)\s*$")


class CodebookDraft:
    """The project's codebook text with edits staged on it (nothing is written to the
    project until :func:`~workbench.project.lifecycle.install_codebook`)."""

    def __init__(self, source: str, base_sha256: str = ""):
        self.base_sha256 = base_sha256  # the codebook the edits were made on
        self.original = source
        self.text = source
        self.data = tomllib.loads(source)
        self.changes: list[str] = []  # what was edited, for the audit note

    @classmethod
    def of(cls, store: Store) -> CodebookDraft:
        """A draft of the project's active codebook."""
        book = active_codebook(store)
        return cls(book["content"], book["sha256"])

    @property
    def changed(self) -> bool:
        return self.text != self.original

    def codebook(self) -> Codebook:
        return parse_codebook(self.text.encode("utf-8"), SOURCE)

    def entries(self, kind: str) -> list[dict[str, Any]]:
        if kind == "codebook":
            return [self.data.get("codebook", {})]
        entries: list[dict[str, Any]] = self.data.get(kind, [])
        return entries

    def entry(self, kind: str, key: str) -> dict[str, Any]:
        for entry in self.entries(kind):
            if kind == "codebook" or entry.get("key") == key:
                return entry
        raise CodebookError(f"{SOURCE}: no {kind} {key!r}")

    def edit(self, kind: str, key: str, /, **fields: str) -> None:
        """Set ``fields`` (see :data:`EDITABLE`) of the ``kind`` entry ``key``; a
        :class:`CodebookError` names what is wrong, and the draft stays as it was."""
        unknown = [f for f in fields if f not in EDITABLE[kind]]
        if unknown:
            raise CodebookError(
                f"{SOURCE}: {kind} {key!r}: {', '.join(unknown)} cannot be edited in the app "
                "(use `workbench codebook --replace`)"
            )
        current = self.entry(kind, key)
        fields = {
            f: v.strip()
            for f, v in fields.items()
            if v.strip() != str(current.get(f, "")) and not (f not in current and not v.strip())
        }
        if not fields:
            return
        data = copy.deepcopy(self.data)
        target = (
            data["codebook"]
            if kind == "codebook"
            else next(e for e in data[kind] if e["key"] == key)
        )
        target.update(fields)
        index = 0 if kind == "codebook" else [e["key"] for e in self.data[kind]].index(key)
        text = _patched(self.text, kind, index, fields)
        self._commit(text, data, f"{kind} {key or 'header'}: " + ", ".join(fields))

    def add_theme(self, key: str, name: str, shortcut: str, definition: str = "") -> str:
        """Add a theme after the last one; ``key`` may be left empty (made from the name).
        Returns the key."""
        key = key.strip() or _free_key(_slug(name), {t["key"] for t in self.entries("theme")})
        if any(t["key"] == key for t in self.entries("theme")):
            raise CodebookError(
                f'{SOURCE}: theme "{key}": field "key": duplicate key "{key}"; every theme '
                "needs its own"
            )
        if not KEY_RE.match(key):
            raise CodebookError(
                f'{SOURCE}: new theme: field "key": "{key}" must be lower case letters, digits '
                "and underscores, starting with a letter"
            )
        entry = {"key": key, "name": name.strip(), "shortcut": shortcut.strip()}
        if definition.strip():
            entry["definition"] = definition.strip()
        data = copy.deepcopy(self.data)
        data.setdefault("theme", []).append(entry)
        block = "\n[[theme]]\n" + "".join(f"{k} = {_string(v)}\n" for k, v in entry.items())
        self._commit(_insert_after_last(self.text, "theme", block), data, f"theme {key}: added")
        return key

    def _commit(self, text: str | None, data: dict[str, Any], change: str) -> None:
        if text is None or _loads(text) != data:
            text = dump(data, _opening_comments(self.original))
        parse_codebook(text.encode("utf-8"), SOURCE)  # refuses what `codebook --replace` refuses
        self.text, self.data = text, data
        self.changes.append(change)


def save_draft(
    store: Store,
    draft: CodebookDraft,
    force: bool = False,
    actor: str | None = None,
    version: str | None = None,
) -> str:
    """Install the edited codebook as ``codebook --replace`` would (refused once coded unless
    ``force``, with :class:`~workbench.project.lifecycle.CodebookInUse`; a backup first;
    audited with what was edited), as ``version`` if given (``project.versions``). Refused, with
    nothing written, if the project's codebook changed since the draft was made (another
    analyst, or ``--replace``)."""
    current = active_codebook(store)
    if draft.base_sha256 and current["sha256"] != draft.base_sha256:
        raise CodebookError(
            f"the project's codebook was changed elsewhere since you began editing it (now "
            f"{current['name']!r} {current['version']}, {current['sha256'][:12]}); nothing was "
            "saved: open the editor again and redo the edits"
        )
    return install_codebook(
        store,
        draft.codebook(),
        SOURCE,
        force,
        note="edited in the app: " + "; ".join(draft.changes),
        actor=actor,
        version=version,
    )


# -- the text ---------------------------------------------------------------------


def _loads(text: str) -> dict[str, Any] | None:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return None


def _blocks(lines: list[str]) -> list[tuple[str, int, int]]:
    """(kind, first line, end line) of every table of the text, in order."""
    starts = [(m.group(2), i) for i, line in enumerate(lines) if (m := _HEADER.match(line))]
    return [
        (kind, start, starts[n + 1][1] if n + 1 < len(starts) else len(lines))
        for n, (kind, start) in enumerate(starts)
    ]


def _patched(text: str, kind: str, index: int, fields: dict[str, str]) -> str | None:
    """``text`` with ``fields`` of the ``index``-th ``kind`` table rewritten line by line, or
    None where that is not safe (the caller then writes the TOML afresh)."""
    lines = text.splitlines(keepends=True)
    tables = [(start, end) for k, start, end in _blocks(lines) if k == kind]
    if index >= len(tables):
        return None
    start, end = tables[index]
    for name, value in fields.items():
        for i in range(start + 1, end):
            m = _FIELD.match(lines[i].rstrip("\r\n"))
            if m and m.group(2) == name:
                comment = _trailing_comment(m.group(3))
                if comment is None:
                    return None  # a value over several lines
                newline = lines[i][len(lines[i].rstrip("\r\n")) :] or "\n"
                lines[i] = f"{m.group(1)}{name} = {_string(value)}{comment}{newline}"
                break
        else:  # a field the table did not have: after its last field
            last = max((i for i in range(start + 1, end) if _FIELD.match(lines[i])), default=start)
            if not lines[last].endswith("\n"):
                lines[last] += "\n"
            lines.insert(last + 1, f"{name} = {_string(value)}\n")
            end += 1
    return "".join(lines)


def _trailing_comment(rest: str) -> str | None:
    """The comment after a one-line value (``"x"  # why`` → ``"  # why"``), "" if none; None
    if the value does not end on its line."""
    if _loads(f"v = {rest}") is not None:
        for i, char in enumerate(rest):
            if char == "#" and _loads(f"v = {rest[:i]}") is not None:
                return "  " + rest[i:]
        return ""
    return None


def _insert_after_last(text: str, kind: str, block: str) -> str:
    lines = text.splitlines(keepends=True)
    tables = [(start, end) for k, start, end in _blocks(lines) if k == kind]
    if not tables:
        return text + ("" if text.endswith("\n") else "\n") + block
    start, end = tables[-1]
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1
    if not lines[end - 1].endswith("\n"):
        lines[end - 1] += "\n"
    lines.insert(end, block)
    return "".join(lines)


def _opening_comments(text: str) -> str:
    """The comment lines a codebook file opens with (kept when it is written afresh)."""
    kept = []
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            break
        kept.append(line)
    return "\n".join(kept).strip("\n") + "\n\n" if any(line.strip() for line in kept) else ""


def dump(data: dict[str, Any], opening: str = "") -> str:
    """Codebook data as TOML: ``[codebook]``, then each ``[[category]]`` and ``[[theme]]``."""
    out = [opening + "[codebook]\n" + _fields(data.get("codebook", {}))]
    for kind in ("category", "theme"):
        out += [f"[[{kind}]]\n" + _fields(entry) for entry in data.get(kind, [])]
    return "\n".join(out)


def _fields(entry: dict[str, Any]) -> str:
    return "".join(f"{k} = {_string(v)}\n" for k, v in entry.items())


def _string(value: object) -> str:
    """A TOML value: true/false, or a basic string with its escapes."""
    if isinstance(value, bool):
        return "true" if value else "false"
    escaped = []
    for char in str(value):
        if char in '"\\':
            escaped.append("\\" + char)
        elif char in _ESCAPES:
            escaped.append(_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            escaped.append(f"\\u{ord(char):04X}")
        else:
            escaped.append(char)
    return '"' + "".join(escaped) + '"'


_ESCAPES = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def _slug(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
    return slug if slug and slug[0].isalpha() else f"theme_{slug}".rstrip("_")


def _free_key(key: str, taken: set[str]) -> str:
    candidate, n = key, 2
    while candidate in taken:
        candidate, n = f"{key}_{n}", n + 1
    return candidate
