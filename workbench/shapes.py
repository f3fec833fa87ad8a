"""Declared shapes of the JSON documents users hand over, checked before use.

A reader declares the shape it needs next to its code and calls :func:`check` on the
parsed document before touching it, so a wrong type is a message naming the field
(``ana.json: codings #3 → themes: must be a list, not a number (3)``), never a
``TypeError`` deep inside an import. A shape is:

* ``str``, ``int``, ``float``, ``bool``: a value of that type (``true`` is not a number,
  a number is not text); every text is held to the ``field-length`` limit;
* ``[shape]``: a list whose every item has ``shape``;
* ``(shape, shape, ...)``: a list of exactly those items (a row);
* ``{"name": shape, ...}``: an object with those fields (others are allowed, unread);
  a field is required unless declared with :func:`optional`;
* :func:`nullable` (``null`` allowed), :data:`ANY` (any JSON value).

Every value, declared or not, is also held to the ``depth`` limit. Checking walks the
document with an explicit stack (no recursion, whatever the nesting).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from workbench import limits


@dataclass(frozen=True)
class _Field:
    shape: object
    optional: bool = False  # may be missing
    null: bool = False  # may be null


def optional(shape, null: bool = False) -> _Field:
    """A field that may be missing (and, with ``null``, may be null)."""
    return _Field(shape, optional=True, null=null)


def nullable(shape) -> _Field:
    """A value that may be null."""
    return _Field(shape, null=True)


ANY = object()

_NAMES = {str: "text", int: "a whole number", float: "a number", bool: "true or false"}


def path_name(path: tuple) -> str:
    """``("codings", 2, "themes")`` → ``codings #3 → themes`` (items are counted from 1)."""
    parts: list[str] = []
    for step in path:
        if isinstance(step, int) and parts:
            parts[-1] += f" #{step + 1}"
        elif isinstance(step, int):
            parts.append(f"item #{step + 1}")
        else:
            parts.append(str(step))
    return " → ".join(parts) or "the document"


def _kind(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"{str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    if isinstance(value, str):
        return f"text ({value[:20] + '…' if len(value) > 20 else value!r})"
    if isinstance(value, list):
        return f"a list of {len(value)}"
    return "an object"


def _wanted(shape) -> str:
    if isinstance(shape, dict):
        return "an object"
    if isinstance(shape, tuple):
        return f"a list of {len(shape)}"
    if isinstance(shape, list):
        inner = shape[0]
        named = isinstance(inner, type) and inner in _NAMES and inner is not int
        return "a list" + (f" of {_NAMES[inner]}" if named else "")
    return _NAMES.get(shape, "a value")


def check(document, shape, where: str, error: type[Exception], hint: str = "") -> None:
    """Raise ``error`` ("``where``: <field>: must be ..., not ...``hint``") at the first value of
    ``document`` (in document order) that does not fit ``shape``; the limits' error for a text
    over ``field-length`` or nesting over ``depth``."""
    depth_limit, length_limit = limits.value("depth"), limits.value("field-length")
    # (value, its shape, its path): the parts still to check
    stack: list[tuple[Any, Any, tuple[Any, ...]]] = [(document, shape, ())]
    while stack:
        value, shape, path = stack.pop()
        if len(path) >= depth_limit and isinstance(value, (list, dict)) and value:
            raise limits.refuse(f"{where}: {path_name(path)}", "its nesting goes beyond", "depth")
        null = False
        if isinstance(shape, _Field):
            shape, null = shape.shape, shape.null
        if value is None and null:
            continue
        if shape is ANY:
            if isinstance(value, str) and len(value) > length_limit:
                _too_long(where, path, value)
            pairs: Iterable[tuple[Any, Any]] = (
                value.items()
                if isinstance(value, dict)
                else enumerate(value)
                if isinstance(value, list)
                else ()
            )
            stack.extend(reversed([(child, ANY, (*path, key)) for key, child in pairs]))
            continue
        if not _fits(value, shape):
            raise error(
                f"{where}: {path_name(path)}: must be {_wanted(shape)}, not {_kind(value)}{hint}"
            )
        children: list[tuple[Any, Any, tuple[Any, ...]]]
        if isinstance(shape, dict):
            missing = [
                name
                for name, field in shape.items()
                if name not in value and not (isinstance(field, _Field) and field.optional)
            ]
            if missing:
                raise error(f"{where}: {path_name((*path, missing[0]))}: missing{hint}")
            children = [(value[name], shape.get(name, ANY), (*path, name)) for name in value]
        elif isinstance(shape, tuple):
            children = [
                (item, part, (*path, i))
                for i, (item, part) in enumerate(zip(value, shape, strict=True))
            ]
        elif isinstance(shape, list):
            children = [(item, shape[0], (*path, i)) for i, item in enumerate(value)]
        else:
            if isinstance(value, str) and len(value) > length_limit:
                _too_long(where, path, value)
            continue
        stack.extend(reversed(children))


def _fits(value, shape) -> bool:
    if isinstance(shape, dict):
        return isinstance(value, dict)
    if isinstance(shape, tuple):
        return isinstance(value, list) and len(value) == len(shape)
    if isinstance(shape, list):
        return isinstance(value, list)
    if shape is bool:
        return isinstance(value, bool)
    if shape is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if shape is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return isinstance(value, shape)


def _too_long(where: str, path: tuple, value: str) -> None:
    raise limits.refuse(
        f"{where}: {path_name(path)}",
        f"the text is {len(value):,} characters",
        "field-length",
        len(value),
    )
