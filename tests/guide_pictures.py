"""The pictures of the user guide (docs/guide/pictures/*.svg): each one a screen of the real app.

Every picture is one of two kinds, listed in ``PICTURES`` below:

- ``Snapshot``: the SVG a snapshot test renders (tests/__snapshots__, pytest-textual-snapshot),
  copied. When the screen changes, its snapshot is updated (``--snapshot-update``) and the
  picture no longer matches it;
- ``Scene``: a screen no snapshot shows, rendered here by the same harness
  (``textual._doc.take_svg_screenshot``, what ``snap_compare`` calls) at a fixed size, from a
  copy of the coded demo and the keys given. A scene must show the same every time: its
  notifications stay until it is drawn, a folder it names is shown as ``SHOWN_FOLDER``, and
  a time or a model it shows is fixed in its ``prepare``.

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
import zlib
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


def _ana(store):
    from workbench.ui.app import create_app

    return create_app(store, coder="ana")


def _ana_changes_a_reconciled_comment(store) -> None:
    """ana, having thought again, changes her coding of FG1-003 after the lead reconciled it
    (the decision's time fixed: the screen shows it, and the demo was built just now)."""
    from workbench.coding.session import CodingSession

    comment_id = store.find_ref("FG1-003")[0]
    decision = store.reconciliation(comment_id)
    with store.transaction():
        store.restore_reconciliation(comment_id, {**decision, "decided_at": "2025-06-02T10:15:00"})
    session = CodingSession.start(store, "ana")
    session.comment(comment_id)
    session.set_category(comment_id, "benefits", drop_themes=True)


def _model(store) -> None:
    """A model of the agreed coding, as `workbench suggest train` stores it (the kinds every
    installation has compared, as tests/conftest.py's trained demo: the picture does not depend
    on whether the embeddings extra is installed)."""
    from unittest import mock

    from workbench.suggest.training import train

    with mock.patch("workbench.suggest.embedding.available", lambda: False):
        train(store, actor="lead")


def _participants(store) -> None:
    """The demo's participants with the attributes of the guide's example sheet, as the
    participants chapter brings them in (docs/guide/examples/demo_participants.csv), the
    condition then made a choice and the site a choice of two."""
    from workbench.exchange import participant_sheet
    from workbench.project.participants import change

    sheet = ROOT / "docs" / "guide" / "examples" / "demo_participants.csv"
    participant_sheet.apply(store, participant_sheet.plan(store, sheet))
    change(store, "condition", "choice", ["CF", "IBD", "T1D"], None, None, None)
    change(store, "site", "choice", ["Leeds", "York"], None, None, None)


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
    "report-saturation.svg": Scene(_lead, (120, 36), press=("t", "end"), prepare=_saturation_run),
    "training-trainee.svg": Scene(_trainee, (100, 30), prepare=_training_set),
    "served-observer.svg": Scene(_observer, (100, 30)),
    # Importing and checking transcripts
    "import-screen.svg": Snapshot("test_import_screen/test_import_screen[160x45].svg"),
    "speaker-fix.svg": Scene(_lead, (100, 30), press=("v", "j", "s")),
    "group-tasks.svg": Scene(_lead, (100, 30), press=("G",)),
    # The codebook
    "codebook-editor.svg": Snapshot("test_views_snapshots/test_codebook_editor[160x45].svg"),
    # Coding
    "coding-flags.svg": Snapshot("test_help_snapshots/test_coding_screen_with_flags[80x24].svg"),
    "coding-keys.svg": Snapshot("test_help_snapshots/test_key_help[160x45].svg"),
    "coding-split.svg": Snapshot("test_snapshots/test_split_menu.svg"),
    "coding-memo.svg": Snapshot("test_views_snapshots/test_memo_editor[80x24].svg"),
    "coding-search.svg": Scene(_ana, (100, 30), press=("slash", *"plan", "enter")),
    "coding-filter.svg": Scene(_ana, (100, 30), press=("F",)),
    # Two coders and the lead
    "agreement.svg": Snapshot("test_agreement_screen/test_agreement_screen_snapshot[160x45].svg"),
    "reconcile.svg": Snapshot("test_reconcile_screen/test_reconciliation_snapshot[160x45].svg"),
    "reconcile-changed.svg": Scene(
        _lead, (120, 34), press=("R", *"lead", "enter"), prepare=_ana_changes_a_reconciled_comment
    ),
    # Reading the coding
    "transcript-view.svg": Snapshot("test_views_snapshots/test_transcript_view[160x45].svg"),
    "themes-view.svg": Snapshot("test_views_snapshots/test_themes_view[160x45].svg"),
    "memos-view.svg": Snapshot("test_views_snapshots/test_memos_view[160x45].svg"),
    "more-like-this.svg": Scene(_ana, (120, 34), press=("L",), prepare=_model),
    # Participants and their attributes
    "participants.svg": Scene(_lead, (120, 34), press=("P",), prepare=_participants),
    "coding-filter-attributes.svg": Scene(
        _ana, (100, 30), press=("F", *["tab"] * 4, *"condition=CF"), prepare=_participants
    ),
    "report-behaviours-by.svg": Scene(
        _lead, (120, 34), press=("t", *["down"] * 8), prepare=_participants
    ),
    # Machine help
    "model-screen.svg": Snapshot("test_snapshots/test_model_screen.svg"),
    "coding-suggestion.svg": Snapshot(
        "test_snapshots/test_coding_screen_with_a_suggestion[160x45].svg"
    ),
    "review.svg": Snapshot("test_snapshots/test_review_screen.svg"),
    # Safety
    "backup-task.svg": Scene(_lead, (100, 30), press=("B",)),
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


# A screen that names the project's folder (the backup task) shows this instead of the scene's
# temporary one: as long, so the screen wraps its text as it did.
SHOWN_FOLDER = "/home/lee/research/coproduction"
_SCENE_ROOT = "/tmp" if Path("/tmp").is_dir() else None
_IDS = re.compile(r"terminal-\d+")


def render(scene: Scene, coded_demo: Path) -> str:
    """The scene's screen as SVG, by the snapshot tests' harness, on a copy of the coded demo."""
    from textual._doc import take_svg_screenshot

    from workbench.store import Store

    with tempfile.TemporaryDirectory(prefix="workbench-picture-", dir=_SCENE_ROOT) as folder:
        path = Path(folder) / "study.db"
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

            app = scene.app(store)
            app.NOTIFICATION_TIMEOUT = 3600  # a notification stays however slow the rendering
            svg = take_svg_screenshot(app=app, terminal_size=scene.size, run_before=idle)
        finally:
            store.close()
        if folder not in svg:
            return svg
        assert len(folder) == len(SHOWN_FOLDER), f"{folder}: not as long as {SHOWN_FOLDER}"
        # Rich names the SVG's classes after a hash of what it drew: of the shown folder, then.
        svg = _IDS.sub("terminal-ID", svg.replace(folder, SHOWN_FOLDER))
        return svg.replace("terminal-ID", f"terminal-{zlib.adler32(svg.encode())}")


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
