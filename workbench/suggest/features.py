"""TF-IDF features of comments: words, word pairs, and character n-grams of the rarer words.

Counting is done once per project (:func:`count`); each cross-validation fold then
only selects and weights columns from its own training comments (:func:`fit`), so
no held-out comment ever shapes the features it is scored with.

* **Words** seen in training, and **word pairs** (adjacent, within a comment) seen in
  at least two training comments.
* **Character n-grams** (3 to 5 characters, within a word padded by spaces, as
  scikit-learn's ``char_wb``) of the words seen in fewer than ``FREQUENT`` training
  comments, and of unseen words: they give rare, misspelt and inflected words a
  representation shared with their relatives, while a frequent word carries its own
  weight. (Measured on 100,000 comments: n-grams of every word made training 4×
  slower for no gain in agreement.) An n-gram is kept if two training comments have it.
* Weights: sublinear term frequency ``1 + ln(count)`` × smooth idf
  ``ln((1 + n) / (1 + df)) + 1``, each comment's vector scaled to unit length.

:class:`Vectorizer` is the fitted result; it turns the words of one new comment into
the same vector with dictionaries and numpy alone (:meth:`Vectorizer.vector`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

FREQUENT = 20  # training comments from which a word carries its own weight only
MIN_PAIR_DF = 2
MIN_GRAM_DF = 2
GRAM_SIZES = (3, 4, 5)


def grams(word: str) -> list[str]:
    padded = f" {word} "
    return [padded[i : i + n] for n in GRAM_SIZES for i in range(len(padded) - n + 1)]


@dataclass
class Counts:
    """Raw counts of every comment's features, computed once (see :func:`count`)."""

    vocabulary: list[str]
    words: Any  # csr (comments × vocabulary) counts
    pairs: Any  # csr (comments × pairs) counts
    pair_words: np.ndarray  # (pairs × 2) vocabulary indices
    word_grams: Any  # csr (vocabulary × n-grams) counts of each word's n-grams

    @property
    def n(self) -> int:
        return self.words.shape[0]

    @property
    def gram_names(self) -> list[str]:
        """The n-grams in column order (made again when asked: only a stored model names them)."""
        return list(_gram_index(self.vocabulary)[0])


def _gram_index(vocabulary: list[str]) -> tuple[dict[str, int], list[int], list[int]]:
    """Each distinct n-gram's column (in order of first appearance), and (word, n-gram) pairs."""
    gram_index: dict[str, int] = {}
    gram_rows, gram_cols = [], []
    for w, word in enumerate(vocabulary):
        for gram in grams(word):
            gram_rows.append(w)
            gram_cols.append(gram_index.setdefault(gram, len(gram_index)))
    return gram_index, gram_rows, gram_cols


