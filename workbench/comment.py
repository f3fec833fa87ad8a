"""Comments: the unit of analysis, one statement by one speaker.

A comment's ref (``FG1-017``) is its stable, human-readable name: the group's
code and a number that is never reused within the group, so a ref quoted in a
coding sheet or a memo keeps pointing at the same words.
"""

import re

REF_RE = re.compile(r"^(?P<code>[A-Za-z][\w]*)-(?P<number>\d+)$")


def comment_ref(group_code: str, number: int) -> str:
    return f"{group_code}-{number:03d}"


def parse_ref(ref: str) -> tuple[str, int] | None:
    """``"FG1-017"`` → ``("FG1", 17)``; anything else → None."""
    match = REF_RE.match(ref.strip())
    return (match["code"], int(match["number"])) if match else None
