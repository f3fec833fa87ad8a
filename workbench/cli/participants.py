"""The ``participants`` commands: who took part and their attributes.

``list``, ``attributes``, ``attribute`` (declare or change one), ``set``, ``link``, ``unlink``,
``rename``, ``export`` and ``import`` (a sheet of every participant, CSV or Excel).
"""

from __future__ import annotations

import click

from workbench.cli.common import echo_json, open_store, text_table

PROJECT = click.argument("project", type=click.Path(dir_okay=False))


@click.group()
def participants() -> None:
    """Participants and their attributes (site, condition, age group ...): list, set, link,
    attribute, export and import a sheet."""


@participants.command("list")
@PROJECT
@click.option("--group", help="Only this focus group (code or name).")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def list_(project: str, group: str | None, fmt: str) -> None:
    """Every participant: their speakers (group/label, role, comments) and attribute values."""
    from workbench.exchange.participant_sheet import sheet_rows
    from workbench.project.participants import find_group
    from workbench.project.participants import participants as people

    store = open_store(project)
    columns, rows = sheet_rows(store)
    if group:
        code = find_group(store, group).code
        rows = [r for r in rows if r["group"] == code]
    everyone = people(store)
    linked = [p for p in everyone if len(p.speakers) > 1]
    sample = sum(1 for p in everyone if p.comments)  # facilitators and observers are not
    if fmt == "json":
        echo_json(
            {
                "participants": len(everyone),
                "with_comments_to_code": sample,
                "speakers": sum(len(p.speakers) for p in everyone),
                "linked": [
                    {"name": p.name, "speakers": [s.ref for s in p.speakers]} for p in linked
                ],
                "rows": rows,
            }
        )
        return
    if not rows:
        click.echo("No speakers yet: import transcripts first.")
        return
    cells = [[r[c] for c in columns] for r in rows]
    click.echo(text_table(columns, cells, right={columns.index("comments")}))
    summary = (
        f"\n{len(everyone)} participant(s), {sum(len(p.speakers) for p in everyone)} speaker(s)"
    )
    if linked:
        summary += (
            f"; {len(linked)} took part in more than one group ("
            + "; ".join(f"{p.name}: {', '.join(p.groups)}" for p in linked)
            + ")"
        )
    click.echo(f"{summary}; {sample} made comments to code (the sample the reports count).")


@participants.command("attributes")
@PROJECT
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def attributes(project: str, fmt: str) -> None:
    """The declared attributes: of participants or of groups, type, choices, values recorded."""
    store = open_store(project)
    rows = []
    for a in store.attributes():
        values = store.attribute_values(a.name)
        rows.append(
            {
                "name": a.name,
                "of": a.scope,
                "type": a.type,
                "choices": list(a.choices),
                "hidden": a.hidden,
                "values": len(values),
                "description": a.description,
            }
        )
    if fmt == "json":
        echo_json(rows)
        return
    if not rows:
        click.echo(
            "No attributes yet: a roster's extra columns, `participants attribute` or "
            "`participants import` declare them."
        )
        return
    click.echo(
        text_table(
            ["attribute", "of", "type", "choices", "hidden from blind coders", "values"],
            [
                [
                    r["name"],
                    r["of"] + "s",
                    r["type"],
                    ", ".join(r["choices"]) or "-",
                    "yes" if r["hidden"] else "no",
                    r["values"],
                ]
                for r in rows
            ],
            right={5},
        )
    )


@participants.command("attribute")
@PROJECT
@click.argument("name")
@click.option(
    "--of",
    "scope",
    type=click.Choice(["participant", "group"]),
    help="A new attribute: of participants (default) or of focus groups.",
)
@click.option(
    "--type",
    "kind",
    type=click.Choice(["text", "number", "date", "choice"]),
    help="Its type (a new one: text by default; changing it converts the values).",
)
@click.option("--choices", help="A choice's list, comma-separated (e.g. CF,IBD).")
@click.option(
    "--hidden/--visible",
    default=None,
    help="Hidden from a coder who codes blind (e.g. a trial arm), or not.",
)
@click.option("--rename", help="A new name (its values go with it).")
@click.option("--description", help="What it records, for the team.")
@click.option(
    "--remove", is_flag=True, help="Remove the attribute and its values (kept in the audit trail)."
)
def attribute(project, name, scope, kind, choices, hidden, rename, description, remove) -> None:
    """Declare attribute NAME, or change or remove it."""
    from workbench.project import participants as P
    from workbench.project.attributes import declared

    store = open_store(project)
    listed = [c for c in (choices or "").split(",") if c.strip()] if choices is not None else None
    if remove:
        count = P.remove(store, name)
        click.echo(f"Removed attribute {name} and its {count} value(s).")
        return
    if store.attribute_named(name) is None:
        made = P.declare(
            store,
            declared(
                name,
                scope or "participant",
                kind or "text",
                listed or (),
                bool(hidden),
                description or "",
            ),
        )
        click.echo(
            f"Declared {made.name}: of {made.scope}s, {made.type}"
            + (f" ({', '.join(made.choices)})" if made.choices else "")
            + "."
        )
        return
    if scope:
        raise click.UsageError(
            f"--of: {name} exists already; an attribute keeps its scope "
            "(remove it and declare it again)"
        )
    made = P.change(store, name, kind, listed, hidden, rename, description)
    click.echo(
        f"Changed {made.name}: of {made.scope}s, {made.type}"
        + (f" ({', '.join(made.choices)})" if made.choices else "")
        + "."
    )


