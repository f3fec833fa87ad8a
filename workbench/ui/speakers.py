"""Fixing a speaker from the whole-transcript view (``s``): give the comment under the cursor
another speaker, rename its speaker's label, or merge that speaker into another; through the
same use cases as ``workbench speakers`` (``project.speakers``). A coded comment's speaker
changes only after the lead confirms, and its codings are kept. Not in a coding session nor
for a served coder: who said what is the lead's to fix, for every coder at once."""

from __future__ import annotations

from collections.abc import Callable

from workbench.errors import WorkbenchError
from workbench.project import speakers as fix
from workbench.store import Store
from workbench.ui.dialogs import Choose, Confirm, Prompt
from workbench.ui.kept import WorkbenchScreen


def refused(screen: WorkbenchScreen) -> bool:
    """Whether this window may not fix speakers (said to the user)."""
    app = screen.app
    if getattr(app, "coder", None):
        screen.notify(
            f"Coding as {app.coder}: who said what is the lead's to fix (it changes every "
            "coder's comments); press L on the home screen to act as lead.",
            severity="warning",
        )
        return True
    return bool(getattr(app, "role", None)) and app.served_refuses("fix speakers")


def fix_speaker(
    screen: WorkbenchScreen, store: Store, group: str, ref: str, done: Callable[[], None]
) -> None:
    """Ask what to fix about ``ref``'s speaker and do it; ``done`` redraws the view after."""
    if refused(screen):
        return
    comment = store.comment_speaker(ref)
    if comment is None:
        return
    speaker = comment.speaker
    options = [f"Give {comment.ref} another speaker"]
    if speaker:
        options += [
            f"Rename {speaker!r} (all their comments)",
            f"Merge {speaker!r} into another speaker",
        ]

    def chosen(index: int | None) -> None:
        if index == 0:
            _ask(
                screen,
                f"Speaker of {comment.ref}",
                store,
                group,
                lambda label: _set(screen, store, comment.ref, label, done),
            )
        elif index == 1 and speaker:  # (offered only for a comment with a speaker)
            screen.app.push_screen(
                Prompt(f"New name for {speaker!r} in {group}", speaker),
                lambda label: (
                    _rename(screen, store, group, speaker, label, done) if label else None
                ),
            )
        elif index == 2 and speaker:
            _ask(
                screen,
                f"Merge {speaker!r} into",
                store,
                group,
                lambda label: _merge(screen, store, group, speaker, label, done),
                leave_out=speaker,
            )

    screen.app.push_screen(Choose(f"{comment.ref} · {speaker or 'no speaker'}", options), chosen)


def _ask(screen, title: str, store: Store, group: str, then, leave_out: str | None = None) -> None:
    labels = [label for label in fix.group_labels(store, group) if label != leave_out]
    hint = f" (speakers of {group}: {', '.join(labels)}; a new name adds one)" if labels else ""
    screen.app.push_screen(
        Prompt(title + hint, placeholder="speaker label"),
        lambda label: label and label.strip() and then(label.strip()),
    )


def _run(screen, work: Callable[[], fix.SpeakerFix], done) -> None:
    try:
        result = work()
    except WorkbenchError as exc:
        screen.notify(str(exc), severity="error")
        return
    screen.notify(result.message)
    done()


def _confirmed(screen, coders: list[str], what: str, then: Callable[[bool], None]) -> None:
    """Go on at once if nothing is coded; else ask, and go on with ``force`` if the lead agrees."""
    if not coders:
        then(False)
        return
    screen.app.push_screen(
        Confirm(
            f"{what} is coded by {', '.join(coders)}. Change who said it and keep their codings? "
            "(Recorded in the audit trail.)"
        ),
        lambda yes: then(True) if yes else None,
    )


def _set(screen, store: Store, ref: str, label: str, done) -> None:
    _confirmed(
        screen,
        fix.comment_coders(store, ref),
        ref,
        lambda force: _run(screen, lambda: fix.set_comment_speaker(store, ref, label, force), done),
    )


def _rename(screen, store: Store, group: str, old: str, new: str, done) -> None:
    new = new.strip()
    if new != old and any(
        label.casefold() == new.casefold() and label != old
        for label in fix.group_labels(store, group)
    ):
        screen.app.push_screen(
            Confirm(f"{new!r} already speaks in {group}. Merge {old!r} into {new!r}?"),
            lambda yes: _merge(screen, store, group, old, new, done) if yes else None,
        )
        return
    _run(screen, lambda: fix.rename_speaker(store, group, old, new), done)


def _merge(screen, store: Store, group: str, source: str, target: str, done) -> None:
    _confirmed(
        screen,
        fix.speaker_coders(store, group, source),
        f"Some of {source!r}'s comments",
        lambda force: _run(
            screen, lambda: fix.merge_speakers(store, group, source, target, force), done
        ),
    )
