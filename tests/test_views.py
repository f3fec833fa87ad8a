"""Reading views in the domain: whose coding a viewer may see, the whole transcript with one
coding, memos (searchable, multi-line), and a theme's comments (browse by theme, exported as
report tables)."""

import pytest
from helpers import copy_project, run_cli

from workbench.coding.memos import matches, memos
from workbench.coding.session import CodingSession, clean_memo
from workbench.coding.views import coded_count, transcript, visible_codings, whose_named
from workbench.errors import WorkbenchError


@pytest.fixture
def store(coded_demo, tmp_path):
    """The coded demo (ana, ben, the agreed coding), a private copy."""
    return copy_project(coded_demo, tmp_path)


def _id(store, ref):
    return next(c.id for c in store.comments() if c.ref == ref)


# -- whose coding ---------------------------------------------------------------------


def test_a_lead_sees_the_agreed_coding_first_then_each_coder(store):
    whose = visible_codings(store)
    assert [w.name for w in whose] == ["agreed", "ana", "ben"]
    assert whose[0].label == "the agreed coding" and whose[1].label == "ana's coding"


def test_a_blind_coder_sees_only_their_own_coding(store):
    assert [w.name for w in visible_codings(store, blind="ana")] == ["ana"]
    assert visible_codings(store, blind="ana")[0].label == "your coding (ana)"


def test_a_trainee_sees_only_their_training_coding(store):
    from workbench.evidence.blind import blind_session
    from workbench.evidence.training import mark

    mark(store, ["FG1-002", "FG1-003"], actor="lead")
    blind_session(store, "cai", "training")
    [whose] = visible_codings(store, blind="cai", mode="training")
    assert whose.name == "cai (training)" and whose.coder.kind == "training"


def test_a_command_names_the_coding_it_reads(store):
    assert whose_named(store).name == "agreed" and whose_named(store, "ben").name == "ben"
    with pytest.raises(WorkbenchError, match=r"--coder 'zed': no such coder \(coders: ana, ben\)"):
        whose_named(store, "zed")


# -- the whole transcript ---------------------------------------------------------------


def test_the_transcript_is_the_group_in_order_with_one_coding(store):
    ana = whose_named(store, "ana")
    entries = transcript(store, "FG1", ana)
    assert [e.ref for e in entries] == [c.ref for c in store.comments() if c.group_code == "FG1"]
    assert entries[0].excluded and entries[0].coding is None  # the facilitator opens
    ana_codings = store.codings_of(ana.coder.id)
    for entry in entries:
        if entry.excluded:
            assert entry.coding is None
            continue
        assert entry.coding.category == ana_codings[entry.comment_id].category_key
        assert entry.coding.themes == ana_codings[entry.comment_id].themes
    # By name as by code; the other coder's codes are not mixed in.
    ben = whose_named(store, "ben")
    by_name = transcript(store, "Health professionals", ben)
    assert [e.ref for e in by_name] == [e.ref for e in entries]
    differs = [e.ref for e, b in zip(entries, by_name, strict=True) if e.coding != b.coding]
    assert differs, "ana and ben differ somewhere in FG1 in the demo"


def test_coded_count_uses_the_coding_screens_definition(store):
    session = CodingSession.start(store, "cara")
    session.set_category(_id(store, "FG1-002"), "defining")
    session.set_category(_id(store, "FG1-003"), "effective")  # no theme yet: not coded
    entries = transcript(store, "FG1", whose_named(store, "cara"))
    assert coded_count(entries, store.codebook()) == (1, sum(1 for e in entries if not e.excluded))


def test_an_unknown_group_names_the_groups(store):
    with pytest.raises(
        WorkbenchError, match=r"no focus group 'FG9' \(groups: FG1 \(Health professionals\)"
    ):
        transcript(store, "FG9", None)


# -- memos ------------------------------------------------------------------------------


def test_memos_keep_their_lines_and_are_listed_in_transcript_order(store):
    session = CodingSession.start(store, "ana")
    session.set_memo(_id(store, "FG2-010"), "Second group.\r\nListened, then planned.\r\n")
    session.set_memo(_id(store, "FG1-004"), "  Trust first.\n\nThen the plan.  ")
    found = memos(store, whose_named(store, "ana"))
    assert [m.ref for m in found] == ["FG1-004", "FG2-010"]
    assert found[0].memo == "Trust first.\n\nThen the plan."
    assert found[1].memo == "Second group.\nListened, then planned."
    assert found[1].category == session.get(_id(store, "FG2-010")).category
    assert memos(store, whose_named(store, "ben")) == []  # ana's memos are hers


def test_memo_search_needs_every_word_as_a_prefix_or_the_ref(store):
    session = CodingSession.start(store, "ana")
    session.set_memo(_id(store, "FG1-004"), "Trust first.\nThen the PLAN.")
    session.set_memo(_id(store, "FG2-010"), "Listening, planning")
    ana = whose_named(store, "ana")
    assert [m.ref for m in memos(store, ana, "plan")] == ["FG1-004", "FG2-010"]
    assert [m.ref for m in memos(store, ana, "listen plan")] == ["FG2-010"]
    assert [m.ref for m in memos(store, ana, "fg1-004")] == ["FG1-004"]
    assert memos(store, ana, "trusted") == []
    assert all(matches(m, "  ") for m in memos(store, ana))


