"""Statements on stored results: agreement rounds and report runs, each kept with the
coding's fingerprint and the codebook it was computed against."""

from __future__ import annotations

import json
from typing import Any

from workbench.store.connection import Connection, now
from workbench.store.values import first_int, new_id


class ReportStatements(Connection):
    """Agreement rounds and report runs."""

    # -- agreement rounds ----------------------------------------------------------

    def rounds(self) -> list[dict[str, Any]]:
        rows = self._dicts("SELECT * FROM agreement_rounds ORDER BY number")
        for row in rows:
            row["coders"] = json.loads(row["coders"])
            row["report"] = json.loads(row["report"])
        return rows

    def add_round(
        self,
        label: str,
        coders: list[str],
        codebook_sha256: str,
        fingerprint: str,
        report: dict[str, Any],
        created_by: str,
        created_at: str | None = None,
    ) -> int:
        number = first_int(self.conn, "SELECT coalesce(max(number), 0) + 1 FROM agreement_rounds")
        self.conn.execute(
            "INSERT INTO agreement_rounds (number, label, coders, codebook_sha256, fingerprint, report, "
            "created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                number,
                label,
                json.dumps(coders),
                codebook_sha256,
                fingerprint,
                json.dumps(report, ensure_ascii=False, sort_keys=True),
                created_by,
                created_at or now(),
            ],
        )
        return number

    def delete_round(self, number: int) -> None:
        self.conn.execute("DELETE FROM agreement_rounds WHERE number = ?", [number])

    # -- report runs -------------------------------------------------------------

    def add_report_run(
        self,
        actor: str,
        tables: list[str],
        parameters: dict[str, Any],
        fingerprint: str,
        codebook_sha256: str,
        results: list[Any],
        outputs: list[str],
    ) -> int:
        return new_id(
            self.conn.execute(
                "INSERT INTO report_runs (at, actor, tables, parameters, fingerprint, codebook_sha256, "
                "results, outputs) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    now(),
                    actor,
                    json.dumps(tables),
                    json.dumps(parameters, sort_keys=True),
                    fingerprint,
                    codebook_sha256,
                    json.dumps(results, ensure_ascii=False),
                    json.dumps(outputs),
                ],
            )
        )

    def report_runs(self) -> list[dict[str, Any]]:
        rows = self._dicts("SELECT * FROM report_runs ORDER BY id")
        for row in rows:
            for key in ("tables", "parameters", "results", "outputs"):
                row[key] = json.loads(row[key])
        return rows
