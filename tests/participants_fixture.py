"""A fictional project small enough to check every table by attribute by hand.

Two focus groups: FG1 "North" (site Leeds) and FG2 "South" (site York), a group attribute.
Ann (a parent with CF, 41) spoke in both and is linked as one participant; Bob (HP, no
condition recorded, 50) in FG1; Cat (PwCHC, IBD, 29) and Dan (PwCHC, IBD, 7) in FG2. A
moderator speaks in each (excluded). The agreed coding of the nine comments:

    FG1-002 Ann  effective    role_shift, listening
    FG1-003 Bob  ineffective  listening
    FG1-004 Ann  defining
    FG1-005 Bob  effective    role_shift
    FG2-002 Ann  effective    communication
    FG2-003 Cat  ineffective  role_shift
    FG2-004 Dan  benefits
    FG2-005 Cat  effective    role_shift, communication
    FG2-006 Dan  effective    listening
"""

from pathlib import Path

from workbench.coding.coder import AGREED
from workbench.ingest.importer import GroupMeta, import_transcripts
from workbench.project.lifecycle import init_project
from workbench.project.participants import link, set_values

NORTH = """Moderator: Welcome to the northern group.
Ann: The nurse asked what mattered to me and we changed the plan together.
Bob: Some colleagues still talk over the family in clinic.
Ann: Coproduction means building care with us, not for us.
Bob: I now start the visit by asking what the family wants to cover.
"""
SOUTH = """Moderator: Welcome to the southern group.
Ann: The team explained the results in words we could use at home.
Cat: My doctor decided for me without asking.
Dan: It made the clinic feel less frightening.
Cat: We talked it through and she shared her notes with me.
Dan: They listened to what I said about school.
"""
ROSTER_NORTH = "speaker,role,condition,age\nAnn,Parent,CF,41\nBob,HP,,50\n"
ROSTER_SOUTH = "speaker,role,condition,age\nAnn,Parent,CF,41\nCat,PwCHC,IBD,29\nDan,PwCHC,IBD,7\n"
AGREED_CODING = {
    "FG1-002": ("effective", ["role_shift", "listening"]),
    "FG1-003": ("ineffective", ["listening"]),
    "FG1-004": ("defining", []),
    "FG1-005": ("effective", ["role_shift"]),
    "FG2-002": ("effective", ["communication"]),
    "FG2-003": ("ineffective", ["role_shift"]),
    "FG2-004": ("benefits", []),
    "FG2-005": ("effective", ["role_shift", "communication"]),
    "FG2-006": ("effective", ["listening"]),
}


def build(folder: Path, linked: bool = True, coded: bool = True):
    """The project at ``folder / 'fictional.db'``: imported with its rosters, sites set, Ann
    linked."""
    store = init_project(folder / "fictional.db")
    for name, code, text, roster in (
        ("North", "FG1", NORTH, ROSTER_NORTH),
        ("South", "FG2", SOUTH, ROSTER_SOUTH),
    ):
        (folder / f"{code}.txt").write_text(text, encoding="utf-8")
        (folder / f"{code}.csv").write_text(roster, encoding="utf-8")
        import_transcripts(
            store,
            [folder / f"{code}.txt"],
            GroupMeta(name=name, code=code, kind="individual"),
            roster=folder / f"{code}.csv",
        )
    from workbench.project.attributes import declared
    from workbench.project.participants import declare

    declare(store, declared("site", "group", "choice", ["Leeds", "York"]))
    set_values(store, {"site": "Leeds"}, group="FG1")
    set_values(store, {"site": "york"}, group="FG2")
    if linked:
        link(store, ["FG1/Ann", "FG2/Ann"])
    if coded:
        refs = {c.ref: c.id for c in store.comments()}
        with store.transaction():
            agreed = store.add_coder(AGREED, "agreed")
            for ref, (category, themes) in AGREED_CODING.items():
                store.save_coding(agreed.id, refs[ref], category, themes, "", False, False)
    return store
