"""The user guide stays true: it builds in strict mode (broken links, anchors and missing pages
fail) with nothing fetched from elsewhere; every `workbench ...` command it shows exists with the
options shown; its Python examples and its console sessions run against the demo as written;
its troubleshooting page holds every message of docs/bad-inputs.md; `workbench guide` builds it
and opens it, or says what is missing. (Pictures: test_guide_pictures.py; browsers:
test_guide_browser.py.)"""

from __future__ import annotations

import contextlib
import html
import io
import re
import shlex
import shutil
import sys
import webbrowser
from pathlib import Path

import pytest
from guide import (
    GUIDE,
    ROOT,
    SHELLS,
    Block,
    blocks,
    check_command,
    commands,
    inline_commands,
    logical_lines,
    mkdocs_build,
    nav,
    pages,
)
from helpers import run_cli

from workbench.cli import main


@pytest.fixture
def site(guide_site) -> Path:
    return guide_site


# -- the build -------------------------------------------------------------------------------


def test_the_strict_build_makes_every_page_of_the_nav(site):
    for page in nav():
        assert (site / page.replace(".md", ".html")).is_file(), page


def test_a_broken_link_fails_the_strict_build(tmp_path):
    """The strict build is a real check: a link to a page that is not there fails it."""
    shutil.copytree(GUIDE, tmp_path / "docs" / "guide")
    for name in ("guide_hooks.py", "bad-inputs.md"):
        shutil.copy(ROOT / "docs" / name, tmp_path / "docs" / name)
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    page = tmp_path / "docs" / "guide" / "index.md"
    page.write_text(
        page.read_text(encoding="utf-8") + "\nSee [the missing chapter](missing.md).\n",
        encoding="utf-8",
    )
    built = mkdocs_build(tmp_path, tmp_path / "site")
    assert built.returncode != 0 and "missing.md" in built.stderr


def test_every_page_is_in_the_nav_and_every_chapter_is_a_page():
    on_disk = sorted(p.relative_to(GUIDE).as_posix() for p in GUIDE.rglob("*.md"))
    assert sorted(nav()) == on_disk, (
        "a page of docs/guide/ is missing from mkdocs.yml's nav, or the reverse"
    )


# A resource the browser would load: <link href>, <script src>, <img src>, srcset, CSS url() and
# @import. Links a reader follows (<a href>) are not fetched when a page is viewed.
_FETCHED = re.compile(
    r"<(?:link|script|img|iframe|source|video|audio|embed|object|track|image|use)\b[^>]*?"
    r"\b(?:href|src|srcset|data|poster)\s*=\s*[\"']?\s*(?:https?:)?//",
    re.I,
)
_CSS_URL = re.compile(r"(?:url\(\s*[\"']?|@import\s+[\"'])\s*(?:https?:)?//", re.I)


def test_the_built_guide_fetches_nothing_from_another_host(site):
    """Nothing at view time from elsewhere: no web fonts, no scripts or styles of a CDN, no picture
    that loads a font (Rich writes web-font URLs into every screenshot: they are dropped)."""
    found = []
    for path in sorted(site.rglob("*")):
        if path.suffix not in (".html", ".css", ".svg"):
            continue
        text = re.sub(
            r"/\*.*?\*/", "", path.read_text(encoding="utf-8", errors="replace"), flags=re.S
        )
        text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
        for pattern in (_FETCHED, _CSS_URL):
            found += [f"{path.relative_to(site)}: {m[0][:120]}" for m in pattern.finditer(text)]
    assert not found, "\n".join(found)
    assert not re.search(
        r"fonts\.(googleapis|gstatic)", (site / "index.html").read_text(encoding="utf-8")
    )


def test_the_check_for_other_hosts_finds_them():
    assert _FETCHED.search('<script src="https://unpkg.com/iframe-worker/shim"></script>')
    assert _FETCHED.search(
        '<link rel="stylesheet" href="//fonts.googleapis.com/css?family=Roboto">'
    )
    assert _CSS_URL.search('src: local("Fira"), url("https://cdnjs.cloudflare.com/f.woff2")')
    assert not _FETCHED.search('<a href="https://caddyserver.com">Caddy</a>')


# -- commands ----------------------------------------------------------------------------------


def _shell_blocks() -> list[Block]:
    return [b for page in pages() for b in blocks(page) if b.lang in SHELLS]


def test_every_command_the_guide_shows_exists_with_the_options_shown():
    problems, checked = [], 0
    for block in _shell_blocks():
        for line, words in commands(block):
            checked += 1
            problems += [f"{block.page}:{line}: {p}" for p in check_command(words)]
    assert not problems, "\n".join(problems)
    assert checked >= 40, (
        f"only {checked} workbench commands found in the guide: is the parser broken?"
    )


