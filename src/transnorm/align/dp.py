"""Dynamic programming over sentence links, in a band, with memory linear in the document length.

Both aligners (length-based and translation-assisted) reduce to the same search: find the monotone
sequence of links (1-1, 1-0, 0-1, 2-1, 1-2, ...) that covers every source and target sentence once
and has the least total cost. They differ only in the cost of a link, passed in as a function.

Method: a banded DP, as used by hunalign and vecalign, with an adaptive band.

* The band follows a guide path rather than the index diagonal: source prefix `i` is expected to end
  near the target prefix `c(i)` that has the same share of the document's characters. This keeps
  the band centred on the true path when sentences are merged or split on one side, which would
  drift an index diagonal by one sentence per merge.
* Row `i` of the grid holds the cells `j` in `[lo(i), hi(i)]`, about `c(i) +- width`; `lo` is pulled
  down to meet the previous row so that every row is reachable whatever the guide does.
* Only the last few cost rows are kept (as many as the largest link spans), plus one byte of
  back-pointer per cell in the band, so memory is O((n + m) * width), and time O((n + m) * width *
  link types). For a fixed width that is linear in the document length.
* If the best path runs along the edge of the band (where the band, not the grid, was the limit), the
  path may have been forced: the width is doubled and the search repeated, up to `max_width`. A long
  run of deleted sentences therefore still aligns; only a pathological input widens the band far.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise

# cost(i0, i1, j0, j1): cost of linking source sentences [i0, i1) with target sentences [j0, j1).
LinkCost = Callable[[int, int, int, int], float]

_NO_MOVE = 255


@dataclass(frozen=True, slots=True)
class Link:
    """One link of an alignment: source sentences `source` correspond to target sentences `target`.

    Either side may be empty (a sentence with no counterpart). Indices are into the sentence lists
    given to the aligner; `cost` is the link's cost under the aligner that chose it.
    """

    source: tuple[int, ...]
    target: tuple[int, ...]
    cost: float = 0.0

    @property
    def kind(self) -> str:
        """The link type as `"<source count>-<target count>"`, e.g. `"2-1"`."""
        return f"{len(self.source)}-{len(self.target)}"


@dataclass(frozen=True, slots=True)
class BandedSearch:
    """The outcome of one search: the links and the band width that produced them."""

    links: list[Link]
    width: int
    cells: int


def guide_path(source_lengths: Sequence[int], target_lengths: Sequence[int]) -> list[int]:
    """For each source prefix 0..n, the target prefix with the closest share of characters.

    Monotone, starts at 0 and ends at m, so the band always contains both corners.
    """
    n, m = len(source_lengths), len(target_lengths)
    src_total = sum(source_lengths) or 1
    tgt_total = sum(target_lengths) or 1
    tgt_cum = [0]
    for length in target_lengths:
        tgt_cum.append(tgt_cum[-1] + length)
    centre = [0]
    acc = 0
    for length in source_lengths:
        acc += length
        want = acc / src_total * tgt_total
        k = bisect.bisect_left(tgt_cum, want)
        if k > m:
            k = m
        elif k > 0 and want - tgt_cum[k - 1] < tgt_cum[k] - want:
            k -= 1
        centre.append(max(k, centre[-1]))
    centre[n] = m
    return centre


def path_guide(links: Sequence[Link], n: int) -> list[int]:
    """The guide path that follows an alignment: source prefix i -> target prefix where its link ends."""
    centre = [0] * (n + 1)
    j = 0
    for link in links:
        j += len(link.target)
        for i in link.source:
            centre[i + 1] = j
    return centre


def _band(centre: Sequence[int], m: int, width: int) -> tuple[list[int], list[int]]:
    lo: list[int] = []
    hi: list[int] = []
    for i, c in enumerate(centre):
        low, high = max(0, c - width), min(m, c + width)
        if i > 0:
            low = min(low, hi[i - 1] + 1, m)
            low = max(low, lo[i - 1])
        lo.append(low)
        hi.append(max(high, low))
    lo[0], hi[-1] = 0, m  # the corners (0, 0) and (n, m) are always in the band
    return lo, hi


def _search(
    n: int,
    m: int,
    cost: LinkCost,
    link_types: Sequence[tuple[int, int]],
    lo: Sequence[int],
    hi: Sequence[int],
) -> tuple[list[Link], bool, int]:
    """One banded DP; returns the links, whether the path touched the band edge, and the cell count."""
    keep = max(di for di, _ in link_types) + 1
    rows: list[list[float]] = []  # cost rows of the last `keep` source prefixes (ring buffer)
    back: list[bytearray] = []
    inf = math.inf
    cells = 0
    for i in range(n + 1):
        low, high = lo[i], hi[i]
        row = [inf] * (high - low + 1)
        ptr = bytearray([_NO_MOVE]) * (high - low + 1)
        cells += high - low + 1
        for j in range(low, high + 1):
            best, best_k = (0.0, _NO_MOVE) if i == 0 and j == 0 else (inf, _NO_MOVE)
            for k, (di, dj) in enumerate(link_types):
                pi, pj = i - di, j - dj
                if pi < 0 or pj < 0 or pj < lo[pi] or pj > hi[pi]:
                    continue
                prev = row[pj - low] if di == 0 else rows[pi % keep][pj - lo[pi]]
                if prev == inf:
                    continue
                total = prev + cost(pi, i, pj, j)
                if total < best:
                    best, best_k = total, k
            row[j - low] = best
            ptr[j - low] = best_k
        if len(rows) < keep:
            rows.append(row)
        else:
            rows[i % keep] = row
        back.append(ptr)
    if rows[n % keep][m - lo[n]] == inf:
        return [], True, cells
    links: list[Link] = []
    touched = False
    i, j = n, m
    while i > 0 or j > 0:
        if (j == lo[i] and lo[i] > 0 and i > 0) or (j == hi[i] and hi[i] < m and i < n):
            touched = True
        k = back[i][j - lo[i]]
        di, dj = link_types[k]
        pi, pj = i - di, j - dj
        links.append(Link(tuple(range(pi, i)), tuple(range(pj, j)), cost(pi, i, pj, j)))
        i, j = pi, pj
    links.reverse()
    return links, touched, cells


def banded_align(
    source_lengths: Sequence[int],
    target_lengths: Sequence[int],
    cost: LinkCost,
    link_types: Sequence[tuple[int, int]],
    *,
    width: int = 10,
    max_width: int = 400,
    guide: Sequence[int] | None = None,
) -> BandedSearch:
    """The least-cost monotone alignment of n source and m target sentences (see module docstring).

    `source_lengths`/`target_lengths` (characters per sentence) only steer the band; `cost` decides.
    `guide` replaces the character-share guide path: for each source prefix 0..n, the expected
    target prefix (monotone, from 0 to m), e.g. from a cheaper alignment (`path_guide`).
    Raises `ValueError` when the link types cannot cover the grid (e.g. no 1-0 and no 1-1 link).
    """
    if not link_types or len(link_types) >= _NO_MOVE or any(di < 0 or dj < 0 for di, dj in link_types):
        raise ValueError(f"link types must be 1 to 254 (source, target) pairs of counts, got {link_types}")
    if any(di == 0 and dj == 0 for di, dj in link_types):
        raise ValueError("a 0-0 link type would never end the search")
    n, m = len(source_lengths), len(target_lengths)
    if n == 0 and m == 0:
        return BandedSearch([], 0, 0)
    centre = list(guide) if guide is not None else guide_path(source_lengths, target_lengths)
    if len(centre) != n + 1 or any(b < a for a, b in pairwise(centre)):
        raise ValueError(f"a guide needs n + 1 = {n + 1} non-decreasing target prefixes")
    width = max(1, width)
    while True:
        lo, hi = _band(centre, m, width)
        links, touched, cells = _search(n, m, cost, link_types, lo, hi)
        full = all(lo[i] == 0 and hi[i] == m for i in range(n + 1))
        if links and (not touched or full or width >= max_width):
            return BandedSearch(links, width, cells)
        if full or width >= max_width:
            raise ValueError(
                f"no alignment of {n} source and {m} target sentences is possible with link types "
                f"{list(link_types)}; include 1-0 and 0-1 links"
            )
        width = min(width * 2, max_width)
