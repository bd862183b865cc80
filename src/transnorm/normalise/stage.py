"""The `normalise` stage: rewrite every glossary name to its canonical spelling, and record each rewrite.

Runs on the target side (translations, the default) or on the source side (`normalise.side`, used by
`transnorm normalise` for text that is not translated). The language whose canonical spellings are
used is `normalise.lang`, else the target language (target side) or each segment's language (source
side). Text is NFC-normalised first; each rewrite becomes an `Edit` whose span is that of the new
spelling in the final segment text. On the source side `doc.text` and the segment offsets are
rebuilt so that `doc.text[seg.start:seg.end] == seg.source` still holds.

Before a mention is linked, its context is checked (`context.py`: a place inside a title, a title that
contradicts the entity, another given name before a surname). On the target side, segments that carry
their source are also anchored on it (`anchor.py`, `normalise.source_anchored`): an entity found in the
source whose translation spells it in a way no rule knows (Tinkou for Тиньков) is rewritten too.
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

from transnorm.config import PipelineConfig
from transnorm.document import UNDETERMINED, Document, Edit
from transnorm.langcodes import normalise_lang
from transnorm.normalise.anchor import Replacement, SourceAnchor
from transnorm.normalise.context import filter_mentions
from transnorm.normalise.fold import fold_text
from transnorm.normalise.matcher import GlossaryMatcher, MatcherCache, Mention

if TYPE_CHECKING:
    from transnorm.stages import Resources


class NormaliseStage:
    """Built once from the config; compiles (or loads from cache) one matcher per text language."""

    name = "normalise"
    process_safe = True

    def __init__(self, config: PipelineConfig, resources: Resources | None = None) -> None:
        opts = config.normalise
        self.side = opts.side
        self.lang = normalise_lang(opts.lang) if opts.lang else None
        self.target_lang = normalise_lang(config.target_lang)
        self.matcher = MatcherCache.from_options(opts)
        self.anchor = None
        if opts.source_anchored and self.side == "target":
            self.anchor = SourceAnchor(
                self.matcher, normalise_lang(config.source_lang) if config.source_lang else None
            )
        self.matcher(self.lang or (self.target_lang if self.side == "target" else None))  # fail early

    def _lang_of(self, doc: Document, seg_lang: str) -> str | None:
        if self.lang:
            return self.lang
        if self.side == "target":
            return normalise_lang(doc.target_lang) or self.target_lang
        lang = seg_lang if seg_lang != UNDETERMINED else doc.lang
        return None if lang == UNDETERMINED else normalise_lang(lang)

    def __call__(self, doc: Document) -> Document:
        texts: list[tuple[int, str, str | None]] = []
        for i, seg in enumerate(doc.segments):
            text = seg.target if self.side == "target" else seg.source
            if text:
                texts.append((i, unicodedata.normalize("NFC", text), self._lang_of(doc, seg.lang)))
        by_lang: dict[str | None, list[int]] = {}
        for n, (_, _, lang) in enumerate(texts):
            by_lang.setdefault(lang, []).append(n)
        sources = {}
        if self.anchor is not None:
            anchored = [
                i
                for i, _, _ in texts
                if doc.segments[i].source and doc.segments[i].target != doc.segments[i].source
            ]
            sources = self.anchor.source_mentions(doc, anchored) if anchored else {}
        results: dict[int, tuple[str, list[Edit]]] = {}
        for lang, members in by_lang.items():
            matcher = self.matcher(lang)
            found = [filter_mentions(texts[n][1], matcher.find(texts[n][1]), matcher) for n in members]
            for n, chosen, raw in zip(members, matcher.resolve(found), found, strict=True):
                i, text, _ = texts[n]
                todo = replacements(matcher, text, chosen, lang)
                if i in sources:
                    todo = _merge(todo, self.anchor.propose(text, sources[i], raw, matcher, lang))  # type: ignore[union-attr]
                results[i] = apply(text, todo, doc.segments[i].index, self.side)
        changed = False
        for i, (new_text, edits) in sorted(results.items()):
            seg = doc.segments[i]
            old = seg.target if self.side == "target" else seg.source
            if new_text != old:
                changed = True
                if self.side == "target":
                    seg.target = new_text
                else:
                    seg.source = new_text
            doc.edits.extend(edits)
        if changed and self.side == "source":
            _rebuild_source(doc)
        doc.signature.update(self.signature)
        return doc

    @property
    def signature(self) -> dict[str, str]:
        """What this stage adds to the run signature: the glossary files' names, versions and hash.

        A resumable run compares it with the one its output was started with, so an edited glossary
        is noticed instead of mixing records normalised two ways.
        """
        return {"glossary": self.matcher.signature}


def rewrite(
    matcher: GlossaryMatcher,
    text: str,
    chosen: list[tuple[Mention, int]],
    lang: str | None,
    segment: int,
    side: str = "target",
) -> tuple[str, list[Edit]]:
    """`text` with each chosen mention replaced by its canonical spelling, and the edits made."""
    return apply(text, replacements(matcher, text, chosen, lang), segment, side)


def replacements(
    matcher: GlossaryMatcher, text: str, chosen: list[tuple[Mention, int]], lang: str | None
) -> list[Replacement]:
    """The canonical spelling of each chosen mention, where it differs from what is written."""
    out = []
    for mention, entry_idx in chosen:
        entry = matcher.entries[entry_idx]
        start = mention.given_start if mention.given_start >= 0 else mention.start
        after = matcher.replacement(text, mention, entry, lang)
        if after is not None and after != text[start : mention.end]:
            out.append(Replacement(start, mention.end, after, entry.id, mention.rule))
    return out


def apply(text: str, todo: list[Replacement], segment: int, side: str = "target") -> tuple[str, list[Edit]]:
    """`text` with non-overlapping replacements (in order) made, and one `Edit` per replacement."""
    pieces: list[str] = []
    edits: list[Edit] = []
    cursor = 0
    shift = 0
    for r in todo:
        before = text[r.start : r.end]
        pieces.append(text[cursor : r.start])
        pieces.append(r.after)
        new_start = r.start + shift
        edits.append(
            Edit(segment, (new_start, new_start + len(r.after)), before, r.after, r.entity, r.rule, side)
        )
        shift += len(r.after) - len(before)
        cursor = r.end
    pieces.append(text[cursor:])
    return "".join(pieces), edits


def _merge(own: list[Replacement], anchored: list[Replacement]) -> list[Replacement]:
    """Both lists in text order; where they overlap, the source-anchored rewrite wins."""
    if not anchored:
        return own
    kept = [r for r in own if not any(a.start < r.end and r.start < a.end for a in anchored)]
    return sorted(kept + anchored, key=lambda r: r.start)


def normalise_text(
    text: str, matcher: GlossaryMatcher, lang: str | None = None, *, segment: int = 0
) -> tuple[str, list[Edit]]:
    """Normalise one text on its own (the whole text is the document for the surname rule)."""
    text = unicodedata.normalize("NFC", text)
    chosen = matcher.resolve([filter_mentions(text, matcher.find(text, fold_text(text)), matcher)])[0]
    return rewrite(matcher, text, chosen, lang if lang is not None else matcher.lang, segment)


def _rebuild_source(doc: Document) -> None:
    """Put rewritten source segments back into `doc.text`, shifting every later offset."""
    pieces: list[str] = []
    cursor = 0
    shift = 0
    for seg in sorted(doc.segments, key=lambda s: s.start):
        pieces.append(doc.text[cursor : seg.start])
        old_len = seg.end - seg.start
        cursor = seg.end
        seg.start += shift
        pieces.append(seg.source)
        shift += len(seg.source) - old_len
        seg.end = seg.start + len(seg.source)
    pieces.append(doc.text[cursor:])
    doc.text = "".join(pieces)
