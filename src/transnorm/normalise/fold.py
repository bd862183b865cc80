"""Case and diacritic folding that keeps every character where it was.

The matcher searches a folded copy of the text and maps hits straight back to the original, so the
fold is *length-preserving*: one character in, one character out. `fold_text` lower-cases, strips
diacritics (Ł -> l, ö -> o, ё -> е; Cyrillic й, ї and ў stay letters of their own), maps every
apostrophe to `'`, and hyphens, non-breaking spaces, opening brackets and double quotes to a plain
space (`NATO-Russia` matches `NATO Russia`). Other punctuation is left alone: word boundaries are
checked on each hit (`left_boundary`, `word_end`).

Speed: `str.translate` walks every character in Python-object land (about 12 MB/s here); instead one
compiled regex finds only the characters whose fold differs from `str.lower()` (accented letters,
`ё`, hyphens, apostrophes), each distinct one is replaced with `str.replace`, and the rest of the
work is `str.lower()`, which runs at 50-100 MB/s.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

APOSTROPHES = "'’ʼ`´ʹ′ʻ"
# Folded to a space: hyphens and dashes (NATO-Russia = NATO Russia), non-breaking and thin spaces, and
# opening brackets and quotes, so that a short name can be searched as " name" (a word start).
_SPACES = '-\u00a0\u2007\u202f\u2009\u200a\u2010\u2011\u2012\u2013\u2014([{"“”„«»‹›‘'

# Letters that NFD does not decompose but that news text writes with or without their mark.
_SPECIAL = {"ł": "l", "đ": "d", "ø": "o", "ı": "i", "ħ": "h", "ŀ": "l"}
# Cyrillic letters whose NFD decomposition would merge two distinct letters (й/и, ї/і, ў/у).
_KEEP = set("йЙїЇўЎ")
# Elided articles and prepositions glued to a name by an apostrophe: d'Erdogan, l'Ukraine, dell'Iran.
_ELISIONS = frozenset({"d", "l", "j", "n", "s", "m", "t", "c", "qu", "dell", "all", "nell", "sull", "dall"})


def fold_char(ch: str) -> str:
    """The folded form of one character (always exactly one character)."""
    if ch in APOSTROPHES:
        return "'"
    if ch in _SPACES:
        return " "
    if ch in _KEEP:
        return ch.lower()
    cat = unicodedata.category(ch)
    if cat[0] not in "LN":
        return ch
    low = ch.lower()
    if len(low) != 1:
        low = ch
    if low in _SPECIAL:
        return _SPECIAL[low]
    base = unicodedata.normalize("NFD", low)
    if len(base) > 1 and all(unicodedata.category(c)[0] == "M" for c in base[1:]):
        return base[0]
    return low


@lru_cache(maxsize=1)
def _fold_map() -> tuple[re.Pattern[str], dict[str, str], frozenset[str]]:
    """The characters whose fold is not plain `str.lower()`, as a regex class and a lookup table.

    The third item holds the characters whose fold is itself folded again by the table (Ǿ -> ø),
    for which replacing one character after the other would not give the one-pass result.
    """
    mapping: dict[str, str] = {}
    for code in [*range(0x3000), *range(0xFF00, 0xFFF0)]:
        ch = chr(code)
        folded = fold_char(ch)
        if folded != ch.lower():
            mapping[ch] = folded
    ranges: list[list[int]] = []
    for code in sorted(map(ord, mapping)):
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    cls = "".join(
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges
    )
    unsafe = frozenset(k for k, v in mapping.items() if v != k and any(c in mapping for c in v))
    return re.compile(f"[{cls}]"), mapping, unsafe


_ASCII_TABLE = bytes(ord(fold_char(chr(i))) for i in range(128)) + bytes(range(128, 256))


def fold_text(text: str) -> str:
    """The folded copy of `text`: same length, lower case, no diacritics, hyphens as spaces."""
    if text.isascii():
        return text.encode("ascii").translate(_ASCII_TABLE).decode("ascii")
    pattern, mapping, unsafe = _fold_map()
    chars = set(pattern.findall(text))
    if unsafe.isdisjoint(chars):
        for ch in chars:  # a few distinct characters per text: str.replace beats a callback per match
            text = text.replace(ch, mapping[ch])
        return text.lower()
    return pattern.sub(lambda m: mapping[m.group()], text).lower()


_BOUNDARY_ASCII = bytes(c if chr(c).isalnum() or c == 32 else 32 for c in range(128)) + bytes(range(128, 256))
_NON_WORD = re.compile(r"[^\w ]|_")


def boundary_text(folded: str) -> str:
    """`folded` with every character that is not a letter or digit made a space (same length).

    The matcher searches its patterns as " " + pattern in this text, so that a hit can only start
    where a word may start (after a space, punctuation or an apostrophe); the exact spelling and the
    word boundary are then checked on `folded` itself.
    """
    if folded.isascii():
        return folded.encode("ascii").translate(_BOUNDARY_ASCII).decode("ascii")
    return _NON_WORD.sub(" ", folded)


def fold_name(name: str) -> str:
    """The search key of a name: NFC, folded, runs of spaces collapsed to one."""
    return " ".join(fold_text(unicodedata.normalize("NFC", name)).split())


def is_word_char(ch: str) -> bool:
    """True for characters that continue a word (letters, digits, combining marks)."""
    return ch.isalnum() or unicodedata.category(ch)[0] == "M"


def left_boundary(folded: str, start: int) -> bool:
    """True when a word starts at `start`: after a non-letter, a quote, or an elision like `d'`."""
    if start == 0:
        return True
    prev = folded[start - 1]
    if prev != "'":
        return not is_word_char(prev)
    i = start - 1
    while i > 0 and is_word_char(folded[i - 1]):
        i -= 1
    particle = folded[i : start - 1]
    return not particle or particle in _ELISIONS


def word_end(folded: str, end: int) -> int:
    """Where the word that continues at `end` stops (`end` itself when a boundary follows)."""
    n = len(folded)
    i = end
    while i < n:
        ch = folded[i]
        if is_word_char(ch) or (ch == "'" and i + 1 < n and is_word_char(folded[i + 1])):
            i += 1
        else:
            break
    return i


def case_like(original: str, replacement: str) -> str:
    """`replacement` in the case style of `original`: LAWROW -> LAVROV, lawrow -> lavrov, else as is."""
    letters = [c for c in original if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return replacement.upper()
    if letters and all(c.islower() for c in letters):
        return replacement.lower()
    return replacement
