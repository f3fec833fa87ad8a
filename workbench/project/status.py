"""Read-only views of a project for the CLI and the app: status and comment lists."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from workbench.errors import ProjectError, RosterError
from workbench.project.lifecycle import active_codebook
from workbench.project.roles import find_role, parse_role_options
from workbench.store import Store

if TYPE_CHECKING:  # where imports attributes, which the status does not need
    from workbench.project.where import Where


def project_status(store: Store) -> dict[str, Any]:
    info = store.project_info()
    book = active_codebook(store)
    groups = [g.as_dict() for g in store.group_summaries()]  # (the status is JSON)
    totals = {
        key: sum(g[key] for g in groups)
        for key in ("transcripts", "speakers", "comments", "codable", "no_speaker", "words")
    }
    return {
        "name": info["name"],
        "path": str(store.path),
        "schema_version": store.schema_version(),
        "created_at": info["created_at"],
        "codebook": {
            "key": book["key"],
            "name": book["name"],
            "version": book["version"],
            "sha256": book["sha256"],
            "categories": len(store.categories()),
            "themes": len(store.themes()),
        },
        "groups": [
            {
                k: g[k]
                for k in (
                    "code",
                    "name",
                    "kind",
                    "date",
                    "stakeholders",
                    "transcripts",
                    "speakers",
                    "comments",
                    "codable",
                    "no_speaker",
                    "words",
                )
            }
            for g in groups
        ],
        "totals": totals,
        "speakers_without_role": [
            f"{s.label} ({s.group_name})" for s in store.speakers() if not s.role_key
        ],
        "coders": [c.name for c in store.coders() if c.kind == "coder"],
        "coded": _coded_per_coder(store),
        "needs_theme": needs_theme(store),
        "codebook_used": _versions_used(store),
        "to_review": to_review(store),
    }


def _versions_used(store: Store) -> dict[str, list[dict[str, Any]]]:
    """Per coder (and the agreed coding), the codebook versions their coding was made with."""
    from workbench.project.versions import versions_used

    names = [c.name for c in store.coders() if c.kind in ("coder", "agreed")]
    return {
        name: [
            {"version": u["version"], "codings": u["codings"]} for u in versions_used(store, name)
        ]
        for name in names
    }


def to_review(store: Store) -> dict[str, list[str]]:
    """Per coder (and the agreed coding), the refs of codings made before their comment's text
    was corrected (``transcripts replace``): they need a look."""
    out: dict[str, list[str]] = {}
    for row in store.codings_to_review():
        out.setdefault(row["coder"], []).append(row["ref"])
    return out


def _coded_per_coder(store: Store) -> dict[str, int]:
    """Comments each coder (and the agreed coding) has coded completely, over all groups:
    a category, and a theme where the category takes themes (as the coding screen counts)."""
    coded: dict[str, int] = {}
    for row in store.coder_progress():
        coded[row["coder"]] = coded.get(row["coder"], 0) + row["coded"]
    agreed = store.coder_named("agreed")
    if agreed:
        coded["agreed"] = store.complete_codings(agreed.id)[0]
    return coded


def needs_theme(store: Store) -> dict[str, int]:
    """Per coder, behaviour comments coded without a theme yet (not counted as coded)."""
    out: dict[str, int] = {}
    for row in store.coder_progress():
        out[row["coder"]] = out.get(row["coder"], 0) + row["needs_theme"]
    return {coder: n for coder, n in out.items() if n}


def comment_rows(
    store: Store, group: str | None = None, where: Where | None = None
) -> list[dict[str, Any]]:
    """Every comment as a flat record, in transcript order; with ``where`` (a
    :class:`workbench.project.where.Where`), only the comments meeting it."""
    group_id = None
    if group is not None:
        row = store.group_by_name(group)
        if row is None:
            names = ", ".join(g.name for g in store.groups()) or "none"
            raise ProjectError(f"--group {group!r}: no such focus group (groups: {names})")
        group_id = row.id
    chosen = where.comment_ids(store) if where else None
    return [
        {
            "ref": c.ref,
            "group": c.group_name,
            "order": c.position,
            "speaker": c.speaker,
            "role": c.role,
            "excluded": c.excluded,
            "text": c.text,
            "words": c.word_count,
            "start": c.start_s,
            "end": c.end_s,
            "no_speaker": c.no_speaker,
        }
        for c in store.comments(group_id)
        if chosen is None or c.id in chosen
    ]


def set_speaker_roles(store: Store, group: str, assignments: list[str] | tuple[str, ...]) -> None:
    """Assign roles to speakers of one group after import (``LABEL=ROLE`` strings)."""
    row = store.group_by_name(group)
    if row is None:
        raise ProjectError(f"--group {group!r}: no such focus group")
    roles = store.roles()
    speakers = {s.label: s for s in store.speakers(row.id)}
    with store.transaction():
        for label, role_text in parse_role_options(assignments).items():
            if label not in speakers:
                raise RosterError(
                    f"--set {label}={role_text}: no speaker {label!r} in {group!r} "
                    f"(speakers: {', '.join(speakers)})"
                )
            role = find_role(role_text, roles)
            if role is None:
                raise RosterError(
                    f"--set {label}={role_text}: unknown role; known roles: "
                    + ", ".join(r.key for r in roles)
                )
            store.set_speaker_role(speakers[label].id, role.key)
            store.audit(
                "set_role",
                "speaker",
                f"{row.code}/{label}",
                before=speakers[label].role_key,
                after=role.key,
            )
