"""The scripting API's participants: who they are, their attributes and values, links between
groups, the participant sheet out and in (re-exported by :mod:`workbench.api`)."""

from __future__ import annotations

from pathlib import Path

from workbench.store import Store


def participants(project: Store) -> list:
    """Every participant: their speakers (one per group they spoke in) and attribute values."""
    from workbench.project.participants import participants as people

    return people(project)


def declare_attribute(
    project: Store,
    name: str,
    *,
    of: str = "participant",
    type: str = "text",
    choices: list[str] | tuple[str, ...] = (),
    hidden: bool = False,
):
    """Declare an attribute of participants or of focus groups (as `participants attribute`)."""
    from workbench.project.attributes import declared
    from workbench.project.participants import declare

    return declare(project, declared(name, of, type, choices, hidden))


def set_attributes(
    project: Store, values: dict, *, speaker: str | None = None, group: str | None = None
) -> list:
    """Set values of the participant ``speaker`` (``"FG1/Ruth"``) or of ``group``; checked and
    audited."""
    from workbench.project.participants import set_values

    return set_values(project, values, speaker=speaker, group=group)


def link_participants(project: Store, speakers: list[str], name: str | None = None):
    """Make speakers of different groups one participant (one person in both)."""
    from workbench.project.participants import link

    return link(project, speakers, name)


def export_participants(project: Store, out: str | Path, *, force: bool = False) -> Path:
    """The participant sheet (.csv or .xlsx), as `participants export`."""
    from workbench.exchange.participant_sheet import export
    from workbench.output import for_project

    return export(project, out, for_project(project, force))


def import_participants(project: Store, sheet: str | Path) -> list[str]:
    """Read a participant sheet back (all or nothing); the changes made."""
    from workbench.exchange import participant_sheet as S

    plan = S.plan(project, sheet)
    S.apply(project, plan)
    return plan.summary()
