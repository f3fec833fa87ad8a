"""What a reporting checklist can say about a project, gathered once: groups and dates,
participants by role, durations from transcript times, recording formats, coders and
reconciliation, codebook, agreement, saturation, training, retest, quotes, software.

Each fact is the project's own data; an item the project cannot answer is left out here
and listed for the authors by :mod:`workbench.evidence.checklist`.
"""

from __future__ import annotations

from workbench.coding.coder import AGREED
from workbench.errors import WorkbenchError
from workbench.project.lifecycle import active_codebook
from workbench.project.sample import sample
from workbench.store import Store

CAPTION_FORMATS = ("webvtt", "srt")


def participants(store: Store) -> dict:
    """Speakers with a participant role, counted as people: a label per group is one person,
    and speakers linked across groups (``workbench participants link``) are one."""
    roles = {r.key: r for r in store.roles()}
    by_role: dict[str, int] = {}
    staff: dict[str, list[str]] = {}
    unknown = 0
    counted: set[tuple[str, int]] = set()
    for s in store.speaker_entries():
        role = roles.get(s.role or "")
        if role is None:
            unknown += 1
        elif role.excluded:
            staff.setdefault(role.name, [])
            if s.group_code not in staff[role.name]:
                staff[role.name].append(s.group_code)
        elif (role.key, s.participant_id) not in counted:
            counted.add((role.key, s.participant_id))
            by_role[role.key] = by_role.get(role.key, 0) + 1
    order = [r.key for r in store.roles()]
    return {
        "by_role": {k: by_role[k] for k in order if k in by_role},
        "total": sum(by_role.values()),
        "role_names": {k: roles[k].name for k in by_role},
        "unknown_role": unknown,
        "staff": staff,
    }


def durations(store: Store) -> dict:
    """Per group, the span of its transcripts' times in minutes (a lower bound: the last turn's
    end is rarely stamped), and the groups whose transcripts have no times."""
    spans: dict[str, float] = {}
    untimed: list[str] = []
    formats: dict[str, list[str]] = {}
    for t in store.transcript_times():
        formats.setdefault(t["format"], []).append(t["group_code"])
        if t["timed"] and t["end_s"] is not None:
            spans[t["group_code"]] = (
                spans.get(t["group_code"], 0.0) + (t["end_s"] - t["start_s"]) / 60
            )
        elif t["group_code"] not in untimed:
            untimed.append(t["group_code"])
    untimed = [g for g in untimed if g not in spans]
    captions = sorted(
        {g for f, gs in formats.items() if f.split()[0].lower() in CAPTION_FORMATS for g in gs}
    )
    return {"minutes": spans, "untimed": untimed, "formats": formats, "captions": captions}


def agreement_headline(store: Store) -> tuple[str | None, str]:
    """The methods sentence on agreement before reconciliation: from frozen round 1, else computed
    now from the coders' independent codings (which reconciliation leaves as they were)."""
    from workbench.agreement.reliability import project_agreement
    from workbench.agreement.rounds import frozen_rounds, headline, report_headline

    rounds = frozen_rounds(store)
    if rounds:
        return headline(rounds[0]), "round 1"
    coders = [c.name for c in store.coders() if c.kind == "coder"]
    if len(coders) < 2:
        return None, "fewer than two coders"
    report = project_agreement(store, coders)
    return report_headline(report, "computed from the coders' independent codings"), "computed"


def saturation_facts(store: Store, **given) -> tuple[str | None, str]:
    """The saturation sentence with the last run's parameters (or ``given``), or why there is none."""
    from workbench.evidence.saturation_project import (
        latest_parameters,
        params_from,
        saturation,
    )
    from workbench.evidence.saturation_report import sentence

    params, rest = params_from(latest_parameters(store), **given)
    try:
        result = saturation(
            store, params, rest["coder"], rest["order"], rest["orders"], rest["seed"]
        )
    except WorkbenchError as exc:
        return None, str(exc)
    return sentence(result), "computed"


def evidence_sentences(store: Store) -> dict[str, list[str]]:
    """Training and retest sentences of every trainee and retested coder who has results."""
    from workbench.evidence import retest, text, training

    out: dict[str, list[str]] = {"training": [], "retest": []}
    if store.training_ids():
        for coder in store.scoped_coders("training"):
            try:
                report = training.training_report(store, coder.person or coder.name)
                out["training"].append(text.training_sentence(report))
            except WorkbenchError:
                continue
    for drawn in store.retest_samples():
        try:
            out["retest"].append(text.retest_sentence(retest.retest_report(store, drawn["coder"])))
        except WorkbenchError:
            continue
    return out


def themes_by_frequency(store: Store) -> tuple[list[tuple[str, int]], bool]:
    """(theme, behaviour comments carrying it) in the theme table's order, and whether provisional."""
    from workbench.reports import runs

    try:
        [table], record = runs.build(store, ["themes"], provisional=True)
    except WorkbenchError:
        return [], False
    data = table.data
    counts = (data["effective"] + data["ineffective"]).astype(int)
    return list(zip(data["theme"], counts, strict=True)), bool(record["not_agreed"])


def precoding(store: Store) -> str | None:
    """The methods sentence on pre-coding by a model (the newest run), if the model pre-coded."""
    from workbench.reports.methods import precode_sentence

    runs = store.precode_runs()
    if not runs:
        return None
    return precode_sentence(
        runs[-1]["summary"], store.review_items(runs[-1]["model_id"], "precode")
    )


def gather(store: Store, **saturation_options) -> dict:
    from workbench import __version__

    groups = store.group_summaries()
    dates = sorted(g.date for g in groups if g.date)
    states = store.reconciliations().values()
    agreed = store.coder_named(AGREED)
    book = active_codebook(store)
    facts = {
        "version": __version__,
        "project": store.project_info()["name"],
        "groups": groups,
        "dates": (dates[0], dates[-1]) if dates else None,
        "undated": [g.code for g in groups if not g.date],
        "comments": sum(g.codable for g in groups),
        "participants": participants(store),
        "sample": sample(store),
        "durations": durations(store),
        "coders": [c.name for c in store.coders() if c.kind == "coder"],
        "leads": sorted({s["decided_by"] for s in states if s["status"] != "auto"}),
        "reconciliation": {
            k: sum(1 for s in states if s["status"] == k)
            for k in ("auto", "resolved", "deferred", "imported")
        },
        "codebook": {
            "name": book["name"],
            "version": book["version"],
            "categories": store.categories(),
            "themes": store.themes(),
        },
        "exemplars": store.exemplar_count(agreed.id) if agreed else 0,
        "audit_rows": len(store.audit_rows()),
        "report_runs": len(store.report_runs()),
    }
    facts["agreement"], facts["agreement_source"] = agreement_headline(store)
    facts["saturation"], facts["saturation_source"] = saturation_facts(store, **saturation_options)
    facts["evidence"] = evidence_sentences(store)
    facts["themes_by_frequency"], facts["themes_provisional"] = themes_by_frequency(store)
    facts["precoding"] = precoding(store)
    return facts
