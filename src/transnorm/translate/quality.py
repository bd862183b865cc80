"""Quality flags on each translated segment: known failures of NMT models, flagged, never dropped.

Each check is a small function of (source, target); `QualityChecker` runs them and returns the names
of those that fired, which go into `segments[].flags` of the record:

- `empty_output`: the model returned nothing for a source with letters;
- `untranslated`: the output is the input (a model that copies, or the wrong model);
- `length_ratio`: output far shorter or longer than the source (dropped clauses, hallucinations);
- `repetition`: the same word or phrase looping ("the the the the", a known failure of NMT);
- `wrong_language:xx`: the output was detected as language `xx`, not the target language.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from transnorm.document import UNDETERMINED

EMPTY = "empty_output"
UNTRANSLATED = "untranslated"
LENGTH_RATIO = "length_ratio"
REPETITION = "repetition"
WRONG_LANGUAGE = "wrong_language"

_WS = re.compile(r"\s+")


def is_empty(source: str, target: str) -> bool:
    """Nothing came back for a source that has letters."""
    return not target.strip() and any(ch.isalpha() for ch in source)


def is_untranslated(source: str, target: str, min_letters: int = 15) -> bool:
    """The output equals a non-trivial input (ignoring case and spacing).

    Short inputs (names, numbers, "NATO") legitimately come back unchanged, so they are not flagged.
    """
    if sum(ch.isalpha() for ch in source) < min_letters or len(source.split()) < 3:
        return False
    return _WS.sub(" ", source).strip().casefold() == _WS.sub(" ", target).strip().casefold()


def weighted_length(text: str) -> float:
    """Length in characters, counting ideographs, kana and Hangul as 3 (they carry a word each)."""
    n = len("".join(text.split()))  # characters that are not white space (str.isspace)
    if text.isascii():
        return float(n)
    return float(n + 2 * sum(1 for ch in text if not ch.isascii() and not ch.isspace() and _is_wide(ch)))


def length_ratio_out_of_range(
    source: str, target: str, low: float = 1 / 3, high: float = 3.0, min_source: int = 20
) -> bool:
    """Output length / source length (weighted) outside [low, high], for sources long enough to tell."""
    src = weighted_length(source)
    if src < min_source or not target.strip():
        return False
    ratio = weighted_length(target) / src
    return ratio < low or ratio > high


def longest_loop(text: str, max_n: int = 8) -> tuple[int, int]:
    """(n, repeats) of the n-gram repeated the most times in a row, e.g. "a b a b a b" -> (2, 3).

    Words are whitespace-separated tokens; text without spaces (Chinese, Japanese) is read per character.
    """
    tokens = text.split()
    if len(tokens) <= 2 and any(_is_wide(ch) for ch in text):
        tokens = [ch for ch in text if not ch.isspace()]
    tokens = [t.strip(".,;:!?\"'()«»„“”").casefold() or t for t in tokens]
    best = (0, 1)
    for n in range(1, max_n + 1):
        i = 0
        while i + 2 * n <= len(tokens):
            reps = 1
            while tokens[i + reps * n : i + (reps + 1) * n] == tokens[i : i + n]:
                reps += 1
            if reps > best[1]:
                best = (n, reps)
            i += n * (reps - 1) + 1 if reps > 1 else 1
    return best


def has_repetition(source: str, target: str) -> bool:
    """The output loops (a word 4+ times, a phrase 3+ times in a row) more than the source does."""
    n, reps = longest_loop(target)
    if reps < (4 if n == 1 else 3):
        return False
    _, src_reps = longest_loop(source)
    return reps > src_reps


@dataclass
class QualityChecker:
    """Runs every check on a segment; `detector` (a `transnorm.detect.LanguageDetector`) is optional.

    The language check only runs on outputs with at least `lang_min_letters` letters and only fires
    when the detector is at least `lang_min_confidence` sure, because short outputs full of names
    are easily mistaken for another language.
    """

    detector: Any = None
    min_ratio: float = 1 / 3
    max_ratio: float = 3.0
    lang_min_letters: int = 30
    lang_min_confidence: float = 0.9

    def check(self, source: str, target: str, source_lang: str, target_lang: str) -> list[str]:
        """Names of the checks that fired, in a fixed order."""
        if is_empty(source, target):
            return [EMPTY]
        flags = []
        if source_lang != target_lang and is_untranslated(source, target):
            flags.append(UNTRANSLATED)
        if length_ratio_out_of_range(source, target, self.min_ratio, self.max_ratio):
            flags.append(LENGTH_RATIO)
        if has_repetition(source, target):
            flags.append(REPETITION)
        wrong = self.wrong_language(target, target_lang)
        if wrong:
            flags.append(f"{WRONG_LANGUAGE}:{wrong}")
        return flags

    def wrong_language(self, target: str, target_lang: str) -> str | None:
        """The language the output was detected as, when that is confidently not `target_lang`."""
        if self.detector is None or sum(ch.isalpha() for ch in target) < self.lang_min_letters:
            return None
        found = self.detector.detect(target)
        if found.lang in (target_lang, UNDETERMINED) or found.confidence < self.lang_min_confidence:
            return None
        return str(found.lang)


def _is_wide(ch: str) -> bool:
    if ch.isascii():
        return False
    name = unicodedata.name(ch, "")
    return name.startswith(("CJK UNIFIED", "CJK COMPATIBILITY IDEOGRAPH", "HIRAGANA", "KATAKANA", "HANGUL"))