def test_every_command_the_readme_shows_exists_with_the_options_shown():
    """The README's commands too (its two commands and its short tour), by the same check."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    found = [
        (b.line, words)
        for b in blocks("README.md", text)
        if b.lang in SHELLS
        for _, words in commands(b)
    ]
    named = inline_commands(text)  # `workbench demo --coded` in a paragraph
    problems = [
        f"README.md:{line}: {p}" for line, words in found + named for p in check_command(words)
    ]
    assert not problems and len(found) >= 8 and len(named) >= 4, "\n".join(problems)


@pytest.mark.parametrize(
    "prose, problem",
    [
        ("Then `workbench demo --colored` adds codings.", "has no option --colored"),
        ("and `workbench guid` opens the guide", "has no subcommand 'guid'"),
        ("`workbench reprot` ... `workbench report --help`", "has no subcommand 'reprot'"),
    ],
)
def test_a_command_named_in_prose_is_checked(prose, problem):
    text = f"```sh\nworkbench nothing-checked-here\n```\n\n{prose}\n"
    found = inline_commands(text)
    assert [n for n, _ in found] == [5] * len(found)
    assert any(problem in p for _, words in found for p in check_command(words))


@pytest.mark.parametrize(
    "words",
    [["workbench", "--help"], ["workbench", "COMMAND", "--help"], ["workbench", "report", "-h"]],
)
def test_help_needs_no_subcommand_or_arguments(words):
    assert check_command(words) == []


def test_every_code_block_fits_80_columns():
    """Commands and output read whole in an 80-column terminal and a text browser (w3m does not
    wrap them): wrap a long command with `\\`, elide long output with `...`."""
    wide = [
        f"{b.page}:{n}: {len(line)} characters"
        for page in pages()
        for b in blocks(page)
        for n, line in enumerate(b.text.splitlines(), b.line + 1)
        if len(line) > 80
    ]
    assert not wide, "\n".join(wide)


def test_every_codebook_the_guide_shows_loads(tmp_path):
    """A ``toml`` block that is a codebook (it has ``[codebook]``) passes the codebook's loader."""
    from workbench.project.codebook import load_codebook

    found = [
        b for page in pages() for b in blocks(page) if b.lang == "toml" and "[codebook]" in b.text
    ]
    for n, block in enumerate(found):
        path = tmp_path / f"codebook{n}.toml"
        path.write_text(block.text, encoding="utf-8")
        book = load_codebook(path)
        assert book.categories and book.themes, block.where
    assert found


def test_every_code_block_says_what_it_is():
    """A fence names its language, so the checks above find every command and example."""
    bare = [b.where for page in pages() for b in blocks(page) if not b.lang]
    assert not bare, (
        f"code blocks without a language (sh, console, python, text, toml, ...): {bare}"
    )


@pytest.mark.parametrize(
    "line, problem",
    [
        ("workbench reprot study.db", "has no subcommand 'reprot'"),
        ("workbench report study.db --tabel themes", "has no option --tabel"),
        ("workbench report study.db --format pdf", "--format pdf`: not one of its choices"),
        ("workbench report study.db [--format md|pdf]", "--format pdf`: not one of its choices"),
        (
            "workbench saturation study.db --base three",
            "--base three`: 'three' is not a valid integer",
        ),
        ("workbench report", "needs 1 argument(s) (PROJECT)"),
        ("workbench coder import lead.db", "needs 2 argument(s) (PROJECT FILE)"),
        ("workbench export study.db", "has no subcommand 'study.db'"),
        ("workbench users", "needs a subcommand"),
        ("workbench serve study.db \\\n    --porte 80  # a comment", "has no option --porte"),
        ("cat x | workbench agreement study.db --coders ana", "--coders` needs 2 value(s)"),
        ("workbench validity study.db --force=yes", "is a flag: it takes no value"),
    ],
)
def test_the_command_check_finds_what_is_wrong(line, problem):
    [(_, words)] = commands(Block("t.md", 1, "sh", line + "\n", ""))
    assert any(problem in p for p in check_command(words)), check_command(words)


