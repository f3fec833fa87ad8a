"""Where the bundled codebooks and demo transcripts live.

In a wheel they are copied into ``workbench/_bundled``; in a source checkout or an
editable install they are the repository's top-level ``codebooks/`` and ``transcripts/``.
"""

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parents[1]  # the workbench package


def bundled(name: str) -> Path:
    """Return the bundled folder ``name`` ("codebooks" or "transcripts")."""
    for candidate in (_PACKAGE / "_bundled" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"bundled folder {name!r} not found next to {_PACKAGE}")


def default_codebook() -> Path:
    return bundled("codebooks") / "coproduction.toml"
