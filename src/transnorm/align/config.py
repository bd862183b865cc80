"""Options of the sentence aligners, in one immutable object (override with `dataclasses.replace`)."""

from __future__ import annotations

from dataclasses import dataclass, field

# Gale & Church (1993), table 5: how often each link type occurs in parallel text.
GALE_CHURCH_PRIORS: dict[tuple[int, int], float] = {
    (1, 1): 0.89,
    (1, 0): 0.0099,
    (0, 1): 0.0099,
    (2, 1): 0.089,
    (1, 2): 0.089,
    (2, 2): 0.011,
    (3, 1): 0.002,
    (1, 3): 0.002,
}


@dataclass(frozen=True)
class AlignConfig:
    """How sentences are aligned.

    link_types: the (source, target) sentence counts a link may have. 1-0 and 0-1 keep sentences
        that have no counterpart (deletions, additions); 2-1/1-2 cover sentences that one side
        merged or split; 3-1/1-3 cover two merges in a row.
    priors: probability of each link type, turned into a cost of -log(prior) (Gale-Church).
    variance: Gale-Church's s^2, the variance of target length per source character (6.8 in the
        paper, measured on English-French/German).
    null_length_weight: weight of the length term on 1-0/0-1 links. Gale-Church apply it in full,
        which makes a dropped sentence cost far more than merging it into a neighbour (a 2-1 link
        that is half wrong); 0 (the default) lets a 1-0 link cost its prior only. On NTREX with
        sentences dropped and merged this raised perturbed F1 by about 0.03.
    length_ratio: expected target characters per source character; None estimates it from the two
        documents (total target / total source), which adapts to the language pair.
    band / max_band: half-width of the DP band in sentences, and the widest it may grow to when the
        best path hits the band edge (see `transnorm.align.dp`).
    assisted_band: half-width of the band of assisted alignment, which follows the length-based
        path rather than the character diagonal, so it can be narrow (widened where needed).
    ngram_order: character n-gram orders 1..N of the chrF similarity (6, as chrF).
    beta: recall weight of the F-score. chrF uses 2 to judge a translation against a reference;
        aligning needs a symmetric score (with 2, a link that absorbs an extra sentence on the
        translated side loses almost nothing), so 1 (+0.001 to +0.003 F1 on NTREX en-pt).
    similarity_weight: weight of (1 - chrF) per sentence in an assisted link cost.
    untranslated_weight: `similarity_weight` used when there is no engine and the two sides are
        compared untranslated: similarity is then a weaker signal (names, numbers, cognates), so
        it weighs less against length (chosen on even NTREX en-de/en-fr documents: perturbed F1
        0.947 against 0.922 for length alone, 0.941 with the translated weight).
    length_weight: weight of the Gale-Church length cost in an assisted link cost; the length cost
        still separates a true 2-1 from a 1-1 plus a deletion when the similarity cannot.
    skip_cost: similarity part of the cost of a 1-0 or 0-1 link in assisted alignment.
    merge_cost: extra similarity cost for each sentence beyond the first on a side of a link
        (a 2-1 link pays it once), so that 1-1 links win when the evidence is equal.
        The four assisted weights were chosen on the even-numbered NTREX en-pt documents, with
        perturbation seeds other than the benchmark's (0.99 F1 clean, 0.97-0.99 perturbed there).
    batch_size: sentences per engine call when translating for assisted alignment.
    low_confidence: a link whose chrF similarity is below this is flagged `align-low-confidence`.
    """

    link_types: tuple[tuple[int, int], ...] = ((1, 1), (1, 0), (0, 1), (2, 1), (1, 2), (3, 1), (1, 3))
    priors: dict[tuple[int, int], float] = field(default_factory=lambda: dict(GALE_CHURCH_PRIORS))
    variance: float = 6.8
    null_length_weight: float = 0.0
    length_ratio: float | None = None
    band: int = 10
    max_band: int = 400
    assisted_band: int = 4
    ngram_order: int = 6
    beta: float = 1.0
    similarity_weight: float = 4.0
    untranslated_weight: float = 2.0
    length_weight: float = 0.3
    skip_cost: float = 0.25
    merge_cost: float = 0.15
    batch_size: int = 32
    low_confidence: float = 0.15
