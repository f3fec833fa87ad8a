"""Rendering helpers shared by the screens."""

from __future__ import annotations

from rich.text import Text


def context_turns(rows: list[dict]) -> Text:
    """Neighbouring turns of a comment, dimmed: ``FG1-004 Ruth (PwCHC): text``."""
    text = Text(style="dim")
    for row in rows:
        role = f" ({row['role']})" if row["role"] else ""
        text.append(f"{row['ref']} {row['speaker']}{role}: ", style="bold")
        text.append(row["text"].replace("\n", " ") + "\n")
    return text
