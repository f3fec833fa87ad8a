"""The layout is a rule, not a habit: layers, SQL only in the store, small modules with a docstring.

The layer contracts live in ``pyproject.toml`` (``[tool.importlinter]``) and are
checked here with import-linter, so the README's test command fails on a violation;
``test_a_forbidden_import_is_caught`` shows the check can fail.
"""

from __future__ import annotations

import ast
import os
import re
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
    return subprocess.run(
        [str(lint), "--no-cache", str(cwd / "pyproject.toml")],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
    )


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


# -- docs/architecture.md's table of packages and modules ------------------------------------

ARCHITECTURE = ROOT / "docs" / "architecture.md"
_CODE = re.compile(r"`([^`]+)`")


def _table_rows(text: str) -> list[tuple[int, str, list[str], str]]:
    """(line, package, modules, owns) of each row of "Packages and modules": the package is
    the row's own heading cell, or the last one above it (``(top)`` is ``workbench/``)."""
    rows, package, inside = [], None, False
    for n, line in enumerate(text.splitlines(), 1):
        if line.startswith("## "):
            inside = line == "## Packages and modules"
            continue
        if not inside or not line.startswith("|") or set(line) <= set("|-: "):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells[0] == "package":
            continue
        if cells[0]:
            package = "" if cells[0] == "(top)" else cells[0].strip("`")
        rows.append((n, package, _CODE.findall(cells[1]), "|".join(cells[2:])))
    return rows


def table_problems(text: str, package_dir: Path = PACKAGE) -> list[str]:
    """What the table says that the tree does not (a module named that does not exist, a row
    under another package's heading, a module listed twice) and the modules it leaves out."""
    problems, listed = [], {}
    where = {str(p.relative_to(package_dir)): p for p in package_dir.rglob("*.py")}
    for n, package, modules, owns in _table_rows(text):
        for module in modules:
            name = f"{package}{module}"
            if name in listed:
                problems.append(f"docs/architecture.md:{n}: `{name}` is listed twice")
            listed[name] = owns
            if (package_dir / name).exists():
                continue
            elsewhere = sorted(k for k in where if k.endswith("/" + module) or k == module)
            hint = f" (it is workbench/{elsewhere[0]}: move the row under its package)" * bool(
                elsewhere
            )
            problems.append(
                f"docs/architecture.md:{n}: `{module}` is under `{package or '(top)'}` but "
                f"workbench/{name} does not exist{hint}"
            )
    for name in sorted(where):
        parts = name.split("/")
        if parts[-1] in ("__init__.py", "__main__.py") or "_bundled" in parts or name in listed:
            continue
        folder = "/".join(parts[:-1]) + "/"
        owner = listed.get(folder)  # a subpackage row names each of its modules in backticks
        if owner is not None and parts[-1][:-3] in _CODE.findall(owner):
            continue
        problems.append(
            f"workbench/{name} is not in docs/architecture.md's table: add a row under "
            f"`{parts[0] + '/' if len(parts) > 1 else '(top)'}`"
        )
    return problems


def test_the_architecture_table_lists_every_module_under_its_package():
    text = ARCHITECTURE.read_text(encoding="utf-8")
    assert len(_table_rows(text)) > 100
    problems = table_problems(text)
    assert not problems, "\n".join(problems)


def test_the_architecture_table_check_finds_what_is_wrong():
    text = ARCHITECTURE.read_text(encoding="utf-8")
    moved = text.replace("| | `outputs.py` |", "| `ui/` | `outputs.py` |").replace(
        "| `ui/` | `app.py` |", "| | `app.py` |"
    )
    problems = "\n".join(table_problems(moved))
    assert "`outputs.py` is under `ui/`" in problems
    assert "it is workbench/store/outputs.py: move the row" in problems
    assert "`app.py` is under `server/`" in problems
    gone = "\n".join(table_problems(text.replace("`sheets.py`, `sheet_files.py`", "`sheets.py`")))
    assert "workbench/exchange/sheet_files.py is not in docs/architecture.md's table" in gone
    invented = text.replace("| | `refs.py` |", "| | `refs.py`, `labels.py` |")
    assert "workbench/ingest/labels.py does not exist" in "\n".join(table_problems(invented))
    unnamed = text.replace("`wrong` (a project", "wrong (a project")
    assert "workbench/ingest/transcript/wrong.py is not" in "\n".join(table_problems(unnamed))
    twice = text.replace("| | `refs.py` |", "| | `refs.py`, `roster.py` |")
    assert "`ingest/roster.py` is listed twice" in "\n".join(table_problems(twice))


