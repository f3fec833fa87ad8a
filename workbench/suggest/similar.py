"""More like this: the comments most like one comment, by the cosine similarity of the
features the model itself sees (no other model).

With a trained model, each comment's vector is the model's (:meth:`Model.vector`: its
words, word pairs and character n-grams, TF-IDF weighted, unit length), so "like" means
like to the model. Without one, the same TF-IDF features are fitted on the project's own
comments (words only, no coding read), so the key works from the first day. Either way
no label is used: a blind coder may look, and sees beside each comment only the codes
they may see (:func:`workbench.coding.views.visible_codings`: their own while coding
blind), for consistency checks and for finding every comment on a topic.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from workbench.coding.session import from_row
from workbench.coding.views import visible_codings
from workbench.store import Store

TOP = 10


@dataclass(frozen=True)
class Like:
    comment_id: int
    ref: str
    similarity: float
    text: str
    category: str | None  # the visible coding's category name (None: not coded, or nothing visible)
    themes: tuple[str, ...]  # its theme names


class Similarity:
    """Every codable comment's vector, built once (``model``: the newest model, or None)."""

    def __init__(self, store: Store, model=None):
        import scipy.sparse as sp

        rows = store.coded_comments(None)
        self.ids = [r["id"] for r in rows]
        self.refs = [r["ref"] for r in rows]
        self.texts = [r["text"] for r in rows]
        self.position = {cid: i for i, cid in enumerate(self.ids)}
        self.model_id = getattr(model, "id", None)
        if model is not None:
            cols, vals, indptr = [], [], [0]
            for text in self.texts:
                c, v = model.vector(text)
                cols.append(c)
                vals.append(v)
                indptr.append(indptr[-1] + len(c))
            width = model.category.coef.shape[1]  # the embedding's columns too, if any
            self.matrix = sp.csr_matrix(
                (
                    np.concatenate(vals) if vals else np.zeros(0, np.float32),
                    np.concatenate(cols) if cols else np.zeros(0, np.int64),
                    indptr,
                ),
                shape=(len(rows), width),
            )
        else:
            from workbench.suggest import features as feat
            from workbench.suggest.tokens import default_mode, index_many

            counts = feat.count(index_many(self.texts, default_mode()))
            every = np.arange(len(rows))
            self.matrix = feat.fit(counts, every).transform(counts, every)

    def like(self, comment_id: int, top: int = TOP) -> list[tuple[int, float]]:
        """(comment id, cosine similarity) of the ``top`` most alike, most alike first (ties by
        reading order); the comment itself and comments sharing no feature left out."""
        i = self.position.get(comment_id)
        if i is None:
            return []
        scores = np.asarray((self.matrix @ self.matrix[i].T).todense()).ravel()
        scores[i] = 0
        order = np.lexsort((np.arange(len(scores)), -scores))[:top]
        return [(self.ids[j], float(scores[j])) for j in order if scores[j] > 0]


def more_like_this(
    store: Store,
    index: Similarity,
    comment_id: int,
    viewer: str | None = None,
    mode: str | None = None,
    top: int = TOP,
) -> list[Like]:
    """The comments most like ``comment_id`` with the codes ``viewer`` may see (None: a lead,
    who sees the agreed coding first)."""
    visible = visible_codings(store, viewer, mode)
    whose = visible[0] if visible else None
    names = {
        **{c.key: c.name for c in store.categories()},
        **{t.key: t.name for t in store.themes()},
    }
    out = []
    for cid, score in index.like(comment_id, top):
        coding = from_row(store.coding(whose.coder.id, cid)) if whose else None
        category = (
            names.get(coding.category, coding.category) if coding and coding.category else None
        )
        themes = tuple(names.get(t, t) for t in coding.themes) if coding else ()
        i = index.position[cid]
        out.append(Like(cid, index.refs[i], score, index.texts[i], category, themes))
    return out
