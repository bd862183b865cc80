"""Names on both sides of an aligned document: where source and translation disagree.

For each aligned pair (a segment with both a source and a target), glossary entities are found on
each side with a `GlossaryMatcher` for that side's language (`transnorm.normalise`) and compared by
entity id:

- `spelling`: both sides name the entity, in different spellings (source "Kozak", translation
  "Kosak"); `target_canonical` says whether the translation's spelling is the glossary's one for
  the target language (then the difference is expected, e.g. German "Kosak"), else `expected`
  gives the spelling the normaliser would write;
- `noncanonical_target`: both sides write the entity the same way, but that is not the target
  language's spelling (a German "Kosak" carried into an English translation); `expected` says what;
- `different_entity`: the pair names an entity on one side and a different one on the other;
- `unknown_spelling`: the source names an entity and the translation has a word that looks like
  its name (same transliteration skeleton, `NearVariantIndex`) but no known spelling of it;
- `missing_in_target` / `missing_in_source`: an entity on one side only (omitted, or a pronoun).

Findings are reported, never acted on: rewriting stays the normalise stage's job.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from transnorm.document import Document

SPELLING = "spelling"
DIFFERENT_ENTITY = "different_entity"
UNKNOWN_SPELLING = "unknown_spelling"
MISSING_IN_TARGET = "missing_in_target"
MISSING_IN_SOURCE = "missing_in_source"
NONCANONICAL_TARGET = "noncanonical_target"

_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


@dataclass(frozen=True)
class NameFinding:
    """One disagreement about a name in one aligned pair (kinds in the module docstring)."""

    segment: int
    kind: str
    entity: str | None
    source: str | None = None
    target: str | None = None
    other_entity: str | None = None
    target_canonical: bool | None = None
    expected: str | None = None

    def to_record(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass(frozen=True)
class _Found:
    entity: str
    written: str  # the spelling as written, case endings included
    canonical: bool
    expected: str | None


def cross_check_names(doc: Document, matcher_for: Callable[[str | None], Any]) -> list[NameFinding]:
    """Compare the glossary names of each aligned pair of `doc` (see module docstring).

    `matcher_for(lang)` returns the `GlossaryMatcher` for a language (as `transnorm.normalise.
    load_matcher(specs, lang)` builds it); it is called for the source and the target language.
    """
    from transnorm.normalise.report import NearVariantIndex

    pairs = [s for s in doc.segments if s.source.strip() and s.target and s.target.strip()]
    src_matcher = matcher_for(doc.lang)
    tgt_matcher = matcher_for(doc.target_lang)
    src_found = _names(src_matcher, [s.source for s in pairs], doc.lang)
    tgt_found = _names(tgt_matcher, [s.target or "" for s in pairs], doc.target_lang)
    near = NearVariantIndex(tgt_matcher)
    findings: list[NameFinding] = []
    for seg, src, tgt in zip(pairs, src_found, tgt_found, strict=True):
        src_by, tgt_by = _by_entity(src), _by_entity(tgt)
        for entity in src_by.keys() & tgt_by.keys():
            a, b = src_by[entity], tgt_by[entity]
            same = a.written.casefold() == b.written.casefold()
            if same and b.canonical:
                continue
            findings.append(
                NameFinding(
                    seg.index,
                    NONCANONICAL_TARGET if same else SPELLING,
                    entity,
                    a.written,
                    b.written,
                    target_canonical=b.canonical,
                    expected=None if b.canonical else b.expected,
                )
            )
        only_src = [e for e in src_by if e not in tgt_by]
        only_tgt = [e for e in tgt_by if e not in src_by]
        for entity in list(only_src):
            guess = _near_variant(near, seg.target or "", entity)
            if guess is not None:
                only_src.remove(entity)
                findings.append(
                    NameFinding(seg.index, UNKNOWN_SPELLING, entity, src_by[entity].written, guess)
                )
        for a, b in zip(only_src, only_tgt, strict=False):
            findings.append(
                NameFinding(
                    seg.index,
                    DIFFERENT_ENTITY,
                    a,
                    src_by[a].written,
                    tgt_by[b].written,
                    other_entity=b,
                )
            )
        for a in only_src[len(only_tgt) :]:
            findings.append(NameFinding(seg.index, MISSING_IN_TARGET, a, source=src_by[a].written))
        for b in only_tgt[len(only_src) :]:
            findings.append(NameFinding(seg.index, MISSING_IN_SOURCE, b, target=tgt_by[b].written))
    return findings


def _names(matcher: Any, texts: list[str], lang: str | None) -> list[list[_Found]]:
    """The resolved glossary mentions of each text (one document: surnames resolve across texts)."""
    texts = [unicodedata.normalize("NFC", t) for t in texts]
    resolved = matcher.resolve([matcher.find(t) for t in texts])
    out: list[list[_Found]] = []
    for text, chosen in zip(texts, resolved, strict=True):
        found = []
        for mention, idx in chosen:
            entry = matcher.entries[idx]
            begin = mention.given_start if mention.given_start >= 0 else mention.start
            written = text[begin : mention.end]
            expected = matcher.replacement(text, mention, entry, lang)
            found.append(
                _Found(entry.id, written, expected in (None, text[mention.start : mention.end]), expected)
            )
        out.append(found)
    return out


def _by_entity(found: list[_Found]) -> dict[str, _Found]:
    """First mention of each entity, preferring one that is not canonical (the one worth reporting)."""
    out: dict[str, _Found] = {}
    for f in found:
        if f.entity not in out or (out[f.entity].canonical and not f.canonical):
            out[f.entity] = f
    return out


def _near_variant(index: Any, text: str, entity: str) -> str | None:
    for match in _WORD.finditer(text):
        word = match.group()
        if word[:1].isupper():
            suggestion = index.suggest(word)
            if suggestion is not None and suggestion.entity == entity:
                return word
    return None


def add_name_check(doc: Document, matcher_for: Callable[[str | None], Any]) -> Document:
    """Store the findings of `cross_check_names` in `doc.metadata["name_check"]` (a list of records)."""
    if doc.segments and not doc.stopped:
        doc.metadata["name_check"] = [f.to_record() for f in cross_check_names(doc, matcher_for)]
    return doc
