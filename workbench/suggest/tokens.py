"""Comment text → the words a model sees: spaCy's English tokenizer, lower case or lemmas.

One tokenizer serves training (every comment at once) and the coding screen (one
comment at a time), so a suggestion is computed from exactly the words the model
learnt from. Whitespace tokens are dropped, and punctuation too unless asked for: with
``punct``, punctuation marks are words of their own and each comment opens with ``<s>``
and closes with ``</s>``, so a question mark, a final full stop or a turn broken off
mid-sentence (no mark before ``</s>``) is something a model can learn (on real meeting
transcripts coded with dialogue acts this alone took category kappa from .54 to .79).
Lemmas come from the
English lookup table of ``spacy-lookups-data`` where it is installed (``pip install
'workbench[lemmas]'``); without it, words are lower-cased forms. A model records which
it was trained with and refuses to run where that is not available.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

BOS, EOS = "<s>", "</s>"  # a comment's start and end, with ``punct``
LOWER = "lower"
LEMMA = "lemma"
MODES = (LOWER, LEMMA)


@functools.cache
def _tokenizer():
    import spacy

    return spacy.blank("en").tokenizer


@functools.cache
def _lemma_table():
    """spacy-lookups-data's English lemma table, or None where it is not installed."""
    try:
        import spacy_lookups_data  # noqa: F401  (only to know it is there)
        from spacy.lookups import load_lookups

        return load_lookups("en", ["lemma_lookup"]).get_table("lemma_lookup")
    except (ImportError, ValueError, KeyError):
        return None


def default_mode() -> str:
    """Lemmas where the lookup table is installed, else lower-cased words."""
    return LEMMA if _lemma_table() is not None else LOWER


def check_mode(mode: object) -> None:  # any stored value: this is what checks it
    from workbench.errors import WorkbenchError

    if mode not in MODES:
        raise WorkbenchError(f"unknown token mode {mode!r}")
    if mode == LEMMA and _lemma_table() is None:
        raise WorkbenchError(
            "this model was trained on lemmas, which need spacy-lookups-data: "
            "`pip install 'workbench[lemmas]'`, or train the model again here"
        )


def _normalise(lowered: list[str], mode: str) -> list[str]:
    if mode == LOWER:
        return lowered
    table = _lemma_table()
    return [table.get(word, word).lower() for word in lowered]


def tokenize(text: str, mode: str, punct: bool = False) -> list[str]:
    """The words of one comment, in order."""
    words = [t.lower_ for t in _tokenizer()(text) if not (t.is_space or (t.is_punct and not punct))]
    return [BOS, *_normalise(words, mode), EOS] if punct else _normalise(words, mode)


def tokenize_many(
    texts: list[str], mode: str, punct: bool = False
) -> tuple[list[np.ndarray], list[str]]:
    """Every comment's words as indices into one vocabulary (the unique words, sorted).

    Bulk form of :func:`tokenize` (the same words, in the same order); see :func:`_pieces`.
    """
    found = index_many(texts, mode, punct)
    return found.docs(), found.vocabulary


def index_many(texts: list[str], mode: str, punct: bool = False) -> Indexed:
    """:func:`tokenize_many` as one flat array (what :func:`workbench.suggest.features.count` takes)."""
    return _index(_pieces(texts), mode, punct)


@dataclass
class Indexed:
    """Every comment's words, flat: ``flat[starts[i]:starts[i] + lengths[i]]`` are comment i's
    indices into ``vocabulary`` (one array, not one per comment: fewer, larger allocations)."""

    flat: np.ndarray  # int32
    lengths: np.ndarray  # int64, per comment
    vocabulary: list[str]

    def docs(self) -> list[np.ndarray]:
        return np.split(self.flat, np.cumsum(self.lengths)[:-1]) if len(self.lengths) else []


def tokenize_both(texts: list[str], mode: str) -> dict[bool, Indexed]:
    """:func:`index_many` without and with punctuation, from one pass of the tokenizer."""
    pieces = _pieces(texts)
    return {punct: _index(pieces, mode, punct) for punct in (False, True)}


CHUNKS_PER_DOC = 5000  # distinct pieces tokenized together (spaCy's per-text cost, bounded memory)
TEXTS_PER_BATCH = 10_000


@dataclass
class _Pieces:
    """The comments' pieces between whitespace, each distinct piece tokenized once."""

    codes: np.ndarray  # every piece of every comment, in order → its distinct piece
    per_text: np.ndarray  # pieces per comment
    hashes: np.ndarray  # lower-case hash of each distinct piece's tokens (not whitespace), in order
    punct: np.ndarray  # bool, the same tokens: punctuation
    owner: np.ndarray  # the same tokens: their distinct piece
    distinct: int


