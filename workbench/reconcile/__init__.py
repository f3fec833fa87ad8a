"""Reconciliation: two coders' codings → one agreed coding, decision by decision.

``consensus`` records identical codings as agreed, builds the disagreement
queue and stores each decision (take, edit, defer) with its rationale;
``review`` walks the queue of agreed codings a model contradicts (keep, change,
defer) with the same interface, so one screen serves both.
"""
