"""The size and shape policy for every file a user hands over: one table of limits.

Researchers exchange coder packages, other programs' .qdpx files and coding sheets by
e-mail and shared drives, so every reader treats its input as hostile until checked.
Each limit is checked *before* the work it protects (a file's size from the file
system, a zip entry's size and compression ratio from the archive's directory) and
again *while* reading (a file that grows, a zip directory that lies), so a hostile
file is refused within a second and in bounded memory, with a message that names the
file, the limit, and how to raise it for the rare genuine project that exceeds it:

* ``workbench --limit NAME=VALUE COMMAND ...`` (repeatable; the command line), or
* the environment variable ``WORKBENCH_LIMITS="NAME=VALUE,NAME=VALUE"`` (the app, scripts).

Sizes are bytes and take K, M or G (times 1024): ``--limit transcript-size=64M``.
The readers (:mod:`workbench.files`, :mod:`workbench.shapes` and the format modules)
ask :func:`value` and raise through :func:`refuse`; ``docs/bad-inputs.md`` lists the
table below (a test keeps the two equal).
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from workbench.errors import LimitError

K, M, G = 1024, 1024**2, 1024**3
ENV = "WORKBENCH_LIMITS"
#: Entries smaller than this are never refused for their compression ratio (a small file of
#: spaces compresses well and costs nothing).
RATIO_FLOOR = 1 * M


@dataclass(frozen=True)
class Limit:
    name: str
    default: int
    kind: str  # "size" (bytes), "length" (characters), "count", "ratio", "depth"
    what: str


LIMITS: dict[str, Limit] = {
    limit.name: limit
    for limit in (
        Limit(
            "file-size",
            512 * M,
            "size",
            "any file Workbench reads, as it lies on disk (.qdpx, .docx, .xlsx, .pdf, ...)",
        ),
        Limit(
            "transcript-size",
            16 * M,
            "size",
            "one transcript's text: a text, WebVTT or SRT file, or the text of a .docx, .pdf or .qdpx source",
        ),
        Limit(
            "document-size",
            32 * M,
            "size",
            "a data file read whole: a coder package (JSON), a coding sheet (CSV, or each part of an .xlsx), "
            "the XML of a .docx, a compressed stream in a PDF",
        ),
        Limit(
            "config-size",
            1 * M,
            "size",
            "a codebook (TOML, or a REFI-QDA .qdc) or a roster (CSV, TOML)",
        ),
        Limit(
            "entry-size",
            64 * M,
            "size",
            "one entry of a zip archive (.qdpx, .docx, .xlsx), uncompressed",
        ),
        Limit(
            "archive-size",
            256 * M,
            "size",
            "all the entries read from one zip archive, uncompressed",
        ),
        Limit(
            "entry-ratio",
            100,
            "ratio",
            "how many times one zip entry over 1 MB expands (Apache POI's default; text and XML expand 3-20 times)",
        ),
        Limit("entries", 10_000, "count", "entries in one zip archive"),
        Limit(
            "elements",
            500_000,
            "count",
            "the parts of one document held in memory: XML elements, JSON objects and lists, sheet cells",
        ),
        Limit(
            "depth",
            64,
            "depth",
            "nesting of a JSON, TOML or XML document (elements in elements, lists in lists)",
        ),
        Limit(
            "field-length",
            1 * M,
            "length",
            "one field: a cell of a sheet or roster, a text in a coder package, a name or memo in a .qdpx, "
            "one comment's text (a speaker's turn)",
        ),
    )
}

_options: dict[str, int] = {}  # from --limit, for this process
_env_cache: tuple[str, dict[str, int]] = ("", {})


def value(name: str) -> int:
    """The limit in force: ``--limit``, else ``WORKBENCH_LIMITS``, else the default."""
    if name in _options:
        return _options[name]
    return _from_env().get(name, LIMITS[name].default)


def configure(pairs: list[str] | tuple[str, ...] = ()) -> None:
    """Set this process's limits from ``--limit NAME=VALUE`` options (replacing earlier ones);
    checks ``WORKBENCH_LIMITS`` too, so a mistake in either is reported before any work."""
    global _options
    _from_env()
    _options = dict(parse(pair, "--limit") for pair in pairs)


def reset() -> None:
    """Back to ``WORKBENCH_LIMITS`` and the defaults (the start of each command)."""
    global _options
    _options = {}


@contextmanager
def overridden(**values: int) -> Iterator[None]:
    """Limits set for a block (tests, scripts): ``overridden(field_length=1000)``."""
    global _options
    saved = dict(_options)
    _options.update({name.replace("_", "-"): amount for name, amount in values.items()})
    for name in _options:
        if name not in LIMITS:
            _options = saved
            raise LimitError(f"no limit named {name!r} (limits: {', '.join(LIMITS)})")
    try:
        yield
    finally:
        _options = saved


def parse(pair: str, source: str) -> tuple[str, int]:
    """``NAME=VALUE`` → (name, amount); ``source`` names where it was given in a message."""
    name, sep, text = pair.partition("=")
    name = name.strip().lower()
    if not sep or name not in LIMITS:
        raise LimitError(
            f"{source} {pair!r}: give NAME=VALUE with a NAME from {', '.join(LIMITS)} "
            "(see docs/bad-inputs.md)"
        )
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kmg]?)(?:i?b)?\s*", text.lower())
    if not match or (match[2] and LIMITS[name].kind in ("ratio", "depth")):
        raise LimitError(
            f"{source} {pair!r}: {name} takes a whole number"
            + (
                " of bytes, optionally with K, M or G (e.g. 64M)"
                if LIMITS[name].kind == "size"
                else ""
            )
        )
    amount = int(float(match[1]) * {"": 1, "k": K, "m": M, "g": G}[match[2]])
    if amount < 1:
        raise LimitError(f"{source} {pair!r}: a limit must be at least 1")
    return name, amount


def _from_env() -> dict[str, int]:
    global _env_cache
    text = os.environ.get(ENV, "")
    if text != _env_cache[0]:
        parsed = dict(parse(pair, ENV) for pair in re.split(r"[,;\s]+", text) if pair)
        _env_cache = (text, parsed)
    return _env_cache[1]


def describe(name: str, amount: int | None = None) -> str:
    """An amount in the unit of limit ``name`` ("16.0 MB", "100 times", "64 levels")."""
    amount = value(name) if amount is None else amount
    kind = LIMITS[name].kind
    if kind == "size":
        return size(amount)
    if kind == "length":
        return f"{amount:,} characters"
    if kind == "ratio":
        return f"{amount:,} times"
    if kind == "depth":
        return f"{amount:,} levels"
    return f"{amount:,}"


def size(amount: int) -> str:
    if amount < K:
        return f"{amount} bytes"
    for unit, factor in (("GB", G), ("MB", M), ("KB", K)):
        if amount >= factor:
            return f"{amount / factor:.1f} {unit}"
    return f"{amount} bytes"  # pragma: no cover


def _suggest(name: str, amount: int | None) -> str:
    """A value that lets ``amount`` through (twice the limit when unknown): the next power of two."""
    wanted = amount if amount is not None and amount > value(name) else value(name) * 2
    wanted = 2 ** math.ceil(math.log2(max(wanted, 2)))
    if LIMITS[name].kind in ("size", "length"):
        for unit, factor in (("G", G), ("M", M), ("K", K)):
            if wanted >= factor:
                return f"{math.ceil(wanted / factor)}{unit}"
    return str(wanted)


def refuse(where: str, clause: str, name: str, amount: int | None = None) -> LimitError:
    """The error for ``where`` (file, entry, field) going past limit ``name``. ``clause`` says what
    was found, "the file is 40.0 MB" (", over the ... limit of ..." follows), or, when the amount is
    not known, ends in "beyond" ("its nesting goes beyond": "the ... limit of ..." follows);
    ``amount`` (when known) sizes the suggested limit."""
    limit = f"the {name} limit of {describe(name)}"
    found = f"{clause} {limit}" if clause.endswith(" beyond") else f"{clause}, over {limit}"
    return LimitError(
        f"{where}: {found}; nothing was changed. If the file is genuine, raise the limit: "
        f"workbench --limit {name}={_suggest(name, amount)} ... (see docs/bad-inputs.md)"
    )


def check(name: str, amount: int, where: str, what: str) -> None:
    """Refuse ``amount`` over limit ``name``: "``where``: ``what`` is <amount>, over ..."."""
    if amount > value(name):
        raise refuse(where, f"{what} is {describe(name, amount)}", name, amount)
