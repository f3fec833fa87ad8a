"""Manuscript output: report tables, their file formats, figures, the methods paragraph, report runs.

``tables`` computes the study's tables (pure pandas), ``exports`` writes them
(Markdown, CSV, Excel, Word, LaTeX, HTML, JSON), ``figures`` draws the theme
chart, ``methods`` writes the methods paragraph, ``runs`` chooses the coding a
report reads and stores every run with that coding's fingerprint.
"""
