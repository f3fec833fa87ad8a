"""Splitting and merging comments, the unit of analysis (one statement by one speaker).

Splitting ``FG1-017`` keeps that ref on the first part and names the second
``FG1-017b`` (then ``c``...), so refs (``workbench.ingest.refs``) still read in
transcript order. Splitting and merging are allowed only while no coder has
coded the comments involved: a coding would otherwise silently come to mean
other words. The refusal says so without saying who coded them (a coder working
blind must not learn that someone else has coded a comment).

Both are undone under the same rule (:func:`unsplit`, :func:`unmerge`): the parts
go back to the comment as it was, refs and times included, each step audited.
"""

from __future__ import annotations

from dataclasses import replace

from workbench.errors import WorkbenchError
from workbench.ingest.language import split_points, word_count
from workbench.ingest.refs import comment_ref, parse_ref
from workbench.store import Store
from workbench.store.comment_records import Comment


class CommentEditError(WorkbenchError):
    """A split or merge that is not allowed."""


def _second_part_ref(store: Store, ref: str) -> str:
    parsed = parse_ref(ref)
    if parsed is None:  # (a ref Workbench did not make: no part ref can be derived from it)
        raise CommentEditError(f"{ref}: not a ref of the form FG1-017, so it cannot be split")
    code, number, _suffix = parsed
    base = comment_ref(code, number)
    taken = store.refs_like(base)
    for letter in "bcdefghijklmnopqrstuvwxyz":
        if base + letter not in taken:
            return base + letter
    raise CommentEditError(f"{ref}: split too many times; merge some parts first")


def _check_uncoded(store: Store, comments: list[Comment], verb: str) -> None:
    if store.codings_on_comments([c.id for c in comments]):
        refs = " and ".join(c.ref for c in comments)
        them = "them" if len(comments) > 1 else "it"
        # The same words whoever coded: never say whether another coder has.
        raise CommentEditError(
            f"cannot {verb} {refs}: comments are split and merged only while nobody has coded "
            f"{them} (a coding would come to mean other words). Clear your coding of {them} first, "
            "or ask the project lead."
        )


def split_comment(
    store: Store, comment_id: int, at: int, actor: str | None = None
) -> tuple[str, str]:
    """Split a comment at character offset ``at``, which must be a sentence boundary.

    Returns the refs of the two parts.
    """
    with store.transaction():
        comment = store.comment(comment_id)
        if comment is None:
            raise CommentEditError(f"comment {comment_id} does not exist")
        _check_uncoded(store, [comment], "split")
        text = comment.text
        if at not in split_points(text):
            raise CommentEditError(
                f"{comment.ref}: offset {at} is not a sentence boundary; split between sentences"
            )
        first, second = text[:at].rstrip(), text[at:].lstrip()
        new_ref = _second_part_ref(store, comment.ref)
        store.update_comment_text(comment_id, first, word_count(first), comment.start_s, None)
        store.insert_comment_after(
            comment, new_ref, second, word_count(second), None, comment.end_s
        )
        store.audit(
            "split",
            "comment",
            comment.ref,
            before={"ref": comment.ref, "text": text},
            after={comment.ref: first, new_ref: second},
            actor=actor,
        )
    return comment.ref, new_ref


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
            raise CommentEditError(f"{comment.ref} is the last comment of its transcript")
        if following.speaker_id != comment.speaker_id:
            raise CommentEditError(
                f"cannot merge {comment.ref} and {following.ref}: different speakers"
            )
        _check_uncoded(store, [comment, following], "merge")
        text = f"{comment.text} {following.text}"
        store.delete_comment(following.id)
        store.update_comment_text(
            comment_id, text, word_count(text), comment.start_s, following.end_s
        )
        store.audit(
            "merge",
            "comment",
            comment.ref,
            before={comment.ref: comment.text, following.ref: following.text},
            after={"ref": comment.ref, "text": text},
            actor=actor,
        )
    return comment.ref


def _same_words(a: str, b: str) -> bool:
    return a.split() == b.split()


def unsplit(
    store: Store,
    comment_id: int,
    original: Comment,
    second_ref: str,
    actor: str | None = None,
) -> str:
    """Undo a split: merge the first part (``comment_id``) and the second (``second_ref``) back
    into ``original``, the comment row as it was before the split (text, word count, times).

    Refused, changing nothing, once either part is coded or no longer what the split made.
    """
    with store.transaction():
        comment = store.comment(comment_id)
        following = store.next_comment(comment) if comment else None
        if comment is None or following is None or following.ref != second_ref:
            raise CommentEditError(
                f"cannot undo the split of {original.ref}: {second_ref} is no longer "
                "the part after it"
            )
        if not _same_words(f"{comment.text} {following.text}", original.text):
            raise CommentEditError(
                f"cannot undo the split of {original.ref}: its parts have changed since"
            )
        _check_uncoded(store, [comment, following], "merge back")
        store.delete_comment(following.id)
        store.update_comment_text(
            comment_id, original.text, original.word_count, original.start_s, original.end_s
        )
        store.audit(
            "undo split",
            "comment",
            comment.ref,
            before={comment.ref: comment.text, second_ref: following.text},
            after={"ref": comment.ref, "text": original.text},
            actor=actor,
        )
    return comment.ref


def unmerge(
    store: Store,
    comment_id: int,
    first: Comment,
    second: Comment,
    actor: str | None = None,
) -> int:
    """Undo a merge: split the merged comment back into ``first`` and ``second``, the rows as
    they were before the merge; the second part gets its ref back. Returns its (new) id.

    Refused, changing nothing, once the merged comment is coded or its text has changed.
    """
    with store.transaction():
        comment = store.comment(comment_id)
        if comment is None or comment.text != f"{first.text} {second.text}":
            raise CommentEditError(
                f"cannot undo the merge of {first.ref} and {second.ref}: "
                "the merged comment has changed since"
            )
        _check_uncoded(store, [comment], "split back")
        if second.ref in store.refs_like(second.ref):
            raise CommentEditError(f"cannot undo the merge: the ref {second.ref} is in use again")
        store.update_comment_text(
            comment_id, first.text, first.word_count, first.start_s, first.end_s
        )
        where = replace(
            comment,
            source_line=second.source_line,
            no_speaker=second.no_speaker,
            excluded=second.excluded,
            excluded_reason=second.excluded_reason,
        )
        new_id = store.insert_comment_after(
            where, second.ref, second.text, second.word_count, second.start_s, second.end_s
        )
        store.audit(
            "undo merge",
            "comment",
            first.ref,
            before={"ref": first.ref, "text": comment.text},
            after={first.ref: first.text, second.ref: second.text},
            actor=actor,
        )
    return new_id
