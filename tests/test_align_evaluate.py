"""Alignment scoring against a gold line mapping, with counts worked out by hand."""

from __future__ import annotations

import pytest

from transnorm.align.dp import Link
from transnorm.align.evaluate import gold_beads, score_alignment

# Source sentence 0 covers lines 0 and 1 (a headline run into the first sentence); the target
# splits them. Target line 4 was deleted, so source sentence 3 has no gold partner.
SRC = [frozenset({0, 1}), frozenset({2}), frozenset({3}), frozenset({4})]
TGT = [frozenset({0}), frozenset({1}), frozenset({2}), frozenset({3})]


def test_gold_beads_are_the_finest_alignment_the_segmentation_allows() -> None:
    assert gold_beads(SRC, TGT) == [((0,), (0, 1)), ((1,), (2,)), ((2,), (3,)), ((3,), ())]


def test_perfect_prediction_scores_one() -> None:
    links = [Link(s, t) for s, t in gold_beads(SRC, TGT)]
    score = score_alignment(links, SRC, TGT)
    assert (score.precision, score.recall, score.f1, score.exact_f1) == (1.0, 1.0, 1.0, 1.0)


def test_counts_of_a_partly_wrong_prediction() -> None:
    links = [
        Link((0,), (0,)),  # pairs (0,0), (1,0): (1,0) is gold too, since line 1 lives in sentence 0
        Link((), (1,)),  # (None, 1): wrong
        Link((1,), (2,)),  # (2,2): right
        Link((2, 3), (3,)),  # (3,3) right, (4,3) wrong
    ]
    score = score_alignment(links, SRC, TGT)
    # gold pairs: {0,1}x{0,1} = 4, (2,2), (3,3), (4,None) -> 7
    # predicted: (0,0), (1,0), (None,1), (2,2), (3,3), (4,3) -> 6, of which 4 are gold
    assert (score.matched, score.predicted, score.gold) == (4, 6, 7)
    assert score.precision == pytest.approx(4 / 6)
    assert score.recall == pytest.approx(4 / 7)
    assert score.exact == 1 and score.predicted_links == 4 and score.gold_links == 4


def test_scores_add_up_for_micro_averaging() -> None:
    one = score_alignment([Link((0,), (0, 1))], [frozenset({0})], [frozenset({0}), frozenset({1})])
    total = one + one
    assert (total.matched, total.predicted, total.gold) == (2 * one.matched, 2 * one.predicted, 2 * one.gold)
