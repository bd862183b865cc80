"""Aligning a document with a translation that already exists.

Two aligners share one linear-memory DP (`transnorm.align.dp`): `GaleChurchAligner` (sentence
lengths only, no model) and `AssistedAligner` (translate one side with an engine, score candidate
links with chrF). `align_documents` segments two texts, aligns them and returns the same aligned
`Document` record as `transnorm run`, so the result flows into normalisation, `check-names` and
every writer; `align_files` aligns two files with a run's configuration (its detector, sentence
splitting and engines). `cross_check_names` compares the glossary names of each aligned pair.

>>> doc = align_documents(english_text, german_text, aligner=make_aligner(None))
>>> [(s.source, s.target, s.flags) for s in doc.segments]
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # what type checkers and IDEs see; at run time the names load on first use
    from transnorm.align.assisted import AssistedAligner
    from transnorm.align.config import AlignConfig
    from transnorm.align.crossnames import NameFinding, add_name_check, cross_check_names
    from transnorm.align.document import align_documents, build_document, make_aligner
    from transnorm.align.dp import Link
    from transnorm.align.evaluate import LinkScore, score_alignment
    from transnorm.align.gale_church import GaleChurchAligner
    from transnorm.align.model import Alignment
    from transnorm.align.pairs import align_files

# Public name -> module. Imported on first use, so that `transnorm align --help` (which imports
# `transnorm.cli.align`, and with it this package) stays fast.
_EXPORTS = {
    "AlignConfig": "config",
    "Alignment": "model",
    "AssistedAligner": "assisted",
    "GaleChurchAligner": "gale_church",
    "Link": "dp",
    "LinkScore": "evaluate",
    "NameFinding": "crossnames",
    "add_name_check": "crossnames",
    "align_documents": "document",
    "align_files": "pairs",
    "build_document": "document",
    "cross_check_names": "crossnames",
    "make_aligner": "document",
    "score_alignment": "evaluate",
}
__all__ = [
    "AlignConfig",
    "Alignment",
    "AssistedAligner",
    "GaleChurchAligner",
    "Link",
    "LinkScore",
    "NameFinding",
    "add_name_check",
    "align_documents",
    "align_files",
    "build_document",
    "cross_check_names",
    "make_aligner",
    "score_alignment",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'transnorm.align' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"transnorm.align.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
