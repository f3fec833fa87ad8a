"""Comment text → the words a model sees: spaCy's English tokenizer, lower case or lemmas.

One tokenizer serves training (every comment at once) and the coding screen (one
comment at a time), so a suggestion is computed from exactly the words the model
learnt from. Punctuation and whitespace tokens are dropped. Lemmas come from the
English lookup table of ``spacy-lookups-data`` where it is installed (``pip install
'workbench[lemmas]'``); without it, words are lower-cased forms. A model records which
it was trained with and refuses to run where that is not available.
"""

from __future__ import annotations

import functools

import numpy as np

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


def tokenize(text: str, mode: str) -> list[str]:
    """The words of one comment, in order."""
    words = [t.lower_ for t in _tokenizer()(text) if not (t.is_punct or t.is_space)]
    return _normalise(words, mode)


def tokenize_many(texts: list[str], mode: str) -> tuple[list[np.ndarray], list[str]]:
    """Every comment's words as indices into one vocabulary (the unique words, sorted).

    Bulk form of :func:`tokenize` (the same words, in the same order): spaCy hands back
    hashes, and each distinct hash is turned into a string once, not once per use.
    """
    from spacy.attrs import IS_PUNCT, IS_SPACE, LOWER as LOWER_ATTR

    tokenizer = _tokenizer()
    docs, lengths = [], []
    for doc in tokenizer.pipe(texts, batch_size=2000):
        if len(doc) == 0:
            docs.append(np.zeros(0, dtype=np.uint64))
            lengths.append(0)
            continue
        array = doc.to_array([LOWER_ATTR, IS_PUNCT, IS_SPACE])
        words = array[(array[:, 1] == 0) & (array[:, 2] == 0), 0]
        docs.append(words)
        lengths.append(len(words))
    hashes = np.concatenate(docs) if docs else np.zeros(0, dtype=np.uint64)
    unique, inverse = np.unique(hashes, return_inverse=True)
    strings = tokenizer.vocab.strings
    words = _normalise([strings[int(h)] for h in unique], mode)
    vocabulary = sorted(set(words))
    position = {word: i for i, word in enumerate(vocabulary)}
    remap = np.array([position[w] for w in words], dtype=np.int32)
    indices = remap[inverse] if len(inverse) else np.zeros(0, dtype=np.int32)
    return np.split(indices, np.cumsum(lengths)[:-1]) if texts else [], vocabulary
