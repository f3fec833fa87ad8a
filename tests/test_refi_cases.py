"""REFI-QDA cases and variables: participants' and groups' attributes out and back in
(Workbench → Workbench, with and without Workbench's own data), schema-valid, and ATLAS.ti's
``name: value`` document groups on the real ATLAS.ti 8 project."""

import io
import unicodedata
import xml.etree.ElementTree as ET
import zipfile

import pytest
from participants_fixture import build

from workbench.exchange.refi import export_qdpx, import_qdpx
from workbench.project import participants as P
from workbench.project.attributes import declared
from workbench.store import Store

NS = {"q": "urn:QDA-XML:project:1.0"}


@pytest.fixture
def store(tmp_path):
    store = build(tmp_path)
    P.declare(store, declared("diagnosed", "participant", "date", description="year of diagnosis"))
    P.set_values(store, {"diagnosed": "2019-03-01"}, speaker="FG1/Ann")
    P.change(store, "condition", kind="choice", hidden=True)
    P.set_values(store, {"age": "2.5"}, speaker="FG2/Dan")
    return store


def _people(store):
    return {p.name: (p.groups, p.values) for p in P.participants(store)}


def _without_own_data(path, out):
    with zipfile.ZipFile(path) as a, zipfile.ZipFile(out, "w") as b:
        for info in a.infolist():
            if not info.filename.startswith("workbench/"):
                b.writestr(info, a.read(info))


def test_attributes_are_variables_of_cases_and_sources(store, tmp_path, shared):
    export_qdpx(store, tmp_path / "p.qdpx", shared / "refi-qda")  # validated before it is written
    root = ET.fromstring(zipfile.ZipFile(tmp_path / "p.qdpx").read("project.qde"))
    variables = {v.get("guid"): v for v in root.findall("q:Variables/q:Variable", NS)}
    kinds = {v.get("name"): v.get("typeOfVariable") for v in variables.values()}
    assert {k: kinds[k] for k in ("condition", "age", "diagnosed", "site", "Participant")} == {
        "condition": "Text",
        "age": "Float",
        "diagnosed": "Date",
        "site": "Text",
        "Participant": "Text",
    }

    def values(element):
        out = {}
        for v in element.findall("q:VariableValue", NS):
            name = variables[v.find("q:VariableRef", NS).get("targetGUID")].get("name")
            value = next(iter(v.findall("*", NS)[1:]), None)
            out[name] = (value.tag.split("}")[1], value.text)
        return out

    cases = {c.get("name"): values(c) for c in root.findall("q:Cases/q:Case", NS)}
    assert {
        k: v
        for k, v in cases["Ann (FG2)"].items()
        if k not in ("Speaker", "Role", "Speaker's focus group")
    } == {
        "Participant": ("TextValue", "Ann"),
        "condition": ("TextValue", "CF"),
        "age": ("FloatValue", "41"),
        "diagnosed": ("DateValue", "2019-03-01"),
    }
    assert "Participant" not in cases["Bob (FG1)"] and cases["Bob (FG1)"]["age"] == (
        "FloatValue",
        "50",
    )
    south = next(s for s in root.findall("q:Sources/q:TextSource", NS) if s.get("name") == "South")
    assert values(south)["site"] == ("TextValue", "York")
    assert "site" not in cases["Ann (FG2)"]  # QualCoder: a variable is a case's or a file's


@pytest.mark.parametrize("own_data", [True, False], ids=["restored", "as-another-program"])
def test_workbench_to_workbench_keeps_attributes_values_and_links(store, tmp_path, own_data):
    export_qdpx(store, tmp_path / "p.qdpx")
    path = tmp_path / "p.qdpx"
    if not own_data:
        _without_own_data(path, tmp_path / "plain.qdpx")
        path = tmp_path / "plain.qdpx"
    report = import_qdpx(path, tmp_path / "back.db")
    assert bool(report.restored) is own_data
    back = Store.open(tmp_path / "back.db")
    assert back.attributes() == store.attributes()  # type, choices, hidden, description, order
    assert _people(back) == _people(store)
    assert back.group_values() == store.group_values()
    assert "participant Ann: FG1/Ann, FG2/Ann linked as one person" in report.attributes
    assert "attribute condition (of participants, choice) from the variable" in report.attributes


