"""The words a window showed, and the check every coding write makes against them.

No coding is put on words the coder did not see. A session (``CodingSession``, and the
reconciliation or review a lead works through) remembers, for each comment it showed, a
digest of its ref and text; each write re-reads the comment inside its own transaction
(``Store.transaction``: ``BEGIN IMMEDIATE``, so nothing changes it between the check and the
write) and refuses, writing nothing, when the comment is gone or its words differ: another
window split, merged, replaced or removed it. The refusal (:class:`CommentChanged`) says
what happened, from the audit trail, and the window reads the comments again.

Why a digest of the text read in the transaction rather than a version number per comment:

* it needs no migration and no writer's cooperation: whatever changes a comment's words (a
  split, a merge, a replaced transcript, an older Workbench, a script), the check sees it,
  where a version column is only as good as every writer bumping it (or a trigger that
  every bulk import of 100,000 comments pays for);
* it compares what matters, the words: a split that was undone (the same words again) is
  accepted, where a version would refuse it;
* it costs one read by primary key in a transaction that is writing anyway (microseconds).

Ref and text together, so that a comment id SQLite reuses after a removal is not taken for
the comment that was shown. A comment never shown through the session (a script coding by
id) is checked against its words at the session's first write to it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import datetime
from itertools import islice
from typing import Any

from workbench.errors import WorkbenchError
from workbench.ingest.refs import parse_ref
from workbench.store import Store
from workbench.store.comment_records import Comment, ContextTurn


class StaleView(WorkbenchError):
    """What the window shows is no longer what is stored: nothing was written, and the
    window reads the project again."""


class CommentChanged(StaleView):
    """The comment a write was for no longer has the words the window showed."""

    def __init__(self, ref: str, message: str):
        super().__init__(message)
        self.ref = ref


def digest(ref: str, text: str) -> bytes:
    return hashlib.blake2b(f"{ref}\0{text}".encode(), digest_size=16).digest()


class Seen:
    """The comments one session showed: their digest, ref, and the audit mark when shown.

    The most recently shown ``KEEP`` are kept (a screen writes only to a comment it shows, and
    shows it again on every visit): a coder who reads 100,000 comments holds ~2 MB, not 30."""

    KEEP = 8000

    def __init__(self, store: Store):
        self.store = store
        self._shown: dict[int, tuple[bytes, str, int]] = {}

    def show(self, rows: Iterable[Comment | ContextTurn]) -> None:
        """Remember the comments of ``rows`` as shown now."""
        mark, shown = self.store.audit_mark(), self._shown
        for row in rows:
            shown.pop(row.id, None)  # newest last
            shown[row.id] = (digest(row.ref, row.text), row.ref, mark)
        if len(shown) > self.KEEP:
            for comment_id in list(islice(shown, len(shown) - self.KEEP // 2)):
                del shown[comment_id]

    def context(self, comment_id: int, around: int = 2) -> list[ContextTurn]:
        """A comment with ``around`` turns either side (``Store.comment_with_context``), shown."""
        rows = self.store.comment_with_context(comment_id, around)
        self.show(rows)
        return rows

    def check(self, comment_id: int, expected: bytes | None = None) -> tuple[str, bytes]:
        """Inside a write's transaction: the comment's (ref, digest) if it still has the words
        shown (or ``expected``, the digest a change was made on); else :class:`CommentChanged`."""
        words = self.store.comment_words(comment_id)
        shown = self._shown.get(comment_id)
        expected = expected or (shown[0] if shown else None)
        if words is None:
            raise self._refusal(comment_id, None)
        now = digest(*words)
        if expected is None:  # never shown here: the words at the first write are the ones seen
            self._shown[comment_id] = (now, words[0], self.store.audit_mark())
        elif now != expected:
            raise self._refusal(comment_id, words)
        return words[0], now

    def changed(self, comment_id: int) -> bool:
        """Whether a comment shown here has other words now (or is gone)."""
        shown = self._shown.get(comment_id)
        if shown is None:
            return False
        words = self.store.comment_words(comment_id)
        return words is None or digest(*words) != shown[0]

    def _refusal(self, comment_id: int, words: tuple[str, str] | None) -> CommentChanged:
        _digest, ref, mark = self._shown.get(comment_id) or (None, words[0] if words else "", 0)
        ref = ref or f"comment {comment_id}"
        parsed = parse_ref(ref)
        event = self.store.comment_event(ref, parsed[0] if parsed else ref, mark)
        if words is None:
            now = "it is no longer in the project"
        else:
            text = words[1] if len(words[1]) <= 60 else words[1][:59] + "…"
            now = f"it now reads “{text}”"
        how = f" ({describe(event, ref)})" if event else ""
        return CommentChanged(
            ref,
            f"{ref} changed in another window since it was shown here{how}: "
            f"{now}. Nothing was written; the comments are read again.",
        )


def describe(event: dict[str, Any], ref: str) -> str:
    """An audit row that changed the comment ``ref``, in words ("split into FG1-011 and
    FG1-011b by ana at 10:02")."""
    by = by_whom(event)
    action, entity, about = event["action"], event["entity"], event["entity_ref"]
    if entity == "comment" and action == "split":
        return f"split into {' and '.join(_refs(event, about))} {by}"
    if entity == "comment" and action == "merge":
        return (
            f"merged with the comment after it {by}"
            if about == ref
            else f"merged into {about} {by}"
        )
    if entity == "comment" and action == "undo split":
        return f"merged back into {about} {by}"
    if entity == "comment" and action == "undo merge":
        return f"split back into {' and '.join(_refs(event, about))} {by}"
    return f"{action} of {entity} {about} {by}" if about else f"{action} of {entity} {by}"


def by_whom(event: dict[str, Any]) -> str:
    """Who wrote an audit row and when: "by ana at 10:02" (local time)."""
    return f"by {event['actor']} at {_clock(event['at'])}"


def _refs(event: dict[str, Any], about: str) -> list[str]:
    after = json.loads(event["after"]) if event.get("after") else {}
    return [key for key in after if key not in ("ref", "text")] or [about]


def _clock(at: str) -> str:
    """A stored UTC time as the local hour and minute."""
    try:
        return datetime.fromisoformat(at.replace("Z", "+00:00")).astimezone().strftime("%H:%M")
    except ValueError:
        return at
