"""Commands on who speaks: ``roles`` (the project's speaker roles) and ``speakers`` (each
group's speakers: a role, a new label, two labels merged, one comment's speaker)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from workbench.cli.common import open_store, text_table

if TYPE_CHECKING:
    from workbench.store import Store


@click.command()
@click.argument("project", type=click.Path(dir_okay=False))
@click.option(
    "--add", nargs=2, metavar="KEY NAME", help="Add a role, e.g. --add Sibling 'Sibling'."
)
@click.option(
    "--excluded", is_flag=True, help="With --add: comments of this role are not coded by default."
)
def roles(project: str, add: tuple[str, str] | None, excluded: bool) -> None:
    """List the project's speaker roles, or add one."""
    from workbench.project.roles import find_role

    store = open_store(project)
    if add:
        key, name = add
        known = store.roles()
        if find_role(key, known) or find_role(name, known):
            raise click.ClickException(
                f"--add {key} {name!r}: a role with this key or name already exists"
            )
        with store.transaction():
            store.add_role(key, name, excluded)
            store.audit("create", "role", key, after={"name": name, "excluded": excluded})
    click.echo(
        text_table(
            ["key", "name", "coded", "also matches"],
            [
                [r.key, r.name, "no" if r.excluded else "yes", ", ".join(r.aliases)]
                for r in store.roles()
            ],
        )
    )


@click.command()
@click.argument("project", type=click.Path(dir_okay=False))
@click.option("--group", help="Only this focus group (name or code).")
@click.option(
    "--set",
    "assignments",
    multiple=True,
    metavar="LABEL=ROLE",
    help="Give speaker LABEL (in --group) the role ROLE; re-derives exclusion of their comments.",
)
@click.option(
    "--rename",
    "renames",
    multiple=True,
    metavar="OLD=NEW",
    help="Call speaker OLD (in --group) NEW.",
)
@click.option(
    "--merge",
    "merges",
    multiple=True,
    metavar="FROM=INTO",
    help="Make FROM's comments INTO's (one person under two labels, in --group).",
)
@click.option(
    "--comment",
    "ref",
    metavar="REF",
    help="With --speaker: the comment (e.g. FG1-006) to give a speaker.",
)
@click.option(
    "--speaker",
    "label",
    metavar="LABEL",
    help="With --comment: its speaker (a new one if none matches).",
)
@click.option(
    "--force",
    is_flag=True,
    help="Change the speaker of coded comments too (their codings are kept).",
)
def speakers(
    project: str,
    group: str | None,
    assignments: tuple[str, ...],
    renames: tuple[str, ...],
    merges: tuple[str, ...],
    ref: str | None,
    label: str | None,
    force: bool,
) -> None:
    """List speakers with their roles and comment counts; set a role, rename a label, merge two
    labels into one speaker, or give one comment its speaker (every change audited)."""
    from workbench.project import speakers as fix

    store = open_store(project)
    if (ref is None) != (label is None):
        raise click.UsageError(
            "--comment and --speaker go together: --comment FG1-006 --speaker p3"
        )
    if (assignments or renames or merges) and not group:
        raise click.UsageError(
            "--set, --rename and --merge need --group: speaker labels are per focus group"
        )
    if group:  # (--set, --rename and --merge need it: checked above)
        _change_speakers(store, group, assignments, renames, merges, force)
    if ref is not None and label is not None:  # (both or neither: checked above)
        click.echo(fix.set_comment_speaker(store, ref, label, force).message)
    group_row = store.group_by_name(group) if group else None
    if group and group_row is None:
        raise click.ClickException(f"--group {group!r}: no such focus group")
    rows = store.speakers(group_row.id if group_row else None)
    click.echo(
        text_table(
            ["group", "speaker", "role", "comments", "words"],
            [[s.group_name, s.label, s.role_key or "-", s.comments, s.words] for s in rows],
            right={3, 4},
        )
    )


def _change_speakers(
    store: Store,
    group: str,
    assignments: tuple[str, ...],
    renames: tuple[str, ...],
    merges: tuple[str, ...],
    force: bool,
) -> None:
    """``speakers --set/--rename/--merge`` in one group."""
    from workbench.project import speakers as fix
    from workbench.project.status import set_speaker_roles

    if assignments:
        set_speaker_roles(store, group, assignments)
    for option, pairs, run in (
        ("--rename", renames, lambda a, b: fix.rename_speaker(store, group, a, b)),
        ("--merge", merges, lambda a, b: fix.merge_speakers(store, group, a, b, force)),
    ):
        for pair in pairs:
            old, sep, new = pair.rpartition("=")
            if not sep or not old.strip() or not new.strip():
                raise click.UsageError(
                    f"{option} {pair!r}: expected {option[2:].upper()} LABEL=LABEL"
                )
            click.echo(run(old.strip(), new.strip()).message)
