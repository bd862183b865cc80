"""Splitting segments that are too long for a model, so that nothing is ever truncated.

Models have an input limit (512 tokens for Marian); libraries that feed them longer text silently
return a translation of the beginning only. The translate stage cuts such a segment at clause
punctuation, then at spaces, then anywhere, translates the pieces and joins them back.
"""

from __future__ import annotations

import re

_CLAUSE = re.compile(r"[;:,\u2014\u2013\u3001\uff0c\uff1b]\s+|\s[\u2014\u2013-]\s")
_SPACE = re.compile(r"\s+")


def split_long_text(text: str, limit: int) -> list[str]:
    """Pieces of `text`, each at most `limit` characters, whose concatenation is `text`.

    Cuts are placed after clause punctuation where possible, else after whitespace, else hard.
    """
    if limit < 1:
        raise ValueError("limit must be >= 1")
    pieces: list[str] = []
    rest = text
    while len(rest) > limit:
        window = rest[:limit]
        cut = _last_match_end(_CLAUSE, window, min_pos=limit // 3)
        if cut is None:
            cut = _last_match_end(_SPACE, window, min_pos=1)
        if cut is None or cut <= 0:
            cut = limit
        pieces.append(rest[:cut])
        rest = rest[cut:]
    if rest:
        pieces.append(rest)
    return pieces


def join_translated(translations: list[str]) -> str:
    """Rejoin the translations of the pieces of one segment with single spaces."""
    return " ".join(t.strip() for t in translations if t.strip())


def _last_match_end(pattern: re.Pattern[str], window: str, min_pos: int) -> int | None:
    last = None
    for m in pattern.finditer(window):
        if m.end() >= min_pos:
            last = m.end()
    return last
