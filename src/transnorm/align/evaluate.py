"""Scoring a sentence alignment against a gold mapping of lines, whatever the segmentation.

Gold data (NTREX, WMT) pairs *lines*; the aligner pairs *sentences* from transnorm's segmenter, which
may merge two lines (a headline without a full stop runs into the first sentence) or split one. The
score must not blame the aligner for what segmentation made impossible, so:

1. Each source sentence `i` covers the set of source line ids `src_lines[i]`; each target sentence
   `j` covers `tgt_lines[j]`. Line id `k` on the source side corresponds to line id `k` on the target
   side (a line deleted from the target simply appears in no target sentence).
2. Gold beads are the connected components of the graph linking each sentence to its line ids: the
   finest alignment this segmentation allows. A component without target sentences is a gold 1-0.
3. A set of links (gold beads or predicted links) induces line-level pairs: for a link with sentences
   on both sides, every (source line, target line) of the lines they cover; for a 1-0 link,
   (source line, None) for each of its lines; for a 0-1 link, (None, target line).
4. Precision = |predicted pairs & gold pairs| / |predicted pairs|, recall = ... / |gold pairs|, F1
   their harmonic mean. Counts are returned so that corpora can be micro-averaged.

`exact` counts predicted links that equal a gold bead, a stricter view of the same result.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from transnorm.align.dp import Link

LinePair = tuple[int | None, int | None]


@dataclass
class LinkScore:
    """Counts behind precision/recall/F1; add scores of several documents with `+`."""

    matched: int = 0
    predicted: int = 0
    gold: int = 0
    exact: int = 0
    predicted_links: int = 0
    gold_links: int = 0

    def __add__(self, other: LinkScore) -> LinkScore:
        return LinkScore(
            self.matched + other.matched,
            self.predicted + other.predicted,
            self.gold + other.gold,
            self.exact + other.exact,
            self.predicted_links + other.predicted_links,
            self.gold_links + other.gold_links,
        )

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def exact_f1(self) -> float:
        """F1 of whole links that equal a gold bead."""
        if not self.predicted_links or not self.gold_links:
            return 0.0
        p, r = self.exact / self.predicted_links, self.exact / self.gold_links
        return 2 * p * r / (p + r) if p + r else 0.0


def gold_beads(
    src_lines: Sequence[frozenset[int]], tgt_lines: Sequence[frozenset[int]]
) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """The finest gold alignment the segmentation allows, as (source, target) sentence index tuples."""
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def find(x: tuple[str, int]) -> tuple[str, int]:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: tuple[str, int], b: tuple[str, int]) -> None:
        parent[find(a)] = find(b)

    for side, sentences in (("s", src_lines), ("t", tgt_lines)):
        for i, lines in enumerate(sentences):
            find((side, i))
            for k in lines:
                union((side, i), ("l", k))
    groups: dict[tuple[str, int], tuple[list[int], list[int]]] = {}
    for node in list(parent):
        side, idx = node
        if side == "l":
            continue
        src, tgt = groups.setdefault(find(node), ([], []))
        (src if side == "s" else tgt).append(idx)
    beads = [(tuple(sorted(s)), tuple(sorted(t))) for s, t in groups.values()]
    return sorted(beads, key=lambda b: (b[0][:1] or (-1,), b[1][:1] or (-1,)))


def _line_pairs(
    beads: Sequence[tuple[Sequence[int], Sequence[int]]],
    src_lines: Sequence[frozenset[int]],
    tgt_lines: Sequence[frozenset[int]],
) -> set[LinePair]:
    pairs: set[LinePair] = set()
    for src, tgt in beads:
        ls = set().union(*(src_lines[i] for i in src)) if src else set()
        lt = set().union(*(tgt_lines[j] for j in tgt)) if tgt else set()
        if ls and lt:
            pairs.update((a, b) for a in ls for b in lt)
        else:
            pairs.update((a, None) for a in ls)
            pairs.update((None, b) for b in lt)
    return pairs


def score_alignment(
    links: Sequence[Link], src_lines: Sequence[frozenset[int]], tgt_lines: Sequence[frozenset[int]]
) -> LinkScore:
    """Score predicted links against the gold line mapping (see module docstring)."""
    gold = gold_beads(src_lines, tgt_lines)
    predicted = [(link.source, link.target) for link in links]
    gold_pairs = _line_pairs(gold, src_lines, tgt_lines)
    pred_pairs = _line_pairs(predicted, src_lines, tgt_lines)
    gold_set = set(gold)
    return LinkScore(
        matched=len(pred_pairs & gold_pairs),
        predicted=len(pred_pairs),
        gold=len(gold_pairs),
        exact=sum(p in gold_set for p in predicted),
        predicted_links=len(predicted),
        gold_links=len(gold),
    )
