"""The reporting use cases themselves (`reports.writing`): writing a report and exporting
everything check every file first, write all or nothing, and record one run each; the
study's tables come from one `TableInputs`."""

import dataclasses
import json

import pytest
from helpers import copy_project

from workbench.output import OutputError, for_project
from workbench.reports import runs as R
from workbench.reports.writing import (
    FIGURE,
    Report,
    ReportRequest,
    build_report,
    write_all,
    write_report,
)


@pytest.fixture
def store(coded_demo, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return copy_project(coded_demo, tmp_path)


def test_a_report_is_written_and_recorded_with_its_coding(store, tmp_path):
    out = tmp_path / "table3.md"
    run = write_report(store, ReportRequest(("themes",)), out)
    [stored] = store.report_runs()
    assert run.run == stored["id"] and run.outputs == (str(out),) == tuple(stored["outputs"])
    assert run.fingerprint == stored["fingerprint"] and stored["tables"] == ["themes"]
    assert run.codebook == stored["parameters"]["codebook"]
    assert [t.key for t in run.tables] == ["themes"]
    assert run.tables[0].title in out.read_text(encoding="utf-8")
    shown = json.loads(json.dumps(run.as_dict()))
    assert shown["run"] == run.run and shown["outputs"] == [str(out)]
    assert shown["fingerprint"] == run.fingerprint and shown["tables"] == ["themes"]


def test_the_request_is_frozen_and_its_options_reach_the_run(store, tmp_path):
    request = ReportRequest(("exemplars",), all_quotes=True, groups=("FG1",), format="csv")
    with pytest.raises(dataclasses.FrozenInstanceError):
        request.tables = ("themes",)  # type: ignore[misc]
    run = write_report(store, request, tmp_path / "quotes.txt")
    assert run.record["parameters"]["all_quotes"] is True
    assert run.record["parameters"]["groups"] == ["FG1"]
    assert (tmp_path / "quotes.txt").read_text(encoding="utf-8").startswith("Theme,Behaviour,")


def test_every_file_is_checked_before_anything_is_built_or_written(store, tmp_path, monkeypatch):
    theirs = tmp_path / "theirs.png"
    theirs.write_bytes(b"not ours")

    def never(*args, **kwargs):
        raise AssertionError("built before the files were checked")

    monkeypatch.setattr("workbench.reports.writing.build", never)
    with pytest.raises(OutputError, match="--figure .*theirs.png.*--force") as caught:
        write_report(store, ReportRequest(("themes",)), tmp_path / "t.md", figure=theirs)
    assert caught.value.replaceable
    with pytest.raises(OutputError, match="--out .*the folder .* does not exist"):
        write_report(store, ReportRequest(("themes",)), tmp_path / "missing" / "t.md")
    assert not (tmp_path / "t.md").exists() and theirs.read_bytes() == b"not ours"
    assert store.report_runs() == []


def test_force_replaces_a_file_the_project_did_not_write(store, tmp_path):
    theirs = tmp_path / "t.md"
    theirs.write_text("theirs", encoding="utf-8")
    write_report(store, ReportRequest(("themes",)), theirs, for_project(store, force=True))
    assert theirs.read_text(encoding="utf-8") != "theirs"


def test_without_a_file_the_tables_are_recorded_as_shown(store):
    run = write_report(store, ReportRequest(("categories",)))
    assert run.outputs == () and [t.key for t in run.tables] == [
        "categories_individual",
        "categories_multi",
    ]
    assert store.report_runs()[0]["outputs"] == []


def test_the_figure_is_the_theme_chart_even_without_the_themes_table(store, tmp_path):
    run = write_report(store, ReportRequest(("roles",)), figure=tmp_path / "chart.png")
    assert (tmp_path / "chart.png").read_bytes()[:4] == b"\x89PNG"
    assert run.outputs == (str(tmp_path / "chart.png"),)
    chart = write_report(store, ReportRequest(("themes",), format=FIGURE), tmp_path / "c.svg")
    assert "<svg" in (tmp_path / "c.svg").read_text(encoding="utf-8")
    assert chart.outputs == (str(tmp_path / "c.svg"),)


def test_tables_already_shown_are_written_as_they_are_under_the_recorded_name(
    store, tmp_path, monkeypatch
):
    shown = build_report(store, ReportRequest(("themes",)))
    assert isinstance(shown, Report)
    monkeypatch.setattr("workbench.reports.writing.build", lambda *a, **k: pytest.fail("rebuilt"))
    run = write_report(
        store, ReportRequest(), tmp_path / "t.json", report=shown, recorded=["t.json (download)"]
    )
    assert run.tables is shown.tables and run.outputs == ("t.json (download)",)
    assert store.report_runs()[0]["outputs"] == ["t.json (download)"]
    assert json.loads((tmp_path / "t.json").read_text(encoding="utf-8"))["key"] == "themes"


def test_everything_is_exported_all_at_once_as_one_run(store, tmp_path):
    steps = []
    run = write_all(store, tmp_path / "out", progress=lambda *step: steps.append(step))
    names = sorted(p.rsplit("/", 1)[1] for p in run.outputs)
    assert {f"tables.{fmt}" for fmt in R.FORMATS} <= set(names)
    assert {"themes.png", "themes.svg", "methods.md", "reconciliation-log.md"} <= set(names)
    assert all((tmp_path / "out" / name).is_file() for name in names)
    assert steps[-1] == (len(R.FORMATS) + 3, len(R.FORMATS) + 3)
    [stored] = store.report_runs()
    assert stored["id"] == run.run and tuple(stored["outputs"]) == run.outputs
    assert run.as_dict()["tables"] == list(R.TABLES)


def test_exporting_everything_writes_nothing_when_one_file_is_refused(store, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "methods.md").write_text("mine", encoding="utf-8")
    with pytest.raises(OutputError, match="methods.md"):
        write_all(store, folder)
    assert [p.name for p in folder.iterdir()] == ["methods.md"]
    assert store.report_runs() == []
    (tmp_path / "file").write_text("", encoding="utf-8")
    with pytest.raises(OutputError, match="not a folder"):
        write_all(store, tmp_path / "file")


def test_a_folder_made_for_a_failed_export_is_taken_away(store, tmp_path, monkeypatch):
    def broken(store):
        raise RuntimeError("methods paragraph failed")

    monkeypatch.setattr("workbench.reports.methods.methods_paragraph", broken)
    with pytest.raises(RuntimeError):
        write_all(store, tmp_path / "new")
    assert not (tmp_path / "new").exists() and store.report_runs() == []


def test_the_studys_tables_come_from_one_set_of_inputs(store):
    source = R.coding_source(store)
    df = R.frame(store, source)
    shared = R.TableInputs(store, df, store.categories(), store.themes())
    keys = {name: [t.key for t in R.tables_named(shared, name)] for name in R.TABLES}
    assert keys["categories"] == ["categories_individual", "categories_multi"]
    assert keys["themes"] == ["themes"] and len(keys) == len(R.TABLES)
    one_group = dataclasses.replace(shared, groups=["FG1"])
    assert [t.key for t in R.tables_named(one_group, "categories")] == ["categories"]
