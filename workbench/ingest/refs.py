"""Comment refs: the stable, human-readable name a comment gets when it is imported.

A ref (``FG1-017``) is the group's code and a number never reused within the
group, so a ref quoted in a coding sheet or a memo keeps pointing at the same
words. A split names its second part ``FG1-017b`` (then ``c``...), so refs still
read in transcript order (see ``workbench.coding.comment``).
"""

from __future__ import annotations

import re

REF_RE = re.compile(r"^(?P<code>[A-Za-z][\w]*)-(?P<number>\d+)(?P<suffix>[a-z]*)$")


def comment_ref(group_code: str, number: int) -> str:
    return f"{group_code}-{number:03d}"


def typed_ref(text: str) -> str:
    """A ref as someone types it, written as refs are: ``fg1-10`` → ``fg1-010`` (lookups
    ignore case); anything that is not a ref comes back stripped."""
    parsed = parse_ref(text)
    return comment_ref(parsed[0], parsed[1]) + parsed[2] if parsed else text.strip()


def parse_ref(ref: str) -> tuple[str, int, str] | None:
    """``"FG1-017b"`` → ``("FG1", 17, "b")``; anything else → None."""
    match = REF_RE.match(ref.strip())
    return (match["code"], int(match["number"]), match["suffix"]) if match else None
