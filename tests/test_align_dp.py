"""The banded DP: hand-checked paths, band widening, and memory that grows linearly."""

from __future__ import annotations

import tracemalloc

import pytest

from transnorm.align import AlignConfig, GaleChurchAligner
from transnorm.align.dp import banded_align, guide_path

TYPES = ((1, 1), (1, 0), (0, 1), (2, 1), (1, 2))


def sum_cost(src: list[int], tgt: list[int], null: float = 5.0, merge: float = 0.5):
    """A link costs |sum(source) - sum(target)|, plus `merge` per extra sentence, or `null` if one-sided."""

    def cost(i0: int, i1: int, j0: int, j1: int) -> float:
        if i0 == i1 or j0 == j1:
            return null * (i1 - i0 + j1 - j0)
        return abs(sum(src[i0:i1]) - sum(tgt[j0:j1])) + merge * (i1 - i0 + j1 - j0 - 2)

    return cost


# (source "lengths", target "lengths", expected links) -- the expected links are worked out by hand:
# equal sums are free, so the cheapest path links exactly the groups whose sums agree.
CASES = [
    ("one-to-one", [10, 20, 30], [10, 20, 30], [((0,), (0,)), ((1,), (1,)), ((2,), (2,))]),
    ("two-to-one", [10, 20, 30], [30, 30], [((0, 1), (0,)), ((2,), (1,))]),
    ("one-to-two", [40, 7], [15, 25, 7], [((0,), (0, 1)), ((1,), (2,))]),
    ("source-only", [10, 99, 30], [10, 30], [((0,), (0,)), ((1,), ()), ((2,), (1,))]),
    ("target-only", [10, 30], [10, 77, 30], [((0,), (0,)), ((), (1,)), ((1,), (2,))]),
    ("empty target", [10, 20], [], [((0,), ()), ((1,), ())]),
    ("empty source", [], [5], [((), (0,))]),
]


@pytest.mark.parametrize(("name", "src", "tgt", "expected"), CASES, ids=[c[0] for c in CASES])
def test_banded_align_finds_the_hand_checked_path(name, src, tgt, expected) -> None:
    found = banded_align(src, tgt, sum_cost(src, tgt), TYPES, width=2)
    assert [(link.source, link.target) for link in found.links] == expected


def test_guide_path_follows_character_shares() -> None:
    # Half of the source characters end after sentence 1; half of the target's after sentence 2.
    assert guide_path([50, 50], [25, 25, 50]) == [0, 2, 3]
    assert guide_path([], [3, 4]) == [2]  # n = 0: the empty source prefix must reach the end


def test_band_widens_past_a_long_run_of_unmatched_sentences() -> None:
    # 30 source sentences without counterpart in the middle push the true path 30 cells off the
    # guide; a band of width 2 must widen until it contains that path.
    src = [10, 20] + [1000 + k for k in range(30)] + [30, 40]
    tgt = [10, 20, 30, 40]
    found = banded_align(src, tgt, sum_cost(src, tgt, null=1.0), TYPES, width=2, max_width=64)
    pairs = [(link.source, link.target) for link in found.links]
    assert pairs == [((0,), (0,)), ((1,), (1,))] + [((k,), ()) for k in range(2, 32)] + [
        ((32,), (2,)),
        ((33,), (3,)),
    ]
    assert found.width > 2


def test_link_types_that_cannot_cover_the_grid_are_an_error() -> None:
    with pytest.raises(ValueError, match="include 1-0 and 0-1"):
        banded_align([1, 2, 3], [1], lambda *a: 0.0, ((1, 1),), width=1, max_width=4)
    with pytest.raises(ValueError, match="0-0"):
        banded_align([1], [1], lambda *a: 0.0, ((0, 0), (1, 1)))


def _synthetic(n: int) -> tuple[list[str], list[str]]:
    """n source sentences of varied length and a target with every 7th sentence split in two."""
    src = [("word " * (3 + (k * 7919) % 23)).strip() + "." for k in range(n)]
    tgt: list[str] = []
    for k, s in enumerate(src):
        if k % 7 == 3 and len(s) > 30:
            half = len(s) // 2
            tgt.extend([s[:half] + ".", s[half:]])
        else:
            tgt.append(s)
    return src, tgt


def _peak_bytes(n: int) -> int:
    """Peak memory of the DP alone (a cheap cost function) on n source and ~1.1n target sentences."""
    src, tgt = _synthetic(n)
    src_len, tgt_len = [len(s) for s in src], [len(t) for t in tgt]
    tracemalloc.start()
    try:
        found = banded_align(src_len, tgt_len, sum_cost(src_len, tgt_len), TYPES, width=8)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert sum(len(link.source) for link in found.links) == n
    assert found.width == 8  # the band did not have to widen
    return peak


def test_memory_grows_linearly_not_quadratically() -> None:
    small, large = _peak_bytes(400), _peak_bytes(1600)
    # 4x the sentences: a band needs 4x the memory, a full table 16x. Allow up to the geometric
    # middle, 8x (ints above 256 are objects of their own, so bytes per link creep up a little).
    assert large < 8 * small, (small, large)
    # A full 1600 x 1800 table of Python floats alone would take over 23 MB.
    assert large < 5_000_000, large


def test_long_synthetic_pair_aligns_exactly() -> None:
    src, tgt = _synthetic(3000)
    alignment = GaleChurchAligner(AlignConfig(band=8)).align(src, tgt)
    expected_splits = sum(1 for k, s in enumerate(src) if k % 7 == 3 and len(s) > 30)
    assert alignment.kinds() == {"1-1": 3000 - expected_splits, "1-2": expected_splits}
