"""Commands that correct what was imported: ``transcripts list``, ``transcripts remove``,
``transcripts replace`` (a corrected file, keeping the codings of unchanged comments) and
``groups edit``."""

from __future__ import annotations

import click

from workbench.cli.common import FORMATS, echo_json, open_store, text_table


@click.group()
def transcripts() -> None:
    """List, remove or replace the transcripts of a project."""


@transcripts.command("list")
@click.argument("project", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True)
def transcripts_list(project: str, fmt: str) -> None:
    """Every transcript: its group, file, format, when imported, comments and codings."""
    from workbench.project.transcripts import list_transcripts

    rows = list_transcripts(open_store(project))
    if fmt == "json":
        echo_json([r.as_dict() for r in rows])
        return
    if not rows:
        click.echo("No transcripts yet: `workbench import PROJECT FILE...`")
        return
    click.echo(
        text_table(
            ["group", "file", "format", "imported", "comments", "to code", "codings", "to review"],
            [
                [
                    r.group_code,
                    r.filename,
                    r.format,
                    r.imported_at[:10],
                    r.comments,
                    r.codable,
                    ", ".join(f"{c} {n}" for c, n in r.codings.items()) or "-",
                    r.to_review or "-",
                ]
                for r in rows
            ],
            right={4, 5, 7},
        )
    )


@transcripts.command("remove")
@click.argument("project", type=click.Path(dir_okay=False))
@click.argument("target", metavar="FILE|GROUP")
@click.option(
    "--force",
    is_flag=True,
    help="Remove it even though its comments are coded (the codings go too).",
)
def transcripts_remove(project: str, target: str, force: bool) -> None:
    """Remove a transcript (its file name, or CODE/FILE) or a whole focus group (its code or
    name), with its comments. A backup is made first; refused while coded unless --force."""
    from workbench.project.transcripts import remove

    done = remove(open_store(project), target, force)
    codings = (
        f" and {done['codings']} coding(s) ("
        + ", ".join(f"{c} {n}" for c, n in done["by_coder"].items())
        + ")"
        if done["codings"]
        else ""
    )
    click.echo(
        f"Removed {done['removed']} {done['label']}: {done['comments']} comment(s){codings}."
    )
    click.echo(f"The project was backed up first: {done['backup']}", err=True)


@transcripts.command("replace")
@click.argument("project", type=click.Path(dir_okay=False))
@click.argument("old", metavar="OLD")
@click.argument("new", metavar="NEW", type=click.Path(dir_okay=False))
@click.option(
    "--role", "roles", multiple=True, metavar="LABEL=ROLE", help="Give speaker LABEL the role ROLE."
)
@click.option("--encoding", help="Force a text encoding instead of detecting it.")
@click.option(
    "--dry-run",
    is_flag=True,
    help="Show what would be kept, changed, removed and added; change nothing.",
)
@click.option(
    "--force", is_flag=True, help="Replace it even though comments with codings would be removed."
)
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True)
def transcripts_replace(project, old, new, roles, encoding, dry_run, force, fmt) -> None:
    """Replace transcript OLD (file name, or CODE/FILE) with the corrected file NEW.

    Turns are aligned by text: an unchanged comment keeps its ref and codings; a changed one
    keeps its ref and codings, marked for review (coders: "not sure"; the agreed coding:
    reopened in reconciliation); a removed one goes with its codings (refused unless --force);
    a new turn gets a new ref."""
    from workbench.ingest.replace import plan_replace, replace_transcript
    from workbench.project.roles import parse_role_options

    store = open_store(project)
    plan = plan_replace(store, old, new, encoding, parse_role_options(roles))
    if dry_run:
        _show_plan(plan, fmt)
        return
    done = replace_transcript(store, plan, force)
    if fmt == "json":
        echo_json(done)
        return
    click.echo(plan.summary() + ".")
    for change in done["changed"]:
        who = ", ".join(change["to_review"])
        click.echo(
            f"  changed {change['ref']}" + (f" (codings kept for review: {who})" if who else "")
        )
        click.echo(f"    was: {change['old']}")
        click.echo(f"    now: {change['new']}")
    if done["removed"]:
        lost = done["codings_removed"]
        click.echo(
            f"  removed {', '.join(done['removed'])}"
            + (
                f" with {sum(lost.values())} coding(s) ("
                + ", ".join(f"{c} {n}" for c, n in lost.items())
                + ")"
                if lost
                else ""
            )
        )
    if done["added"]:
        click.echo(f"  added {', '.join(done['added'])}")
    click.echo(f"The project was backed up first: {done['backup']}", err=True)


def _show_plan(plan, fmt: str) -> None:
    rows = []
    for pair in plan.pairs:
        old = plan.comments[pair.old] if pair.old is not None else None
        new = plan.parsed.turns[pair.new] if pair.new is not None else None
        rows.append(
            {
                "kind": pair.kind,
                "ref": old.ref if old else None,
                "coded_by": plan.coded.get(old.id, []) if old else [],
                "old": old.text if old else None,
                "new": new.text if new else None,
            }
        )
    if fmt == "json":
        echo_json({"summary": plan.summary(), "codings_removed": plan.lost, "turns": rows})
        return
    click.echo(plan.summary() + " (dry run: nothing was changed).")
    for row in rows:
        if row["kind"] != "same":
            coded = f" (coded by {', '.join(row['coded_by'])})" if row["coded_by"] else ""
            click.echo(
                f"  {row['kind']} {row['ref'] or 'new turn'}{coded}: {row['new'] or row['old']}"
            )


@click.group()
def groups() -> None:
    """Edit the focus groups of a project."""


@groups.command("edit")
@click.argument("project", type=click.Path(dir_okay=False))
@click.argument("group")
@click.option("--name", help="The group's new name.")
@click.option("--kind", help="individual or multi ('' clears it).")
@click.option("--date", help="The date the group met, YYYY-MM-DD ('' clears it).")
@click.option("--stakeholders", help="Stakeholder group(s) present, free text ('' clears it).")
def groups_edit(project: str, group: str, name, kind, date, stakeholders) -> None:
    """Change a focus group's name, kind, date or stakeholders (its code, which refs are
    made of, never changes). Audited."""
    from workbench.project.transcripts import edit_group

    if all(v is None for v in (name, kind, date, stakeholders)):
        raise click.UsageError("give at least one of --name, --kind, --date, --stakeholders")
    changes = edit_group(
        open_store(project), group, name=name, kind=kind, date=date, stakeholders=stakeholders
    )
    if not changes:
        click.echo(f"{group}: nothing to change.")
    for key, (before, after) in changes.items():
        click.echo(f"{key}: {before or '-'} → {after or '-'}")
