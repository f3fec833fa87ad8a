"""Participants and their attributes: a roster's columns (types inferred, a bad cell refused by
file, line and column), linking one person across groups, values checked by type, the
participant sheet round trip (CSV and Excel), filters on attributes, the schema upgrade."""

import sqlite3

import pytest
from helpers import run_cli
from participants_fixture import NORTH, build

from workbench.errors import ParticipantError, RosterError
from workbench.exchange import participant_sheet as S
from workbench.exchange.sheet_files import SheetError
from workbench.ingest.importer import GroupMeta, import_transcripts
from workbench.project import participants as P
from workbench.project.attributes import canonical, declared, infer
from workbench.project.lifecycle import init_project
from workbench.project.where import parse
from workbench.store import Store


@pytest.fixture
def store(tmp_path):
    return build(tmp_path, coded=False)


def _values(store):
    return {p.name: p.values for p in P.participants(store)}


# -- the roster's extra columns -----------------------------------------------------------


def _import(tmp_path, roster: str, suffix: str = ".csv", name: str = "roster"):
    store = init_project(tmp_path / "p.db")
    (tmp_path / "north.txt").write_text(NORTH, encoding="utf-8")
    (tmp_path / f"{name}{suffix}").write_text(roster, encoding="utf-8")
    reports = import_transcripts(
        store,
        [tmp_path / "north.txt"],
        GroupMeta(name="North", code="FG1"),
        roster=tmp_path / f"{name}{suffix}",
    )
    return store, reports


def test_every_extra_roster_column_becomes_a_typed_attribute(tmp_path):
    store, [report] = _import(
        tmp_path,
        "speaker,role,site,age,diagnosed,visit\n"
        "Ann,Parent,Leeds,41,2019-03-01,03/05/2021\n"
        "Bob,HP,Leeds,50.0,,04/05/2021\n",
    )
    kinds = {a.name: (a.scope, a.type) for a in store.attributes()}
    assert kinds == {
        "site": ("participant", "text"),
        "age": ("participant", "number"),
        "diagnosed": ("participant", "date"),
        "visit": ("participant", "text"),
    }
    assert _values(store)["FG1/Ann"] == {
        "site": "Leeds",
        "age": "41",
        "diagnosed": "2019-03-01",
        "visit": "03/05/2021",
    }
    assert _values(store)["FG1/Bob"] == {"site": "Leeds", "age": "50", "visit": "04/05/2021"}
    said = "\n".join(report.notes)  # nothing silent: the import says what it guessed
    assert not any("attribute" in w for w in report.warnings)  # notes, not warnings
    assert "column 'age' is a new attribute of participants, number" in said
    assert (
        "column 'visit' is a new attribute of participants, text; looks like dates not written "
        "YYYY-MM-DD"
        in said
        and "7 attribute value(s) of participants set" in said
    )


def test_a_cell_that_breaks_its_column_is_refused_by_file_line_and_column(tmp_path):
    with pytest.raises(RosterError) as caught:
        _import(
            tmp_path, "speaker,role,age\nAnn,Parent,41\nBob,HP,fifty\nModerator,Facilitator,38\n"
        )
    assert str(caught.value) == (
        f"{tmp_path / 'roster.csv'}: line 3, column 'age' (speaker 'Bob'): 'fifty' is "
        "not a number but the other cells are numbers; correct the cell, or leave it "
        "empty. Nothing was imported."
    )
    store = Store.open(tmp_path / "p.db")
    assert store.attributes() == [] and store.comments() == []  # nothing half-written


