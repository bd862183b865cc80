"""Splitting segments that are too long for a model, and cutting batches by a token budget.

Models have an input limit (512 tokens for Marian); libraries that feed them longer text silently
return a translation of the beginning only. The translate stage cuts such a segment at clause
punctuation, then at spaces, then anywhere, translates the pieces and joins them back.

Batches are cut from segments sorted by token length, so that a batch holds inputs of similar
length (little padding) and costs at most `max_tokens` padded tokens.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

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


def fit_to_tokens(text: str, count: Callable[[list[str]], list[int]], limit: int) -> list[str]:
    """Pieces of `text` (concatenating to `text`) of at most `limit` tokens each, as `count` measures.

    Characters per token vary by script and tokenizer, so each too-long piece is cut again at a
    character limit scaled by its own token count until every piece fits (a single character that
    is still too long is left alone: there is nothing left to cut).
    """
    if limit < 1:
        raise ValueError("limit must be >= 1")
    pieces = [text]
    while True:
        sizes = count(pieces)
        if all(n <= limit or len(p) <= 1 for p, n in zip(pieces, sizes, strict=True)):
            return pieces
        refined: list[str] = []
        for piece, n in zip(pieces, sizes, strict=True):
            if n <= limit or len(piece) <= 1:
                refined.append(piece)
            else:
                chars = max(1, min(len(piece) - 1, int(len(piece) * limit / n * 0.9)))
                refined.extend(split_long_text(piece, chars))
        pieces = refined


def plan_batches(lengths: Sequence[int], max_items: int, max_tokens: int) -> list[list[int]]:
    """Indices of inputs grouped into batches: sorted by length, cut by count and padded-token budget.

    A batch's cost is its size times its longest input (what a padded batch computes); an input longer
    than the budget on its own still gets a batch of one.
    """
    order = sorted(range(len(lengths)), key=lambda i: (lengths[i], i))
    batches: list[list[int]] = []
    current: list[int] = []
    longest = 0
    for i in order:
        n = max(1, lengths[i])
        if current and (len(current) >= max_items or max(longest, n) * (len(current) + 1) > max_tokens):
            batches.append(current)
            current, longest = [], 0
        current.append(i)
        longest = max(longest, n)
    if current:
        batches.append(current)
    return batches
