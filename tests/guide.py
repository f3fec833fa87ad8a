"""Reading the user guide's sources (docs/guide/) for the tests that keep it true.

- ``pages()``: the chapters, in the order of mkdocs.yml's nav;
- ``blocks(page)``: its fenced code blocks, each with the HTML comment just above it (a mark
  such as ``<!-- run -->``);
- ``commands(block)``: the ``workbench ...`` command lines of a shell block, with line
  continuations joined, comments and prompts dropped, split at pipes, ``&&`` and ``;``;
- ``inline_commands(text)``: the ``workbench ...`` code spans of a page's prose;
- ``check_command(words)``: what is wrong with one such command, resolved against the click
  definitions of ``workbench.cli`` (subcommands, options, their choices, the arguments);
- ``images(page)``: the pictures a page shows.

Conventions of a command in the guide: ``[...]`` marks an optional part (its options are checked
like any other), ``a|b`` alternatives of a choice (each must be a choice of the option), an
UPPER-CASE word a placeholder (``PROJECT``, ``FILE``), ``...`` "and more of the same".
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import click

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "guide"
SHELLS = ("sh", "bash", "shell", "console")
_FENCE = re.compile(r"^(?P<indent> *)(?P<fence>```+|~~~+)\s*(?P<lang>[\w+-]*)[^\n]*$")
_MARK = re.compile(r"^\s*<!--\s*(?P<mark>.*?)\s*-->\s*$")
_IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<src>[^)\s]+)")
_OPERATORS = {"|", "||", "&&", ";", "&"}


def mkdocs_build(root: Path, site: Path) -> subprocess.CompletedProcess:
    """`mkdocs build --strict` of ``root``'s mkdocs.yml into ``site``, as a writer runs it."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},  # the theme's notice about its successor
    )


@dataclass(frozen=True)
class Block:
    page: str
    line: int  # of the opening fence, 1-based
    lang: str
    text: str
    mark: str  # the HTML comment just above the fence, without <!-- -->, or ""

    @property
    def where(self) -> str:
        return f"docs/guide/{self.page}:{self.line}"


def nav() -> list[str]:
    """The pages of mkdocs.yml's nav, in order (a nav entry is ``Title: page.md``)."""
    import yaml

    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    found: list[str] = []

    def walk(entries) -> None:
        for entry in entries:
            for value in entry.values() if isinstance(entry, dict) else [entry]:
                walk(value) if isinstance(value, list) else found.append(value)

    walk(config["nav"])
    return found


def pages() -> list[str]:
    return nav()


def source(page: str) -> str:
    return (GUIDE / page).read_text(encoding="utf-8")


def blocks(page: str, text: str | None = None) -> list[Block]:
    """Every fenced code block of a page (of ``text`` instead of the file: the tests' own tests)."""
    lines = (source(page) if text is None else text).splitlines()
    found, i = [], 0
    while i < len(lines):
        opening = _FENCE.match(lines[i])
        if not opening:
            i += 1
            continue
        fence, indent = opening["fence"], len(opening["indent"])
        j = i + 1
        while j < len(lines) and not lines[j].strip().startswith(fence):
            j += 1
        body = "\n".join(line[indent:] for line in lines[i + 1 : j])
        above = next((lines[k] for k in range(i - 1, -1, -1) if lines[k].strip()), "")
        mark = _MARK.match(above)
        found.append(Block(page, i + 1, opening["lang"], body + "\n", mark["mark"] if mark else ""))
        i = j + 1
    return found


def images(page: str, text: str | None = None) -> list[tuple[str, str]]:
    """(alt text, path) of every picture a page shows, outside code blocks."""
    text = source(page) if text is None else text
    text = re.sub(r"^```.*?^```", "", text, flags=re.S | re.M)
    return [(m["alt"], m["src"]) for m in _IMAGE.finditer(text)]


