"""Aligning a document with a translation that already exists.

Two aligners share one linear-memory DP (`transnorm.align.dp`): `GaleChurchAligner` (sentence
lengths only, no model) and `AssistedAligner` (translate one side with an engine, score candidate
links with chrF). `align_documents` segments two texts, aligns them and returns the same aligned
`Document` record as `transnorm run`, so the result flows into normalisation, `check-names` and
every writer.
"""

from transnorm.align.assisted import AssistedAligner
from transnorm.align.config import AlignConfig
from transnorm.align.dp import Link
from transnorm.align.gale_church import GaleChurchAligner
from transnorm.align.model import Alignment

__all__ = ["AlignConfig", "Alignment", "AssistedAligner", "GaleChurchAligner", "Link"]