@pytest.mark.parametrize(
    "line",
    [
        "workbench report study.db --table themes --format docx --out table3.docx  # Table 3",
        "workbench report PROJECT [--format md|csv] [--out FILE]",
        "workbench agreement study.db --coders ana ben --format md",
        (
            "printf '%s\\n' \"$PASSWORD\" | workbench users add study.db cai --role coder "
            "--password-stdin"
        ),
        "workbench --limit entry-size=256M import-qdpx big.qdpx --out big.db",
        "workbench training study.db --mark FG1-004,FG2-010,... --as lead",
        "workbench groups edit study.db FG1 --date 2025-03-04 [--kind] [--stakeholders]",
        "NO_COLOR=1 workbench status study.db && workbench validity study.db",
        "workbench codebook study.db --format toml > codebook.toml 2>&1",
    ],
)
def test_the_command_check_accepts_the_guides_conventions(line):
    found = commands(Block("t.md", 1, "sh", line + "\n", ""))
    assert found and all(not check_command(words) for _, words in found), [
        check_command(w) for _, w in found
    ]


def test_console_lines_are_the_prompted_ones():
    block = Block(
        "t.md",
        1,
        "console",
        '$ workbench status p.db \\\n    --format json\n{"a": 1}\n'
        "$ workbench validity p.db\nworkbench is not a command here\n",
        "",
    )
    assert logical_lines(block) == [
        (2, "workbench status p.db      --format json"),
        (5, "workbench validity p.db"),
    ]


# -- examples that run -------------------------------------------------------------------------


def test_every_python_example_is_marked():
    unmarked = [
        b.where
        for page in pages()
        for b in blocks(page)
        if b.lang == "python" and not re.fullmatch(r"run|not run: .+", b.mark)
    ]
    assert not unmarked, (
        "mark each Python example `<!-- run -->` (the test runs it) or "
        f"`<!-- not run: why -->` on the line above it: {unmarked}"
    )


def _running(block: Block) -> bool:
    return block.lang == "console" or (block.lang == "python" and block.mark == "run")


def _expected(output: list[str]) -> re.Pattern:
    """The output a console block shows, as a pattern: a line `...` stands for any lines, `...`
    within a line for any text; trailing spaces do not count."""
    parts = []
    for line in output:
        if line.strip() == "...":
            parts.append(r"(?:[^\n]*\n)*?")
        else:
            pieces = [re.escape(piece) for piece in line.rstrip().split("...")]
            parts.append("^" + r"[^\n]*?".join(pieces) + r"[ \t]*\n")
    return re.compile("".join(parts), re.M)


def _run_in_process(words: list[str]) -> tuple[int, str]:
    """`workbench ...` in this process: its exit status, and standard output and error together
    as a terminal shows them."""
    buffer, status = io.StringIO(), 0
    sys.argv = list(words)
    with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(buffer):
        try:
            main()
        except SystemExit as exc:
            status = exc.code or 0
    return status, buffer.getvalue()


def _console(block: Block) -> list[str]:
    """Run a console block's commands; what differs from what the guide shows."""
    problems = []
    lines = block.text.splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith("$ ")]
    for (n, line), i in zip(logical_lines(block), starts, strict=True):
        words = shlex.split(line, comments=True)
        if not words or words[0] != "workbench":
            problems.append(
                f"{block.page}:{n}: a console block runs only `workbench` commands: {line}"
            )
            continue
        j = i + 1
        while j < len(lines) and lines[j - 1].rstrip().endswith("\\"):
            j += 1
        shown = lines[j : next((k for k in starts if k > i), len(lines))]
        status, printed = _run_in_process(words)
        if shown and not _expected(shown).search(
            printed if printed.endswith("\n") else printed + "\n"
        ):
            problems.append(
                f"{block.page}:{n}: `{line}` printed:\n{printed}--- the guide shows:\n"
                + "\n".join(shown)
            )
        elif status != 0 and not any(s.startswith("error: ") for s in shown):
            problems.append(
                f"{block.page}:{n}: `{line}` failed (exit status {status}), and the guide "
                f"does not show its error:\n{printed}"
            )
    return problems


@pytest.mark.parametrize("page", [p for p in pages() if any(_running(b) for b in blocks(p))])
def test_the_page_runs_as_written(page, tmp_path, monkeypatch):
    """A page's ``console`` sessions and ``<!-- run -->`` Python examples run in page order, in
    one folder holding the demo's transcripts (``transcripts/``) and the guide's example files
    (``examples/``, docs/guide/examples): each ``$ workbench ...`` line
    must print what the page shows (``...`` elides; a command may fail only where its ``error:``
    is shown), and the Python runs in one namespace, as a notebook would."""
    monkeypatch.chdir(tmp_path)
    shutil.copytree(ROOT / "transcripts", tmp_path / "transcripts")
    shutil.copytree(GUIDE / "examples", tmp_path / "examples")  # the files a chapter offers
    namespace: dict = {"__name__": "__guide__"}
    for block in filter(_running, blocks(page)):
        if block.lang == "console":
            problems = _console(block)
            assert not problems, "\n\n".join(problems)
            continue
        code = compile(
            "\n" * block.line + block.text, f"docs/guide/{page}", "exec"
        )  # the page's lines
        with contextlib.redirect_stdout(io.StringIO()):
            exec(code, namespace)  # noqa: S102 - the guide's own example, run as the reader would


