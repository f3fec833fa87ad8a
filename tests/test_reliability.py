"""Agreement of a project's coders: CLI formats, frozen rounds, the methods paragraph."""

import csv
import io
import json

import pytest
from helpers import run_cli

from workbench.agreement.reliability import codings, project_agreement
from workbench.agreement.report import agreement_report
from workbench.coding.session import CodingSession
from workbench.ingest.importer import import_transcripts
from workbench.project.lifecycle import init_project
from workbench.reports.methods import methods_paragraph

run = run_cli


PLAN = [  # (ana, ben) category and themes per comment; comment 8 is coded by ana only
    (("effective", "listening"), ("effective", "listening")),
    (("effective", "listening", "mutuality"), ("effective", "mutuality")),
    (("ineffective", "role_shift"), ("ineffective", "role_shift")),
    (("defining",), ("defining",)),
    (("benefits",), ("defining",)),
    (("ineffective", "listening"), ("effective", "listening")),
    (("defining",), ("defining",)),
    (("benefits",), None),
]


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    store = init_project(tmp_path / "p.db")
    (tmp_path / "fg.txt").write_text(
        "\n\n".join(f"{'Ann' if n % 2 else 'Bob'}: Comment {n}." for n in range(8))
    )
    import_transcripts(store, [tmp_path / "fg.txt"], roles={"Ann": "HP", "Bob": "Parent"})
    ids = [c.id for c in store.comments()]
    for name, side in (("ana", 0), ("ben", 1)):
        session = CodingSession.start(store, name)
        for comment_id, plan in zip(ids, PLAN, strict=True):
            codes = plan[side]
            if codes:
                session.set_category(comment_id, codes[0])
                for theme in codes[1:]:
                    session.toggle_theme(comment_id, theme)
    return store


def test_project_agreement_equals_the_module_on_the_same_codings(project):
    report = project_agreement(project, bootstrap=200, seed=7)
    data, _ = codings(project, ["ana", "ben"])
    assert len(data["ana"]) == 8 and len(data["ben"]) == 7
    direct = agreement_report(
        data,
        ["defining", "effective", "ineffective", "benefits"],
        ["effective", "ineffective"],
        ["effective"],
        ["ineffective"],
        [t.key for t in project.themes()],
        bootstrap=200,
        seed=7,
    )
    assert report.pairs == direct.pairs
    category = report.pairs[0].category
    assert category.n == 7 and category.percent_agreement.value == pytest.approx(5 / 7)


def test_agreement_cli_formats(project, capsys):
    code, out, _ = run(capsys, "agreement", "p.db", "--bootstrap", "100", "--format", "md")
    assert code == 0
    assert "| Category | 7 | 71.4% |" in out
    assert "missing for the other, never agreement" in out
    # A theme neither coder used: undefined with its reason, never 0.
    assert "| Empowerment | 0% | 0% | 100.0% | undefined:" in out
    code, out, _ = run(capsys, "agreement", "p.db", "--format", "json", "--bootstrap", "0")
    assert json.loads(out)["coders"] == ["ana", "ben"]
    code, out, _ = run(capsys, "agreement", "p.db", "--format", "csv", "--bootstrap", "0")
    rows = list(csv.DictReader(io.StringIO(out)))
    kappa = [r for r in rows if r["layer"] == "category" and r["statistic"] == "Cohen's kappa"][0]
    assert float(kappa["value"]) == pytest.approx(0.6, abs=0.2) and kappa["n"] == "7"
    undefined = [
        r for r in rows if r["theme"] == "Empowerment" and r["statistic"] == "Cohen's kappa"
    ]
    assert undefined[0]["value"] == "" and undefined[0]["undefined_reason"]
    code, _, err = run(capsys, "agreement", "p.db", "--coders", "ana", "zoe")
    assert code == 1 and "no coder 'zoe'" in err


def test_rounds_are_frozen_and_shown_side_by_side(project, capsys):
    code, _, err = run(capsys, "agreement", "p.db", "--freeze", "--bootstrap", "100")
    assert code == 0 and "round 1" in err
    # The analysts clarify the codebook and ben re-codes comment 5.
    session = CodingSession.start(project, "ben")
    session.set_category(project.comments()[4].id, "benefits")
    run(
        capsys,
        "agreement",
        "p.db",
        "--freeze",
        "--label",
        "after clarifying benefits",
        "--bootstrap",
        "100",
    )
    code, out, _ = run(capsys, "agreement", "p.db", "--rounds")
    assert code == 0 and "1: round 1" in out and "2: after clarifying benefits" in out
    assert "71.4%" in out and "85.7%" in out
    first, second = project.rounds()
    assert first["fingerprint"] != second["fingerprint"]
    assert [r["action"] for r in project.audit_rows()].count("freeze") == 2


def test_methods_paragraph_cites_round_one(project, capsys):
    run(capsys, "agreement", "p.db", "--freeze", "--bootstrap", "100")
    text = methods_paragraph(project)
    assert text.startswith("One focus group yielded 8 participant comments")
    assert "Two analysts independently mapped each comment" in text
    assert (
        "Before reconciliation (round 1" in text
        and "ana and ben agreed on the category of 71.4% of the 7" in text
    )
    assert "Cohen's κ = " in text and "MASI distance" in text


