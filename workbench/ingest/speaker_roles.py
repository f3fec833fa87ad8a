"""The import's roster and role checks: which role each speaker label is given, and whether
every label given a role speaks in the files read.

Roles come from the roster (with its line numbers) and ``--role LABEL=ROLE``, each checked
against the project's roles; a label is matched in any case and spacing, as the parser reads
it. A file already in the project takes no roles: its report says the command that gives them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from workbench.errors import RosterError
from workbench.ingest.roster import load_roster
from workbench.ingest.transcript.labels import key
from workbench.project.roles import find_role
from workbench.store import Group, Role, Store

if TYPE_CHECKING:
    from workbench.ingest.import_read import Planned


def role_assignments(
    roster: str | Path | None, options: dict[str, str], roles: list[Role]
) -> dict[str, tuple[str, str, int]]:
    """Speaker label → (role key, where it came from, line) from the roster and --role."""
    entries: dict[str, tuple[str, str, int]] = {}
    if roster is not None:
        for label, (role, line) in load_roster(roster).items():
            entries[label] = (role, f"{roster}: line {line}" if line else str(roster), line)
    for label, role in options.items():
        entries[" ".join(label.split())] = (role, f"--role {label}={role}", 0)
    resolved = {}
    for label, (role_text, where, line) in entries.items():
        found = find_role(role_text, roles)
        if found is None:
            raise RosterError(
                f"{where}: unknown role {role_text!r} for speaker {label!r}; known roles: "
                + ", ".join(r.key for r in roles)
                + " (add one with `workbench roles PROJECT --add KEY NAME`)"
            )
        resolved[label] = (found.key, where, line)
    return resolved


def check_roster_speakers(
    store: Store,
    planned: list[Planned],
    assignments: dict[str, tuple[str, str, int]],
    roster: str | Path | None,
) -> None:
    """Every speaker the roster and --role name speaks in one of the files. A label is matched
    in any case and spacing, as the parser reads it; a file already imported (unchanged) takes
    no roles, which its report says with the command that gives them."""
    spoken: set[str] = set()
    for plan in planned:
        if plan.parsed is not None:
            spoken |= {t.speaker for t in plan.parsed.turns if t.speaker}
        else:
            group = store.group_by_name(plan.group)
            labels = {s.label for s in store.speakers(group.id)} if group else set()
            spoken |= labels
            if group and plan.report is not None:
                plan.report.warnings += _not_given(store, group, labels, assignments)
    keys = {key(label) for label in spoken}
    for label, (_, where, _line) in assignments.items():
        if key(label) not in keys:
            files = ", ".join(p.path.name for p in planned)
            found = ", ".join(sorted(spoken)) or "none"
            raise RosterError(
                f"{where}: speaker {label!r} does not speak in {files} (speakers found: {found}); "
                "fix the spelling or remove the entry. Nothing was imported."
            )


def _not_given(
    store: Store, group: Group, labels: set[str], assignments: dict[str, tuple[str, str, int]]
) -> list[str]:
    """The roles an unchanged file's speakers are not given, each with the command that would."""
    notes = []
    for label, (role, where, _line) in assignments.items():
        for spoken in sorted(s for s in labels if key(s) == key(label)):
            notes.append(
                f"{where}: not applied, the file is already in the project; give the role with "
                f"`workbench speakers {store.path.name} --group {group.code} "
                f'--set "{spoken}={role}"`'
            )
    return notes