def _pieces(texts: list[str]) -> _Pieces:
    """spaCy's tokenizer splits a text at whitespace first and tokenizes each piece between
    whitespace on its own (prefixes, suffixes, infixes, special cases and its cache all work
    inside a piece; the special cases that contain whitespace make only whitespace tokens, which
    are dropped). So each *distinct* piece is tokenized once, and a comment's tokens are its
    pieces' tokens in order: the same words as tokenizing each comment (a test compares them),
    and on 100,000 comments, where the same words recur in most of them, 2.5 times faster.
    """
    from itertools import chain

    from spacy.attrs import IDX, IS_PUNCT, IS_SPACE
    from spacy.attrs import LOWER as LOWER_ATTR

    index: dict[str, int] = {}
    per_batch: list[np.ndarray] = []
    code_batches: list[np.ndarray] = []
    for b in range(0, len(texts), TEXTS_PER_BATCH):  # a batch's pieces at a time: less memory
        split = [text.split() for text in texts[b : b + TEXTS_PER_BATCH]]
        per_batch.append(np.fromiter(map(len, split), np.int64, len(split)))
        in_batch = chain.from_iterable(split)
        code_batches.append(
            np.fromiter(
                (index.setdefault(p, len(index)) for p in in_batch),
                np.int32,
                int(per_batch[-1].sum()),
            )
        )
    per_text = np.concatenate(per_batch) if per_batch else np.zeros(0, np.int64)
    codes = np.concatenate(code_batches) if code_batches else np.zeros(0, np.int32)
    distinct = list(index)
    del index
    # Pieces joined by single spaces (which spaCy absorbs); a token's piece is found by its offset.
    found, owners = [], []
    for b in range(0, len(distinct), CHUNKS_PER_DOC):
        batch = distinct[b : b + CHUNKS_PER_DOC]
        offsets = np.cumsum([0] + [len(p) + 1 for p in batch[:-1]])
        array = _tokenizer()(" ".join(batch)).to_array([LOWER_ATTR, IS_PUNCT, IS_SPACE, IDX])
        array = array[array[:, 2] == 0]
        owners.append(b + np.searchsorted(offsets, array[:, 3].astype(np.int64), side="right") - 1)
        found.append(array[:, :2])
    tokens = np.concatenate(found) if found else np.zeros((0, 2), np.uint64)
    owner = np.concatenate(owners) if owners else np.zeros(0, np.int64)
    return _Pieces(codes, per_text, tokens[:, 0], tokens[:, 1].astype(bool), owner, len(distinct))


def _index(pieces: _Pieces, mode: str, punct: bool) -> Indexed:
    keep = slice(None) if punct else ~pieces.punct
    hashes, owner = pieces.hashes[keep], pieces.owner[keep]
    unique, inverse = np.unique(hashes, return_inverse=True)
    strings = _tokenizer().vocab.strings
    words = _normalise([strings[int(h)] for h in unique], mode)
    vocabulary = sorted(set(words) | ({BOS, EOS} if punct else set()))
    position = {word: i for i, word in enumerate(vocabulary)}
    remap = np.array([position[w] for w in words], dtype=np.int32)
    token_index = remap[inverse] if len(inverse) else np.zeros(0, dtype=np.int32)
    # Every piece of every comment → its tokens' indices, in order (int32 throughout: these
    # arrays have an entry per word of the project).
    count = np.bincount(owner, minlength=pieces.distinct).astype(np.int32)
    first = np.cumsum(count, dtype=np.int32) - count
    sizes = count[pieces.codes]
    ends = np.cumsum(sizes, dtype=np.int32)
    shift = first[pieces.codes]
    shift -= ends
    shift += sizes  # each piece's first token, less its place among all of them
    del sizes
    at = np.arange(int(ends[-1]) if len(ends) else 0, dtype=np.int32)
    at += np.repeat(shift, count[pieces.codes])
    del shift
    indices = token_index[at]
    del at
    bounds = np.concatenate([[0], ends])[np.concatenate([[0], np.cumsum(pieces.per_text)])]
    lengths = np.diff(bounds).astype(np.int64)
    if not punct:
        return Indexed(indices, lengths, vocabulary)
    # Each comment opens with <s> and closes with </s>.
    flat = np.empty(len(indices) + 2 * len(lengths), np.int32)
    opens = np.cumsum(lengths + 2) - (lengths + 2)
    inside = np.ones(len(flat), bool)
    inside[opens] = inside[opens + lengths + 1] = False
    flat[opens] = position[BOS]
    flat[opens + lengths + 1] = position[EOS]
    flat[inside] = indices
    return Indexed(flat, lengths + 2, vocabulary)
