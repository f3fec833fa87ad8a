"""The layout is a rule, not a habit: layers, SQL only in the store, small modules with a docstring.

The layer contracts live in ``pyproject.toml`` (``[tool.importlinter]``) and are
checked here with import-linter, so the README's test command fails on a violation;
``test_a_forbidden_import_is_caught`` shows the check can fail.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "workbench"
MAX_LINES = 400  # "no module over ~400 lines"
SQL_METHODS = {"execute", "executemany", "executescript"}


def _lint(cwd: Path) -> subprocess.CompletedProcess:
    """Run import-linter on the package found in ``cwd`` with that tree's pyproject."""
    lint = Path(sys.executable).with_name("lint-imports")
    env = {**os.environ, "PYTHONPATH": str(cwd)}
    return subprocess.run([str(lint), "--no-cache", str(cwd / "pyproject.toml")],
                          cwd=cwd, env=env, capture_output=True, text=True)


def _modules():
    return sorted(p for p in PACKAGE.rglob("*.py") if "_bundled" not in p.parts)


def test_import_contracts_are_kept():
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 kept, 0 broken" in result.stdout


def test_a_forbidden_import_is_caught(tmp_path):
    """An upward import (the store importing the coding stage) breaks the layers contract."""
    shutil.copytree(PACKAGE, tmp_path / "workbench", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    audit = tmp_path / "workbench" / "store" / "audit.py"
    target = audit if audit.exists() else tmp_path / "workbench" / "store" / "connection.py"
    target.write_text(target.read_text() + "\nfrom workbench.coding import session  # noqa\n")
    result = _lint(tmp_path)
    assert result.returncode != 0
    assert "BROKEN" in result.stdout and "workbench.store" in result.stdout


def test_only_the_store_executes_sql():
    offenders = []
    for path in _modules():
        if "store" in path.relative_to(PACKAGE).parts[:1]:
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Attribute) and node.attr in SQL_METHODS | {"conn", "db"}:
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}: .{node.attr}")
    assert not offenders, offenders


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_modules_are_small_and_say_what_they_own(path):
    text = path.read_text()
    lines = text.count("\n")
    assert lines <= MAX_LINES, f"{path.relative_to(ROOT)} has {lines} lines; split it by job"
    if path.name != "__main__.py":
        assert ast.get_docstring(ast.parse(text)), f"{path.relative_to(ROOT)} has no docstring"