def test_a_declared_attribute_checks_the_roster_against_its_type(tmp_path):
    store = init_project(tmp_path / "p.db")
    P.declare(store, declared("condition", "participant", "choice", ["CF", "IBD"]))
    P.declare(store, declared("site", "group", "text"))
    (tmp_path / "north.txt").write_text(NORTH, encoding="utf-8")
    for roster, message in (
        (
            "speaker,role,condition\nAnn,Parent,cf\nBob,HP,asthma\n",
            r"line 3, column 'condition' \(speaker 'Bob'\): condition is a choice of CF, IBD, not "
            r"'asthma'",
        ),
        (
            "speaker,role,site\nAnn,Parent,Leeds\n",
            r"line 1, column 'site': site is an attribute of focus "
            r"groups, so a roster cannot give it per speaker",
        ),
        ("speaker,role,role 2\nAnn,Parent,x\n", None),
        ("speaker,role,,\nAnn,Parent,,x\n", r"line 1, column 4: the column has values but no name"),
    ):
        (tmp_path / "r.csv").write_text(roster, encoding="utf-8")
        if message is None:
            import_transcripts(
                store, [tmp_path / "north.txt"], GroupMeta(name="North"), roster=tmp_path / "r.csv"
            )
            continue
        with pytest.raises(RosterError, match=message):
            import_transcripts(
                store, [tmp_path / "north.txt"], GroupMeta(name="North"), roster=tmp_path / "r.csv"
            )
    assert _values(store)["FG1/Ann"] == {"role 2": "x"}
    # The same file with a corrected roster: the import is a no-op, the values still arrive.
    (tmp_path / "r.csv").write_text("speaker,role,condition\nAnn,Parent,cf\n", encoding="utf-8")
    [report] = import_transcripts(
        store, [tmp_path / "north.txt"], GroupMeta(name="North"), roster=tmp_path / "r.csv"
    )
    assert report.status == "unchanged" and _values(store)["FG1/Ann"]["condition"] == "CF"


def test_a_toml_roster_gives_attributes_in_tables(tmp_path):
    roster = (
        '[speakers]\n"Ann" = "Parent"\n"Bob" = "HP"\n\n[attributes."Ann"]\nage = 41\n'
        'diagnosed = 2019-03-01\n[attributes."Bob"]\nage = 50\n'
    )
    store, _ = _import(tmp_path, roster, ".toml")
    assert _values(store)["FG1/Ann"] == {"age": "41", "diagnosed": "2019-03-01"}
    assert store.attribute_named("diagnosed").type == "date"
    (tmp_path / "again").mkdir()
    with pytest.raises(RosterError, match=r"\[attributes\] of 'Zoe', who do not speak"):
        _import(
            tmp_path / "again",
            '[speakers]\n"Ann" = "Parent"\n[attributes."Zoe"]\nage = 3\n',
            ".toml",
        )
    assert Store.open(tmp_path / "again" / "p.db").comments() == []


def test_types_are_inferred_from_cells_and_values_kept_canonical():
    assert infer(["3", "", "4.50"]).type == "number" and infer(["2020-01-31", None]).type == "date"
    assert infer(["a", "3"]).type == "text" and infer([]).type == "text"
    assert (
        infer(["1", "2", "x"]).bad == 2
        and infer(["2020-01-01", "2020-02-30", "2021-01-01"]).bad == 1
    )
    number = declared("age", "participant", "number")
    assert [canonical(number, v) for v in ("41", "41.0", " 2.50 ", 7, 2.5, "")] == [
        "41",
        "41",
        "2.5",
        "7",
        "2.5",
        None,
    ]
    with pytest.raises(ParticipantError, match="age takes a number"):
        canonical(number, "1,5")
    day = declared("seen", "participant", "date")
    assert canonical(day, "2023-05-01 00:00:00") == "2023-05-01"
    with pytest.raises(ParticipantError, match="written YYYY-MM-DD"):
        canonical(day, "01/05/2023")
    with pytest.raises(ParticipantError, match="the name is reserved"):
        declared("role", "participant", "text")
    with pytest.raises(ParticipantError, match="a choice needs its list"):
        declared("arm", "participant", "choice")


# -- participants: set, link, unlink --------------------------------------------------------


