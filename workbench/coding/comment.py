"""Splitting and merging comments, the unit of analysis (one statement by one speaker).

Splitting ``FG1-017`` keeps that ref on the first part and names the second
``FG1-017b`` (then ``c``...), so refs (``workbench.ingest.refs``) still read in
transcript order. Splitting and merging are allowed only while no coder has
coded the comments involved: a coding would otherwise silently come to mean
other words.
"""

from __future__ import annotations

from workbench.errors import WorkbenchError
from workbench.ingest.language import split_points, word_count
from workbench.ingest.refs import comment_ref, parse_ref
from workbench.store import Store


class CommentEditError(WorkbenchError):
    """A split or merge that is not allowed."""


def _second_part_ref(store: Store, ref: str) -> str:
    code, number, _suffix = parse_ref(ref)
    base = comment_ref(code, number)
    taken = store.refs_like(base)
    for letter in "bcdefghijklmnopqrstuvwxyz":
        if base + letter not in taken:
            return base + letter
    raise CommentEditError(f"{ref}: split too many times; merge some parts first")


def _check_uncoded(store: Store, comments: list[dict], verb: str) -> None:
    coded = store.codings_on_comments([c["id"] for c in comments])
    if coded:
        refs = " and ".join(c["ref"] for c in comments)
        raise CommentEditError(
            f"cannot {verb} {refs}: {coded} coding(s) exist on them; a coding would come to "
            "mean other words. Clear those codings first."
        )


def split_comment(store: Store, comment_id: int, at: int, actor: str | None = None) -> tuple[str, str]:
    """Split a comment at character offset ``at``, which must be a sentence boundary.

    Returns the refs of the two parts.
    """
    with store.transaction():
        comment = store.comment(comment_id)
        if comment is None:
            raise CommentEditError(f"comment {comment_id} does not exist")
        _check_uncoded(store, [comment], "split")
        text = comment["text"]
        if at not in split_points(text):
            raise CommentEditError(
                f"{comment['ref']}: offset {at} is not a sentence boundary; split between sentences"
            )
        first, second = text[:at].rstrip(), text[at:].lstrip()
        new_ref = _second_part_ref(store, comment["ref"])
        store.update_comment_text(comment_id, first, word_count(first), comment["start_s"], None)
        store.insert_comment_after(comment, new_ref, second, word_count(second), None, comment["end_s"])
        store.audit("split", "comment", comment["ref"], before={"ref": comment["ref"], "text": text},
                    after={comment["ref"]: first, new_ref: second}, actor=actor)
    return comment["ref"], new_ref


def merge_with_next(store: Store, comment_id: int, actor: str | None = None) -> str:
    """Merge a comment with the next one of the same speaker in its transcript.

    The merged comment keeps the first ref; the second ref is retired.
    """
    with store.transaction():
        comment = store.comment(comment_id)
        if comment is None:
            raise CommentEditError(f"comment {comment_id} does not exist")
        following = store.next_comment(comment)
        if following is None:
            raise CommentEditError(f"{comment['ref']} is the last comment of its transcript")
        if following["speaker_id"] != comment["speaker_id"]:
            raise CommentEditError(
                f"cannot merge {comment['ref']} and {following['ref']}: different speakers"
            )
        _check_uncoded(store, [comment, following], "merge")
        text = f"{comment['text']} {following['text']}"
        store.delete_comment(following["id"])
        store.update_comment_text(comment_id, text, word_count(text), comment["start_s"], following["end_s"])
        store.audit("merge", "comment", comment["ref"],
                    before={comment["ref"]: comment["text"], following["ref"]: following["text"]},
                    after={"ref": comment["ref"], "text": text}, actor=actor)
    return comment["ref"]
