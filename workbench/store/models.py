"""Statements on machine-assisted coding: stored models and the review queue a model raises.

A model row keeps what it was trained on (the coder, the coding's fingerprint, the
codebook) beside its parameters: JSON and a numpy archive, never a pickle.
"""

from __future__ import annotations

import json
from typing import Any

from workbench.store.connection import Connection, now
from workbench.store.values import new_id


class ModelStatements(Connection):
    """Models and review items."""

    def add_model(
        self,
        created_by: str,
        trained_on: str,
        fingerprint: str,
        codebook_sha256: str,
        comments: int,
        summary: dict[str, Any],
        meta: str,
        parameters: bytes,
    ) -> int:
        return new_id(
            self.conn.execute(
                "INSERT INTO models (created_at, created_by, trained_on, fingerprint, codebook_sha256, "
                "comments, summary, meta, parameters) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    now(),
                    created_by,
                    trained_on,
                    fingerprint,
                    codebook_sha256,
                    comments,
                    json.dumps(summary, ensure_ascii=False, sort_keys=True),
                    meta,
                    parameters,
                ],
            )
        )

    def models(self) -> list[dict[str, Any]]:
        """Every model, newest last, without its parameters."""
        rows = self._dicts(
            "SELECT id, created_at, created_by, trained_on, fingerprint, codebook_sha256, "
            "comments, summary, length(parameters) AS size FROM models ORDER BY id"
        )
        for row in rows:
            row["summary"] = json.loads(row["summary"])
        return rows

    def model_parts(self, model_id: int) -> tuple[str, bytes] | None:
        """(meta JSON, parameter bytes) of one model."""
        row = self.conn.execute(
            "SELECT meta, parameters FROM models WHERE id = ?", [model_id]
        ).fetchone()
        return (row[0], bytes(row[1])) if row else None

    # -- the review queue ----------------------------------------------------------

    def replace_review(
        self, model_id: int, items: list[tuple[Any, ...]], queue: str = "review"
    ) -> None:
        """The queue of one model: (comment id, rank, confidence, reason, suggestion dict);
        ``queue`` "review" (agreed codings it contradicts) or "precode" (its pre-codes)."""
        self.conn.execute(
            "DELETE FROM review_items WHERE model_id = ? AND decision IS NULL AND queue = ?",
            [model_id, queue],
        )
        self.conn.executemany(
            "INSERT OR IGNORE INTO review_items (model_id, comment_id, rank, confidence, reason, suggestion, queue) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (model_id, c, r, conf, reason, json.dumps(s, ensure_ascii=False), queue)
                for c, r, conf, reason, s in items
            ],
        )

    def review_items(self, model_id: int, queue: str | None = "review") -> list[dict[str, Any]]:
        """One model's queue (None: both), by rank, with each comment's ref and focus group."""
        rows = self._dicts(
            "SELECT r.*, c.ref, c.group_id FROM review_items r JOIN comments c ON c.id = r.comment_id "
            "WHERE r.model_id = ? AND (? IS NULL OR r.queue = ?) ORDER BY r.rank",
            [model_id, queue, queue],
        )
        for row in rows:
            row["suggestion"] = json.loads(row["suggestion"])
        return rows

    def decide_review(
        self, model_id: int, comment_id: int, decision: str | None, rationale: str, decided_by: str
    ) -> None:
        self.conn.execute(
            "UPDATE review_items SET decision = ?, rationale = ?, decided_by = ?, decided_at = ? "
            "WHERE model_id = ? AND comment_id = ?",
            [decision, rationale, decided_by, now(), model_id, comment_id],
        )

    def review_decision(self, model_id: int, comment_id: int) -> dict[str, Any] | None:
        """One review item's decision, rationale, who and when (for undo)."""
        rows = self._dicts(
            "SELECT decision, rationale, decided_by, decided_at FROM review_items "
            "WHERE model_id = ? AND comment_id = ?",
            [model_id, comment_id],
        )
        return rows[0] if rows else None

    def restore_review_decision(self, model_id: int, comment_id: int, row: dict[str, Any]) -> None:
        """Put back what :meth:`review_decision` read."""
        self.conn.execute(
            "UPDATE review_items SET decision = ?, rationale = ?, decided_by = ?, decided_at = ? "
            "WHERE model_id = ? AND comment_id = ?",
            [
                row["decision"],
                row["rationale"],
                row["decided_by"],
                row["decided_at"],
                model_id,
                comment_id,
            ],
        )

    # -- pre-coding ----------------------------------------------------------------

    def add_precode_run(
        self,
        model_id: int,
        coder_id: int,
        created_by: str,
        target: float,
        bar: float,
        summary: dict[str, Any],
    ) -> int:
        return new_id(
            self.conn.execute(
                "INSERT INTO precode_runs (model_id, coder_id, created_at, created_by, target, bar, summary) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    model_id,
                    coder_id,
                    now(),
                    created_by,
                    target,
                    bar,
                    json.dumps(summary, sort_keys=True),
                ],
            )
        )

    def precode_runs(self) -> list[dict[str, Any]]:
        """Every pre-coding run, newest last, with its coder's name."""
        rows = self._dicts(
            "SELECT p.*, c.name AS coder FROM precode_runs p JOIN coders c ON c.id = p.coder_id "
            "ORDER BY p.id"
        )
        for row in rows:
            row["summary"] = json.loads(row["summary"])
        return rows