def logical_lines(block: Block) -> list[tuple[int, str]]:
    """(line number, text) of each command line of a shell block: continuations joined; in a
    ``console`` block only the lines after a ``$ `` prompt (the rest is output)."""
    out, pending, start = [], "", 0
    for n, line in enumerate(block.text.splitlines(), block.line + 1):
        if not pending:
            if block.lang == "console":
                if not line.startswith("$ "):
                    continue
                line = line[2:]
            start = n
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        out.append((start, pending + line))
        pending = ""
    if pending:
        out.append((start, pending))
    return out


def commands(block: Block) -> list[tuple[int, list[str]]]:
    """(line number, words) of every ``workbench`` command in a shell block."""
    found = []
    for n, line in logical_lines(block):
        words, segment = (
            shlex.split(line, comments=True),
            [],
        )  # `a|b` stays one word; ` | ` is a pipe
        for word in words + [";"]:
            if word.endswith(";") and word != ";":
                segment.append(word[:-1])
                word = ";"
            if word in _OPERATORS:
                while segment and re.fullmatch(r"\w+=.*", segment[0]):
                    segment.pop(0)  # VAR=value before a command
                if segment and segment[0] == "workbench":
                    found.append((n, _without_redirections(segment)))
                segment = []
            else:
                segment.append(word)
    return found


_SPAN = re.compile(r"(?<!`)`(?P<code>workbench(?: [^`\n]*)?)`(?!`)")


def inline_commands(text: str) -> list[tuple[int, list[str]]]:
    """(line number, words) of every ``workbench ...`` code span in the prose of ``text``
    (outside fenced blocks): the commands a paragraph names, such as `workbench demo --coded`."""
    found, fence = [], ""
    for n, line in enumerate(text.splitlines(), 1):
        opening = _FENCE.match(line)
        if opening and (not fence or opening["fence"].startswith(fence)):
            fence = "" if fence else opening["fence"]
            continue
        if not fence:
            found += [(n, shlex.split(m["code"])) for m in _SPAN.finditer(line)]
    return found


def _without_redirections(words: list[str]) -> list[str]:
    """``> out.toml``, ``2>&1``, ``< in.txt`` are the shell's, not the command's."""
    out, skip = [], False
    for word in words:
        if skip:
            skip = False
        elif re.fullmatch(r"\d?(>>?|<)", word):
            skip = True
        elif not re.fullmatch(r"\d?(>>?|<)\S+|\d>&\d", word):
            out.append(word)
    return out


def check_command(words: list[str], root: click.Group | None = None) -> list[str]:
    """What is wrong with ``workbench WORDS...`` by the CLI's own definitions (empty if nothing)."""
    if root is None:
        from workbench.cli import cli as root
    problems: list[str] = []
    words = [w for w in (_unbracket(w) for w in _shorthand(words[1:])) if w]
    helped = next((k for k, w in enumerate(words) if w in ("-h", "--help")), None)
    if helped is not None:  # click answers --help before it asks for arguments
        words = words[:helped]
    command: click.Command = root
    path = ["workbench"]
    i = 0
    while True:
        args, i = _options(
            command, words, i, path, problems, stop_at_positional=isinstance(command, click.Group)
        )
        if not isinstance(command, click.Group):
            break
        if i >= len(words):
            if helped is not None:
                return problems
            problems.append(
                f"`{' '.join(path)}` needs a subcommand ({', '.join(sorted(command.commands))})"
            )
            return problems
        name = words[i]
        if _placeholder(name):  # `workbench COMMAND --help`: any of them
            return problems
        sub = command.commands.get(name)
        if sub is None or getattr(sub, "hidden", False):
            shown = sorted(
                n for n, c in command.commands.items() if not getattr(c, "hidden", False)
            )
            problems.append(
                f"`{' '.join(path)}` has no subcommand {name!r} (it has: {', '.join(shown)})"
            )
            return problems
        command, path, i = sub, path + [name], i + 1
    if helped is None:
        _arguments(command, args, path, problems)
    return problems


_MENTIONED = "<value>"  # the value of an option shown bare in brackets: `[--kind]`