def test_the_output_pattern_is_strict():
    pattern = _expected(["Wrote 15 files to manuscript/ (run ..., coding ...).", "...", "done"])
    assert pattern.search(
        "Wrote 15 files to manuscript/ (run 3, coding 43f7).\nmore\nlines\ndone\n"
    )
    assert not pattern.search("Wrote 14 files to manuscript/ (run 3, coding 43f7).\ndone\n")
    assert not _expected(["a", "b"]).search("a\nx\nb\n")  # no elision without `...`


# -- troubleshooting ---------------------------------------------------------------------------


def test_the_troubleshooting_page_holds_every_message_of_bad_inputs(site):
    """Made from docs/bad-inputs.md at build (docs/guide_hooks.py): every row's message is on the
    page, so the page cannot say other than what the tests of those messages check."""
    rows = [
        line
        for line in (ROOT / "docs" / "bad-inputs.md").read_text(encoding="utf-8").splitlines()
        if re.match(r"^\| `[\w-]+` \|", line)
    ]
    page = html.unescape(
        re.sub(r"<[^>]+>", "", (site / "troubleshooting.html").read_text(encoding="utf-8"))
    )
    page = re.sub(r"\s+", " ", page)
    missing = []
    for row in rows:
        last = row.rstrip(" |").rsplit(" | ", 1)[1].replace("`", "").strip()
        if re.sub(r"\s+", " ", last) not in page.replace("`", ""):
            missing.append(last)
    assert len(rows) > 100 and not missing, missing[:5]


# -- workbench guide ---------------------------------------------------------------------------


def _guide(capsys, *args: str) -> tuple[int, str, str]:
    return run_cli(capsys, "guide", *args)


def test_workbench_guide_builds_once_and_prints_where_it_is(tmp_path, capsys):
    code, out, err = _guide(capsys, "--print", "--out", str(tmp_path / "g"))
    assert (
        code == 0 and out == f"{tmp_path / 'g' / 'index.html'}\n" and "Built the user guide" in err
    )
    assert "Reports and the manuscript" in (tmp_path / "g" / "index.html").read_text(
        encoding="utf-8"
    )
    code, out, err = _guide(capsys, "--print", "--out", str(tmp_path / "g"))
    assert code == 0 and err == ""  # current: not built again
    (tmp_path / "g" / "index.html").unlink()
    assert _guide(capsys, "--print", "--out", str(tmp_path / "g"))[2].startswith("Built")


def test_workbench_guide_opens_a_browser_or_says_where_the_guide_is(tmp_path, capsys, monkeypatch):
    opened = []

    class Browser:
        def open(self, url):
            opened.append(url)
            return True

    monkeypatch.setenv("WORKBENCH_GUIDE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(webbrowser, "get", lambda: Browser())
    code, out, _ = _guide(capsys)
    index = tmp_path / "cache" / "index.html"
    assert (
        code == 0
        and opened == [index.as_uri()]
        and out == f"Opened the user guide in your browser: {index}\n"
    )

    def none():
        raise webbrowser.Error("could not locate runnable browser")

    monkeypatch.setattr(webbrowser, "get", none)
    code, out, _ = _guide(capsys)
    assert code == 0 and f"No web browser found here; open the user guide in one: {index}" in out

    monkeypatch.chdir(tmp_path)  # a folder given relative to where the command runs
    monkeypatch.setattr(webbrowser, "get", lambda: Browser())
    code, out, err = _guide(capsys, "--out", "cache")
    assert code == 0 and err == "" and opened[-1] == index.as_uri()


def test_workbench_guide_without_mkdocs_says_how_to_get_it(tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "mkdocs.commands.build", None)  # as if MkDocs were absent
    code, out, err = _guide(capsys, "--print", "--out", str(tmp_path / "g"))
    assert code == 1 and out == ""
    assert err.startswith(
        "error: the guide is built with MkDocs, which is not installed here: "
        "pip install 'workbench[docs]'"
    )
    assert str(GUIDE) in err and not (tmp_path / "g").exists()


def test_workbench_guide_leaves_a_folder_it_did_not_build(tmp_path, capsys):
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("mine")
    code, _, err = _guide(capsys, "--print", "--rebuild", "--out", str(tmp_path / "mine"))
    assert code == 1 and "holds files that are not a guide Workbench built" in err
    assert (tmp_path / "mine" / "notes.txt").read_text() == "mine"
