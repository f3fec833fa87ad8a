"""How numbers are written for people, in every report, export and screen: one function
per kind, so a rule (no leading zero, no negative zero) holds everywhere at once.

A coefficient (kappa, alpha, AC1, F1) is written with three decimals and no leading zero
(APA style: ``.743``, ``-.317``, ``1.000``); a value that rounds to zero is ``.000``, never
``-.000`` (a negative zero suggests a direction the data do not have). A share is written
as a percentage with a fixed number of decimals, never ``-0.0%``.
"""

from __future__ import annotations


def _unsigned_zero(text: str) -> str:
    """'-0.000' -> '0.000': a value that rounds to zero has no sign."""
    return text[1:] if text.startswith("-") and not text.strip("-0.%") else text


def coefficient(x: float, digits: int = 3) -> str:
    """``.743``, ``-.317``, ``1.000``, ``.000`` (never ``-.000``)."""
    text = _unsigned_zero(f"{x:.{digits}f}")
    if text.startswith("0."):
        return text[1:]
    if text.startswith("-0."):
        return "-" + text[2:]
    return text


def percent(share: float, digits: int = 1) -> str:
    """A share (0-1) as ``74.3%`` (``digits`` decimals), never ``-0.0%``."""
    return _unsigned_zero(f"{share * 100:.{digits}f}") + "%"
