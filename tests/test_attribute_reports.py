"""Report tables by attribute and participant counts, on the fictional project of
``participants_fixture`` (every number below counted by hand from its docstring)."""

import json

import pytest
from helpers import run_cli
from participants_fixture import build

from workbench.errors import WorkbenchError
from workbench.project.where import parse
from workbench.reports import runs as R


@pytest.fixture
def store(tmp_path):
    return build(tmp_path)


def _rows(table):
    return {row[0]: row[1:] for row in table.rows}


def test_themes_by_a_participant_attribute_count_comments_and_people(store):
    [table] = R.build(store, ["themes"], by="condition")[0]
    assert table.key == "themes_by_condition" and table.title == "Behavioural themes by condition"
    assert table.columns == [
        "Theme",
        "CF: comments (n=2)",
        "CF: participants (n=1)",
        "IBD: comments (n=3)",
        "IBD: participants (n=2)",
        "not recorded: comments (n=2)",
        "not recorded: participants (n=1)",
        "Total: comments (n=7)",
        "Total: participants (n=4)",
    ]
    rows = _rows(table)
    assert rows["Role shift"] == [
        "1 (50%)",
        "1 (100%)",
        "2 (67%)",
        "1 (50%)",
        "1 (50%)",
        "1 (100%)",
        "4 (57%)",
        "3 (75%)",
    ]
    assert rows["Listening"] == [
        "1 (50%)",
        "1 (100%)",
        "1 (33%)",
        "1 (50%)",
        "1 (50%)",
        "1 (100%)",
        "3 (43%)",
        "3 (75%)",
    ]
    assert rows["Communication"] == [
        "1 (50%)",
        "1 (100%)",
        "1 (33%)",
        "1 (50%)",
        "0 (0%)",
        "0 (0%)",
        "2 (29%)",
        "2 (50%)",
    ]
    assert list(rows)[:3] == ["Role shift", "Listening", "Communication"]  # Table 3's order
    first = table.data.iloc[0]
    assert (first["IBD_effective"], first["IBD_ineffective"]) == (1, 1)  # Cat: one of each
    assert any("not recorded" in note for note in table.notes)


def test_themes_by_a_group_attribute_count_a_linked_person_in_each_site_once_in_all(store):
    [table] = R.build(store, ["themes"], by="site")[0]
    assert table.columns[1:5] == [
        "Leeds: comments (n=3)",
        "Leeds: participants (n=2)",
        "York: comments (n=4)",
        "York: participants (n=3)",
    ]
    assert table.columns[-1] == "Total: participants (n=4)"  # Ann is in both sites, one person
    rows = _rows(table)
    assert rows["Role shift"] == ["2 (67%)", "2 (100%)", "2 (50%)", "1 (33%)", "4 (57%)", "3 (75%)"]
    assert rows["Listening"] == ["2 (67%)", "2 (100%)", "1 (25%)", "1 (33%)", "3 (43%)", "3 (75%)"]
    assert rows["Communication"] == ["0 (0%)", "0 (0%)", "2 (50%)", "2 (67%)", "2 (29%)", "2 (50%)"]


def test_behaviours_by_site(store):
    [table] = R.build(store, ["behaviours"], by="site")[0]
    assert table.columns == [
        "Site",
        "Effective",
        "Ineffective",
        "n",
        "Participants (eff. / ineff. of n)",
    ]
    assert table.rows == [
        ["Leeds", "2 (67%)", "1 (33%)", "3", "2 / 1 of 2"],
        ["York", "3 (75%)", "1 (25%)", "4", "3 / 1 of 3"],
        ["Total", "5 (71%)", "2 (29%)", "7", "4 / 2 of 4"],
    ]


def test_categories_by_site(store):
    [table] = R.build(store, ["categories"], by="site")[0]
    assert table.columns[0] == "Site" and table.columns[-2:] == ["n", "Participants"]
    assert table.rows == [
        ["Leeds", "1 (25%)", "2 (50%)", "1 (25%)", "0 (0%)", "4", "2"],
        ["York", "0 (0%)", "3 (60%)", "1 (20%)", "1 (20%)", "5", "3"],
        ["Total", "1 (11%)", "5 (56%)", "2 (22%)", "1 (11%)", "9", "4"],
    ]


def test_a_number_attribute_orders_its_values_by_size(store):
    [table] = R.build(store, ["categories"], by="age")[0]
    assert [row[0] for row in table.rows] == ["7", "29", "41", "50", "Total"]


def test_by_role_and_by_group_are_there_in_every_project(store):
    [roles] = R.build(store, ["behaviours"], by="role")[0]
    assert [row[0] for row in roles.rows] == ["HP", "PwCHC", "Parent", "Total"]
    assert roles.rows[0] == ["HP", "1 (50%)", "1 (50%)", "2", "1 / 1 of 1"]
    [groups] = R.build(store, ["behaviours"])[0]  # behaviours on its own: by focus group
    assert [row[0] for row in groups.rows] == ["FG1", "FG2", "Total"]


def test_participants_beside_table_3_leave_the_reference_table_alone(store):
    [plain], record = R.build(store, ["themes"])
    [counted], counted_record = R.build(store, ["themes"], participants=True)
    assert plain.columns == ["Theme", "Definition", "Comments", "% effective"]
    assert counted.columns == plain.columns + ["Participants"]
    assert [row[:4] for row in counted.rows] == plain.rows
    rows = _rows(counted)
    assert rows["Role shift"][1:] == ["4", "75%", "3 of 4 (75%)"]
    assert rows["Listening"][1:] == ["3", "67%", "3 of 4 (75%)"]
    assert rows["Communication"][1:] == ["2", "100%", "2 of 4 (50%)"]
    assert (
        "participants" not in record["parameters"] and counted_record["parameters"]["participants"]
    )


