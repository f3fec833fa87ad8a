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


def check_mode(mode: str) -> None:
    from workbench.errors import WorkbenchError

    if mode not in MODES:
        raise WorkbenchError(f"unknown token mode {mode!r}")
    if mode == LEMMA and _lemma_table() is None:
        raise WorkbenchError("this model was trained on lemmas, which need spacy-lookups-data: "
                             "`pip install 'workbench[lemmas]'`, or train the model again here")


def _normalise(lowered: list[str], mode: str) -> list[str]:
    if mode == LOWER:
        return lowered
    table = _lemma_table()
    return [table.get(word, word).lower() for word in lowered]


def tokenize(text: str, mode: str, punct: bool = False) -> list[str]:
    """The words of one comment, in order."""
    words = [t.lower_ for t in _tokenizer()(text) if not (t.is_space or (t.is_punct and not punct))]
    return [BOS, *_normalise(words, mode), EOS] if punct else _normalise(words, mode)


def tokenize_many(texts: list[str], mode: str, punct: bool = False) -> tuple[list[np.ndarray], list[str]]:
    """Every comment's words as indices into one vocabulary (the unique words, sorted).

    Bulk form of :func:`tokenize` (the same words, in the same order): spaCy hands back
    hashes, and each distinct hash is turned into a string once, not once per use.
    """
    return _index(_hashes(texts), mode, punct)


def tokenize_both(texts: list[str], mode: str) -> dict[bool, tuple[list[np.ndarray], list[str]]]:
    """:func:`tokenize_many` without and with punctuation, from one pass of the tokenizer."""
    hashes = _hashes(texts)
    return {punct: _index(hashes, mode, punct) for punct in (False, True)}


def _hashes(texts: list[str]) -> list[np.ndarray]:
    """Per comment, (lower-case hash, is punctuation) of its tokens that are not whitespace."""
    from spacy.attrs import IS_PUNCT, IS_SPACE
    from spacy.attrs import LOWER as LOWER_ATTR

    out = []
    for doc in _tokenizer().pipe(texts, batch_size=2000):
        if len(doc) == 0:
            out.append(np.zeros((0, 2), dtype=np.uint64))
            continue
        array = doc.to_array([LOWER_ATTR, IS_PUNCT, IS_SPACE])
        out.append(array[array[:, 2] == 0, :2])
    return out


def _index(hashed: list[np.ndarray], mode: str, punct: bool) -> tuple[list[np.ndarray], list[str]]:
    docs = [d[:, 0] if punct else d[d[:, 1] == 0, 0] for d in hashed]
    lengths = [len(d) for d in docs]
    hashes = np.concatenate(docs) if docs else np.zeros(0, dtype=np.uint64)
    unique, inverse = np.unique(hashes, return_inverse=True)
    strings = _tokenizer().vocab.strings
    words = _normalise([strings[int(h)] for h in unique], mode)
    vocabulary = sorted(set(words) | ({BOS, EOS} if punct else set()))
    position = {word: i for i, word in enumerate(vocabulary)}
    remap = np.array([position[w] for w in words], dtype=np.int32)
    indices = remap[inverse] if len(inverse) else np.zeros(0, dtype=np.int32)
    split = np.split(indices, np.cumsum(lengths)[:-1]) if docs else []
    if punct:
        ends = np.array([position[BOS], position[EOS]], dtype=np.int32)
        split = [np.concatenate([ends[:1], doc.astype(np.int32), ends[1:]]) for doc in split]
    return split, vocabulary
