"""Messages inside the app say what to do in the app, never a command-line flag: the domain's
messages are written for the command line ("lower --base or --run"), and the app rewrites the
ones it shows (every notification, through ``WorkbenchApp.notify``) with :func:`in_app`.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# (what the command line says, what the app says instead: a template or a function of the match)
_REWRITES: list[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]] = [
    (re.compile(r" \(e\.g\. --base (\d+) --run (\d+)\)"), r" (e.g. base size \1, run length \2)"),
    (re.compile(r"lower --base or --run"), "lower the base size or the run length (s)"),
    (re.compile(r"--base and --run"), "the base size and the run length"),
    (re.compile(r" \(--provisional\)"), " (p: provisional)"),
    (re.compile(r"; --coder NAME reports one coder"), ""),
    (re.compile(r" \(`workbench reconcile`\)"), " (R on the home screen)"),
    (re.compile(r" \(`workbench codings import --agreed`\)"), " (a sheet of the agreed coding)"),
    (re.compile(r", or add --force to replace it"), ""),
    (
        re.compile(
            r"give it with --order FG1,FG2,\.\.\. \(or --order import for the order of import\)"
        ),
        "give the focus groups their dates (or the order they were held)",
    ),
    # Any other flag: its words ("--min-comments" → "min comments").
    (re.compile(r"(?<![\w-])--([a-z][a-z-]*)"), lambda m: m.group(1).replace("-", " ")),
]


def in_app(message: str) -> str:
    """A message written for the command line, as the app says it."""
    for pattern, replacement in _REWRITES:
        message = pattern.sub(replacement, message)
    return message
