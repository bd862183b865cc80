"""Glossaries and name normalisation: one spelling per entity, every rewrite on record.

`load_glossaries` reads YAML/TSV/CSV/TBX glossaries (by path or bundled name); `load_matcher` compiles
them (cached) into a `GlossaryMatcher`; `NormaliseStage` is the pipeline stage; `normalise_text` works
on one string; `check_names` builds the consistency report of `transnorm check-names`.
"""

from transnorm.normalise.glossary import (
    Entry,
    Glossary,
    GlossaryError,
    load_glossaries,
    load_glossary,
    resolve_glossaries,
)
from transnorm.normalise.matcher import GlossaryMatcher, Mention, load_matcher
from transnorm.normalise.report import check_names
from transnorm.normalise.stage import NormaliseStage, normalise_text

__all__ = [
    "Entry",
    "Glossary",
    "GlossaryError",
    "GlossaryMatcher",
    "Mention",
    "NormaliseStage",
    "check_names",
    "load_glossaries",
    "load_glossary",
    "load_matcher",
    "normalise_text",
    "resolve_glossaries",
]
