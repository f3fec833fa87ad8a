"""Reporting checklists: COREQ and SRQR item by item as published, filled from a project."""

import json

import pytest
from docx import Document

from workbench.demo import build_demo, code_demo
from workbench.errors import WorkbenchError
from workbench.evidence import retest, training
from workbench.evidence.blind import blind_session
from workbench.evidence.checklist import (
    AUTHORS,
    DRAFTED,
    PARTIAL,
    checklist,
    markdown,
    tables,
    write,
)
from workbench.evidence.guidelines import COREQ, SRQR
from workbench.evidence.saturation import Params
from workbench.evidence.saturation_project import saturation, save_run


def test_coreq_has_its_32_items_in_three_domains():
    assert [i.number for i in COREQ] == [str(n) for n in range(1, 33)]
    domains = [i.domain.split(" — ")[0] for i in COREQ]
    assert domains == (
        ["Domain 1: Research team and reflexivity"] * 8
        + ["Domain 2: Study design"] * 15
        + ["Domain 3: Analysis and findings"] * 9
    )
    by_number = {i.number: i for i in COREQ}
    assert by_number["1"][2:] == (
        "Interviewer/facilitator",
        "Which author/s conducted the interview or focus group?",
    )
    assert by_number["9"].domain == "Domain 2: Study design — Theoretical framework"
    assert by_number["22"][2:] == ("Data saturation", "Was data saturation discussed?")
    assert by_number["24"][2:] == ("Number of data coders", "How many data coders coded the data?")
    assert by_number["32"][2:] == (
        "Clarity of minor themes",
        "Is there a description of diverse cases or discussion of minor themes?",
    )
    subsections = list(dict.fromkeys(i.domain.split(" — ")[1] for i in COREQ))
    assert subsections == [
        "Personal characteristics",
        "Relationship with participants",
        "Theoretical framework",
        "Participant selection",
        "Setting",
        "Data collection",
        "Data analysis",
        "Reporting",
    ]


def test_srqr_has_its_21_standards():
    assert [i.number for i in SRQR] == [f"S{n}" for n in range(1, 22)]
    assert list(dict.fromkeys(i.domain for i in SRQR)) == [
        "Title and abstract",
        "Introduction",
        "Methods",
        "Results/findings",
        "Discussion",
        "Other",
    ]
    by_number = {i.number: i for i in SRQR}
    assert by_number["S15"].topic == "Techniques to enhance trustworthiness"
    assert by_number["S15"].guide.startswith(
        "Techniques to enhance trustworthiness and credibility of data analysis "
        "(e.g., member checking, audit trail, triangulation)"
    )
    assert by_number["S8"].guide.endswith(
        "criteria for deciding when no further sampling was necessary (e.g., "
        "sampling saturation); rationale"
    )
    assert by_number["S21"].topic == "Funding"


@pytest.fixture
def study(tmp_path):
    store, _ = build_demo(tmp_path / "demo.db")
    code_demo(store)
    save_run(
        store, saturation(store, Params(base=3, run=2))
    )  # the checklist reuses the last run's settings
    training.mark(store, ["FG1-002", "FG2-003", "FG3-002"])
    session = blind_session(store, "cai", "training")
    for item in store.training_items():
        session.set_category(item["comment_id"], item["category_key"])
        for theme in item["themes"]:
            session.toggle_theme(item["comment_id"], theme)
    retest.draw(store, "ana", 4, seed=1)
    session = blind_session(store, "ana", "retest")
    for comment_id in sorted(session.scope):
        session.set_category(comment_id, "defining", drop_themes=True)
    return store


