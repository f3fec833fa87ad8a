"""A project's set-up: creating the file, its codebook, its stakeholder roles, its status.

Everything later stages read about the project itself (not its transcripts or
codings) is defined here: ``codebook`` (TOML → categories and themes),
``roles`` (the study's stakeholder roles and role lookup), ``lifecycle``
(create a project, replace its codebook), ``status`` (read-only summaries),
``resources`` (the bundled codebooks and demo transcripts).
"""
