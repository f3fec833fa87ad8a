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

from dataclasses import dataclass, field

import numpy as np

FREQUENT = 20  # training comments from which a word carries its own weight only
MIN_PAIR_DF = 2
MIN_GRAM_DF = 2
GRAM_SIZES = (3, 4, 5)


def grams(word: str) -> list[str]:
    padded = f" {word} "
    return [padded[i:i + n] for n in GRAM_SIZES for i in range(len(padded) - n + 1)]


@dataclass
class Counts:
    """Raw counts of every comment's features, computed once (see :func:`count`)."""

    vocabulary: list[str]
    words: object  # csr (comments × vocabulary) counts
    pairs: object  # csr (comments × pairs) counts
    pair_words: np.ndarray  # (pairs × 2) vocabulary indices
    word_grams: object  # csr (vocabulary × n-grams) counts of each word's n-grams
    gram_names: list[str]

    @property
    def n(self) -> int:
        return self.words.shape[0]


def count(tokens: list[np.ndarray], vocabulary: list[str]) -> Counts:
    """Counts from :func:`workbench.suggest.tokens.tokenize_many`'s output."""
    import scipy.sparse as sp

    n, v = len(tokens), len(vocabulary)
    lengths = np.array([len(t) for t in tokens], dtype=np.int64)
    flat = np.concatenate(tokens).astype(np.int64) if n and lengths.sum() else np.zeros(0, np.int64)
    rows = np.repeat(np.arange(n), lengths)
    words = sp.csr_matrix((np.ones(len(flat), np.float32), (rows, flat)), shape=(n, v))
    words.sum_duplicates()
    # Adjacent pairs: every position but a comment's last word starts one.
    starts = np.ones(len(flat), dtype=bool)
    ends = np.cumsum(lengths)[lengths > 0] - 1
    starts[ends] = False
    first, second = flat[:-1][starts[:-1]], flat[1:][starts[:-1]]
    codes, inverse = np.unique(first * max(v, 1) + second, return_inverse=True)
    pairs = sp.csr_matrix((np.ones(len(inverse), np.float32), (rows[:-1][starts[:-1]], inverse)),
                          shape=(n, len(codes)))
    pairs.sum_duplicates()
    pair_words = np.stack([codes // max(v, 1), codes % max(v, 1)], axis=1) if len(codes) else np.zeros((0, 2), np.int64)
    gram_index: dict[str, int] = {}
    gram_rows, gram_cols = [], []
    for w, word in enumerate(vocabulary):
        for gram in grams(word):
            gram_rows.append(w)
            gram_cols.append(gram_index.setdefault(gram, len(gram_index)))
    word_grams = sp.csr_matrix((np.ones(len(gram_rows), np.float32), (gram_rows, gram_cols)),
                               shape=(v, len(gram_index)))
    word_grams.sum_duplicates()
    return Counts(vocabulary, words, pairs, pair_words, word_grams, list(gram_index))


@dataclass
class Vectorizer:
    """Fitted features: what is kept from training and each column's idf."""

    words: list[str]
    pairs: list[str]  # "first second"
    grams: list[str]
    idf: np.ndarray  # float32, words then pairs then grams
    frequent: list[str]  # words that get no character n-grams
    _index: dict = field(default=None, repr=False, compare=False)

    @property
    def size(self) -> int:
        return len(self.words) + len(self.pairs) + len(self.grams)

    def _lookup(self) -> tuple[dict, dict, dict, frozenset]:
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

    def transform(self, counts: Counts, rows: np.ndarray):
        """TF-IDF rows (csr, unit length) of the counted comments ``rows``."""
        import scipy.sparse as sp
        from sklearn.preprocessing import normalize

        words = counts.words[rows]
        blocks = [words[:, self.word_cols], counts.pairs[rows][:, self.pair_cols],
                  _gram_counts(words, self.rare, counts)[:, self.gram_cols]]
        matrix = sp.hstack(blocks, format="csr", dtype=np.float32)
        matrix.data = (1 + np.log(matrix.data)) * self.vectorizer.idf[matrix.indices]
        return normalize(matrix, copy=False)


def _df(matrix) -> np.ndarray:
    return np.bincount(matrix.indices, minlength=matrix.shape[1])


def _gram_counts(words, rare: np.ndarray, counts: Counts):
    """Character n-gram counts of the comments' rare words (csr, comments × n-grams)."""
    return (words[:, rare] @ counts.word_grams[rare]).tocsr()


def fit(counts: Counts, rows: np.ndarray) -> Fitted:
    """Choose and weight the features from the training comments ``rows`` only."""
    n = len(rows)
    words = counts.words[rows]
    word_df = _df(words)
    word_cols = np.flatnonzero(word_df >= 1)
    pair_df = _df(counts.pairs[rows])
    pair_cols = np.flatnonzero(pair_df >= MIN_PAIR_DF)
    rare = np.flatnonzero(word_df < FREQUENT)
    gram_df = _df(_gram_counts(words, rare, counts))
    gram_cols = np.flatnonzero(gram_df >= MIN_GRAM_DF)
    df = np.concatenate([word_df[word_cols], pair_df[pair_cols], gram_df[gram_cols]])
    idf = (np.log((1 + n) / (1 + df)) + 1).astype(np.float32)
    vocab = counts.vocabulary
    vectorizer = Vectorizer(
        words=[vocab[i] for i in word_cols],
        pairs=[f"{vocab[a]} {vocab[b]}" for a, b in counts.pair_words[pair_cols]],
        grams=[counts.gram_names[i] for i in gram_cols],
        idf=idf,
        frequent=[vocab[i] for i in np.flatnonzero(word_df >= FREQUENT)],
    )
    return Fitted(vectorizer, word_cols, pair_cols, gram_cols, rare)
