"""Word counts and sentence boundaries (spaCy, loaded lazily)."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.ingest.language import nlp, sentences, split_points, word_count

SHARED = Path(__file__).resolve().parents[2] / "shared"


def spacy_word_count(text: str) -> int:
    """Words as spaCy tokenizes them, re-joined where spaCy splits inside a word
    ("do" + "n't", "well" + "-" + "known"), punctuation-only chunks not counted."""
    count, chunk_has_word = 0, False
    for token in nlp().tokenizer(text):
        if not (
            token.is_punct
            or token.is_space
            or token.is_quote
            or token.is_bracket
            or token.is_currency
        ):
            chunk_has_word = True
        if token.whitespace_ or token.is_space or token.i == len(token.doc) - 1:
            count += chunk_has_word
            chunk_has_word = False
    return count


@pytest.mark.parametrize(
    "text, expected",
    [
        ("", 0),
        ("Hi!", 1),
        ("I don't think they're listening.", 5),
        ("A well-known co-production model — really.", 5),
        ("- So... yes? - No.", 3),
        ("We met at 10:30 on 3/4, about the plan (the new one).", 12),
    ],
)
def test_word_count(text, expected):
    assert word_count(text) == expected
    assert spacy_word_count(text) == expected


def test_word_count_agrees_with_spacy_on_real_transcripts():
    texts = []
    for name in ("zoom_group_discussion.transcript.vtt", "zoom_group_discussion.cc.vtt"):
        path = SHARED / "realdata" / name
        if path.exists():
            texts.append(path.read_text(encoding="utf-8"))
    demo = Path(__file__).resolve().parents[1] / "transcripts"
    texts += [p.read_text(encoding="utf-8") for p in sorted(demo.glob("*.txt"))]
    if not texts:
        pytest.skip("no transcripts to compare on")
    lines = [line for text in texts for line in text.splitlines() if line.strip()]
    mismatches = [line for line in lines if word_count(line) != spacy_word_count(line)]
    assert not mismatches, mismatches[:5]


def test_sentences_cover_the_text():
    text = "We set goals together. She listened! Did it help? Yes, a lot."
    spans = sentences(text)
    assert [text[a:b] for a, b in spans] == [
        "We set goals together.",
        "She listened!",
        "Did it help?",
        "Yes, a lot.",
    ]
    assert split_points(text) == [23, 37, 50]
    assert sentences("") == []


def test_start_up_modules_load_no_heavy_library():
    """The CLI and the modules every command opens stay fast to import."""
    code = (
        "import sys, workbench.cli, workbench.cli.common, workbench.cli.project, workbench.cli.ingest, "
        "workbench.cli.coding, workbench.cli.agreement, workbench.cli.reconcile, workbench.cli.reports, "
        "workbench.cli.exchange, workbench.store, workbench.ingest.importer, workbench.project.lifecycle, "
        "workbench.project.codebook, workbench.ingest.transcript, workbench.ingest.roster, workbench.project.status, "
        "workbench.demo, workbench.ingest.language, workbench.coding.comment, workbench.coding.session, "
        "workbench.reconcile.consensus, "
        "workbench.coding.worklist, workbench.exchange.sheets, workbench.coding.search, workbench.coding.coder\n"
        "print(sorted(m for m in ('spacy', 'textual', 'pandas', 'numpy', 'docx') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_no_domain_module_imports_textual():
    """Everything outside workbench.ui imports without loading Textual."""
    code = (
        "import importlib, pkgutil, sys, workbench\n"
        "names = [m.name for m in pkgutil.walk_packages(workbench.__path__, 'workbench.') "
        "if not m.name.startswith(('workbench.ui', 'workbench.__main__'))]\n"
        "for name in names: importlib.import_module(name)\n"
        "print(len(names), 'textual' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    count, loaded = out.stdout.split()
    assert int(count) >= 20 and loaded == "False"


@given(st.text(alphabet=st.sampled_from(list("ab1 _-—.,!?()\"'\n\t\u00a0é")), max_size=60))
@settings(max_examples=500, derandomize=True, deadline=None)
def test_word_count_is_whitespace_tokens_holding_a_letter_or_digit(text):
    assert word_count(text) == sum(1 for token in text.split() if re.search(r"\w", token))
