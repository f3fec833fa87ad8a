"""Every picture in the user guide is a screen of the real app, as it is now
(tests/guide_pictures.py says how each one is made and how to regenerate them)."""

from __future__ import annotations

import re

import pytest
from guide import GUIDE, images, pages
from guide_pictures import PICTURES, PICTURES_DIR, REGENERATE, Scene, Snapshot, expected, offline


def test_every_picture_the_guide_shows_has_a_screen_behind_it():
    problems = []
    shown = set()
    for page in pages():
        for alt, src in images(page):
            name = src.removeprefix("pictures/")
            shown.add(name)
            if not src.startswith("pictures/") or name not in PICTURES:
                problems.append(
                    f"{page}: picture {src} is not a screen listed in tests/guide_pictures.py"
                )
            if not alt.strip():
                problems.append(
                    f"{page}: picture {src} has no alt text (a text browser shows only that)"
                )
    for name, picture in PICTURES.items():
        if isinstance(picture, Snapshot):
            module, test = picture.test
            if not picture.source.is_file():
                problems.append(
                    f"{name}: its snapshot {picture.path} is gone (renamed or removed test?)"
                )
            if not module.is_file() or not re.search(
                rf"^(async )?def {re.escape(test)}\(", module.read_text(), re.M
            ):
                problems.append(
                    f"{name}: no test {test} in {module.name} renders its snapshot any more"
                )
    unused = sorted(set(PICTURES) - shown)
    on_disk = sorted(p.name for p in PICTURES_DIR.iterdir())
    assert not problems, "\n".join(problems)
    assert not unused, f"listed in tests/guide_pictures.py but shown in no chapter: {unused}"
    assert on_disk == sorted(PICTURES), (
        f"docs/guide/pictures/ holds {on_disk}, the list {sorted(PICTURES)}"
    )


@pytest.mark.parametrize("name", sorted(PICTURES))
def test_the_picture_is_the_screen_as_it_is_now(name, coded_demo):
    """A picture that differs from its screen (a snapshot updated, or the scene rendered afresh)
    fails, saying how to regenerate it."""
    path = PICTURES_DIR / name
    assert path.is_file(), f"docs/guide/pictures/{name} is missing: run `{REGENERATE} {name}`"
    assert path.read_text(encoding="utf-8") == expected(name, coded_demo), (
        f"docs/guide/pictures/{name} is out of date with its screen "
        f"({PICTURES[name].path if isinstance(PICTURES[name], Snapshot) else 'a scene'}): "
        f"regenerate it with `{REGENERATE} {name}` and look at it before committing"
    )


def test_pictures_open_offline_and_say_so_in_a_text_browser():
    svg = (
        '<!-- Generated with Rich https://www.textualize.io -->src: local("FiraCode-Regular"),\n'
        '    url("https://cdnjs.cloudflare.com/x.woff2") format("woff2"),\n'
        '    url("https://cdnjs.cloudflare.com/x.woff") format("woff");'
    )
    assert "http" not in offline(svg) and 'local("FiraCode-Regular");' in offline(svg)
    assert any(isinstance(p, Scene) for p in PICTURES.values())  # both kinds are in use
    assert (GUIDE / "pictures").resolve() == PICTURES_DIR.resolve()
