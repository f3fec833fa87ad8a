"""Machine-assisted coding, measured like a person.

A model per project learns the agreed coding (or one coder's): TF-IDF features of the
comment text into a linear classifier for the category and one per theme, of the kind the
project's own data choose (nested cross-validation). Its worth is
exactly its agreement with that coding under grouped cross-validation (folds by focus
group, never by comment), reported with the statistics reported for the coders. It is
stored in the project file as JSON and numpy arrays, never as a pickle.

* ``tokens``: spaCy tokens (lemmas where spacy-lookups-data is installed);
* ``features``: counts once, TF-IDF per fold; a fitted vectorizer for one comment;
* ``classifier``: the category and theme classifiers, thresholds, probabilities → coding;
* ``model``: a trained model as data, stored safely; one comment's suggestion;
* ``data``: the coded comments a model learns from, and the checks before learning;
* ``crossval``: grouped cross-validation with cross-fitted theme thresholds;
* ``training``: train, store and load a project's model;
* ``evaluation``: the evaluation report (agreement, precision/recall/F1, learning curve);
* ``review``: agreed codings the cross-validated model contradicts, ranked;
* ``machine``: the model's coding written as a coder of kind ``model``;
* ``candidates``, ``nested``, ``embedding``: the model kinds and the nested comparison that
  chooses between them on the project's data (WordLlama embeddings where installed);
* ``coverage``, ``figure``: the coverage-agreement curve, the bar for a target kappa chosen
  on training folds, and its figure;
* ``precode``: the model codes only the uncoded comments it is sure of;
* ``similar``: more like this, by the model's own features.
"""