def test_a_person_in_two_groups_is_one_participant_once_linked(store):
    people = P.participants(store)
    ann = next(p for p in people if p.name == "Ann")
    assert [s.ref for s in ann.speakers] == ["FG1/Ann", "FG2/Ann"] and ann.comments == 3
    assert len(people) == 6 and sum(len(p.speakers) for p in people) == 7  # two moderators
    assert ann.values == {"condition": "CF", "age": "41"}
    audit = [r for r in store.audit_rows() if r["action"] == "link"]
    assert audit and audit[-1]["entity_ref"] == "Ann"


def test_linking_refuses_disagreeing_values_and_two_speakers_of_one_group(store):
    P.set_values(store, {"age": "42"}, speaker="FG1/Bob")
    with pytest.raises(
        ParticipantError, match=r"FG1/Bob and FG2/Cat have different age \('42', '29'\)"
    ):
        P.link(store, ["FG1/Bob", "FG2/Cat"])
    with pytest.raises(ParticipantError, match="two speakers of FG2 are two people"):
        P.link(store, ["FG2/Cat", "FG2/Dan"])
    with pytest.raises(ParticipantError, match="two speakers of FG1 are two people"):
        P.link(store, ["FG1/Bob", "FG2/Ann"])  # Ann is FG1/Ann too


def test_unlinking_copies_the_values_and_renaming_checks_names(store):
    person = P.unlink(store, "FG2/Ann")
    assert person.name == "FG2/Ann" and person.values == {"condition": "CF", "age": "41"}
    assert next(p for p in P.participants(store) if p.name == "Ann").groups == ["FG1"]
    with pytest.raises(ParticipantError, match="not linked"):
        P.unlink(store, "FG2/Ann")
    with pytest.raises(ParticipantError, match="another participant is called 'ann'"):
        P.rename(store, "FG2/Ann", "ann")
    assert P.rename(store, "South/Ann", "Ann S").name == "Ann S"  # a group by its name too


def test_values_are_checked_against_the_attribute_and_its_scope(store):
    with pytest.raises(
        ParticipantError, match="site is an attribute of focus groups: set it with --group FG1"
    ):
        P.set_values(store, {"site": "Leeds"}, speaker="FG1/Bob")
    with pytest.raises(ParticipantError, match="no attribute 'height'"):
        P.set_values(store, {"height": "3"}, speaker="FG1/Bob")
    with pytest.raises(
        ParticipantError, match=r"no speaker 'FG1/Zoe': name a speaker as GROUP/label"
    ):
        P.set_values(store, {"age": "3"}, speaker="FG1/Zoe")
    changes = P.set_values(store, {"age": "", "condition": None}, speaker="FG1/Ann")
    assert [(c.owner, c.attribute, c.before, c.after) for c in changes] == [
        ("FG1/Ann", "age", "41", None),
        ("FG1/Ann", "condition", "CF", None),
    ]


def test_a_value_not_in_a_choices_list_is_refused_with_the_command_that_adds_it(store):
    """--choices replaces the list, so the command offered keeps the list and adds the value."""
    P.change(store, "condition", kind="choice")
    with pytest.raises(ParticipantError) as refused:
        P.set_values(store, {"condition": "Sickle cell"}, speaker="FG1/Bob")
    assert str(refused.value) == (
        "FG1/Bob: condition is a choice of CF, IBD, not 'Sickle cell'; pick one, or add it to the "
        "list with `workbench participants attribute PROJECT condition --choices 'CF,IBD,Sickle "
        "cell'`"
    )


def test_changing_an_attribute_converts_its_values_or_refuses(store):
    made = P.change(store, "condition", kind="choice")
    assert made.choices == ("CF", "IBD") and _values(store)["Ann"]["condition"] == "CF"
    with pytest.raises(
        ParticipantError,
        match=r"2 value\(s\) do not fit.*FG2/Cat: condition is a choice of CF, not",
    ):
        P.change(store, "condition", choices=["CF"])
    P.change(store, "age", rename="age_years")
    assert _values(store)["FG2/Dan"] == {"condition": "IBD", "age_years": "7"}
    assert P.remove(store, "age_years") == 4 and store.attribute_named("age_years") is None


