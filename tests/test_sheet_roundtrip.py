"""Every sheet the product writes reads back to the same codings (issue: a one-hot sheet lost its themes)."""

from __future__ import annotations

import pytest
from helpers import run_cli

from workbench.demo import build_demo, code_demo
from workbench.exchange.sheets import SheetError, import_sheet
from workbench.store import Store


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    path = tmp_path_factory.mktemp("src") / "coded.db"
    store, _ = build_demo(path)
    code_demo(store)
    from workbench.coding.session import CodingSession

    session = CodingSession.start(store, "ana")  # memos and flags travel too
    first, second = [c.id for c in store.comments() if not c.excluded][:2]
    session.set_memo(first, 'a memo, with "quotes"; and a semicolon')
    session.toggle_unsure(second)
    return path


def _codings(store: Store, name: str) -> dict:
    coder = store.coder_named(name)
    return {
        ref: (row.category_key, tuple(row.themes), row.memo, bool(row.unsure), bool(row.exemplar))
        for ref, row in ((store.comment_ref(i), r) for i, r in store.codings_of(coder.id).items())
    }


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
@pytest.mark.parametrize("flavour", [[], ["--onehot"], ["--agreed"], ["--agreed", "--onehot"]])
def test_a_sheet_reads_back_identically(source, tmp_path, capsys, suffix, flavour):
    sheet = tmp_path / f"sheet{suffix}"
    code, _, err = run_cli(capsys, "codings", "export", str(source), *flavour, "--out", str(sheet))
    assert code == 0, err
    fresh, _ = build_demo(tmp_path / "fresh.db")
    agreed = "--agreed" in flavour
    code, out, err = run_cli(
        capsys,
        "codings",
        "import",
        str(tmp_path / "fresh.db"),
        str(sheet),
        *(["--agreed"] if agreed else []),
    )
    assert code == 0, err
    original = Store.open(source)
    for name in ["agreed"] if agreed else ["ana", "ben"]:
        assert _codings(Store.open(tmp_path / "fresh.db"), name) == _codings(original, name)
    # Into the project it came from: nothing to change.
    code, out, err = run_cli(
        capsys, "codings", "import", str(source), str(sheet), *(["--agreed"] if agreed else [])
    )
    assert code == 0 and " 0 new, 0 changed" in out, err


def test_a_column_nobody_reads_is_refused(source, tmp_path):
    sheet = tmp_path / "s.csv"
    sheet.write_text(
        "ref,coder,category,themes,colour\nFG1-002,zoe,defining,,red\n", encoding="utf-8"
    )
    with pytest.raises(SheetError, match=r"row 1: column\(s\) 'colour' not understood"):
        import_sheet(Store.open(source), sheet)
    sheet.write_text(
        "ref,coder,category,themes,Listening\nFG2-007,zoe,effective,Listening,1\n", encoding="utf-8"
    )
    with pytest.raises(SheetError, match="themes are given twice"):
        import_sheet(Store.open(source), sheet)
    sheet.write_text(
        "ref,coder,category,Listening\nFG2-007,zoe,effective,maybe\n", encoding="utf-8"
    )
    with pytest.raises(SheetError, match=r"row 2: column 'listening' must be 1 or 0"):
        import_sheet(Store.open(source), sheet)


def test_the_apps_keys_work_in_a_sheet(tmp_path):
    store, _ = build_demo(tmp_path / "p.db")
    sheet = tmp_path / "keys.csv"
    sheet.write_text(
        "ref,coder,category,themes\nFG2-007,zoe,2,i; g\nFG1-002,zoe,1,\n", encoding="utf-8"
    )
    import_sheet(store, sheet)
    assert _codings(store, "zoe") == {
        "FG2-007": ("effective", ("knowing_the_person", "listening"), "", False, False),
        "FG1-002": ("defining", (), "", False, False),
    }


def test_a_template_for_a_new_coder(source, tmp_path, capsys):
    sheet = tmp_path / "blank.csv"
    code, out, _ = run_cli(
        capsys,
        "codings",
        "export",
        str(source),
        "--template",
        "--coder",
        "zoe",
        "--out",
        str(sheet),
    )
    assert code == 0 and "Wrote 122 row(s)" in out
    lines = sheet.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "ref,coder,category,themes,memo,unsure,exemplar,group,speaker,role,text"
    assert lines[1].startswith("FG1-002,zoe,,,,,,Health professionals,")
    code, _, err = run_cli(
        capsys, "codings", "export", str(source), "--template", "--out", str(sheet)
    )
    assert code == 2 and "--template needs --coder NAME" in err


def test_coded_means_the_same_everywhere(tmp_path, capsys):
    """A behaviour comment without a theme is not coded: not in status, not in home, not on screen."""
    store, _ = build_demo(tmp_path / "p.db")
    sheet = tmp_path / "partial.csv"
    sheet.write_text(
        "ref,coder,category,themes\nFG2-007,zoe,effective,\nFG1-002,zoe,defining,\n"
        "FG2-008,zoe,ineffective,Listening\n",
        encoding="utf-8",
    )
    code, out, _ = run_cli(capsys, "codings", "import", str(tmp_path / "p.db"), str(sheet))
    assert (
        code == 0
        and "1 behaviour comment(s) have no theme yet and are not counted as coded: FG2-007" in out
    )
    code, out, _ = run_cli(capsys, "status", str(tmp_path / "p.db"))
    assert "zoe (2/122 coded)" in out and "zoe: 1 behaviour comment(s) still need a theme" in out
    from workbench.coding.session import CodingSession
    from workbench.coding.worklist import Worklist

    session = CodingSession.start(store, "zoe")
    assert Worklist(session).progress() == (2, 122)
    assert sum(r["coded"] for r in store.coder_progress()) == 2
