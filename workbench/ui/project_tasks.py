"""The home screen's transcript and group tasks (``G`` on a group): edit the group, replace one
of its transcripts with a corrected file, remove a transcript or the whole group.

Each goes through the use-case function the command line uses (``project.transcripts``,
``ingest.replace``) after a confirmation that says what will be lost: the comments and refs
that go, the codings on them by coder, the changed comments whose codings are kept for
review; a backup is made first. Reading and aligning a corrected file runs in a worker.
Served to a browser, replacing is not offered: it reads a file on the server's disk.
"""

from __future__ import annotations

from workbench.errors import WorkbenchError
from workbench.store import Group

EDIT, REPLACE, REMOVE, REMOVE_GROUP = range(4)


def open_tasks(screen, code: str) -> None:
    """Offer the tasks for group ``code`` on the home ``screen``."""
    from workbench.ui.dialogs import Choose

    store = screen.store
    group = store.group_by_name(code)
    files = [t.filename for t in store.transcripts(group.id)]
    served = getattr(screen.app, "role", None) is not None
    options = [f"Edit group {code}: name, kind, date, stakeholders"]
    actions = [EDIT]
    if files and not served:
        options.append(
            f"Replace a transcript of {code} with a corrected file (keeps the codings of unchanged "
            "comments)"
        )
        actions.append(REPLACE)
    if files:
        options.append(f"Remove a transcript of {code}")
        actions.append(REMOVE)
    options.append(f"Remove the whole group {code} ({group.name})")
    actions.append(REMOVE_GROUP)

    def chosen(index: int | None) -> None:
        if index is None:
            return
        action = actions[index]
        if action == EDIT:
            _edit(screen, group)
        elif action == REMOVE_GROUP:
            _confirm_removal(screen, group.code)
        else:
            _pick_file(screen, group, files, action)

    screen.app.push_screen(Choose(f"Transcripts and group {code}", options), chosen)


def _pick_file(screen, group: Group, files: list[str], action: int) -> None:
    from workbench.ui.dialogs import Choose

    def then(name: str) -> None:
        target = f"{group.code}/{name}"
        _ask_new_file(screen, target) if action == REPLACE else _confirm_removal(screen, target)

    if len(files) == 1:
        then(files[0])
        return
    screen.app.push_screen(
        Choose("Which transcript?", files), lambda i: then(files[i]) if i is not None else None
    )


def _edit(screen, group: Group) -> None:
    from workbench.project.transcripts import edit_group
    from workbench.store import default_actor
    from workbench.ui.dialogs import FormDialog

    done: list[dict] = []

    def check(values: dict) -> str | None:
        try:
            done.append(
                edit_group(
                    screen.store,
                    group.code,
                    actor=getattr(screen.app, "user", None) or default_actor(),
                    **values,
                )
            )
        except WorkbenchError as exc:
            return str(exc)
        return None

    def closed(values: dict | None) -> None:
        if values is not None:
            changes = done[-1] if done else {}
            screen.notify(
                f"Group {group.code}: "
                + (
                    "; ".join(f"{k} {a or '-'} → {b or '-'}" for k, (a, b) in changes.items())
                    or "nothing changed"
                )
                + "."
            )
            screen.action_refresh()

    values = group.as_dict()
    fields = [(key, key, values[key] or "") for key in ("name", "kind", "date", "stakeholders")]
    screen.app.push_screen(
        FormDialog(
            f"Edit focus group {group.code} (kind: individual or multi; date: YYYY-MM-DD; its "
            "code never changes)",
            fields,
            check,
        ),
        closed,
    )


def _confirm_removal(screen, target: str) -> None:
    from workbench.project.transcripts import plan_removal, remove

    try:
        plan = plan_removal(screen.store, target)
    except WorkbenchError as exc:
        screen.notify(str(exc), severity="error")
        return
    lost = " These codings are lost from the project." if plan.coded else ""
    question = (
        f"Remove {plan.kind} {plan.what_goes()}?{lost} A backup of the project is made first, and "
        "the audit trail records what went."
    )
    _confirm_and_run(
        screen,
        question,
        lambda actor: remove(screen.store, target, True, actor),
        lambda done: (
            f"Removed {done['label']}: {done['comments']} comment(s), {done['codings']} coding(s)."
        ),
    )


def _confirm_and_run(screen, question: str, action, said) -> None:
    """Ask ``question``; on yes run ``action(actor)`` (the use case, forced: the user has seen what
    is lost), say ``said(result)`` and where the backup is, and refresh the home screen."""
    from workbench.store import default_actor
    from workbench.ui.dialogs import Confirm

    def answered(yes: bool) -> None:
        if not yes:
            return
        try:
            done = action(getattr(screen.app, "user", None) or default_actor())
        except WorkbenchError as exc:
            screen.notify(str(exc), severity="error")
            return
        screen.notify(f"{said(done)} Backup: {done['backup']}")
        screen.action_refresh()

    screen.app.push_screen(Confirm(question), answered)


def _ask_new_file(screen, target: str) -> None:
    from workbench.ui.dialogs import Prompt

    def given(path: str | None) -> None:
        if path and path.strip():
            screen.notify(f"Reading {path.strip()} and aligning it with {target}…")
            screen.run_worker(
                lambda: _plan(screen, target, path.strip()), thread=True, group="replace"
            )

    screen.app.push_screen(
        Prompt(f"The corrected file for {target}", placeholder="path of the corrected transcript"),
        given,
    )


def _plan(screen, target: str, path: str) -> None:
    """In a worker: read and align the corrected file, then ask on the UI thread."""
    from workbench.ingest.replace import plan_replace

    try:
        plan = plan_replace(screen.store, target, path)
    except WorkbenchError as exc:
        screen.app.call_from_thread(screen.notify, str(exc), severity="error")
        return
    screen.app.call_from_thread(_confirm_replace, screen, plan)


def _confirm_replace(screen, plan) -> None:
    from workbench.ingest.replace import replace_transcript

    parts = [plan.summary() + "."]
    changed = plan.changed_refs()
    if changed:
        more = " …" if len(changed) > 10 else ""
        parts.append(
            f"Changed: {', '.join(changed[:10])}{more}; their codings are kept, marked for review "
            "(coders: not sure; the agreed coding reopens in reconciliation)."
        )
    if plan.lost:
        lost = ", ".join(f"{c} {n}" for c, n in plan.lost.items())
        parts.append(
            f"Removed with their codings: {', '.join(plan.removed_refs()[:10])} ({lost}); these "
            "codings are lost."
        )
    parts.append("A backup of the project is made first. Replace it?")
    _confirm_and_run(
        screen,
        " ".join(parts),
        lambda actor: replace_transcript(screen.store, plan, True, actor),
        lambda done: (
            f"Replaced {done['transcript']}: {done['unchanged']} unchanged, {len(done['changed'])} "
            f"changed (to review), {len(done['removed'])} removed, {len(done['added'])} added."
        ),
    )