def test_a_replaced_transcript_keeps_what_was_recorded_about_its_speakers(tmp_path):
    store, _ = _import(tmp_path, "speaker,role,age\nAnn,Parent,41\nBob,HP,50\n")
    (tmp_path / "north.txt").write_text(NORTH.replace("Bob:", "Ben:"), encoding="utf-8")
    import_transcripts(store, [tmp_path / "north.txt"], GroupMeta(name="North"))
    assert _values(store)["FG1/Bob"] == {"age": "50"}  # Bob no longer speaks, his age stays


def test_a_schema_9_project_upgrades_with_a_participant_per_speaker(tmp_path, monkeypatch):
    from workbench.demo import build_demo
    from workbench.store import schema as schema_module

    monkeypatch.setattr(
        schema_module, "MIGRATIONS", [m for m in schema_module.MIGRATIONS if m[0] <= 9]
    )
    monkeypatch.setattr(schema_module, "SCHEMA_VERSION", 9)
    old, _ = build_demo(tmp_path / "old.db")
    speakers = [(s.id, s.label) for s in old.speakers()]
    old.close()
    monkeypatch.undo()
    store = Store.open(tmp_path / "old.db")
    assert store.integrity_check() == "ok"
    entries = store.speaker_entries()
    assert {(e.speaker_id, e.label) for e in entries} == set(speakers)
    assert all(e.participant_id == e.speaker_id and e.participant_name is None for e in entries)
    raw = sqlite3.connect(tmp_path / "old.db")
    assert raw.execute("SELECT count(*) FROM participants").fetchone()[0] == len(speakers)
    raw.close()


# -- the participant sheet ---------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_the_sheet_round_trips_unchanged(store, tmp_path, suffix):
    before = _values(store)
    S.export(store, tmp_path / f"people{suffix}")
    plan = S.plan(store, tmp_path / f"people{suffix}")
    assert plan.summary() == []
    columns, rows = S.sheet_rows(store)
    assert columns == [
        "group",
        "speaker",
        "role",
        "participant",
        "comments",
        "condition",
        "age",
        "site (of group)",
    ]
    assert rows[1] == {
        "group": "FG1",
        "speaker": "Ann",
        "role": "Parent",
        "participant": "Ann",
        "comments": 2,
        "condition": "CF",
        "age": 41,
        "site (of group)": "Leeds",
    }
    S.apply(store, plan)
    assert _values(store) == before


def test_the_sheet_sets_values_links_names_and_new_columns(store, tmp_path):
    path = tmp_path / "people.csv"
    S.export(store, path)
    text = path.read_text(encoding="utf-8").splitlines()
    text[0] += ",arm"
    edited = []
    for line in text[1:]:
        line = line.replace(
            "FG2,Dan,PwCHC,FG2/Dan,2,IBD,7,York", "FG2,Dan,PwCHC,Daniel,2,IBD,8,York"
        )
        line = line.replace("FG2,Cat,PwCHC,FG2/Cat", "FG2,Cat,PwCHC,Bob")
        line = line.replace("FG1,Bob,HP,FG1/Bob,2,,50", "FG1,Bob,HP,Bob,2,IBD,29")
        edited.append(line + (",A" if "Moderator" not in line else ","))
    path.write_text("\n".join([text[0], *edited]) + "\n", encoding="utf-8")
    plan = S.plan(store, path)
    assert plan.summary() == [
        "new attribute arm (of participants, text)",
        "link FG1/Bob, FG2/Cat as Bob",
        "name FG2/Dan 'Daniel'",
        "FG1/Ann: arm = 'A'",
        "FG1/Bob: age = '29'",
        "FG1/Bob: arm = 'A'",
        "FG2/Dan: age = '8'",
        "FG2/Dan: arm = 'A'",
    ]
    S.apply(store, plan)
    values = _values(store)
    assert values["Bob"] == {"condition": "IBD", "age": "29", "arm": "A"}
    assert values["Daniel"] == {"condition": "IBD", "age": "8", "arm": "A"}
    assert S.plan(store, path).summary() == []  # imported again: nothing to change