def test_unlinked_the_same_person_counts_twice(tmp_path):
    store = build(tmp_path, linked=False)
    [table] = R.build(store, ["themes"], participants=True)[0]
    assert _rows(table)["Role shift"][-1] == "3 of 5 (60%)"


def test_where_narrows_every_table_and_says_so(store):
    where = parse(store, ["condition=IBD"])
    [table], record = R.build(store, ["themes"], where=where)
    assert table.title.endswith("(condition=IBD)") and record["comments"] == 4
    assert _rows(table)["Role shift"][1:] == ["2", "50%"]
    [by_site], _ = R.build(store, ["behaviours"], by="site", where=parse(store, ["age>=29"]))
    assert by_site.rows[-1] == [
        "Total",
        "4 (67%)",
        "2 (33%)",
        "6",
        "3 / 2 of 3",
    ]  # Dan (7) left out
    with pytest.raises(WorkbenchError, match="no codable comment meets it"):
        R.build(store, ["themes"], where=parse(store, ["age>60"]))


def test_by_refuses_an_unknown_attribute_and_tables_it_does_not_shape(store):
    with pytest.raises(
        WorkbenchError, match=r"--by 'height': no attribute.*role, group, condition, age, site"
    ):
        R.build(store, ["themes"], by="height")
    with pytest.raises(WorkbenchError, match="only the tables themes, behaviours, categories"):
        R.build(store, ["exemplars"], by="site")


def test_every_format_writes_the_tables_by_attribute(store, tmp_path):
    tables, _ = R.build(store, ["themes", "behaviours", "categories"], by="site")
    for fmt in ("md", "csv", "xlsx", "docx", "tex", "html", "json"):
        path = R.export(tables, tmp_path / f"by_site.{fmt}")
        assert path.stat().st_size > 0
    data = json.loads((tmp_path / "by_site.json").read_text(encoding="utf-8"))
    assert [t["key"] for t in data] == [
        "themes_by_site",
        "behaviours_by_site",
        "categories_by_site",
    ]
    assert "York: participants (n=3)" in (tmp_path / "by_site.md").read_text(encoding="utf-8")


def test_all_adds_the_tables_by_every_attribute(store, tmp_path):
    written, record = R.export_all(store, tmp_path / "out")
    data = json.loads((tmp_path / "out" / "tables.json").read_text(encoding="utf-8"))
    keys = [t["key"] for t in data]
    assert keys[:3] == ["categories_individual", "themes", "exemplars"]
    assert {"themes_by_condition", "behaviours_by_age", "categories_by_site"} <= set(keys)


def test_the_command_line(store, capsys):
    path = str(store.path)
    code, out, _ = run_cli(capsys, "report", path, "--table", "themes", "--by", "site")
    assert code == 0 and "| Role shift | 2 (67%) | 2 (100%) | 2 (50%) | 1 (33%) |" in out
    code, out, _ = run_cli(
        capsys, "report", path, "--table", "themes", "--participants", "--where", "condition=CF,IBD"
    )
    assert code == 0 and "(condition=CF,IBD)" in out and "| 2 of 3 (67%) |" in out
    code, _, err = run_cli(capsys, "report", path, "--table", "roles", "--participants")
    assert code == 2 and "--participants adds a column to --table themes" in err
    code, _, err = run_cli(capsys, "report", path, "--table", "themes", "--where", "site<Leeds")
    assert code == 1 and "< compares numbers and dates; site is choice" in err


def test_the_methods_paragraph_and_checklist_describe_the_sample(store):
    from workbench.evidence.checklist import checklist
    from workbench.reports.methods import methods_paragraph

    sample = (
        "4 people took part (1 of them in more than one focus group, counted once: Ann: FG1, FG2). "
        "Participants by condition: CF 1, IBD 2, not recorded for 1 participant; age: median 35 "
        "(range 7 "
        "to 50). Focus groups by site: Leeds 1, York 1."
    )
    assert sample in methods_paragraph(store)
    items = {i["number"]: i for i in checklist(store, "coreq")["items"]}
    assert items["12"]["status"] == "drafted" and items["12"]["text"].startswith(
        "4 participants: 1 health"
    )
    assert "1 who took part in more than one group counted once" in items["12"]["text"]
    assert (
        items["16"]["status"] == "drafted"
        and "Participants by condition: CF 1, IBD 2" in items["16"]["text"]
    )
    srqr = {i["number"]: i for i in checklist(store, "srqr")["items"]}
    assert "9 comments from 4 participants" in srqr["S12"]["text"]


def test_without_participant_attributes_the_methods_paragraph_says_nothing_new(tmp_path):
    from workbench.reports.methods import methods_paragraph

    store = build(tmp_path, linked=False)
    for name in ("condition", "age", "site"):
        from workbench.project.participants import remove

        remove(store, name)
    assert "took part" not in methods_paragraph(store)


def test_tables_by_attribute_through_the_api(store):
    from workbench import api as wb

    [table] = wb.tables(store, ["themes"], where=["condition=CF,IBD"], participants=True)
    assert table.rows[0][-1] == "2 of 3 (67%)"
    assert [t.key for t in wb.tables(store, ["themes", "behaviours"], by="site")] == [
        "themes_by_site",
        "behaviours_by_site",
    ]
