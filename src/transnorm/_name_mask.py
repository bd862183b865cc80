"""Names hidden from the n-gram detector (used by :mod:`transnorm.detect`).

Names carry the n-grams of the language they come from, not of the sentence around them:
"Lavrov meets Stoltenberg in Moscow" is Dutch to langdetect because of "Stoltenberg", and
"Kremlin spokesman Dimitri Peskov said Peskow would travel." is Estonian. So before langdetect
sees a text, the tokens that look like names are blanked out:

- spellings that a glossary knows (``glossary_names``), wherever they stand;
- capitalised words that do not start a sentence (or a quote, or a headline part after a colon);
- acronyms (two or more letters, all upper case: ``BBC``, ``NATO``);
- tokens that mix scripts (``Tony`` inside Cyrillic, ``iPhone-ом``).

German capitalises every noun, so masking alone would hide most of a German sentence; the
detector therefore weighs the masked and the full text together (see ``detect.py``). Masking
is skipped when too few letters would remain: three words of a headline that are all names
are better judged on the names than on nothing, but with less confidence (see ``detect.py``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

_TOKEN_RE = re.compile(r"\w+(?:['’\-]\w+)*")
# A token after one of these (with only spaces or other punctuation between) starts a sentence,
# a quotation or a headline part, where a capital letter says nothing about names.
_STARTERS = frozenset('.!?…:;"«»“”„‹›()[]—–|')
# Glossary words shorter than this are not masked by the glossary rule ("Le", "Van", "Kim" are
# also words of some language); capitalised ones inside a sentence are still masked as names.
_MIN_GLOSSARY_WORD = 4


@dataclass(frozen=True)
class Masked:
    """A text with its name-like tokens blanked out, and how many letters went.

    ``known`` counts the letters of tokens that are names for sure (glossary spellings, acronyms,
    mixed scripts); ``kept`` those left for the detector; ``total`` all of the text's.
    """

    text: str
    kept: int
    total: int
    known: int


def mask_names(text: str, names: frozenset[str], script_of: Callable[[str], str | None]) -> Masked:
    """``text`` with name-like tokens replaced by a space.

    ``names`` are case-sensitive glossary words; ``script_of`` maps a letter to its script.
    """
    pieces: list[str] = []
    cursor = 0
    kept = total = known = 0
    previous_end = -1
    for match in _TOKEN_RE.finditer(text):
        word = match.group()
        gap = text[max(previous_end, 0) : match.start()]
        at_start = previous_end < 0 or (gap != " " and any(ch in _STARTERS for ch in gap))
        previous_end = match.end()
        letters, kind = _token(word, at_start, names, script_of)
        total += letters
        if kind is None:
            kept += letters
            continue
        if kind == "known":
            known += letters
        pieces.append(text[cursor : match.start()])
        pieces.append(" ")
        cursor = match.end()
    pieces.append(text[cursor:])
    return Masked("".join(pieces), kept, total, known)


@lru_cache(maxsize=1 << 16)
def _token(
    word: str, at_start: bool, names: frozenset[str], script_of: Callable[[str], str | None]
) -> tuple[int, str | None]:
    """(letters, name kind) of a token; remembered, since words recur from one segment to the next."""
    letters = sum(ch.isalpha() for ch in word)
    return letters, _name_kind(word, at_start, names, script_of) if letters else None


def _name_kind(
    word: str, at_start: bool, names: frozenset[str], script_of: Callable[[str], str | None]
) -> str | None:
    """``"known"`` for a sure name, ``"capitalised"`` for a capitalised word, else None."""
    if word in names:
        return "known"
    cased = [ch for ch in word if ch.isalpha() and ch.lower() != ch.upper()]
    if len(cased) >= 2 and all(ch.isupper() for ch in cased):
        return "known"  # acronym
    if len({s for s in map(script_of, word) if s}) > 1:
        return "known"  # mixed scripts
    if at_start or not cased or word[0] != cased[0] or not word[0].isupper():
        return None
    # One capital letter before an apostrophe or alone is a word, not a name: "I", "I'm", "L'Europe" stays.
    return "capitalised" if len(re.split(r"['’]", word, maxsplit=1)[0]) > 1 else None


@lru_cache(maxsize=8)
def glossary_names(specs: tuple[str, ...]) -> frozenset[str]:
    """Capitalised words of every person and place spelling in the glossaries ``specs``.

    Organisations are left out: their names are made of ordinary words ("Central Bank",
    "Commission"). Loaded once per process (about 0.2 s for the bundled glossaries).
    """
    if not specs:
        return frozenset()
    from transnorm.normalise.glossary import load_glossaries

    glossary = load_glossaries(specs, check_conflicts=False)
    return frozenset(
        _capitalised_words(
            text for e in glossary.entries if e.type != "organisation" for text, _ in e.explicit_forms()
        )
    )


def _capitalised_words(spellings: Iterable[str]) -> Iterable[str]:
    for spelling in spellings:
        for word in _TOKEN_RE.findall(spelling):
            if len(word) >= _MIN_GLOSSARY_WORD and word[0].isupper():
                yield word