# -- public names public ---------------------------------------------------------------------


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def private_imports(root: Path = ROOT) -> dict[str, list[tuple[int, str]]]:
    """For each module of ``root/workbench``: (line, module._name) of every _private name it
    takes from another workbench module, by ``from m import _name`` or ``m._name`` on a
    module it imported (``import workbench.m as m``, ``from workbench import m``)."""
    package = root / "workbench"
    paths = [p for p in package.rglob("*.py") if "_bundled" not in p.parts]
    modules = {_module_name(p, root) for p in paths}
    found: dict[str, list[tuple[int, str]]] = {}
    for path in sorted(paths):
        me = _module_name(path, root)
        here = me if path.name == "__init__.py" else me.rpartition(".")[0]
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        bound: dict[str, str] = {}  # local name -> the workbench module it is
        hits = []
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name in modules:
                        bound[alias.asname or alias.name.partition(".")[0]] = alias.name
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = here.split(".")[: len(here.split(".")) - node.level + 1]
                    base = ".".join(up + ([base] if base else []))
                if base not in modules:
                    continue
                for alias in node.names:
                    if f"{base}.{alias.name}" in modules:
                        bound[alias.asname or alias.name] = f"{base}.{alias.name}"
                    elif _private(alias.name) and base != me:
                        hits.append((node.lineno, f"{base}.{alias.name}"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and _private(node.attr):
                chain, value = [], node.value
                while isinstance(value, ast.Attribute):
                    chain.append(value.attr)
                    value = value.value
                if isinstance(value, ast.Name) and value.id in bound:
                    owner = ".".join([bound[value.id], *reversed(chain)])
                    if owner in modules and owner != me:
                        hits.append((node.lineno, f"{owner}.{node.attr}"))
        if hits:
            found[str(path.relative_to(package))] = sorted(hits)
    return found


def _short(name: str, module: str) -> str:
    """``workbench.agreement.ratings._rng`` seen from agreement/ac1.py → ``ratings._rng``
    (from another package, ``agreement.ratings._rng``)."""
    package = "workbench." + module.rpartition("/")[0].replace("/", ".") + "."
    if name.startswith(package):
        return name.removeprefix(package)
    return name.removeprefix("workbench.")


def test_no_module_imports_another_modules_private_names():
    """A `_name` is what its module keeps to itself: another module that needs it makes it
    public (loses the underscore) or moves it where it belongs."""
    found = private_imports()
    problems = [
        f"workbench/{module}:{line}: imports {_short(name, module)}"
        for module, hits in found.items()
        for line, name in hits
    ]
    assert not problems, "\n".join(problems)


def test_the_private_import_check_finds_both_forms(tmp_path):
    tree = tmp_path / "workbench"
    (tree / "sub").mkdir(parents=True)
    for name in ("__init__.py", "sub/__init__.py", "sub/own.py"):
        (tree / name).write_text('"""x"""\n_kept = 1\nshared = 2\n')
    (tree / "sub" / "user.py").write_text(
        "from workbench.sub.own import _kept, shared\n"
        "from .own import _kept as k\n"
        "import workbench.sub.own as own\n"
        "from workbench.sub import own as o\n"
        "x = own._kept + o._kept + own.shared + own.__name__\n"
    )
    (tree / "sub" / "self.py").write_text("_mine = 1\nimport workbench.sub.self as me\nme._mine\n")
    found = private_imports(tmp_path)
    assert found == {
        "sub/user.py": [
            (1, "workbench.sub.own._kept"),
            (2, "workbench.sub.own._kept"),
            (5, "workbench.sub.own._kept"),
            (5, "workbench.sub.own._kept"),
        ]
    }
