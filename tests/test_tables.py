"""Report tables reproduce the study's Tables 1-3 from an agreed coding, and say so honestly."""

import pytest
from study_fixture import TABLE1, TABLE2, TABLE3, study_dataframe

from workbench.reports.crosstabs import (
    cooccurrence_table,
    theme_by_group_table,
    theme_by_role_table,
)
from workbench.reports.tables import (
    NotAgreedError,
    category_table,
    exemplar_table,
    percent,
    theme_table,
    unagreed,
)


@pytest.fixture(scope="module")
def study():
    return study_dataframe()


def expected_category_rows(reference):
    return [
        [name, *[f"{n} ({p}%)" for n, p in cells], str(sum(n for n, _ in cells))]
        for name, cells in reference.items()
    ]


def expected_theme_rows():
    return [[name, str(n), f"{p}%"] for name, n, p in TABLE3]


@pytest.mark.parametrize(
    "num, den, expected",
    [
        (5, 8, 63),  # 62.5: Python's round() would give 62
        (7, 12, 58),  # 58.33
        (1, 200, 1),  # 0.5
        (1, 40, 3),  # 2.5: round() would give 2
        (3, 8, 38),  # 37.5
        (0, 7, 0),
        (7, 7, 100),
        (2, 3, 67),
        (1, 3, 33),
    ],
)
def test_percent_rounds_half_up(num, den, expected):
    assert percent(num, den) == expected


def test_percent_rejects_nonsense():
    with pytest.raises(ValueError):
        percent(1, 0)
    with pytest.raises(TypeError):
        percent(0.5, 1)  # floats are exactly what this avoids


def test_fixture_matches_the_study_totals(study):
    df, _, _ = study
    assert len(df[df.group_kind == "individual"]) == 82
    assert len(df[df.group_kind == "multi"]) == 40
    behaviour = df[df.category.isin(["effective", "ineffective"])]
    assert len(behaviour) == 88 and (behaviour.category == "effective").sum() == 65
    assert behaviour.themes.map(len).min() >= 1  # every behaviour comment is themed
    assert df[~df.category.isin(["effective", "ineffective"])].themes.map(len).max() == 0


def test_table_1_individual_groups(study):
    df, categories, _ = study
    table = category_table(df, categories, groups=["FG1", "FG2", "FG3"])
    assert table.rows[:3] == expected_category_rows(TABLE1)
    assert table.rows[3][0] == "Total" and table.rows[3][-1] == "82"
    assert table.columns[0] == "Focus group" and table.columns[-1] == "n"
    assert table.columns[1:5] == [c.name for c in categories]
    assert table.data.loc[1, "effective_pct"] == 63  # 62.5, half up


def test_table_2_multi_stakeholder_groups(study):
    df, categories, _ = study
    table = category_table(df, categories, groups=["FG5", "FG4"])  # order follows position
    assert table.rows[:2] == expected_category_rows(TABLE2)
    assert table.rows[2][-1] == "40"


def test_single_group_has_no_total_row(study):
    df, categories, _ = study
    table = category_table(df, categories, groups=["FG1"])
    assert len(table.rows) == 1


def test_unknown_group_is_an_error(study):
    df, categories, _ = study
    with pytest.raises(ValueError, match="FG9"):
        category_table(df, categories, groups=["FG9"])


def test_table_3_themes(study):
    df, categories, themes = study
    table = theme_table(df, categories, themes)
    assert table.columns == ["Theme", "Definition", "Comments", "% effective"]
    assert [[r[0], r[2], r[3]] for r in table.rows] == expected_theme_rows()
    definitions = {t.name: t.definition for t in themes}
    assert all(r[1] == definitions[r[0]] for r in table.rows)
    assert table.notes[0] == (
        "88 comments were mapped to effective or ineffective behaviours "
        "(65 effective, 23 ineffective)."
    )
    # The study's text says 67% to 93%; its own table (and ours) goes down to 58%.
    assert "ranged from 58% to 93%" in table.notes[1]
    assert table.data["effective"].sum() == 211 and table.data["ineffective"].sum() == 62


def test_theme_ties_keep_codebook_order(study):
    df, categories, themes = study
    names = [r[0] for r in theme_table(df, categories, themes).rows]
    # 33/33, 14/14 and 12/12/12 ties stay in codebook order.
    assert names.index("Communication") < names.index("Empowerment")
    assert names.index("Goal setting") < names.index("Shared knowledge") < names.index("Mutuality")


