"""Near-duplicate imports: a file whose turns are mostly those of a transcript already in the
project is a corrected version of it, not a new transcript.

Importing a corrected transcript under a new file name used to add it beside the old one (15
of 16 turns twice over in one group). An import is refused, naming ``transcripts replace``,
when :data:`SHARE` or more of its turns have, word for word, the text of turns of one
transcript already in the project (each old turn counted once) and at least :data:`AT_LEAST`
turns do: three "Yes." turns do not make a file a copy. ``--force`` imports it anyway.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workbench.store import Store, Transcript

SHARE = 0.8
AT_LEAST = 3


def near_duplicate(store: Store, texts: list[str]) -> tuple[Transcript, int] | None:
    """The transcript most of ``texts`` (a new file's turns) come from, with how many turns
    match; None when no transcript holds :data:`SHARE` of them."""
    if not texts:
        return None
    new = Counter(" ".join(t.split()) for t in texts)
    shared: dict[int, Counter[str]] = {}
    for transcript_id, text in store.comments_with_texts(sorted(set(texts) | set(new))):
        shared.setdefault(transcript_id, Counter())[" ".join(text.split())] += 1
    best = None
    for transcript_id, old in shared.items():
        matched = sum((new & old).values())
        if (
            matched >= AT_LEAST
            and matched >= SHARE * len(texts)
            and (best is None or matched > best[1])
        ):
            best = (transcript_id, matched)
    if best is None:
        return None
    row = next(t for t in store.transcripts() if t.id == best[0])
    return row, best[1]


def refusal(store: Store, path: str | Path, texts: list[str]) -> str | None:
    """The message refusing ``path`` as a near duplicate, or None."""
    found = near_duplicate(store, texts)
    if found is None:
        return None
    row, matched = found
    group = store.group_by_name(row.group_name)  # the transcript's, so there
    code = group.code if group else row.group_name
    return (
        f"{path}: {matched} of its {len(texts)} turns ({matched / len(texts):.0%}) are word for "
        f"word those of {code}/{row.filename}, already in the project; to bring in a corrected "
        f"version, use `workbench transcripts replace {store.path.name} {code}/{row.filename} "
        f"{path}` (it keeps the codings of unchanged comments), or add --force to import it as a "
        "new transcript anyway"
    )