def _shorthand(words: list[str]) -> list[str]:
    """``[--kind]`` (an option named, its value left out) → ``--kind <value>``."""
    out = []
    for word in words:
        bare = re.fullmatch(r"\[(--?[\w-]+)\]", word)
        out += [bare[1], _MENTIONED] if bare else [word]
    return out


def _unbracket(word: str) -> str:
    """``[--format`` → ``--format``, ``md]`` → ``md``; a lone bracket goes."""
    return word.strip("[]")


def _options(
    command: click.Command,
    words: list[str],
    i: int,
    path: list[str],
    problems: list[str],
    stop_at_positional: bool,
) -> tuple[list[str], int]:
    """Consume the options of ``command`` from ``words[i:]``; the positional words it met."""
    by_name = {
        name: p
        for p in command.params
        if isinstance(p, click.Option)
        for name in p.opts + p.secondary_opts
    }
    by_name.update({name: None for name in ("-h", "--help")})
    positional: list[str] = []
    while i < len(words):
        word = words[i]
        if word == "...":
            positional.append(word)
            i += 1
            continue
        if not word.startswith("-") or word == "-":
            if stop_at_positional:
                return positional, i
            positional.append(word)
            i += 1
            continue
        name, _, inline = word.partition("=")
        if name not in by_name:
            problems.append(
                f"`{' '.join(path)}` has no option {name} "
                f"(it has: {', '.join(sorted(n for n in by_name if n.startswith('--')))})"
            )
            i += 2 if words[i + 1 : i + 2] == [_MENTIONED] else 1
            continue
        option = by_name[name]
        i += 1
        if option is None or option.is_flag or option.count:
            if i < len(words) and words[i] == _MENTIONED:
                i += 1
            if inline:
                problems.append(f"`{' '.join(path)} {name}` is a flag: it takes no value ({word})")
            continue
        values = [inline] if inline else words[i : i + option.nargs]
        if not inline:
            i += option.nargs
        if len(values) < option.nargs or any(v.startswith("--") for v in values):
            problems.append(f"`{' '.join(path)} {name}` needs {option.nargs} value(s)")
            continue
        for value in values:
            problems.extend(_value(option, value, path, name))
    return positional, i


def _value(option: click.Option, value: str, path: list[str], name: str) -> list[str]:
    if _placeholder(value) or value == _MENTIONED:
        return []
    kind = option.type
    if isinstance(kind, click.Choice):
        wrong = [v for v in value.split("|") if v not in kind.choices and not _placeholder(v)]
        return [
            f"`{' '.join(path)} {name} {v}`: not one of its choices ({', '.join(kind.choices)})"
            for v in wrong
        ]
    if isinstance(kind, (click.types.IntParamType, click.types.FloatParamType)):
        try:
            kind.convert(value, option, None)
        except click.BadParameter as exc:
            return [f"`{' '.join(path)} {name} {value}`: {exc.message}"]
    return []


def _placeholder(value: str) -> bool:
    """``PROJECT``, ``FILE``, ``NAME=ROLE``, ``$PASSWORD``, ``...``: a value the reader supplies."""
    return (
        value == "..." or value.startswith("$") or bool(re.fullmatch(r"[A-Z][A-Z0-9_=.-]*", value))
    )


def _arguments(
    command: click.Command, given: list[str], path: list[str], problems: list[str]
) -> None:
    arguments = [p for p in command.params if isinstance(p, click.Argument)]
    more = "..." in given
    count = len([w for w in given if w != "..."])
    needed = sum(p.nargs if p.nargs > 0 else 1 for p in arguments if p.required)
    most = None if any(p.nargs < 0 for p in arguments) else sum(p.nargs for p in arguments)
    if count < needed and not more:
        names = " ".join(p.human_readable_name for p in arguments)
        problems.append(
            f"`{' '.join(path)}` needs {needed} argument(s) ({names}); the guide gives {count}"
        )
    if most is not None and count > most:
        problems.append(
            f"`{' '.join(path)}` takes at most {most} argument(s); the guide gives {count}: "
            f"{' '.join(given)}"
        )
