"""A trained model as data: its features, weights and thresholds, and how it is stored.

A model is numbers and words only, so it is stored in the project file as JSON (the
settings, the words, word pairs and n-grams it knows, the labels) and one ``.npz``
archive of float arrays written and read with ``allow_pickle=False``: opening a
project someone sent never runs code from it (no pickle, no joblib). Every array is
checked for its type and shape before use, and a model whose parts do not fit is
refused with the reason.

:meth:`Model.suggest` is what the coding screen calls: one comment's text → the
likeliest category and themes with their probabilities, with numpy and spaCy's
tokenizer alone (no scikit-learn).
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field

import numpy as np

from workbench.errors import WorkbenchError
from workbench.suggest import classifier as clf
from workbench.suggest.features import Vectorizer
from workbench.suggest.tokens import check_mode, tokenize

FORMAT = 1  # the layout of the stored JSON and arrays


@dataclass
class Suggestion:
    """What the model would code one comment as."""

    category: str
    probability: float
    categories: list[tuple[str, float]]  # every learnt category, likeliest first
    themes: list[tuple[str, float]]  # the suggested themes (codebook order) with probabilities
    model_id: int | None = None
    confidence: float = 0.0  # the least sure decision: the category's, or a theme's given or not


@dataclass
class Model:
    mode: str  # token mode: "lower" or "lemma"
    vectorizer: Vectorizer
    category: clf.Weights
    themes: clf.Weights
    thresholds: np.ndarray
    takes_themes: dict[str, bool]
    info: dict = field(default_factory=dict)  # settings, training set, evaluation summary
    id: int | None = None
    punct: bool = False  # punctuation and the comment's start and end are words (the candidate's)
    candidate: str = "current"  # which candidate won the nested comparison
    embedding: str | None = None  # the WordLlama embedding appended (``embedding.NAME``), if any

    @property
    def stored_id(self) -> int:
        """The id of a stored model: review, pre-coding and machine coding use stored ones only."""
        if self.id is None:
            raise WorkbenchError("this model is not stored in the project: train it there first")
        return self.id

    def vector(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """One comment's features (column indices, weights), as the model sees it."""
        cols, values = self.vectorizer.vector(tokenize(text, self.mode, self.punct))
        if not self.embedding:
            return cols, values
        from workbench.suggest.embedding import DIMENSIONS, embed

        extra = embed([text])[0]
        return (
            np.concatenate([cols, self.vectorizer.size + np.arange(DIMENSIONS)]),
            np.concatenate([values, extra]).astype(np.float32),
        )

    def suggest(self, text: str) -> Suggestion:
        cols, values = self.vector(text)
        cat_p = clf.category_probabilities(
            self.category.scores_one(cols, values), self.category.link
        )
        theme_p = clf.sigmoid(self.themes.scores_one(cols, values))
        [(category, chosen)] = clf.assign(
            cat_p[None, :],
            self.category.labels,
            theme_p[None, :],
            self.themes.labels,
            self.thresholds,
            self.takes_themes,
        )
        order = np.argsort(-cat_p, kind="stable")
        p_theme = dict(zip(self.themes.labels, theme_p.tolist(), strict=True))
        sure = float(cat_p[order[0]])
        if self.takes_themes.get(category) and len(theme_p):
            sure = min(
                sure,
                float(np.where(np.isin(self.themes.labels, chosen), theme_p, 1 - theme_p).min()),
            )
        return Suggestion(
            category,
            float(cat_p[order[0]]),
            [(self.category.labels[i], float(cat_p[i])) for i in order],
            [(t, p_theme[t]) for t in chosen],
            self.id,
            sure,
        )

    # -- storing -------------------------------------------------------------------

    def to_records(self) -> tuple[str, bytes]:
        """(JSON text, npz bytes) for the project file."""
        meta = {
            "format": FORMAT,
            "mode": self.mode,
            "takes_themes": self.takes_themes,
            "info": self.info,
            "words": self.vectorizer.words,
            "pairs": self.vectorizer.pairs,
            "grams": self.vectorizer.grams,
            "frequent": self.vectorizer.frequent,
            "categories": self.category.labels,
            "themes": self.themes.labels,
            "punct": self.punct,
            "candidate": self.candidate,
            "category_link": self.category.link,
            "embedding": self.embedding,
        }
        buffer = io.BytesIO()
        np.savez_compressed(
            buffer,
            idf=self.vectorizer.idf,
            category_coef=self.category.coef,
            category_intercept=self.category.intercept,
            theme_coef=self.themes.coef,
            theme_intercept=self.themes.intercept,
            thresholds=self.thresholds.astype(np.float64),
        )
        return json.dumps(meta, ensure_ascii=False), buffer.getvalue()

    @classmethod
    def from_records(cls, text: str, blob: bytes, model_id: int | None = None) -> Model:
        """A stored model, checked part by part; never unpickles anything."""
        where = f"model {model_id}" if model_id is not None else "model"
        try:
            meta = json.loads(text)
            arrays = np.load(io.BytesIO(blob), allow_pickle=False)
            parts = {name: arrays[name] for name in arrays.files}
        except (ValueError, OSError, EOFError) as exc:
            raise WorkbenchError(
                f"{where}: stored parameters are damaged ({exc}); train it again"
            ) from None
        if not isinstance(meta, dict) or meta.get("format") != FORMAT:
            raise WorkbenchError(
                f"{where}: stored in a format this Workbench does not read; train it again"
            )
        lists: dict[str, list[str]] = {}
        for name in ("words", "pairs", "grams", "frequent", "categories", "themes"):
            value = meta.get(name)
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise WorkbenchError(f"{where}: {name!r} is not a list of strings")
            lists[name] = value
        embedding = meta.get("embedding")
        if embedding is not None:
            from workbench.suggest.embedding import DIMENSIONS, NAME

            if embedding != NAME:
                raise WorkbenchError(
                    f"{where}: made with the embedding {embedding!r}, not {NAME!r}; train it again"
                )
        d = len(lists["words"]) + len(lists["pairs"]) + len(lists["grams"])
        width = d + (DIMENSIONS if embedding else 0)
        k, t = len(lists["categories"]), len(lists["themes"])
        shapes = {
            "idf": (d,),
            "category_coef": (k, width),
            "category_intercept": (k,),
            "theme_coef": (t, width),
            "theme_intercept": (t,),
            "thresholds": (t,),
        }
        for name, shape in shapes.items():
            array = parts.get(name)
            if array is None or array.shape != shape or array.dtype.kind != "f":
                got = "missing" if array is None else f"{array.dtype} {array.shape}"
                raise WorkbenchError(f"{where}: array {name!r} should be float {shape}, is {got}")
        check_mode(meta.get("mode"))
        link, punct = meta.get("category_link", clf.OVR), meta.get("punct", False)
        if link not in (clf.OVR, clf.SOFTMAX) or not isinstance(punct, bool):
            raise WorkbenchError(
                f"{where}: 'category_link' or 'punct' is not one this Workbench knows"
            )
        candidate = meta.get("candidate", "current")
        if not isinstance(candidate, str):
            raise WorkbenchError(f"{where}: 'candidate' is not a name")
        takes = meta.get("takes_themes")
        if not isinstance(takes, dict):
            raise WorkbenchError(f"{where}: 'takes_themes' is not a table")
        vectorizer = Vectorizer(
            lists["words"],
            lists["pairs"],
            lists["grams"],
            parts["idf"].astype(np.float32),
            lists["frequent"],
        )
        return cls(
            meta["mode"],
            vectorizer,
            clf.Weights(
                lists["categories"],
                parts["category_coef"].astype(np.float32),
                parts["category_intercept"].astype(np.float32),
                link,
            ),
            clf.Weights(
                lists["themes"],
                parts["theme_coef"].astype(np.float32),
                parts["theme_intercept"].astype(np.float32),
            ),
            parts["thresholds"].astype(np.float64),
            {str(k): bool(v) for k, v in takes.items()},
            info if isinstance(info := meta.get("info"), dict) else {},
            model_id,
            punct,
            candidate,
            embedding,
        )