def test_clean_memo_normalises_line_breaks_only():
    assert clean_memo(" a\r\nb\rc\n\n  d \n") == "a\nb\nc\n\n  d"


def test_the_memos_command_lists_searches_and_writes_csv(store, capsys, tmp_path):
    import csv

    CodingSession.start(store, "ana").set_memo(
        _id(store, "FG1-004"), "Trust first.\nThen the plan."
    )
    code, out, _ = run_cli(capsys, "memos", str(store.path), "--coder", "ana")
    assert code == 0 and out.startswith("FG1-004  Defining coproduction  (Hélène Dubois, HP)\n")
    assert "    Trust first.\n    Then the plan." in out
    code, out, _ = run_cli(
        capsys, "memos", str(store.path), "--coder", "ana", "--search", "nothing"
    )
    assert "No memos in ana's coding matching 'nothing'." in out
    target = tmp_path / "memos.csv"
    code, _, _ = run_cli(
        capsys, "memos", str(store.path), "--coder", "ana", "--format", "csv", "--out", str(target)
    )
    [row] = list(csv.DictReader(target.open(encoding="utf-8", newline="")))
    assert row["memo"] == "Trust first.\nThen the plan." and row["ref"] == "FG1-004"
    code, _, err = run_cli(capsys, "memos", str(store.path), "--coder", "zed")
    assert code == 1 and "no such coder" in err


# -- browse by theme --------------------------------------------------------------------


def test_theme_quotes_agree_with_the_theme_table(store):
    from workbench.reports.quotes import theme_quotes
    from workbench.reports.runs import build

    agreed = whose_named(store)
    quotes = theme_quotes(store.coded_comments(agreed.coder.id), store.categories(), store.themes())
    [table], _ = build(store, ["themes"])
    for record in table.data.to_dict("records"):
        found = quotes[record["key"]]
        assert (found.count, found.effective, found.ineffective) == (
            record["comments"],
            record["effective"],
            record["ineffective"],
        )
    listening = quotes["listening"]
    assert [q["ref"] for q in listening.quotes] == sorted(
        q["ref"] for q in listening.quotes
    )  # transcript order
    assert sum(n for _, n in listening.by_role()) == listening.count
    assert listening.summary().startswith(
        f"{listening.count} of the {listening.behaviour} behaviour comments carry Listening ("
    )


def test_the_theme_quotes_table_has_the_definition_counts_and_roles(store):
    from workbench.reports.runs import build

    tables, record = build(store, ["theme-quotes"], quote_themes=["Listening"])
    [table] = tables
    assert table.key == "quotes_listening" and table.title == "Comments coded Listening"
    assert table.columns == ["Ref", "Group", "Role", "Behaviour", "Exemplar", "Quote"]
    assert table.notes[0] == "Listening: Giving close attention to the other."
    assert all(
        row[2] in ("HP", "PwCHC", "Parent", "Teen") and row[3] in ("Effective", "Ineffective")
        for row in table.rows
    )
    assert record["parameters"]["themes"] == ["Listening"]
    every, _ = build(store, ["theme-quotes"])
    assert [t.key for t in every] == [f"quotes_{t.key}" for t in store.themes()]
    with pytest.raises(WorkbenchError, match="--theme trust: no such theme"):
        build(store, ["theme-quotes"], quote_themes=["trust"])


def test_theme_quotes_are_refused_while_not_agreed_unless_provisional(store):
    from workbench.reports.runs import build

    agreed = store.coder_named("agreed")
    with store.transaction():
        store.delete_coding(agreed.id, _id(store, "FG1-002"))
    with pytest.raises(WorkbenchError, match="1 comment.s. have no agreed category yet .FG1-002."):
        build(store, ["theme-quotes"], quote_themes=["listening"])
    [table], record = build(store, ["theme-quotes"], provisional=True, quote_themes=["listening"])
    assert table.title.endswith("(provisional)") and table.notes[0].startswith(
        "Provisional: 1 comment(s)"
    )
    assert record["not_agreed"] == 1


def test_report_theme_quotes_on_the_command_line(store, capsys, tmp_path):
    from docx import Document

    code, out, _ = run_cli(
        capsys,
        "report",
        str(store.path),
        "--table",
        "theme-quotes",
        "--theme",
        "listening",
        "--format",
        "csv",
    )
    assert code == 0 and out.startswith("Ref,Group,Role,Behaviour,Exemplar,Quote\n")
    out_file = tmp_path / "quotes.docx"
    code, out, _ = run_cli(
        capsys, "report", str(store.path), "--table", "theme-quotes", "--out", str(out_file)
    )
    assert code == 0 and len(Document(out_file).tables) == len(store.themes())
    code, _, err = run_cli(
        capsys, "report", str(store.path), "--table", "themes", "--theme", "listening"
    )
    assert code == 2 and "--theme picks the themes of --table theme-quotes" in err
    # Not part of --all: every table of the study, not a table per theme.
    from workbench.reports.runs import TABLES

    assert "theme-quotes" not in TABLES
