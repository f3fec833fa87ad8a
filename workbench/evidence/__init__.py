"""Methods evidence: what reviewers of a qualitative paper ask beyond the tables.

* :mod:`~workbench.evidence.saturation` -- thematic saturation after Guest, Namey & Chen
  (2020), pure: base size, run length, ≤5% and 0% new information, the code-frequency
  variant, the order-independent version over orders of the groups;
  :mod:`~workbench.evidence.saturation_project` -- which coding, which groups in which
  order, the recorded run; :mod:`~workbench.evidence.saturation_report` -- tables, the
  methods sentence, text forms; :mod:`~workbench.evidence.figures` -- the figure (PNG, SVG)
  and its terminal version;
* :mod:`~workbench.evidence.blind` -- blind coding of the training set or a retest sample
  in the coding screen, as a training or retest coder the study never reads;
* :mod:`~workbench.evidence.training` -- the training set with its gold coding and a
  trainee's calibration; :mod:`~workbench.evidence.retest` -- test-retest samples and
  intra-coder agreement; :mod:`~workbench.evidence.compare` -- one coding against another
  with the coders' statistics; :mod:`~workbench.evidence.text` -- their sentences and
  reports;
* :mod:`~workbench.evidence.validity` -- coder validity from the reconciliation decisions;
* :mod:`~workbench.evidence.guidelines` -- COREQ and SRQR, item by item (their published
  rows in :mod:`~workbench.evidence.coreq` and :mod:`~workbench.evidence.srqr`);
  :mod:`~workbench.evidence.facts` -- what the project can state;
  :mod:`~workbench.evidence.wording` -- page-ready sentences;
  :mod:`~workbench.evidence.checklist` -- the filled checklist (Markdown, Word, JSON).

Importing this package loads nothing heavy: numpy, pandas, matplotlib and python-docx load
inside the functions that need them.
"""
