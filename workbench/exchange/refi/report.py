"""What ``import_qdpx`` did (:class:`ImportReport`): every skip, guess and ambiguity is listed,
nothing is dropped silently; the CLI prints it (``cli/exchange.format_qdpx_report``) or gives
it as JSON."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class ImportReport:
    path: str
    project: str
    origin: str = ""
    codebook: str = ""  # "workbench codes", "other tool's codes" or "bundled codebook (no codes)"
    categories: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    code_mapping: list[str] = field(default_factory=list)
    renamed: list[str] = field(
        default_factory=list
    )  # codes of the same name kept apart (parent in the name)
    keyless: list[str] = field(
        default_factory=list
    )  # categories and themes past the keyboard: no shortcut
    coders: dict[str, str] = field(default_factory=dict)  # user → coder
    program_users: list[str] = field(
        default_factory=list
    )  # users that are the program itself, not coders
    sources: list[dict] = field(
        default_factory=list
    )  # name, group, transcript, comments, selections, unit
    skipped_sources: list[str] = field(default_factory=list)
    skipped_notes: list[str] = field(default_factory=list)
    not_imported: list[str] = field(
        default_factory=list
    )  # sets, graphs, links, notes on nothing, ...
    codings: dict[str, int] = field(default_factory=dict)  # coder → comments coded
    mapped_selections: int = 0
    ambiguous: list[dict] = field(default_factory=list)
    unmapped: list[dict] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    restored: str = (
        ""  # what a Workbench export's own data restored (empty: another program's file)
    )
    attributes: list[str] = field(
        default_factory=list
    )  # participants' and groups' attributes placed, and what could not be (.cases)

    def as_dict(self) -> dict:
        return asdict(self)