def _csr(rows: np.ndarray, cols: np.ndarray, shape: tuple[int, int]):
    """Counts of (row, column) occurrences as a canonical csr matrix (sorted, no duplicates)."""
    import scipy.sparse as sp

    keys, counts = np.unique(rows.astype(np.int64) * shape[1] + cols, return_counts=True)
    indptr = np.zeros(shape[0] + 1, np.int64)
    np.cumsum(np.bincount(keys // shape[1], minlength=shape[0]), out=indptr[1:])
    indices = (keys % shape[1]).astype(np.int32)
    return sp.csr_matrix((counts.astype(np.float32), indices, indptr), shape=shape)


def count(tokens) -> Counts:
    """Counts from :func:`workbench.suggest.tokens.index_many`'s output (an ``Indexed``)."""
    import scipy.sparse as sp

    vocabulary, lengths = tokens.vocabulary, tokens.lengths
    n, v = len(lengths), len(vocabulary)
    flat = tokens.flat
    rows = np.repeat(np.arange(n, dtype=np.int32), lengths)
    words = _csr(rows, flat, (n, v))
    # Adjacent pairs: every position but a comment's last word starts one.
    starts = np.ones(len(flat), dtype=bool)
    starts[np.cumsum(lengths)[lengths > 0] - 1] = False
    starts = np.flatnonzero(starts[:-1])
    codes, inverse = np.unique(
        flat[starts].astype(np.int64) * max(v, 1) + flat[starts + 1], return_inverse=True
    )
    pairs = _csr(rows[starts], inverse, (n, len(codes)))
    del rows, starts, inverse
    pair_words = np.stack([codes // max(v, 1), codes % max(v, 1)], axis=1).astype(np.int32)
    gram_index, gram_rows, gram_cols = _gram_index(vocabulary)
    word_grams = sp.csr_matrix(
        (np.ones(len(gram_rows), np.float32), (gram_rows, gram_cols)), shape=(v, len(gram_index))
    )
    word_grams.sum_duplicates()
    return Counts(vocabulary, words, pairs, pair_words.reshape(len(codes), 2), word_grams)


class Vectorizer:
    """Fitted features: what is kept from training and each column's idf.

    The kept words, pairs and n-grams are named only when asked for (a stored model, one
    comment's vector): a cross-validation fold needs their columns only, and naming 800,000
    word pairs took longer than choosing them.
    """

    def __init__(
        self,
        words: list[str] | None,
        pairs: list[str] | None,
        grams: list[str] | None,
        idf: np.ndarray,
        frequent: list[str] | None,
        names=None,
    ):
        self._names = {"words": words, "pairs": pairs, "grams": grams, "frequent": frequent}
        self._make = names  # () -> the four lists, where they are not given
        self.idf = idf  # float32, words then pairs then grams
        self._index: tuple[dict[str, int], dict[str, int], dict[str, int], frozenset[str]] | None
        self._index = None

    def _named(self, key: str) -> list[str]:
        if self._names[key] is None:
            self._names = self._make()
            self._make = None
        names = self._names[key]
        assert names is not None, "a vectorizer is given its names or a way to make them"
        return names

    @property
    def words(self) -> list[str]:
        return self._named("words")

    @property
    def pairs(self) -> list[str]:  # "first second"
        return self._named("pairs")

    @property
    def grams(self) -> list[str]:
        return self._named("grams")

    @property
    def frequent(self) -> list[str]:  # words that get no character n-grams
        return self._named("frequent")

    @property
    def size(self) -> int:
        return len(self.idf)

    def _lookup(self) -> tuple[dict[str, int], dict[str, int], dict[str, int], frozenset[str]]:
        if self._index is None:
            w, p = len(self.words), len(self.words) + len(self.pairs)
            self._index = (
                {x: i for i, x in enumerate(self.words)},
                {x: w + i for i, x in enumerate(self.pairs)},
                {x: p + i for i, x in enumerate(self.grams)},
                frozenset(self.frequent),
            )
        return self._index

    def vector(self, words: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """One comment's words → (column indices, unit-length weights), sorted by column."""
        word_at, pair_at, gram_at, frequent = self._lookup()
        counts: dict[int, int] = {}
        for word in words:
            col = word_at.get(word)
            if col is not None:
                counts[col] = counts.get(col, 0) + 1
            if word not in frequent:
                for gram in grams(word):
                    col = gram_at.get(gram)
                    if col is not None:
                        counts[col] = counts.get(col, 0) + 1
        for first, second in zip(words, words[1:], strict=False):
            col = pair_at.get(f"{first} {second}")
            if col is not None:
                counts[col] = counts.get(col, 0) + 1
        if not counts:
            return np.zeros(0, np.int64), np.zeros(0, np.float32)
        cols = np.fromiter(sorted(counts), dtype=np.int64, count=len(counts))
        tf = np.array([counts[c] for c in cols], dtype=np.float32)
        values = (1 + np.log(tf)) * self.idf[cols]
        return cols, (values / np.sqrt(np.dot(values, values))).astype(np.float32)


@dataclass
class Fitted:
    """A fold's vectorizer and the column choices that apply it to the counted comments."""

    vectorizer: Vectorizer
    word_cols: np.ndarray
    pair_cols: np.ndarray
    gram_cols: np.ndarray
    rare: np.ndarray  # vocabulary indices of the words that get character n-grams
    word_map: np.ndarray  # vocabulary index → column among the kept words, or -1
    pair_map: np.ndarray  # pair index → column among the kept pairs, or -1
    word_to_grams: Any  # csr (vocabulary × kept n-grams): each rare word's kept n-grams

    def transform(self, counts: Counts, rows: np.ndarray):
        """TF-IDF rows (csr, unit length) of the counted comments ``rows``."""
        words = counts.words[rows]
        grams = words @ self.word_to_grams
        blocks = [_relabel(words, self.word_map, len(self.word_cols))]
        del words
        blocks += [_relabel(counts.pairs[rows], self.pair_map, len(self.pair_cols)), grams]
        del grams
        return self._weigh(blocks)

    def _weigh(self, blocks: list):
        """The words, pairs and n-grams ``blocks`` side by side (the list is emptied, so each is
        freed once copied), TF-IDF weighted, unit length. Columns are relabelled, never
        reordered: each row's entries keep the order they were counted in, so every sum over a
        row (its length, a dot product) adds the same numbers in the same order."""
        import scipy.sparse as sp
        from sklearn.preprocessing import normalize

        matrix = sp.hstack(blocks, format="csr", dtype=np.float32)
        blocks.clear()
        data = matrix.data  # 1 + ln(tf), times idf, in place: the largest arrays here
        np.log(data, out=data)
        data += 1
        data *= self.vectorizer.idf[matrix.indices]
        return normalize(matrix, copy=False)


def _relabel(matrix, mapping: np.ndarray, width: int):
    """The entries of a csr ``matrix`` whose column ``mapping`` keeps (>= 0), relabelled, in order."""
    import scipy.sparse as sp

    cols = mapping[matrix.indices]
    keep = cols >= 0
    indptr = np.concatenate([[0], np.cumsum(keep)])[matrix.indptr]
    return sp.csr_matrix((matrix.data[keep], cols[keep], indptr), shape=(matrix.shape[0], width))


def _df(matrix) -> np.ndarray:
    return np.bincount(matrix.indices, minlength=matrix.shape[1])


def _positions(cols: np.ndarray, size: int) -> np.ndarray:
    mapping = np.full(size, -1, np.int32)
    mapping[cols] = np.arange(len(cols), dtype=np.int32)
    return mapping


def fit(counts: Counts, rows: np.ndarray) -> Fitted:
    """Choose and weight the features from the training comments ``rows`` only."""
    return fit_transform(counts, rows, False)[0]


def fit_transform(
    counts: Counts, rows: np.ndarray, transform: bool = True
) -> tuple[Fitted, object]:
    """:func:`fit`, and (``transform``) :meth:`Fitted.transform` of the same rows, counted once."""
    import scipy.sparse as sp

    n = len(rows)
    words = counts.words[rows]
    word_df = _df(words)
    word_cols = np.flatnonzero(word_df >= 1)
    pairs = counts.pairs[rows]
    pair_df = _df(pairs)
    pair_cols = np.flatnonzero(pair_df >= MIN_PAIR_DF)
    rare = np.flatnonzero(word_df < FREQUENT)
    # Each rare word's n-grams (the other words' rows emptied, so a product with the word counts
    # adds the same numbers in the same order as one with the rare words' columns alone).
    table = counts.word_grams
    keep = np.repeat(word_df < FREQUENT, np.diff(table.indptr))
    rare_grams = sp.csr_matrix(
        (
            table.data[keep],
            table.indices[keep],
            np.concatenate([[0], np.cumsum(keep)])[table.indptr],
        ),
        shape=table.shape,
    )
    grams = words @ rare_grams
    gram_df = _df(grams)
    gram_cols = np.flatnonzero(gram_df >= MIN_GRAM_DF)
    gram_map = _positions(gram_cols, len(gram_df))
    df = np.concatenate([word_df[word_cols], pair_df[pair_cols], gram_df[gram_cols]])
    idf = (np.log((1 + n) / (1 + df)) + 1).astype(np.float32)
    vocab, pair_words = counts.vocabulary, counts.pair_words
    frequent = np.flatnonzero(word_df >= FREQUENT)

    def names() -> dict:
        gram_names = list(_gram_index(vocab)[0])
        return {
            "words": [vocab[i] for i in word_cols],
            "pairs": [f"{vocab[a]} {vocab[b]}" for a, b in pair_words[pair_cols]],
            "grams": [gram_names[i] for i in gram_cols],
            "frequent": [vocab[i] for i in frequent],
        }

    fitted = Fitted(
        Vectorizer(None, None, None, idf, None, names),
        word_cols,
        pair_cols,
        gram_cols,
        rare,
        _positions(word_cols, len(word_df)),
        _positions(pair_cols, len(pair_df)),
        _relabel(rare_grams, gram_map, len(gram_cols)),
    )
    if not transform:
        return fitted, None
    blocks = [_relabel(words, fitted.word_map, len(word_cols))]
    del words
    blocks.append(_relabel(pairs, fitted.pair_map, len(pair_cols)))
    del pairs
    blocks.append(_relabel(grams, gram_map, len(gram_cols)))
    del grams
    return fitted, fitted._weigh(blocks)
