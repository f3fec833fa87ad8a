"""The agreement screen (home a): the lead's only; the numbers the command line gives; a line's
disagreements and each opened in the reconciliation screen; rounds frozen and side by side;
coders chosen; tables exported; snapshots at 80x24 and 160x45."""

import pytest
from helpers import copy_project
from pilot import palette, ready
from textual.fuzzy import Matcher

from workbench.agreement.differences import disagreements
from workbench.agreement.reliability import codings, project_agreement
from workbench.coding.session import CodingSession
from workbench.reports import agreement_tables as T
from workbench.ui.agreement import AgreementScreen
from workbench.ui.agreement_list import DisagreementsScreen
from workbench.ui.app import create_app
from workbench.ui.dialogs import Choose, Prompt
from workbench.ui.home import HomeScreen
from workbench.ui.reconcile import ReconcileScreen

SIZES = [(80, 24), (160, 45)]


@pytest.fixture
def store(coded_demo, tmp_path):
    return copy_project(coded_demo, tmp_path)


def rows_of(table) -> list[list]:
    return [list(table.get_row_at(i)) for i in range(table.row_count)]


async def open_agreement(pilot) -> AgreementScreen:
    await ready(pilot)
    await pilot.press("a")
    await ready(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, AgreementScreen) and screen.complete
    return screen


async def test_the_screen_shows_what_the_command_line_computes(store):
    expected = project_agreement(store)  # `workbench agreement`: 1,000 resamples, seed 1
    pair = expected.pairs[0]
    app = create_app(store)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await open_agreement(pilot)
        table = screen.query_one("#agreement-table")
        assert rows_of(table) == [T.cells(row) for row in T.pair_rows(expected, pair)]
        assert rows_of(table)[0][:5] == ["Category", "122", "98.4%", ".975", ".940 to 1.000"]
        assert [str(c.label) for c in table.columns.values()] == T.COLUMNS
        notes = str(screen.query_one("#agreement-notes").render())
        assert "AC1's q: 4 for the category" in notes and "1,000 resamples" in notes
        await pilot.press("u")  # the themes over every comment both coded
        assert rows_of(table)[2][1] == str(pair.themes["all_coded"].n) == "122"


async def test_the_numbers_come_first_and_the_intervals_after(store):
    app = create_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_agreement(pilot)
        numbers = project_agreement(store, bootstrap=0)
        screen._shown(numbers, False)  # as the worker shows them before the bootstrap
        first = rows_of(screen.query_one("#agreement-table"))[0]
        assert first[3:5] == [".975", ".940 to 1.000"]  # kappa's CI is asymptotic: there at once
        assert first[6] == first[8] == "…"  # alpha's and AC1's bootstrap CIs: being computed
        assert not screen.check_action("freeze", ())  # a round keeps the CIs: not before them


async def test_a_lines_disagreements_open_in_the_reconciliation_screen(store):
    data, _ = codings(store, ["ana", "ben"])
    expected = disagreements(data["ana"], data["ben"], "category")
    app = create_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_agreement(pilot)
        await pilot.press("enter")  # on the first line: the category
        listing = app.screen
        assert isinstance(listing, DisagreementsScreen)
        assert listing.refs == expected and len(expected) == 2
        assert f"disagree on {len(expected)} comment(s)" in str(
            listing.query_one("#disagreements-title").render()
        )
        await pilot.press("j", "enter")  # the second one, reconciled by whom? asked once
        assert isinstance(app.screen, Prompt)
        await pilot.press(*"lead", "enter")
        await ready(pilot)
        assert isinstance(app.screen, ReconcileScreen) and app.screen.item.ref == expected[1]
        await pilot.press("escape")  # back to the list, not to a new home screen
        assert app.screen is listing
        await pilot.press("k", "enter")  # whom is not asked again
        await ready(pilot)
        assert isinstance(app.screen, ReconcileScreen) and app.screen.item.ref == expected[0]
        assert app.screen.rec.actor == "lead"


@pytest.mark.parametrize(
    "line, unit_set",
    [("theme:role_shift", "theme_taking"), ("polarity", "theme_taking"), ("masi", "all_coded")],
)
def test_each_line_lists_the_comments_its_statistic_counts_as_disagreeing(store, line, unit_set):
    report = project_agreement(store, bootstrap=0)
    data, _ = codings(store, ["ana", "ben"])
    categories = store.categories()
    found = disagreements(
        data["ana"],
        data["ben"],
        line,
        unit_set,
        theme_categories=[c.key for c in categories if c.takes_themes],
        effective=["effective"],
        ineffective=["ineffective"],
    )
    pair = report.pairs[0]
    if line == "polarity":
        n, agree = pair.polarity.n, pair.polarity.percent_agreement.value
    elif line == "masi":
        n, agree = pair.themes[unit_set].n, None
    else:
        theme = pair.themes[unit_set].themes[line.split(":")[1]]
        n, agree = theme.n, theme.percent_agreement.value
    if agree is not None:
        assert round(n * (1 - agree)) == len(found)
    assert len(found) <= n