def test_unagreed_comment_refuses_a_final_table(study):
    df, categories, themes = study
    df = df.copy()
    df.loc[[3, 20], "category"] = None
    assert unagreed(df) == ["FG1-004", "FG2-005"]
    with pytest.raises(NotAgreedError) as caught:
        theme_table(df, categories, themes)
    assert caught.value.count == 2 and caught.value.refs == ["FG1-004", "FG2-005"]
    assert "FG1-004" in str(caught.value)
    assert isinstance(caught.value, ValueError)
    with pytest.raises(NotAgreedError):
        category_table(df, categories)
    for make in (exemplar_table, cooccurrence_table, theme_by_role_table, theme_by_group_table):
        with pytest.raises(NotAgreedError):
            make(df, categories, themes)


def test_provisional_table_is_titled_and_noted(study):
    df, categories, themes = study
    df = df.copy()
    df.loc[3, "category"] = None  # an FG1 comment
    table = category_table(df, categories, groups=["FG1", "FG2", "FG3"], allow_provisional=True)
    assert table.title.endswith("(provisional)")
    assert "1 comment(s)" in table.notes[0] and "excluded" in table.notes[0]
    assert table.rows[0][-1] == "15"
    # Table 2 is untouched by an unagreed FG1 comment: no refusal, no provisional mark.
    table2 = category_table(df, categories, groups=["FG4", "FG5"])
    assert "provisional" not in table2.title
    themes_table = theme_table(df, categories, themes, allow_provisional=True)
    assert "(provisional)" in themes_table.title


def test_exemplars_end_with_role_tags(study):
    df, categories, themes = study
    df = df.copy()
    first = df.index[df.exemplar & (df.group_code == "FG2")][0]
    df.loc[first, "role"] = None
    table = exemplar_table(df, categories, themes)
    quotes = [r[2] for r in table.rows]
    assert quotes and all(
        q.rsplit(" ", 1)[1] in ("~HP", "~PwCHC", "~Parent", "~Teen", "~unknown") for q in quotes
    )
    assert any(q.endswith("~HP") for q in quotes) and any(q.endswith("~unknown") for q in quotes)
    assert set(table.data["ref"]) <= set(df.loc[df.exemplar, "ref"])
    # a quote with several themes appears under each
    assert table.data["ref"].duplicated().any()
    # effective quotes come before ineffective ones within a theme
    for _, part in table.data.groupby("key", sort=False):
        assert list(part["polarity"]) == sorted(part["polarity"])
    everything = exemplar_table(df, categories, themes, marked_only=False)
    assert len(everything.rows) == 211 + 62


def test_cooccurrence_is_symmetric_with_theme_counts_on_the_diagonal(study):
    df, categories, themes = study
    matrix = cooccurrence_table(df, categories, themes).data
    counts = theme_table(df, categories, themes).data.set_index("key")["comments"]
    assert (matrix.to_numpy() == matrix.to_numpy().T).all()
    assert all(matrix.loc[k, k] == counts[k] for k in counts.index)
    assert list(matrix.index) == list(counts.index)


@pytest.mark.parametrize(
    "make, column, headers",
    [
        (theme_by_role_table, "role", ["HP", "PwCHC", "Parent", "Teen"]),
        (theme_by_group_table, "group_code", ["FG1", "FG2", "FG3", "FG4", "FG5"]),
    ],
)
def test_theme_breakdowns_add_up(study, make, column, headers):
    df, categories, themes = study
    table = make(df, categories, themes)
    assert [c.split(" (")[0] for c in table.columns[1:-1]] == headers
    assert table.columns[-1] == "Total (n=88)"
    overall = theme_table(df, categories, themes).data.set_index("key")
    data = table.data.set_index("key")
    for key in overall.index:
        assert sum(data.loc[key, h] for h in headers) == overall.loc[key, "comments"]
        assert (
            sum(data.loc[key, f"{h}_effective"] for h in headers) == overall.loc[key, "effective"]
        )
    behaviour = df[df.category.isin(["effective", "ineffective"])]
    for header, h in zip(table.columns[1:-1], headers, strict=True):
        assert header == f"{h} (n={(behaviour[column] == h).sum()})"


def test_per_coder_frames_use_the_same_functions(study):
    """A coder's own coding is just another frame: one comment recoded changes one cell."""
    df, categories, themes = study
    coder = df.copy()
    i = coder.index[coder.category == "defining"][0]
    coder.loc[i, "category"] = "benefits"
    table = category_table(coder, categories, groups=[coder.loc[i, "group_code"]])
    assert table.data.loc[0, "defining"] == 8 and table.data.loc[0, "benefits"] == 2