def test_coreq_filled_from_the_coded_demo(study):
    result = checklist(study, "coreq")
    items = {i["number"]: i for i in result["items"]}
    assert len(items) == 32 and sum(result["counts"].values()) == 32
    assert items["12"]["status"] == DRAFTED
    assert items["12"]["text"] == (
        "23 participants: 8 health professionals (HP), 5 people with a chronic health "
        "condition (PwCHC), 9 parents and 1 teen, in five focus groups (counted per "
        "group from the speakers in the transcripts)."
    )
    assert items["22"]["status"] == DRAFTED
    assert "(base size 3, run length 2)" in items["22"]["text"]
    assert items["24"]["status"] == DRAFTED
    assert items["24"]["text"].startswith(
        "Two analysts (ana and ben) independently coded every one of the 122 "
        "participant comments. Their codings were then reconciled by lead: 97 "
    )
    assert (
        "Before reconciliation (round 1" in items["24"]["text"]
        and "Cohen's κ = " in items["24"]["text"]
    )
    assert items["27"]["status"] == DRAFTED and "Workbench (version" in items["27"]["text"]
    assert items["29"]["status"] == DRAFTED and "~HP" in items["29"]["text"]
    assert items["21"]["status"] == PARTIAL and "FG2 at least 61 min" in items["21"]["text"]
    assert "The transcripts of FG1 and FG5 have no time stamps." in items["21"]["text"]
    assert items["5"]["text"].startswith(
        "Coder calibration: cai coded 3 of the 3 comments of the training set"
    )
    assert "ana recoded 4 randomly drawn comments" in items["5"]["text"]
    assert items["2"]["status"] == AUTHORS and items["2"]["text"] == ""
    assert items["2"]["todo"] == "Give the facilitators' credentials (e.g. PhD, MD, RN)."
    assert all(i["todo"] for i in result["items"] if i["status"] != DRAFTED)
    assert all(not i["todo"] for i in result["items"] if i["status"] == DRAFTED)
    assert result["sources"] == {"agreement": "round 1", "saturation": "computed"}


def test_srqr_filled_and_written_as_markdown_word_and_json(study, tmp_path):
    result = checklist(study, "SRQR")
    items = {i["number"]: i for i in result["items"]}
    assert items["S12"]["status"] == DRAFTED and items["S12"]["text"].startswith(
        "The unit of analysis was the participant comment (a statement by one speaker): 122 comments from 23 "
        "participants"
    )
    assert items["S10"]["text"].startswith(
        "Five focus groups were held between 4 March 2025 and 20 May 2025: three "
        "individual stakeholder groups"
    )
    assert "audit trail" in items["S15"]["text"] and "Thematic saturation" in items["S15"]["text"]
    md = markdown(result)
    assert md.startswith(
        "# SRQR (Standards for Reporting Qualitative Research): Coproduction demo\n"
    )
    assert (
        "**Table 3. SRQR — Methods**" in md
        and "**Table 7. SRQR — what the authors still need to write**" in md
    )
    built = tables(result)
    assert [t.title for t in built][-1] == "SRQR — what the authors still need to write"
    assert len(built[-1].rows) == result["counts"][PARTIAL] + result["counts"][AUTHORS]
    doc = Document(write(result, tmp_path / "srqr.docx"))
    assert len(doc.tables) == 7
    assert [c.text for c in doc.tables[2].rows[0].cells] == [
        "No.",
        "Item",
        "Guide question",
        "Draft text for the manuscript",
        "Status",
        "Page",
    ]
    assert doc.tables[2].rows[8].cells[0].text == "S12"
    assert (
        json.loads(write(result, tmp_path / "srqr.json").read_text())["counts"] == result["counts"]
    )
    assert write(result, tmp_path / "srqr.md").read_text(encoding="utf-8") == md
    with pytest.raises(WorkbenchError, match=r"as \.md, \.docx or \.json"):
        write(result, tmp_path / "srqr.pdf")
    with pytest.raises(WorkbenchError, match="choose coreq or srqr"):
        checklist(study, "consort")


def test_an_uncoded_project_leaves_the_analysis_to_the_authors(tmp_path):
    store, _ = build_demo(tmp_path / "demo.db")
    items = {i["number"]: i for i in checklist(store, "coreq")["items"]}
    assert items["24"]["status"] == AUTHORS and items["22"]["status"] == AUTHORS
    assert items["22"]["todo"] == (
        "Discuss whether and how data saturation was reached. The project could not assess saturation (there is "
        "no agreed coding yet: reconcile the coders (`workbench reconcile`) or import an agreed coding "
        "(`workbench codings import --agreed`); --coder NAME reports one coder)."
    )
    assert items["29"]["status"] == AUTHORS
    assert items["12"]["status"] == DRAFTED  # participants are known from the transcripts alone
