"""Static types are a rule, not a habit: mypy runs with the tests (so the README's test command
runs it in CI) on the whole of ``workbench``.

``pyproject.toml``'s ``[tool.mypy]`` checks every function body (``check_untyped_defs``) and
makes the packages in its strict override fully annotated (``disallow_untyped_defs``,
``warn_return_any``, ...). The packages in ``STRICT`` are checked under those settings, those in
``CHECKED`` at the default ones (on their way to strict), with ``workbench``'s own
``__init__``. Every package and top-level module is in one of the two lists
(``test_every_package_and_module_is_checked``), so nothing new escapes the check.
``test_a_type_error_is_caught`` shows the check can fail.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The packages made clean under the strict settings, in the order they were made so.
STRICT = [
    "workbench.reconcile",
    "workbench.reports",
    "workbench.project",
    "workbench.ingest",
    "workbench.store",
    "workbench.coding",
    "workbench.agreement",
]
# Packages and modules clean at the default settings (every body checked, annotations not yet
# required): named one by one, so a module is added when it is made clean (``workbench.cli``:
# the whole package, every command module being clean).
CHECKED = [
    "workbench.__main__",
    "workbench.api",
    "workbench.cli",
    "workbench.demo",
    "workbench.errors",
    "workbench.evidence",
    "workbench.exchange",
    "workbench.files",
    "workbench.guide",
    "workbench.limits",
    "workbench.numerals",
    "workbench.output",
    "workbench.plain",
    "workbench.server",
    "workbench.shapes",
    "workbench.suggest",
    "workbench.ui",
    "workbench.zips",
]


def _mypy(cwd: Path, cache: Path, *targets: str) -> subprocess.CompletedProcess[str]:
    """mypy with this tree's configuration and a fresh cache (nothing left from another run)."""
    args = ["--config-file", str(ROOT / "pyproject.toml"), "--cache-dir", str(cache)]
    return subprocess.run(
        [sys.executable, "-m", "mypy", *args, *targets], cwd=cwd, capture_output=True, text=True
    )


def _strict_overrides() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]
    strict = [o for o in config["overrides"] if o.get("disallow_untyped_defs")]
    assert len(strict) == 1, "one strict override lists the strict packages"
    assert strict[0]["warn_return_any"] and config["check_untyped_defs"]
    return list(strict[0]["module"])


def test_the_strict_packages_are_the_checked_ones():
    assert _strict_overrides() == [f"{name}.*" for name in STRICT]


def test_the_checked_modules_are_not_strict_ones():
    assert not {name.split(".")[1] for name in CHECKED} & {name.split(".")[1] for name in STRICT}


def _top_level() -> set[str]:
    """``workbench``'s packages (folders of modules) and top-level modules, as the tree has them."""
    source = ROOT / "workbench"
    modules = {path.stem for path in source.glob("*.py") if path.stem != "__init__"}
    packages = {path.name for path in source.iterdir() if path.is_dir() and any(path.rglob("*.py"))}
    return {f"workbench.{name}" for name in modules | packages}


def test_every_package_and_module_is_checked():
    """A new package or module is type-checked from its first commit: it goes in CHECKED (or
    STRICT), and a name that is gone leaves the lists."""
    listed, there = {*STRICT, *CHECKED}, _top_level()
    assert not there - listed, f"not type-checked: add {sorted(there - listed)} to CHECKED"
    assert not listed - there, f"no such package or module: {sorted(listed - there)}"


def test_the_strict_and_checked_packages_type_check(tmp_path):
    """One run (the packages' shared imports are analysed once), each under its settings."""
    targets = ["-m", "workbench", *(arg for name in (*STRICT, *CHECKED) for arg in ("-p", name))]
    result = _mypy(ROOT, tmp_path / "cache", "--follow-imports=silent", *targets)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("Success: no issues found")


def test_a_type_error_is_caught(tmp_path):
    """An unannotated function and an optional used as a value, in a strict package's place."""
    package = tmp_path / STRICT[0].replace(".", "/")
    package.mkdir(parents=True)
    for folder in (package.parent, package):
        (folder / "__init__.py").write_text('"""A package."""\n', encoding="utf-8")
    (package / "bad.py").write_text(
        '"""Two mistakes."""\n\n'
        "def untyped(x):\n    return x\n\n\n"
        "def first(names: dict[str, int]) -> int:\n    return names.get('a')\n",
        encoding="utf-8",
    )
    result = _mypy(tmp_path, tmp_path / "cache", str(package / "bad.py"))
    assert result.returncode == 1
    assert "[no-untyped-def]" in result.stdout and "[return-value]" in result.stdout
