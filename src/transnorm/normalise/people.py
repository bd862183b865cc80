"""What one document says about people's names: the map step of `check-names`.

`NameCollector(matcher_for, side=..., lang=...)` is built once; calling it on a `Document` returns a
`DocNames`: the spellings of glossary entities and of discovered names it uses (`cluster.Spelling`,
counted for this document only), plus what the near-variant suggestions need. It is a pure function
of the document, so the local run and the Ray run (`raydata.check_names_dataset`) map documents the
same way and only the reduction (adding spellings up, clustering) happens once.

Which text is read (`side`): for a record that carries translations (output of `run` or `align`),
the targets (`target`, the default), the sources (`source`) or both; a plain document is its text.
The language of a text is `lang` when given, else the record's target language (target side) or the
segment's, then the document's, language (source side).

Source anchoring: in a segment that has both sides, each target name is tied to the source name it
renders (the source mention in the same segment whose romanised surname is closest, with
`translit_similarity` >= 0.5). The source surname without its case ending (Тинькова, Тинькову ->
тиньков) becomes one of the spelling's `sources`: the same source name means the same person across
documents and systems, even when an MT system wrote Tinkou.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

from transnorm.document import UNDETERMINED, Document
from transnorm.normalise.cluster import Spelling
from transnorm.normalise.fold import fold_text
from transnorm.normalise.matcher import NAME, SURNAME, GlossaryMatcher, Mention, split_name
from transnorm.normalise.mentions import (
    MentionFinder,
    NameMention,
    has_surname_ending,
    link_surnames,
    name_similarity,
    role_of,
)
from transnorm.normalise.near import WORD_RE, NearVariantIndex, candidates
from transnorm.normalise.skeleton import romanise

SIDES = ("target", "source", "both")
ANCHOR_MIN = 0.5
ERR_SIDE = "side must be one of {choices}, got {side!r}"
# Case endings of Russian, Ukrainian and Belarusian nouns and adjectives, longest first: the source
# key of a surname is its stem (Зеленского, Зеленский -> зеленск; Тинькова -> тиньков).
_CYRILLIC_ENDING = re.compile(
    r"(?:ого|ому|ыми|ими|ая|ую|ой|ою|ей|ею|ий|ый|ым|им|ом|ем|ові|ої|ій|ім|а|я|у|ю|е|є|ы|и|і|ь|й)$"
)


@dataclass
class DocNames:
    """The names of one document: spellings (this document's counts) and near-variant material."""

    id: str
    spellings: list[Spelling] = field(default_factory=list)
    near: list[tuple[str | None, dict[str, set[str]], set[int]]] = field(default_factory=list)
    lower: set[str] = field(default_factory=set)
    signature: str | None = None
    langs: list[str] = field(default_factory=list)  # the language of each text read (report language)


def as_record(doc: Document) -> Document:
    """A document read from a transnorm record (`run` or `align` output) rebuilt with its segments.

    `read_documents` sees any JSONL line as `id`, `text` and metadata; a line whose metadata has a
    `segments` list is a record, and its segments (with their translations) are what `check-names`
    and `normalise` work on, not its text. Other documents are returned as they are.
    """
    segments = doc.metadata.get("segments")
    if not isinstance(segments, list) or not all(isinstance(s, dict) and "source" in s for s in segments):
        return doc
    return Document.from_record({"id": doc.id, "text": doc.text, **doc.metadata})


@lru_cache(maxsize=100_000)
def source_key(surname: str) -> str:
    """The stem of a source-side surname: the same for all its case forms (Тинькова -> тиньков)."""
    low = fold_text(surname).replace(" ", "")
    if not re.search("[\u0400-\u04ff]", low):
        return low
    stem = _CYRILLIC_ENDING.sub("", low)
    return stem if len(stem) >= 3 else low


class NameCollector:
    """Maps a document to its `DocNames` (see the module docstring)."""

    def __init__(
        self,
        matcher_for: Callable[[str | None], GlossaryMatcher],
        *,
        side: str = "target",
        lang: str | None = None,
        near: bool = True,
    ) -> None:
        if side not in SIDES:
            raise ValueError(ERR_SIDE.format(choices=", ".join(SIDES), side=side))
        self.matcher_for = matcher_for
        self.side = side
        self.lang = lang
        self.near = near
        self.finder = MentionFinder()
        self._indexes: dict[str | None, NearVariantIndex] = {}
        self._signatures: dict[str | None, tuple[GlossaryMatcher, str]] = {}

    def near_index(self, lang: str | None) -> NearVariantIndex:
        """The near-variant index of `lang`'s matcher, built once (the report reuses it)."""
        if lang not in self._indexes:
            self._indexes[lang] = NearVariantIndex(self.matcher_for(lang))
        return self._indexes[lang]

    def _signature(self, lang: str | None, matcher: GlossaryMatcher) -> str:
        """`matcher.signature` (a hash of the glossaries), computed once per matcher, not per document."""
        known = self._signatures.get(lang)
        if known is None or known[0] is not matcher:
            known = self._signatures[lang] = (matcher, matcher.signature)
        return known[1]

    def texts(self, doc: Document) -> list[tuple[str, str | None, str | None]]:
        """(text, its language, the source text it translates or None) for each text read in `doc`."""
        translated = any(seg.target for seg in doc.segments)
        if not translated:
            lang = self.lang or (None if doc.lang == UNDETERMINED else doc.lang)
            if doc.segments and not doc.text:
                return [(seg.source, lang, None) for seg in doc.segments if seg.source]
            return [(doc.text, lang, None)]
        out: list[tuple[str, str | None, str | None]] = []
        if self.side in ("target", "both"):
            lang = self.lang or doc.target_lang
            out += [(seg.target, lang, seg.source or None) for seg in doc.segments if seg.target]
        if self.side in ("source", "both"):
            for seg in doc.segments:
                if seg.source:
                    seg_lang = seg.lang if seg.lang != UNDETERMINED else doc.lang
                    out.append(
                        (seg.source, self.lang or (None if seg_lang == UNDETERMINED else seg_lang), None)
                    )
        return out

    def __call__(self, doc: Document) -> DocNames:
        result = DocNames(doc.id)
        by_lang: dict[str | None, list[tuple[str, str | None]]] = defaultdict(list)
        for text, lang, source in self.texts(doc):
            by_lang[lang].append((text, source))
            if lang:
                result.langs.append(lang)
        spellings: dict[tuple[str, str, str], Spelling] = {}
        for lang, items in by_lang.items():
            matcher = self.matcher_for(lang)
            result.signature = self._signature(lang, matcher)
            # all texts of one language at once, one per line: names never cross a line break, and one
            # call per document costs far less than one per sentence
            text = "\n".join(t for t, _ in items)
            starts = list(itertools.accumulate((len(t) + 1 for t, _ in items[:-1]), initial=0))
            chosen = matcher.resolve([matcher.find(text)])[0]
            covered = [False] * (len(text) + 1)
            for m, _ in chosen:
                for i in range(m.given_start if m.given_start >= 0 else m.start, m.end):
                    covered[i] = True
            glossary = [_from_glossary(text, m, matcher.entries[idx].id) for m, idx in chosen]
            lower = _lower_words(text)
            found = self.finder.find(text, lower)
            discovered = [n for n in found if not covered[n.start] and not covered[n.end - 1]]
            glossary = _yield_to_discovered(glossary, discovered)
            entity_of = {g.start: e for g, e in glossary}
            named: list[tuple[list[NameMention], list[str | None], str | None]] = [
                ([], [], src) for _, src in items
            ]
            for name in sorted([g for g, _ in glossary] + discovered, key=lambda n: n.start):
                names, entities, _ = named[bisect.bisect_right(starts, name.start) - 1]
                names.append(name)
                entities.append(entity_of.get(name.start))
            if self.near:
                words: dict[str, set[str]] = defaultdict(set)
                for word, before in candidates(text, covered, keep=self.near_index(lang).may_suggest):
                    words[word].add(before)
                result.near.append((lang, words, {idx for _, idx in chosen}))
                result.lower.update(w if w.isascii() and w.isalpha() else _fold(w) for w in lower)
            self._count(doc.id, named, spellings)
        result.spellings = list(spellings.values())
        return result

    def _count(
        self,
        doc_id: str,
        named: list[tuple[list[NameMention], list[str | None], str | None]],
        spellings: dict[tuple[str, str, str], Spelling],
    ) -> None:
        flat = [(n, e) for names, entities, _ in named for n, e in zip(names, entities, strict=True)]
        links = link_surnames([n for n, _ in flat])
        # a capitalised word alone counts when a glossary, a full name of its document, a title or a
        # surname's ending says it is a name (Kremlin, Monday and Moscow are not counted)
        kept = [
            bool(e) or n.full or n.role != "" or k in links or has_surname_ending(n.surname)
            for k, (n, e) in enumerate(flat)
        ]
        anchors = self._anchors(named, kept)
        for k, (name, entity) in enumerate(flat):
            if not kept[k]:
                continue
            tied = flat[links[k]][0].text if k in links and not entity else ""
            key = (name.text, entity or "", tied)
            s = spellings.get(key)
            if s is None:
                s = spellings[key] = Spelling(name.text, name.given, name.surname, entity, tied)
            s.docs.append(doc_id)
            if name.role:
                s.roles[name.role] += 1
            anchor = anchors.get(k)
            if anchor is not None:
                given, surname = anchor
                s.sources[source_key(surname)] += 1
                if given:
                    s.natives[f"{given} {surname}"] += 1

    def _anchors(
        self, named: list[tuple[list[NameMention], list[str | None], str | None]], kept: list[bool]
    ) -> dict[int, tuple[str, str]]:
        """For each kept name (flat index) of a translated segment, the source (given, surname) it renders."""
        out: dict[int, tuple[str, str]] = {}
        k = 0
        for names, _, source in named:
            if source and names:
                src = source_names(source)
                for offset, name in enumerate(names):
                    if not kept[k + offset] or not src:
                        continue
                    best = _anchor(source, name.surname, name.given)
                    if best is not None:
                        out[k + offset] = best
            k += len(names)
        return out


@lru_cache(maxsize=20_000)  # keyed by whole source segments, like `source_names`: kept small
def _anchor(source: str, surname: str, given: str) -> tuple[str, str] | None:
    """The source (given, surname) of segment `source` that the target name renders, or None.

    Memoised: the systems of one corpus translate the same sources, and often spell a name alike.
    """
    best, best_score = None, 0.0
    target = romanise(surname)
    target_given = romanise(given.split()[0]) if given else ""
    for src_given, src_surname, stem, whole in source_names(source):
        score = max(name_similarity(stem, target), name_similarity(whole, target))
        if score < ANCHOR_MIN:
            continue
        if src_given and target_given:  # Pavel Yashin renders Павел Яшин, not Илья Яшин
            score += 0.5 * name_similarity(romanise(src_given), target_given)
        if score > best_score:
            best, best_score = (src_given, src_surname), score
    return best


@lru_cache(maxsize=20_000)
def source_names(source: str) -> tuple[tuple[str, str, str, str], ...]:
    """The capitalised names of a source segment: (given or "", surname, romanised stem, romanised surname).

    No judging here: the target side already decided what is a name; the source only has to say which
    source word it renders. Cached, because every system's copy of an article has the same sources.
    """
    out = []
    for m in _source_sequence_re().finditer(source):
        words = m.group().split()
        surname = words[-1]
        given = words[-2] if len(words) > 1 else ""
        out.append((given, surname, romanise(_stem_for_compare(surname)), romanise(surname)))
    return tuple(out)


@cache
def _source_sequence_re() -> re.Pattern[str]:
    from transnorm.normalise.mentions import _upper_class

    up = _upper_class()
    word = rf"{up}[^\W\d_]+(?:['’\-]{up}?[^\W\d_]+)*"
    return re.compile(rf"(?<![\w'’\-]){word}(?:[ \u00a0]+{word})*")


_fold = lru_cache(maxsize=200_000)(fold_text)


@lru_cache(maxsize=100_000)
def _stem_for_compare(surname: str) -> str:
    low = surname.lower()
    stem = _CYRILLIC_ENDING.sub("", low)
    return stem if len(stem) >= 3 else low


def _yield_to_discovered(
    glossary: list[tuple[NameMention, str]], discovered: list[NameMention]
) -> list[tuple[NameMention, str]]:
    """Glossary surnames alone that belong to a discovered person of the document instead.

    "Yashin" in a document about Pavel Yashin, the racing driver, is not Ilya Yashin of the glossary:
    when the document names a discovered person with that surname and never the glossary person in
    full, the surname goes to the document's own person (the entity is dropped, the mention stays).
    """
    full_entities = {e for g, e in glossary if g.full}
    surnames = {fold_text(n.surname) for n in discovered if n.full}
    out = []
    for g, e in glossary:
        if not g.full and e not in full_entities and fold_text(g.surname) in surnames:
            discovered.append(g)
        else:
            out.append((g, e))
    return out


# ASCII letters, apostrophe and hyphen kept, every other ASCII character a space (see `_lower_words`)
_ASCII_WORD_CHARS = bytes(c if chr(c).isalpha() or chr(c) in "'-" else 32 for c in range(128)) + bytes(
    range(128, 256)
)


def _lower_words(text: str) -> set[str]:
    """The words of `text` (as `WORD_RE` reads them) that are written in lower case.

    For ASCII text, a byte translation and `split` find the words faster than the regex: a piece
    made of letters alone is one word; a piece with an apostrophe or a hyphen goes through
    `WORD_RE` (which joins letters across them, and only across them).
    """
    if not text.isascii():
        return {w for w in set(WORD_RE.findall(text)) if w.islower()}
    out = set()
    for piece in set(text.encode("ascii").translate(_ASCII_WORD_CHARS).decode("ascii").split()):
        if "'" in piece or "-" in piece:
            out.update(w for w in WORD_RE.findall(piece) if w.islower())
        elif piece.islower():
            out.add(piece)
    return out


_WORD_BEFORE = re.compile(r"([^\W\d_]+)[ \u00a0,.]*$")


def _from_glossary(text: str, mention: Mention, entity: str) -> tuple[NameMention, str]:
    """A glossary mention as a `NameMention` (spelling without case endings) and its entity id."""
    start = mention.given_start if mention.given_start >= 0 else mention.start
    role = ""
    before = _WORD_BEFORE.search(text[max(0, start - 30) : start])
    if before is not None:
        role = role_of(before.group(1))
    if mention.given_start >= 0:
        given = text[mention.given_start : mention.given_stem_end]
        surname = text[mention.start : mention.stem_end]
    else:
        written = text[mention.start : mention.stem_end]
        if mention.kind in (SURNAME, NAME):
            given, surname = "", written
        else:
            given, surname = split_name(written)
    return NameMention(start, mention.end, given, surname, role), entity


def doc_row(names: DocNames) -> dict[str, Any]:
    """Everything of a `DocNames` but its spellings, JSON-able (for Ray rows); `doc_from_row` reads it."""
    return {
        "id": names.id,
        "near": [
            [lang, {w: sorted(b) for w, b in words.items()}, sorted(m)] for lang, words, m in names.near
        ],
        "lower": sorted(names.lower),
        "signature": names.signature,
        "langs": names.langs,
    }


def doc_from_row(row: dict[str, Any]) -> DocNames:
    near = [(lang, {w: set(b) for w, b in words.items()}, set(m)) for lang, words, m in row["near"]]
    return DocNames(row["id"], [], near, set(row["lower"]), row["signature"], list(row["langs"]))
