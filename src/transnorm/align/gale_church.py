"""Length-based sentence alignment (Gale & Church 1993): needs no model and no dictionary.

Translated sentences have lengths that are roughly proportional. For a link of source sentences of
total length `ls` and target sentences of total length `lt`, Gale and Church model
`delta = (lt - ls * c) / sqrt(s2 * (ls + lt / c) / 2)` as a standard normal, where `c` is the
expected target characters per source character and `s2` its variance. A link costs
`-log P(link type) - log P(|delta| or larger)`, and the DP (`transnorm.align.dp`) finds the cheapest
sequence of links. Lengths are counted in characters without whitespace, so spacing conventions do
not count; `c` is estimated from the two documents unless configured.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence

from transnorm.align.config import AlignConfig
from transnorm.align.dp import BandedSearch, LinkCost, banded_align
from transnorm.align.model import Alignment

_TINY = 1e-300


def text_length(text: str) -> int:
    """Characters of `text` that count for alignment: everything but whitespace."""
    return sum(not ch.isspace() for ch in text)


def length_cost(ls: int, lt: int, ratio: float, variance: float) -> float:
    """-log of the probability of a length mismatch at least this large (the Gale-Church match term)."""
    mean = (ls + lt / ratio) / 2
    if mean <= 0:
        return 0.0
    delta = abs(lt - ls * ratio) / math.sqrt(variance * mean)
    return -math.log(max(math.erfc(delta / math.sqrt(2)), _TINY))


def estimate_ratio(source_lengths: Sequence[int], target_lengths: Sequence[int]) -> float:
    """Target characters per source character over the whole document, kept in [0.25, 4]."""
    src, tgt = sum(source_lengths), sum(target_lengths)
    if src == 0 or tgt == 0:
        return 1.0
    return min(4.0, max(0.25, tgt / src))


class LengthCost:
    """The Gale-Church cost of linking source sentences [i0, i1) with target sentences [j0, j1)."""

    def __init__(
        self,
        source_lengths: Sequence[int],
        target_lengths: Sequence[int],
        config: AlignConfig,
        ratio: float | None = None,
    ) -> None:
        self.src_cum = _cumulative(source_lengths)
        self.tgt_cum = _cumulative(target_lengths)
        self.ratio = ratio or config.length_ratio or estimate_ratio(source_lengths, target_lengths)
        self.variance = config.variance
        self.null_weight = config.null_length_weight
        missing = [t for t in config.link_types if t not in config.priors]
        if missing:
            raise ValueError(f"AlignConfig.priors has no prior for link types {missing}")
        self.penalty = {t: -math.log(p) for t, p in config.priors.items()}

    def length_part(self, i0: int, i1: int, j0: int, j1: int) -> float:
        ls = self.src_cum[i1] - self.src_cum[i0]
        lt = self.tgt_cum[j1] - self.tgt_cum[j0]
        return length_cost(ls, lt, self.ratio, self.variance)

    def __call__(self, i0: int, i1: int, j0: int, j1: int) -> float:
        if i0 == i1 or j0 == j1:
            return self.penalty[(i1 - i0, j1 - j0)] + self.null_weight * self.length_part(i0, i1, j0, j1)
        return self.penalty[(i1 - i0, j1 - j0)] + self.length_part(i0, i1, j0, j1)


class GaleChurchAligner:
    """Align two lists of sentences by their lengths alone.

    >>> GaleChurchAligner().align(["Hello there.", "Bye."], ["Hallo zusammen.", "Tschuess."]).pairs()
    [((0,), (0,)), ((1,), (1,))]
    """

    method = "gale-church"

    def __init__(self, config: AlignConfig | None = None) -> None:
        self.config = config or AlignConfig()

    def align(
        self,
        source: Sequence[str],
        target: Sequence[str],
        *,
        source_lang: str | None = None,
        target_lang: str | None = None,
    ) -> Alignment:
        """Links covering every sentence of both lists, in order. Languages are not needed."""
        src_len = [text_length(s) for s in source]
        tgt_len = [text_length(t) for t in target]
        found, ratio = fit_length_alignment(src_len, tgt_len, self.config)
        return Alignment(
            found.links, method=self.method, info={"band": found.width, "ratio": round(ratio, 4)}
        )


def fit_length_alignment(
    source_lengths: Sequence[int], target_lengths: Sequence[int], config: AlignConfig
) -> tuple[BandedSearch, float]:
    """The Gale-Church alignment and the length ratio it used.

    With `config.length_ratio` unset, the ratio is first estimated from the document totals. Those
    are biased when one side has dropped sentences (and a biased ratio hides the drop), so the ratio
    is then re-estimated as the median target/source length ratio of the links with sentences on
    both sides, which the few wrong links cannot move far, and the search repeated if it moved by
    more than 2% (twice at most).
    """

    def search(ratio: float | None) -> BandedSearch:
        cost: LinkCost = LengthCost(source_lengths, target_lengths, config, ratio)
        return banded_align(
            source_lengths,
            target_lengths,
            cost,
            config.link_types,
            width=config.band,
            max_width=config.max_band,
        )

    ratio = config.length_ratio or estimate_ratio(source_lengths, target_lengths)
    found = search(ratio)
    if config.length_ratio is not None:
        return found, ratio
    for _ in range(2):
        ratios = [
            sum(target_lengths[j] for j in link.target) / sum(source_lengths[i] for i in link.source)
            for link in found.links
            if link.source and link.target and sum(source_lengths[i] for i in link.source)
        ]
        if not ratios:
            break
        refit = min(4.0, max(0.25, statistics.median(ratios)))
        if abs(refit - ratio) <= 0.02 * ratio:
            break
        ratio = refit
        found = search(ratio)
    return found, ratio


def _cumulative(lengths: Sequence[int]) -> list[int]:
    out = [0]
    for length in lengths:
        out.append(out[-1] + length)
    return out
