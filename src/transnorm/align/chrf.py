"""A character n-gram F-score (chrF, Popović 2015) over precomputed n-gram profiles.

Defined here as: fold both texts (lower case, transliterate to ASCII with `unidecode`, drop
whitespace); count character n-grams of orders 1..N; for each order with n-grams on both sides,
precision = matches / hypothesis n-grams and recall = matches / reference n-grams, where matches
= sum over n-grams of min(hypothesis count, reference count); average precision and recall over
the orders, then F_beta = (1 + b^2) P R / (b^2 P + R). Folding makes names in another script
(Песков / Peskov) and accents comparable, which matters when no translation is available.

Profiles of several sentences are sums of the sentence profiles: the few n-grams that would cross
the sentence boundary are left out, which costs nothing measurable and lets the aligner build the
profile of a 2-sentence link from two cached ones.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from unidecode import unidecode


def fold(text: str) -> str:
    """The form compared: ASCII transliteration, lower case, no whitespace."""
    return "".join(unidecode(text).lower().split())


@dataclass(frozen=True, slots=True)
class Profile:
    """Character n-gram counts of a text (all orders in one dict: the length of a key is its order)."""

    counts: dict[str, int]
    totals: tuple[int, ...]  # n-grams of order 1..N

    @classmethod
    def of(cls, text: str, order: int = 6) -> Profile:
        s = fold(text)
        counts: dict[str, int] = {}
        for n in range(1, order + 1):
            for k in range(len(s) - n + 1):
                g = s[k : k + n]
                counts[g] = counts.get(g, 0) + 1
        totals = tuple(max(0, len(s) - n + 1) for n in range(1, order + 1))
        return cls(counts, totals)

    @classmethod
    def merge(cls, profiles: Iterable[Profile]) -> Profile:
        profiles = list(profiles)
        if len(profiles) == 1:
            return profiles[0]
        counts = dict(profiles[0].counts)  # copied at C speed; only the others are looped over
        for p in profiles[1:]:
            for g, c in p.counts.items():
                counts[g] = counts.get(g, 0) + c
        totals = tuple(sum(col) for col in zip(*(p.totals for p in profiles), strict=True))
        return cls(counts, totals)


def chrf(hypothesis: Profile, reference: Profile, beta: float = 2.0) -> float:
    """The chrF score in [0, 1] of a hypothesis against a reference (see module docstring)."""
    order = len(hypothesis.totals)
    matches = [0] * order
    h_counts, r_counts = hypothesis.counts, reference.counts
    for g in h_counts.keys() & r_counts.keys():  # C-level intersection: only shared n-grams loop
        a, b = h_counts[g], r_counts[g]
        matches[len(g) - 1] += a if a < b else b
    precision = recall = 0.0
    used = 0
    for n in range(order):
        h, r = hypothesis.totals[n], reference.totals[n]
        if h and r:
            precision += matches[n] / h
            recall += matches[n] / r
            used += 1
    if not used:
        return 0.0
    precision, recall = precision / used, recall / used
    if precision + recall == 0:
        return 0.0
    b2 = beta * beta
    return (1 + b2) * precision * recall / (b2 * precision + recall)


def sentence_chrf(hypothesis: str, reference: str, order: int = 6, beta: float = 2.0) -> float:
    """chrF of two strings (convenience for one-off comparisons)."""
    return chrf(Profile.of(hypothesis, order), Profile.of(reference, order), beta)
