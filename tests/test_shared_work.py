"""The agreement report and the report tables share their work (issues 21 and 24) without
changing a number: the numbers before their bootstrap are the report without it, the pattern
tables built once give the same intervals, the quicker paths equal the ones they replace,
and what a table run keeps for a frame is never read for another frame."""

from __future__ import annotations

import gc

import numpy as np
import pytest
from study_fixture import study_dataframe

from workbench.agreement.alpha import AlphaTable
from workbench.agreement.bootstrap import TAIL_FREQ, _unique_rows
from workbench.agreement.masi import Masi
from workbench.agreement.ratings import encode_ratings
from workbench.agreement.report import agreement_report
from workbench.reports import derived
from workbench.reports import tables as T

CATEGORIES = ["defining", "effective", "ineffective", "benefits"]
THEMES = ["role_shift", "communication", "empowerment", "trust"]


def codings(coders: int, units: int = 60, seed: int = 3) -> dict:
    rng = np.random.default_rng(seed)
    out = {}
    for c in range(coders):
        mine = {}
        for u in range(units):
            if rng.random() < 0.05:
                continue  # not coded by this coder
            category = CATEGORIES[rng.integers(4)]
            themes = (
                frozenset(t for t in THEMES if rng.random() < 0.4)
                if category in ("effective", "ineffective")
                else frozenset()
            )
            mine[f"FG1-{u:03d}"] = (category, themes)
        out[f"coder{c}"] = mine
    return out


def report(data, **kw):
    return agreement_report(
        data, CATEGORIES, ["effective", "ineffective"], ["effective"], ["ineffective"], THEMES, **kw
    )


@pytest.mark.parametrize("coders", [2, 3])
def test_the_numbers_first_are_the_report_without_bootstrap_and_the_cis_unchanged(coders):
    data = codings(coders)
    first: list = []
    full = report(data, bootstrap=300, seed=7, numbers=first.append)
    assert first == [report(data, bootstrap=0, seed=7)]
    assert full == report(data, bootstrap=300, seed=7)  # tables reused: the same intervals
    assert full.pairs[0].themes["all_coded"].masi_alpha.ci is not None


def test_a_wrong_coding_among_many_is_named_and_lists_read_as_sets():
    data = codings(2, units=200)
    assert report(data, bootstrap=0, seed=1) == report(
        {c: {u: (k, sorted(t)) for u, (k, t) in m.items()} for c, m in data.items()},
        bootstrap=0,
        seed=1,
    )  # theme lists (unhashable) are read one by one, the same
    data["coder1"]["FG1-150"] = ("benefits", frozenset({"trust"}))
    with pytest.raises(ValueError, match="coder 'coder1', unit 'FG1-150': themes on category"):
        report(data, bootstrap=0)
    data["coder1"]["FG1-150"] = ("effective", frozenset(), "extra")
    with pytest.raises(ValueError, match=r"unit 'FG1-150': expected \(category, themes\)"):
        report(data, bootstrap=0)


def test_rows_found_by_integer_keys_are_numpys_unique_rows():
    rng = np.random.default_rng(0)
    for shape, high in (((5000, 4), 3), ((10, 3), 6), ((0, 4), 1), ((400, 7), 4), ((300, 2), 90)):
        r = rng.integers(0, high, size=shape)
        expected, counts = np.unique(r, axis=0, return_counts=True)
        got, got_counts = _unique_rows(r)
        assert np.array_equal(got, expected) and np.array_equal(got_counts, counts)


def test_masi_distances_by_popcount_equal_the_dot_product_path():
    rng = np.random.default_rng(1)
    masi = Masi(rng.random((300, 14)) < 0.25)
    values = np.arange(300)
    assert masi._popcount or not hasattr(np, "bitwise_count")
    quick = masi.block(values, values)
    masi._popcount = False
    assert np.array_equal(quick, masi.block(values, values))
    assert np.array_equal(quick[:, 5], masi.pairs(values, np.full(300, 5)))


def test_rare_patterns_counted_row_by_row_equal_one_bincount():
    rng = np.random.default_rng(5)
    codes, labels = encode_ratings([list(rng.integers(0, 9, 400)), list(rng.integers(0, 9, 400))])
    table = AlphaTable(codes, len(labels), labels)
    head = int(np.searchsorted(-table.freq, -TAIL_FREQ, side="left"))
    assert 0 < head < len(table.freq) - 1  # both kinds of pattern
    # The block as it was drawn before (one bincount), from the same generator.
    gen, n, size = np.random.default_rng(9), table.n_units, 60
    tail_freq = table.freq[head:]
    cells = gen.multinomial(n, np.r_[table.freq[:head], tail_freq.sum()] / n, size=size)
    picks = gen.integers(0, int(tail_freq.sum()), size=int(cells[:, head].sum()))
    pattern = np.repeat(np.arange(len(tail_freq)), tail_freq)[picks]
    row = np.repeat(np.arange(size), cells[:, head])
    tail = np.bincount(row * len(tail_freq) + pattern, minlength=size * len(tail_freq))
    before = np.concatenate([cells[:, :head], tail.reshape(size, -1)], axis=1)
    assert np.array_equal(table.draw(size, np.random.default_rng(9)), before)


def test_what_tables_derive_from_a_frame_is_shared_and_never_read_for_another():
    df, categories, themes = study_dataframe()
    alone = T.theme_table(df.copy(), categories, themes)
    first = T.theme_table(df, categories, themes)
    assert T.behaviour_rows(df, categories) is T.behaviour_rows(df, categories)  # derived once
    other = df.copy()
    other["themes"] = [tuple(t[:1]) for t in other["themes"]]  # another coding
    fewer = T.theme_table(other, categories, themes)
    again = T.theme_table(df, categories, themes)
    assert first.rows == again.rows == alone.rows and fewer.rows != first.rows
    kept = len(derived.KEPT)
    del other, fewer
    gc.collect()
    assert len(derived.KEPT) < kept  # what was derived goes with its frame