def test_another_programs_variables_get_types_from_their_values(store, tmp_path):
    export_qdpx(store, tmp_path / "p.qdpx")
    with zipfile.ZipFile(tmp_path / "p.qdpx") as archive:
        files = {
            i.filename: archive.read(i)
            for i in archive.infolist()
            if not i.filename.startswith("workbench/")
        }
    qde = files["project.qde"].decode("utf-8")
    # As another program would write them: no Workbench declaration, every variable Text.
    qde = qde.replace('typeOfVariable="Float"', 'typeOfVariable="Text"').replace(
        "FloatValue", "TextValue"
    )
    qde = qde.replace('typeOfVariable="Date"', 'typeOfVariable="Text"').replace(
        "DateValue", "TextValue"
    )
    root = ET.fromstring(qde)
    for description in root.iter("{urn:QDA-XML:project:1.0}Description"):
        if (description.text or "").startswith("Workbench attribute:"):
            description.text = "from a classification sheet"
    files["project.qde"] = ET.tostring(root, encoding="utf-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    (tmp_path / "other.qdpx").write_bytes(buffer.getvalue())
    report = import_qdpx(tmp_path / "other.qdpx", tmp_path / "other.db")
    back = Store.open(tmp_path / "other.db")
    assert {a.name: (a.scope, a.type) for a in back.attributes()} == {
        "condition": ("participant", "text"),
        "age": ("participant", "number"),
        "diagnosed": ("participant", "date"),
        "site": ("group", "text"),
    }
    assert (
        "variable 'age' is text in the file; its values are all numbers, so it is a number "
        "attribute" in report.attributes
    )
    assert _people(back)["FG2/Dan"][1] == {"condition": "IBD", "age": "2.5"}


def _atlas_with_texts(shared, tmp_path):
    """The real ATLAS.ti 8 project with plain texts for three of its documents (the archive as
    shared holds none): Simon.docx, Mabel.txt and Mabêl 2ième.txt."""
    real = zipfile.ZipFile(shared / "realdata" / "atlasti8_standard_project.qdpx")
    texts = {
        "C1C745F7-8E4D-48B2-9710-655AFE7E54FA": "Interviewer: What do you eat?\nSimon: "
        "Cornflakes.\n",
        "B2F54555-0D2D-43B2-B40C-2A1C048F5F1C": "Interviewer: And you?\nMabel: Toast and tea.\n",
        "88293C71-CB70-4AB7-8413-C24110A19C2E": "Interviewer: Again?\nMabel: Still toast.\n",
    }
    out = tmp_path / "atlas.qdpx"
    with zipfile.ZipFile(out, "w") as archive:
        for info in real.infolist():
            archive.writestr(info, real.read(info))
        for guid, text in texts.items():
            archive.writestr(f"Sources/{guid}.txt", text)
    return out


@pytest.mark.realdata
def test_atlas_ti_document_groups_named_name_value_become_attributes(shared, tmp_path):
    report = import_qdpx(_atlas_with_texts(shared, tmp_path), tmp_path / "atlas.db")
    store = Store.open(tmp_path / "atlas.db")
    kinds = {a.name: (a.scope, a.type) for a in store.attributes()}
    assert kinds == {"gender": ("group", "text"), "age": ("group", "number")}
    by_group = {
        unicodedata.normalize("NFC", g.name): store.group_values().get(g.id, {})
        for g in store.groups()
    }
    assert by_group == {
        "Mabêl 2ième": {"gender": "female", "age": "25"},
        "Mabel": {"gender": "female", "age": "25"},
        "Simon": {"gender": "male", "age": "67"},
    }
    assert (
        "attribute gender (of groups, text) from the ATLAS.ti document groups" in report.attributes
    )
    said = "\n".join(report.attributes)
    assert "document group 'gender: female'" not in said  # both its documents were imported


@pytest.mark.realdata
def test_document_groups_can_be_declined(shared, tmp_path):
    report = import_qdpx(
        _atlas_with_texts(shared, tmp_path), tmp_path / "atlas.db", set_attributes=False
    )
    assert Store.open(tmp_path / "atlas.db").attributes() == [] and report.attributes == []
    declined = [n for n in report.not_imported if "name: value" in n]
    assert declined == [
        "4 document group(s) named 'name: value' ('gender: male', 'gender: female', 'age: 67', "
        "'age: 25'): not taken as attributes (declined)"
    ]
