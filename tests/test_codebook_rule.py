"""One codebook record for every layer (``Store.codebook()``) and the one rule of a coding the
codebook allows (``Codebook.check``), which every path that writes a coding asks."""

import pytest
from helpers import codebook_without_listening

from workbench.coding.record import Coding
from workbench.errors import CodingRuleError
from workbench.project import codebook as loader
from workbench.project.lifecycle import init_project, install_codebook
from workbench.project.resources import default_codebook
from workbench.store import codebook as records

BEHAVIOURS = ": choose Behaviors of effective coproduction or Behaviors of ineffective coproduction"


@pytest.fixture
def store(tmp_path):
    return init_project(tmp_path / "p.db")


def test_one_type_whether_read_from_a_file_or_from_the_project(store):
    book = store.codebook()
    assert loader.Codebook is records.Codebook and loader.Category is records.Category
    assert book == loader.load_codebook(default_codebook())
    assert book.sha256 == store.active_codebook()["sha256"] and book.version == "1.0"
    assert [c.key for c in book.categories] == ["defining", "effective", "ineffective", "benefits"]
    assert [c.key for c in book.behaviours] == ["effective", "ineffective"]
    assert book.polarity("ineffective") == "ineffective" and book.polarity("defining") is None
    assert book.takes_themes("effective") and not book.takes_themes("benefits")
    assert not book.takes_themes(None) and not book.takes_themes("nope")
    assert (
        book.by_shortcut("2").key == "effective" and book.by_shortcut("a").key == "asking_questions"
    )
    assert book.by_shortcut("Z") is None
    assert book.ordered(["listening", "role_shift"]) == ("role_shift", "listening")
    assert book.category_name("benefits") == "Benefits of effective coproduction"
    assert book.theme_name("gone") == "gone"  # a key the codebook never had names itself
    assert book.complete(Coding("defining")) and not book.complete(Coding("effective"))
    assert book.complete(Coding("effective", ("listening",))) and not book.complete(Coding())


def test_retired_entries_are_known_but_not_allowed_anew(store, tmp_path):
    install_codebook(store, codebook_without_listening(tmp_path), "v2.toml")
    book = store.codebook()
    assert "listening" not in [t.key for t in book.themes]
    assert [t.key for t in book.retired_themes] == ["listening"] and book.theme("listening").retired
    assert book.theme_name("listening") == "Listening"
    assert book.ordered(["listening", "role_shift"]) == ("role_shift", "listening")  # retired last
    with pytest.raises(
        CodingRuleError,
        match=r"theme 'Listening' \(listening\) is retired: it is not in "
        r"codebook version .*, so no new coding can use it",
    ):
        book.check(Coding("effective", ("listening",)))
    # A coding that had it keeps it: its memo changes, another theme is added beside it.
    had = Coding("effective", ("listening",))
    book.check(Coding("effective", ("listening",), memo="still"), had)
    book.check(Coding("effective", ("role_shift", "listening")), had)


@pytest.mark.parametrize(
    "coding, message",
    [
        (
            Coding("defining", ("listening",)),
            f"category 'Defining coproduction' takes no themes: themes go only on a category that takes themes"
            f"{BEHAVIOURS}",
        ),
        (
            Coding(None, ("listening",)),
            f"themes without a category: themes go only on a category that takes themes{BEHAVIOURS}",
        ),
        (
            Coding("defyning"),
            "unknown category 'defyning' (categories: defining, effective, ineffective, benefits)",
        ),
        (
            Coding("effective", ("listening", "lisening", "x")),
            "unknown themes 'lisening', 'x' (themes: role_shift, ",
        ),
        (
            Coding("effective", ("listening", "role_shift", "listening")),
            "theme 'Listening' is given twice",
        ),
    ],
)
def test_the_rule_and_its_words(store, coding, message):
    with pytest.raises(CodingRuleError) as caught:
        store.codebook().check(coding)
    assert str(caught.value).startswith(message)


def test_what_the_rule_allows(store):
    book = store.codebook()
    book.check(Coding())  # nothing coded (a memo alone, a cleared coding)
    book.check(Coding(memo="a memo before the category"))
    book.check(Coding("defining"))
    book.check(Coding("effective"))  # a theme may follow (the coding is incomplete, not wrong)
    book.check(Coding("effective", ("listening", "role_shift")))
    with pytest.raises(CodingRuleError, match="no category: choose one"):
        book.check(Coding(memo="x"), needs_category=True)  # an agreed coding needs one
    with pytest.raises(CodingRuleError, match="no category"):
        book.check(Coding(), Coding(), needs_category=True)


def test_codes_as_they_were_pass_as_they_are(store):
    """A coding an older codebook allowed (themes on a category that no longer takes them) keeps
    its codes through a memo or mark change; changing its codes is checked."""
    book = store.codebook()
    old = Coding("defining", ("listening",))
    book.check(Coding("defining", ("listening",), unsure=True), old)
    with pytest.raises(CodingRuleError, match="takes no themes"):
        book.check(Coding("defining", ("listening", "role_shift")), old)
