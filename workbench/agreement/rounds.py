"""Frozen agreement rounds: a project's report saved as a numbered :class:`Round` a methods
section can cite ("round 1" is the agreement before reconciliation), read back into the
report's dataclasses (:func:`frozen_rounds`, older project files too), removed, and cited
(:func:`headline`, :func:`rounds_table`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from workbench.agreement.presentation import fmt_estimate, short_estimate
from workbench.agreement.results import AgreementReport, PairAgreement
from workbench.errors import WorkbenchError
from workbench.store import Store, default_actor


@dataclass(frozen=True, slots=True)
class Round:
    """One frozen round: its number and label, the coders, the codebook and codings' digests,
    the report as it was, and who froze it when. ``as_dict()`` is the row the project keeps."""

    id: int
    number: int
    label: str
    coders: tuple[str, ...]
    codebook_sha256: str
    fingerprint: str
    report: AgreementReport
    created_by: str
    created_at: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "number": self.number,
            "label": self.label,
            "coders": list(self.coders),
            "codebook_sha256": self.codebook_sha256,
            "fingerprint": self.fingerprint,
            "report": self.report.as_dict(),
            "created_by": self.created_by,
            "created_at": self.created_at,
        }

    @classmethod
    def from_dict(cls, row: Mapping[str, Any]) -> Round:
        return cls(
            row["id"],
            row["number"],
            row["label"],
            tuple(row["coders"]),
            row["codebook_sha256"],
            row["fingerprint"],
            AgreementReport.from_dict(row["report"]),
            row["created_by"],
            row["created_at"],
        )


def frozen_rounds(store: Store) -> list[Round]:
    """The project's rounds, in order, each report read back into its dataclasses."""
    return [Round.from_dict(row) for row in store.rounds()]


def freeze_round(
    store: Store, report: AgreementReport, label: str | None = None, actor: str | None = None
) -> int:
    """Save ``report`` (a project's, with its scope) as the next agreement round; return its
    number. Refused when nothing changed since the last round (same coders, codings,
    codebook and scope): it would be the same round twice."""
    scope = report.scope
    if scope is None or scope.fingerprint is None:
        raise ValueError("only a project's report (with its scope) can be frozen")
    with store.transaction():
        rounds = frozen_rounds(store)
        if rounds and _same(rounds[-1].report, report):
            last = rounds[-1]
            named = "" if last.label == f"round {last.number}" else f"{last.label}, "
            raise WorkbenchError(
                f"nothing changed since round {last.number} ({named}frozen "
                f"{last.created_at[:10]}): this report is identical to round "
                f"{last.number} (same coders, codings and codebook); nothing "
                "was frozen"
            )
        number = max((r.number for r in rounds), default=0) + 1
        label = label or f"round {number}"
        number = store.add_round(
            label,
            list(report.coders),
            scope.codebook_sha256,
            scope.fingerprint,
            report.as_dict(),
            actor or default_actor(),
        )
        store.audit(
            "freeze",
            "agreement_round",
            str(number),
            after={"label": label, "coders": list(report.coders), "fingerprint": scope.fingerprint},
            actor=actor,
        )
    return number


def _same(frozen: AgreementReport, report: AgreementReport) -> bool:
    keys = ("group", "codebook_sha256", "fingerprint", "suggested")
    was, now = frozen.scope, report.scope
    return frozen.coders == report.coders and all(
        getattr(was, k, None) == getattr(now, k, None) for k in keys
    )


def unfreeze_round(store: Store, number: int, actor: str | None = None) -> Round:
    """Remove agreement round ``number``, audited with what it held (its headline and
    fingerprint); returns the round removed."""
    with store.transaction():
        rounds = frozen_rounds(store)
        found = next((r for r in rounds if r.number == number), None)
        if found is None:
            have = ", ".join(str(r.number) for r in rounds) or "none"
            raise WorkbenchError(
                f"--unfreeze {number}: no agreement round {number} (rounds: {have})"
            )
        store.delete_round(number)
        store.audit(
            "unfreeze",
            "agreement_round",
            str(number),
            before={
                "label": found.label,
                "coders": list(found.coders),
                "fingerprint": found.fingerprint,
                "codebook_sha256": found.codebook_sha256,
                "created_by": found.created_by,
                "created_at": found.created_at,
                "headline": headline(found),
            },
            actor=actor,
        )
    return found


def headline(round_: Round) -> str:
    """One sentence for a methods section from a frozen round."""
    return report_headline(round_.report, round_.label, round_.created_at[:10])


def report_headline(report: AgreementReport, label: str, frozen: str | None = None) -> str:
    """:func:`headline` of a report (``label``: what it is, ``frozen``: the date it was)."""
    pair = report.pairs[0]
    a, b = pair.coders
    cat = pair.category
    themes = pair.themes["theme_taking"]
    when = f"{label}, frozen {frozen}" if frozen is not None else label
    everyone = ""
    if len(report.coders) > 2:
        every = report.category
        assert every.fleiss_kappa is not None  # three or more coders have it
        everyone = (
            f"Across all {len(report.coders)} coders, category agreement was Fleiss' κ = "
            f"{short_estimate(every.fleiss_kappa)} "
            f"(Krippendorff's α = {short_estimate(every.krippendorff_alpha)}); "
            "for the first pair: "
        )
    return everyone + (
        f"Before reconciliation ({when}), {a} and {b} agreed on the "
        f"category of {fmt_estimate(cat.percent_agreement, True).split(' ')[0]} of the {cat.n} "
        f"comments both coded (Cohen's κ = {short_estimate(cat.cohen_kappa)}; "
        f"Krippendorff's α = {short_estimate(cat.krippendorff_alpha)}); "
        f"on the themes of the {themes.n} comments both placed in a behaviour category, pooled "
        f"κ = {short_estimate(themes.pooled_kappa)} and Krippendorff's α with MASI distance = "
        f"{short_estimate(themes.masi_alpha)}."
    )


def _picks(pair: PairAgreement) -> list[str]:
    themes = pair.themes["theme_taking"]
    return [
        str(pair.category.n),
        fmt_estimate(pair.category.percent_agreement, True),
        short_estimate(pair.category.cohen_kappa),
        short_estimate(pair.category.krippendorff_alpha),
        short_estimate(pair.polarity.cohen_kappa),
        short_estimate(themes.pooled_kappa),
        short_estimate(themes.masi_alpha),
    ]


_PICKED = [
    "comments coded by both",
    "category % agreement",
    "category kappa",
    "category alpha",
    "polarity kappa",
    "themes pooled kappa",
    "themes MASI alpha",
]


def rounds_table(rounds: list[Round]) -> tuple[list[str], list[list[str]]]:
    """Rounds side by side: one column per round, one row per headline statistic."""
    header = ["statistic", *(f"{r.number}: {r.label}" for r in rounds)]
    columns = [_picks(r.report.pairs[0]) for r in rounds]
    body = [[label, *(column[k] for column in columns)] for k, label in enumerate(_PICKED)]
    body.append(["coders", *(" × ".join(r.coders) for r in rounds)])
    body.append(["frozen", *(f"{r.created_at[:10]} by {r.created_by}" for r in rounds)])
    return header, body