async def test_a_round_is_frozen_here_and_the_rounds_show_side_by_side(store):
    before = len(store.rounds())
    # The demo's round 1 is this very coding: a freeze now would be refused as identical, so
    # ben recodes one comment first (a round is a report that differs from the last one).
    ben = CodingSession.start(store, "ben")
    first = next(c.id for c in store.comments() if not c.excluded)
    now = ben.get(first).category
    ben.set_category(first, "benefits" if now != "benefits" else "defining", drop_themes=True)
    app = create_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_agreement(pilot)
        await pilot.press("f")
        assert isinstance(app.screen, Prompt)
        await pilot.press(*"after training", "enter")
        await pilot.pause()
        rounds = store.rounds()
        assert len(rounds) == before + 1 and rounds[-1]["label"] == "after training"
        await pilot.press("f", "enter")  # again, nothing changed since: refused, said
        await pilot.pause()
        assert len(store.rounds()) == before + 1
        assert any("identical to round" in str(n.message) for n in app._notifications)
        assert rounds[-1]["report"]["pairs"] == screen.report.as_dict()["pairs"]  # as shown
        await pilot.press("r")
        table = screen.query_one("#rounds-table")
        labels = [str(c.label) for c in table.columns.values()]
        assert labels[0] == "statistic" and labels[-1] == f"{before + 1}: after training"
        assert not screen.check_action("disagreements", ())


async def test_coders_are_chosen_from_the_projects_coders(store):
    cara = CodingSession.start(store, "cara")
    for comment in store.comments()[:30]:
        if not comment.excluded:
            cara.set_category(comment.id, "defining")
    app = create_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_agreement(pilot)
        assert screen.report.coders == ("ana", "ben", "cara")
        assert "All 3 coders, category: Fleiss' κ" in str(
            screen.query_one("#agreement-notes").render()
        )
        await pilot.press("c")
        choose = app.screen
        assert isinstance(choose, Choose)
        assert choose.options == ["ana × ben", "ana × cara", "ben × cara", "all 3 coders"]
        await pilot.press("2")  # ana × cara: a pair of the report, shown at once
        assert str(screen.query_one("#agreement-title").render()).startswith("ana × cara")


async def test_the_tables_export_to_word_by_their_absolute_path(store, tmp_path, monkeypatch):
    import docx

    monkeypatch.chdir(tmp_path)
    app = create_app(store)
    messages = []
    async with app.run_test(size=(120, 40)) as pilot:
        await open_agreement(pilot)
        app.notify = lambda message, **kw: messages.append(message)
        await pilot.press("e")
        assert isinstance(app.screen, Prompt)
        await pilot.press("enter")  # agreement.docx, where the app was started
        await pilot.pause()
    assert messages == [f"Wrote {tmp_path / 'agreement.docx'} (3 table(s))."]
    assert len(docx.Document(tmp_path / "agreement.docx").tables) == 3


async def test_a_blind_coder_never_reaches_it_nor_sees_it(store):
    app = create_app(store, coder="ana")
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("escape")  # to the coder's home screen
        await ready(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert "Agreement" not in palette(app) and "a Agreement" not in str(
            app.screen.query_one("KeyBar").render()
        )
        assert app.screen.check_action("agreement", ()) is False
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    served = create_app(store, coder="ana", role="coder", user="ana")
    async with served.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("escape")
        await ready(pilot)
        assert "Agreement" not in palette(served)


async def test_the_lead_finds_every_task_in_the_palette_by_a_word(store):
    app = create_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        titles = palette(app)
        for word, title in (
            ("agree", "Agreement"),
            ("backup", "Backup"),
            ("export", "Export: REFI-QDA, sheets, packages"),
            ("satur", "Saturation"),
            ("reconc", "Reconcile"),
            ("tables", "Tables"),
        ):
            assert title in titles and Matcher(word).match(title) > 0, word
        assert titles.count("Quit") == 1 and "Colour theme" in titles and "Theme" not in titles


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_agreement_screen_snapshot(snap_compare, store, size):
    async def opened(pilot):
        await ready(pilot)
        await pilot.press("a")
        await ready(pilot)

    assert snap_compare(create_app(store), terminal_size=size, run_before=opened)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_agreement_scrolled_right_snapshot(snap_compare, store, size):
    """A wide table scrolled: the layer names stay while the statistics move by a column."""

    async def scrolled(pilot):
        await ready(pilot)
        await pilot.press("a")
        await ready(pilot)
        await pilot.press("right", "right", "right")
        await pilot.pause()

    assert snap_compare(create_app(store), terminal_size=size, run_before=scrolled)