@participants.command("set")
@PROJECT
@click.argument("speaker", required=False)
@click.argument("values", nargs=-1, metavar="NAME=VALUE...")
@click.option("--group", help="Set attributes of this focus group instead of a participant.")
def set_(project: str, speaker: str | None, values: tuple[str, ...], group: str | None) -> None:
    """Set attribute values of the participant SPEAKER (GROUP/label), or of --group; NAME=
    clears."""
    from workbench.project.participants import set_values

    if group and speaker:
        values = (speaker, *values)
        speaker = None
    if not values:
        raise click.UsageError(
            "give NAME=VALUE pairs, e.g. `participants set P.db FG1/Ruth site=Leeds`"
        )
    pairs: dict[str, object] = {}
    for text in values:
        name, sep, value = text.partition("=")
        if not sep or not name.strip():
            raise click.UsageError(f"{text!r}: expected NAME=VALUE (NAME= clears the value)")
        pairs[name.strip()] = value
    changes = set_values(open_store(project), pairs, speaker=speaker, group=group)
    for c in changes:
        click.echo(f"{c.owner}: {c.attribute} {c.before or '(none)'} → {c.after or '(none)'}")
    if not changes:
        click.echo("Nothing changed: the values were already so.")


@participants.command("link")
@PROJECT
@click.argument("speakers", nargs=-1, required=True, metavar="GROUP/LABEL...")
@click.option("--as", "name", help="The participant's name (default: the shared label).")
def link(project: str, speakers: tuple[str, ...], name: str | None) -> None:
    """Make speakers of different groups one participant (one person who took part in both)."""
    from workbench.project.participants import link as link_

    person = link_(open_store(project), list(speakers), name)
    click.echo(f"Linked {', '.join(s.ref for s in person.speakers)} as {person.name}.")


@participants.command("unlink")
@PROJECT
@click.argument("speaker", metavar="GROUP/LABEL")
def unlink(project: str, speaker: str) -> None:
    """Make a linked speaker a participant of their own again (their values are copied)."""
    from workbench.project.participants import unlink as unlink_

    person = unlink_(open_store(project), speaker)
    click.echo(f"{person.speakers[0].ref} is a participant of their own again.")


@participants.command("rename")
@PROJECT
@click.argument("speaker", metavar="GROUP/LABEL")
@click.argument("name", required=False)
def rename(project: str, speaker: str, name: str | None) -> None:
    """Name the participant SPEAKER is (no NAME: back to GROUP/label)."""
    from workbench.project.participants import rename as rename_

    person = rename_(open_store(project), speaker, name)
    click.echo(f"{', '.join(s.ref for s in person.speakers)}: {person.name}.")


@participants.command("export")
@PROJECT
@click.argument("out", type=click.Path(dir_okay=False))
@click.option(
    "--force", is_flag=True, help="Replace an existing file that this project did not write."
)
def export(project: str, out: str, force: bool) -> None:
    """A sheet of every participant and value (.csv or .xlsx), to edit and import back."""
    from workbench.exchange.participant_sheet import export as write
    from workbench.output import for_project

    store = open_store(project)
    write(store, out, for_project(store, force))
    click.echo(f"Wrote {out}.")


@participants.command("import")
@PROJECT
@click.argument("sheet", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Show what would change; change nothing.")
def import_(project: str, sheet: str, dry_run: bool) -> None:
    """Read a participant sheet back: values, new attributes, links and names (all or nothing)."""
    from workbench.exchange import participant_sheet as S

    store = open_store(project)
    plan = S.plan(store, sheet)
    lines = plan.summary()
    count = len(lines) - len(plan.notes)  # the notes say how new columns were typed
    for line in lines:
        click.echo(line)
    if not count:
        click.echo("Nothing to change: the project has these values already.")
    elif dry_run:
        click.echo(f"Dry run: {count} change(s) to make; nothing was changed.")
    else:
        S.apply(store, plan)
        click.echo(f"Imported {sheet}: {count} change(s).")
