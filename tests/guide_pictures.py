"""The pictures of the user guide (docs/guide/pictures/*.svg): each one a screen of the real app.

Every picture is one of two kinds, listed in ``PICTURES`` below:

- ``Snapshot``: the SVG a snapshot test renders (tests/__snapshots__, pytest-textual-snapshot),
  copied. When the screen changes, its snapshot is updated (``--snapshot-update``) and the
  picture no longer matches it;
- ``Scene``: a screen no snapshot shows, rendered here by the same harness
  (``textual._doc.take_svg_screenshot``, what ``snap_compare`` calls) at a fixed size, from a
  copy of the coded demo and the keys given.

Either way the SVG is made fit to open offline (``offline``: the web-font URLs Rich writes into
every screenshot are dropped; the terminal's font falls back to the reader's monospace).
``tests/test_guide_pictures.py`` fails when a picture differs from its screen, when the guide
shows a picture that is not listed here, or when a listed one has no screen behind it. After an
intended change of a screen, regenerate the pictures and look at them:

    python tests/guide_pictures.py            # every picture
    python tests/guide_pictures.py NAME.svg   # one

To add a picture: add an entry to PICTURES (a snapshot test's SVG if one shows the screen, else
a Scene), run the command above, and show it in a chapter as
``![What the reader sees](pictures/NAME.svg){ .screen }``.
"""

from __future__ import annotations

import re
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
PICTURES_DIR = ROOT / "docs" / "guide" / "pictures"
SNAPSHOTS = TESTS / "__snapshots__"
REGENERATE = "python tests/guide_pictures.py"


@dataclass(frozen=True)
class Snapshot:
    """A snapshot test's SVG: ``test_module/test_name[id].svg`` under tests/__snapshots__."""

    path: str

    @property
    def source(self) -> Path:
        return SNAPSHOTS / self.path

    @property
    def test(self) -> tuple[Path, str]:
        """The test module and function that render it."""
        module, name = self.path.split("/", 1)
        return TESTS / f"{module}.py", re.sub(r"\[.*", "", name.removesuffix(".svg"))


@dataclass(frozen=True)
class Scene:
    """A screen rendered here: ``app(store)`` on a copy of the coded demo (``prepare(store)``
    first), ``press`` keys pressed once the app is idle, at ``size`` (columns, rows)."""

    app: Callable
    size: tuple[int, int]
    press: tuple[str, ...] = ()
    prepare: Callable | None = field(default=None)


def _training_set(store) -> None:
    from workbench.evidence.training import sample

    sample(store, 12, seed=1, actor="lead")


def _saturation_run(store) -> None:
    """A saturation run of base 3 and run 2 (what the report screen shows next: the demo's five
    groups cannot hold the default base of 4 and run of 2)."""
    from workbench.evidence.saturation import Params
    from workbench.evidence.saturation_project import saturation, save_run

    save_run(store, saturation(store, Params(base=3, run=2)), actor="lead")


def _trainee(store):
    from workbench.ui.app import create_app

    return create_app(store, coder="cai", mode="training")


def _observer(store):
    from workbench.ui.app import create_app

    return create_app(store, role="observer", user="olu")


def _lead(store):
    from workbench.ui.app import create_app

    return create_app(store)


PICTURES: dict[str, Snapshot | Scene] = {
    "home-demo.svg": Snapshot("test_snapshots/test_home_screen[80x24].svg"),
    "home-lead.svg": Snapshot(
        "test_snapshots/test_home_screen_with_every_coders_column[160x45].svg"
    ),
    "coding.svg": Snapshot("test_snapshots/test_coding_screen[80x24].svg"),
    "home-coder.svg": Snapshot(
        "test_snapshots/test_home_screen_of_a_coder_offers_switching_and_the_lead.svg"
    ),
    # The report screen's snapshots show a study of their own; the guide shows the demo's numbers.
    "report-categories.svg": Scene(_lead, (120, 36), press=("t",)),
    "report-themes.svg": Scene(_lead, (100, 30), press=("t", "down")),
    "report-saturation.svg": Scene(
        _lead, (120, 36), press=("t", "end"), prepare=_saturation_run
    ),
    "training-trainee.svg": Scene(_trainee, (100, 30), prepare=_training_set),
    "served-observer.svg": Scene(_observer, (100, 30)),
}

_FONT_URLS = re.compile(r',\s*url\("https?://[^"]*"\) format\("[\w-]+"\)')
_RICH_COMMENT = re.compile(r"<!-- Generated with Rich https?://[^ ]* -->")


def offline(svg: str) -> str:
    """The SVG without what a viewer would fetch from elsewhere (Rich's web-font URLs)."""
    return _RICH_COMMENT.sub(
        "<!-- Generated with Rich (Textual's screenshot) -->", _FONT_URLS.sub("", svg)
    )


def expected(name: str, coded_demo: Path) -> str:
    """What ``docs/guide/pictures/NAME`` must hold now."""
    picture = PICTURES[name]
    if isinstance(picture, Snapshot):
        return offline(picture.source.read_text(encoding="utf-8"))
    return offline(render(picture, coded_demo))


def render(scene: Scene, coded_demo: Path) -> str:
    """The scene's screen as SVG, by the snapshot tests' harness, on a copy of the coded demo."""
    from textual._doc import take_svg_screenshot

    from workbench.store import Store

    with tempfile.TemporaryDirectory(prefix="workbench-picture-") as folder:
        path = Path(folder) / "demo.db"
        shutil.copy(coded_demo, path)
        store = Store.open(path)
        try:
            if scene.prepare:
                scene.prepare(store)

            async def idle(pilot):
                await pilot.app.workers.wait_for_complete()
                await pilot.pause()
                for key in scene.press:
                    await pilot.press(key)
                    await pilot.app.workers.wait_for_complete()
                await pilot.pause()

            return take_svg_screenshot(
                app=scene.app(store), terminal_size=scene.size, run_before=idle
            )
        finally:
            store.close()


def build_coded_demo(folder: Path) -> Path:
    """The coded demo as the tests' ``coded_demo`` fixture makes it (tests/conftest.py)."""
    from workbench.demo import build_demo, code_demo

    path = folder / "demo.db"
    store, _ = build_demo(path)
    code_demo(store)
    store.close()
    return path


def main(names: list[str]) -> int:
    unknown = [n for n in names if n not in PICTURES]
    if unknown:
        print(
            f"no such picture: {', '.join(unknown)} (pictures: {', '.join(PICTURES)})",
            file=sys.stderr,
        )
        return 2
    PICTURES_DIR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        coded = build_coded_demo(Path(folder))
        for name in names or PICTURES:
            target = PICTURES_DIR / name
            svg = expected(name, coded)
            old = target.read_text(encoding="utf-8") if target.exists() else None
            target.write_text(svg, encoding="utf-8")
            print(f"{'unchanged' if old == svg else 'wrote'} docs/guide/pictures/{name}")
    stale = sorted(p.name for p in PICTURES_DIR.glob("*.svg") if p.name not in PICTURES)
    if stale:
        print(f"not listed in tests/guide_pictures.py (delete them?): {', '.join(stale)}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main(sys.argv[1:]))
