"""The models a project's data choose between (:mod:`workbench.suggest.nested`).

Each candidate is a feature set and a classifier for the category; themes are learnt the
same way by every candidate (one logistic regression per theme by SGD, F1-optimal
thresholds) over that candidate's features.

* ``current``: Workbench's first model: words (punctuation dropped), word pairs and
  character n-grams of the rarer words, TF-IDF, into one-vs-rest class-weighted logistic
  regressions fitted by SGD.
* ``tfidf-lr``: the same TF-IDF blocks over words *and punctuation*, with each comment's
  start and end as words (``tokens.BOS``/``EOS``), into scikit-learn's class-balanced
  multinomial ``LogisticRegression`` (lbfgs). A question mark, a final full stop or a turn
  broken off mid-sentence is then something the model can learn.
* ``combined`` (only with ``workbench[embeddings]``): the TF-IDF features plus the comment's
  WordLlama embedding (:mod:`workbench.suggest.embedding`), into the same logistic
  regression (lbfgs). Static embeddings help most where few comments are coded. The TF-IDF
  part is ``tfidf-lr``'s, with punctuation: on real meeting transcripts today's features
  without it, embedding or not, lost to it at every training size (mean inner kappa .67
  against .78 on all of MRDA).

Neither is assumed better: the nested comparison inside the training folds keeps the one
that agrees best with the coding on this project, and reports by how much.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.errors import WorkbenchError


@dataclass(frozen=True)
class Candidate:
    key: str
    name: str  # for people
    punct: bool  # punctuation and the comment's start and end are words
    solver: str  # the category's classifier: "sgd" (one-vs-rest) or "lbfgs" (multinomial)
    embedding: bool = False  # the comment's WordLlama embedding appended to its features


CURRENT = Candidate(
    "current",
    "words, word pairs and character n-grams (TF-IDF) with one-vs-rest logistic regressions (SGD)",
    False,
    "sgd",
)
TFIDF_LR = Candidate(
    "tfidf-lr",
    "words and punctuation, word pairs and character n-grams (TF-IDF) "
    "with a class-balanced logistic regression (lbfgs)",
    True,
    "lbfgs",
)
COMBINED = Candidate(
    "combined",
    "words and punctuation, word pairs and character n-grams (TF-IDF) and a WordLlama "
    "embedding with a class-balanced logistic regression (lbfgs)",
    True,
    "lbfgs",
    True,
)
CANDIDATES = (CURRENT, TFIDF_LR)


def available() -> tuple[Candidate, ...]:
    """The kinds this installation can compare: ``combined`` where WordLlama is installed."""
    from workbench.suggest.embedding import available as has_embeddings

    return (*CANDIDATES, COMBINED) if has_embeddings() else CANDIDATES


def candidate(key: str) -> Candidate:
    for found in (*CANDIDATES, COMBINED):
        if found.key == key:
            return found
    raise WorkbenchError(
        f"unknown model kind {key!r} (known: {', '.join(c.key for c in CANDIDATES)}); "
        "this model was made by another Workbench: train it again here"
    )
