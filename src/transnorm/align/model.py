"""The result of aligning two lists of sentences."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from transnorm.align.dp import Link


@dataclass
class Alignment:
    """Links that cover every source and every target sentence exactly once, in document order.

    `info` records how the alignment was made (band width, engine, model) for the output signature;
    `similarity` holds, for assisted alignment, the chrF similarity of each link (None for 1-0/0-1).
    """

    links: list[Link]
    method: str
    info: dict[str, Any] = field(default_factory=dict)
    similarity: list[float | None] = field(default_factory=list)

    def pairs(self) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
        """The links as (source indices, target indices) tuples."""
        return [(link.source, link.target) for link in self.links]

    def kinds(self) -> Counter[str]:
        """How many links of each type, e.g. `{"1-1": 14, "2-1": 1}`."""
        return Counter(link.kind for link in self.links)
