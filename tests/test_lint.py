"""Static checks in the README's test command: `ruff check` is clean on the whole checkout
(the package, the tests, the benchmarks, the guide's hooks) with the rule set chosen in
pyproject.toml's [tool.ruff.lint], and every Python file is as `ruff format` writes it; a
failure prints ruff's own report."""

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# The families issue 23 asks for: pyflakes, pycodestyle errors and warnings, isort, bugbear,
# pyupgrade, simplify. Dropping one from the settings fails here, not silently.
REQUIRED = {"F", "E", "W", "I", "B", "UP", "SIM"}


def ruff(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ruff", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_ruff_is_installed():
    found = ruff("--version")
    if found.returncode:
        pytest.fail(
            f"ruff is not installed in {sys.executable}: pip install -e '.[test]'\n{found.stderr}",
            pytrace=False,
        )


def test_the_rule_set_holds_every_required_family():
    settings = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    lint = settings["tool"]["ruff"]["lint"]
    missing = REQUIRED - set(lint["select"])
    assert not missing, f"missing from [tool.ruff.lint] select: {sorted(missing)}"
    # A whole family ignored is the same as not selected (single rules may be, with a reason).
    assert not REQUIRED & set(lint.get("ignore", [])), lint["ignore"]


def test_ruff_check_is_clean():
    # --no-cache: nothing written into the checkout; the whole tree takes well under a second.
    found = ruff("check", "--no-cache", "--output-format", "concise", ".")
    if found.returncode:
        pytest.fail(
            "ruff check found problems (`ruff check --fix` mends those marked [*]):\n"
            + found.stdout
            + found.stderr,
            pytrace=False,
        )


def test_every_python_file_is_formatted():
    # The 400-line rule (tests/test_architecture.py) counts the lines as the formatter writes them.
    found = ruff("format", "--check", "--no-cache", ".")
    if found.returncode:
        pytest.fail(
            "not as `ruff format` writes them (run `ruff format .`):\n"
            + found.stdout
            + found.stderr,
            pytrace=False,
        )