def test_a_sheet_is_refused_whole_with_every_problem_by_line_and_column(store, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text(
        "group,speaker,participant,age,site (of group),condition\n"
        "FG1,Ann,Ann,41,Leeds,CF\n"
        "FG2,Ann,Ann,40,York,CF\n"
        "FG2,Cat,,twenty,Hull,IBD\n"
        "FG3,Zoe,,1,,\n"
        "FG2,Dan,,7,York,IBD\n",
        encoding="utf-8",
    )
    with pytest.raises(SheetError) as caught:
        S.plan(store, path)
    text = str(caught.value)
    assert text.splitlines()[0].endswith("(and 3 more below); nothing was imported")
    assert "line 4, column 'age': age takes a number (e.g. 34 or 2.5), not 'twenty'" in text
    assert "line 4, column 'site (of group)': site is a choice of Leeds, York, not 'Hull'" in text
    assert "line 5: no speaker 'Zoe' in focus group 'FG3'" in text
    assert "column 'age': the rows of one participant disagree (line 2 '41', line 3 '40')" in text
    assert _values(store)["Ann"]["age"] == "41"


def test_a_sheet_naming_one_speaker_twice_names_both_lines(store, tmp_path):
    """'ann' is FG1's Ann, as a roster reads labels: two rows for her are refused naming the
    first row and what to do, not as a speaker the group does not have."""
    path = tmp_path / "people.csv"
    path.write_text("group,speaker,age\nFG1,Ann,41\nFG1,ann,40\n", encoding="utf-8")
    with pytest.raises(SheetError) as caught:
        S.plan(store, path)
    assert str(caught.value) == (
        f"{path}: line 3: FG1/Ann is on line 2 already; keep one row per speaker; "
        "nothing was imported"
    )


# -- filters on attributes ---------------------------------------------------------------


def test_where_picks_the_comments_of_participants_and_groups(store):
    refs = {c.id: c.ref for c in store.comments()}

    def chosen(*texts):
        return sorted(refs[i] for i in parse(store, texts).comment_ids(store))

    assert chosen("condition=IBD") == ["FG2-003", "FG2-004", "FG2-005", "FG2-006"]
    assert chosen("site=Leeds", "role=parent") == ["FG1-002", "FG1-004"]
    assert chosen("age<30") == ["FG2-003", "FG2-004", "FG2-005", "FG2-006"]
    assert chosen("age>=30 and site=York") == ["FG2-002"]
    assert chosen("condition!=CF") == ["FG2-003", "FG2-004", "FG2-005", "FG2-006"]  # Bob has none
    assert chosen("group=South; condition=CF") == ["FG2-002"]
    assert parse(store, []).comment_ids(store) is None
    for text, message in (
        ("height=3", r"no attribute 'height' \(attributes: role, group, condition, age, site\)"),
        ("age=old", "age takes a number"),
        ("condition>CF", "compares numbers and dates"),
        ("condition", "expected a condition"),
        ("role=chef", "no role chef"),
        ("group=FG9", r"no focus group FG9 \(groups: FG1, FG2\)"),
    ):
        with pytest.raises(ParticipantError, match=message):
            parse(store, [text])


def test_a_hidden_attribute_is_no_filter_for_a_blind_coder(store):
    P.change(store, "condition", hidden=True)
    assert parse(store, ["condition=CF"]).conditions
    with pytest.raises(
        ParticipantError, match=r"no attribute 'condition' \(attributes: role, group, age, site\)"
    ):
        parse(store, ["condition=CF"], blind=True)


# -- the command line ----------------------------------------------------------------------


def test_the_participants_commands(store, tmp_path, capsys):
    path = str(store.path)
    code, out, _ = run_cli(capsys, "participants", "list", path)
    assert (
        code == 0
        and "6 participant(s), 7 speaker(s); 1 took part in more than one group (Ann: FG1, FG2); "
        "4 made comments to code (the sample the reports count)."
        in out
    )  # the two moderators are participants of the table, not of the sample
    code, out, _ = run_cli(
        capsys,
        "participants",
        "attribute",
        path,
        "arm",
        "--type",
        "choice",
        "--choices",
        "A,B",
        "--hidden",
    )
    assert code == 0 and out.strip() == "Declared arm: of participants, choice (A, B)."
    code, out, _ = run_cli(capsys, "participants", "set", path, "FG2/Cat", "arm=b", "age=30")
    assert code == 0 and out.splitlines() == ["FG2/Cat: arm (none) → B", "FG2/Cat: age 29 → 30"]
    code, out, _ = run_cli(capsys, "participants", "set", path, "--group", "FG1", "site=York")
    assert code == 0 and "FG1: site Leeds → York" in out
    code, _, err = run_cli(capsys, "participants", "set", path, "FG2/Cat", "arm=C")
    assert code == 1 and "error: FG2/Cat: arm is a choice of A, B, not 'C'" in err
    code, out, _ = run_cli(capsys, "participants", "attributes", path)
    assert code == 0 and "arm        participants  choice  A, B" in out
    code, out, _ = run_cli(
        capsys, "participants", "link", path, "FG1/Bob", "FG2/Dan", "--as", "Robert"
    )
    assert code == 1  # their ages differ
    code, out, _ = run_cli(capsys, "participants", "export", path, str(tmp_path / "p.xlsx"))
    assert code == 0
    code, out, _ = run_cli(
        capsys, "participants", "import", path, str(tmp_path / "p.xlsx"), "--dry-run"
    )
    assert code == 0 and "Nothing to change" in out


def test_a_sheets_dry_run_lists_the_changes_and_makes_none(store, tmp_path, capsys):
    path, sheet = str(store.path), tmp_path / "people.csv"
    S.export(store, sheet)
    lines = sheet.read_text(encoding="utf-8").splitlines()
    sheet.write_text(
        "\n".join([lines[0] + ",visit", *(line + ",3/4/25" for line in lines[1:])]) + "\n",
        encoding="utf-8",
    )
    before = _values(store)
    code, out, _ = run_cli(capsys, "participants", "import", path, str(sheet), "--dry-run")
    said = out.splitlines()
    assert code == 0 and said[0] == "new attribute visit (of participants, text)"
    assert "column 'visit': looks like dates not written YYYY-MM-DD" in out  # a note, not counted
    changes = len(P.participants(store)) + 1  # a value per person, and the new attribute
    assert said[-1] == f"Dry run: {changes} change(s) to make; nothing was changed."
    assert not any(line.startswith("would") for line in said)
    assert _values(store) == before and store.attribute_named("visit") is None
    code, out, _ = run_cli(capsys, "participants", "import", path, str(sheet))
    assert code == 0 and out.splitlines()[-1] == f"Imported {sheet}: {changes} change(s)."


def test_the_python_api(store, tmp_path):
    from workbench import api as wb

    wb.declare_attribute(store, "arm", type="choice", choices=["A", "B"])
    assert wb.set_attributes(store, {"arm": "a"}, speaker="FG2/Cat")[0].after == "A"
    wb.set_attributes(store, {"age": "50"}, speaker="FG2/Cat")
    wb.set_attributes(store, {"condition": ""}, speaker="FG2/Cat")
    assert [
        s.ref for s in wb.link_participants(store, ["FG1/Bob", "FG2/Cat"], "Robert").speakers
    ] == ["FG1/Bob", "FG2/Cat"]
    assert wb.export_participants(store, tmp_path / "p.csv").exists()
    assert wb.import_participants(store, tmp_path / "p.csv") == []
    assert len(wb.participants(store)) == 5