def test_methods_paragraph_before_anyone_coded(tmp_path):
    """Not "0 analysts independently mapped", nor "1 comments have"."""
    store = init_project(tmp_path / "p.db")
    (tmp_path / "fg.txt").write_text("Facilitator: Hello.\n\nAnn: We plan together.\n")
    import_transcripts(store, [tmp_path / "fg.txt"], roles={"Ann": "HP"})
    text = methods_paragraph(store)
    assert text.startswith("One focus group yielded 1 participant comment (facilitator")
    assert "0 analysts" not in text
    assert (
        " No analysts have coded yet; the codebook maps each comment to one of 4 categories" in text
    )
    assert text.endswith(
        " 1 comment has no agreed coding yet; tables computed now are provisional."
    )


def test_three_coders_get_fleiss_kappa_in_every_format(project, capsys):
    session = CodingSession.start(
        project, "cai"
    )  # a third coder: ana's codes, but one comment differs
    for comment_id, plan in zip([c.id for c in project.comments()], PLAN, strict=True):
        codes = ("defining",) if plan[0] == ("benefits",) and plan[1] is None else plan[0]
        session.set_category(comment_id, codes[0])
        for theme in codes[1:]:
            session.toggle_theme(comment_id, theme)
    code, out, _ = run(
        capsys, "agreement", "p.db", "--bootstrap", "100", "--seed", "3", "--format", "md"
    )
    assert code == 0 and "## All 3 coders" in out
    every = out.split("## All 3 coders")[1].split("##")[0]
    assert "Fleiss' kappa" in every and "over the 7 coded by all of them" in every
    code, out, _ = run(capsys, "agreement", "p.db", "--format", "csv", "--bootstrap", "0")
    fleiss = [r for r in csv.DictReader(io.StringIO(out)) if r["statistic"] == "Fleiss' kappa"]
    assert [(r["coders"], r["layer"], r["n"]) for r in fleiss] == [("all", "category", "7")]
    report = project_agreement(project, bootstrap=0)
    assert fleiss[0]["value"] == str(report.category.fleiss_kappa.value)
    run(capsys, "agreement", "p.db", "--freeze", "--bootstrap", "100")
    assert "Across all 3 coders, category agreement was Fleiss' κ = " in methods_paragraph(project)


def test_agreement_text_fits_80_columns_and_tables_go_to_word_and_excel(
    coded_demo, tmp_path, capsys
):
    """The demo's report (every theme, long category names) in 80 columns; the same rows as Word
    and Excel tables through the output rule, like the report tables."""
    import docx
    from helpers import copy_project
    from openpyxl import load_workbook
    from rich.cells import cell_len

    copy_project(coded_demo, tmp_path).close()
    project = str(tmp_path / "demo.db")
    code, text, _ = run(capsys, "agreement", project, "--bootstrap", "200")
    assert code == 0 and max(cell_len(line) for line in text.splitlines()) <= 80
    assert "\nCategory             122   98.4%  .975" in text
    assert "q = 4 for the category" in " ".join(text.split())
    assert "-.000" not in text
    code, _, err = run(capsys, "agreement", project, "--format", "docx")
    assert code == 2 and "--format docx writes a file: add --out FILE.docx" in err
    for fmt in ("docx", "xlsx"):
        code, _, err = run(
            capsys,
            "agreement",
            project,
            "--bootstrap",
            "200",
            "--format",
            fmt,
            "--out",
            str(tmp_path / f"agreement.{fmt}"),
        )
        assert code == 0 and f"Wrote {tmp_path / f'agreement.{fmt}'}." in err
    document = docx.Document(tmp_path / "agreement.docx")
    assert len(document.tables) == 3
    header = [c.text for c in document.tables[0].rows[0].cells]
    assert header == [
        "Layer / theme",
        "n",
        "% agreement",
        "Cohen's κ",
        "95% CI",
        "Krippendorff's α",
        "95% CI",
        "Gwet's AC1",
        "95% CI",
    ]
    assert [c.text for c in document.tables[0].rows[1].cells][:5] == [
        "Category",
        "122",
        "98.4%",
        ".975",
        ".940 to 1.000",
    ]
    sheet = load_workbook(tmp_path / "agreement.xlsx").worksheets[0]
    assert [c.value for c in sheet[3]][:4] == [
        "Category",
        122,
        0.984,
        0.975,
    ]  # numbers, so they sort
    assert sheet["D3"].number_format == "#.000" and sheet["C3"].number_format == "0.0%"
    # The output rule: a file the project did not write is not replaced.
    (tmp_path / "mine.docx").write_text("the user's own")
    code, _, err = run(
        capsys, "agreement", project, "--format", "docx", "--out", str(tmp_path / "mine.docx")
    )
    assert code == 1 and "this project did not write" in err
