"""Static word embeddings for the ``combined`` model kind (``pip install 'workbench[embeddings]'``).

WordLlama (``wordllama==0.4.0.post1``) ships its weights and tokenizer inside its wheel; it
is loaded from the package's own folder with downloads disabled, because its default
``WordLlama.load()`` tries to fetch the tokenizer and fails offline (Workbench never uses
the network at run time; a test blocks sockets and loads it). A comment's embedding is the
mean of its tokens' 256-dimensional vectors, scaled to unit length, and is appended to the
TF-IDF features (:mod:`workbench.suggest.candidates`). Without the package the kind is
simply not among the candidates; a stored model that used it says how to install it.
"""

from __future__ import annotations

import functools
import importlib.util

import numpy as np

from workbench.errors import WorkbenchError

NAME = "wordllama 0.4.0.post1 l2_supercat 256"
DIMENSIONS = 256
WEIGHT = 1.0  # the embedding block's length beside the unit-length TF-IDF row


def available() -> bool:
    return importlib.util.find_spec("wordllama") is not None


@functools.cache
def _model():
    if not available():
        raise WorkbenchError(
            "this model uses WordLlama embeddings, which are not installed here: "
            "`pip install 'workbench[embeddings]'`, or train the model again here"
        )
    from pathlib import Path

    import wordllama

    return wordllama.WordLlama.load(
        cache_dir=Path(wordllama.__file__).parent, disable_download=True, dim=DIMENSIONS
    )


def embed(texts: list[str]) -> np.ndarray:
    """(comments × 256) float32, each row of length ``WEIGHT`` (zero for a comment of no known word)."""
    if not texts:
        return np.zeros((0, DIMENSIONS), np.float32)
    # Shortest first: WordLlama pads each batch to its longest text, and its pooling adds a text's
    # tokens in order (padding adds zeros), so the vectors are the same, with less padding.
    order = np.argsort([len(text) for text in texts], kind="stable")
    vectors = np.empty((len(texts), DIMENSIONS), np.float32)
    vectors[order] = _model().embed([texts[i] for i in order], norm=False, batch_size=512)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.divide(vectors * WEIGHT, norms, out=np.zeros_like(vectors), where=norms > 0)
