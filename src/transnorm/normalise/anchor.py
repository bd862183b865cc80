"""Source-anchored rewriting: the source segment names a glossary entity, so its translation does too.

MT systems write spellings that no transliteration rule makes (8 of 10 systems wrote "Oleg Tinkou" for
Олег Тиньков), so a matcher on the translation alone cannot find them. The source can be matched
reliably: its native forms are in the glossary, with their case endings (Тинькова, Тинькову). For each
segment that has both a source and a translation:

1. the source-language matcher finds the entities of the source segment (surname rule over the whole
   document, context checks of `context.py`);
2. an entity the translation does not already mention gets a *name-like span* of the translation: a
   capitalised word (a sequence as long as the name for places and organisations) not covered by another
   glossary mention, close to one of the entity's spellings (`similarity` or `translit_similarity` of
   the romanised forms >= `MIN_SCORE`, same initial sound). A person's given name in front of it is
   taken along when it is a form of the entity's given name, and the span is refused when it is another
   given name (Pavel Yashin is not Ilya Yashin);
3. when there are more such spans than missing mentions, or one span suits two entities, nothing is
   rewritten: the source tells which entity, not which of two words.

The span becomes the canonical spelling, its case style and possessive or case ending kept, and is
recorded as an edit with rule `source-anchored`. A span the target matcher had linked to an entity the
source does not name (Zelensky for Зеленская) is open to the anchor, and the anchored rewrite wins.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache

from transnorm.document import UNDETERMINED, Document
from transnorm.langcodes import normalise_lang
from transnorm.normalise import inflection
from transnorm.normalise.context import (
    FUNCTION_WORDS,
    base_forms,
    filter_mentions,
    given_compatible,
    is_given_name,
    word_before,
)
from transnorm.normalise.fold import case_like, fold_text
from transnorm.normalise.glossary import Entry
from transnorm.normalise.matcher import GlossaryMatcher, Mention, generated_forms, split_name
from transnorm.normalise.skeleton import name_gender, romanise, similarity, translit_form, translit_similarity

RULE = "source-anchored"
MIN_SCORE = 0.75
_MIN_LETTERS = 3
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")  # hyphenated names are several words
_NAME_GAPS = frozenset([" ", "-", "\u2011"])


@dataclass(frozen=True, slots=True)
class Replacement:
    """One rewrite of a segment's text: `text[start:end]` becomes `after`."""

    start: int
    end: int
    after: str
    entity: str
    rule: str


@dataclass(frozen=True, slots=True)
class _SourceMention:
    entry: Entry
    position: float  # where in the source segment, 0..1
    bare_genitive: bool = False  # Лаврова alone: his genitive, or a woman's name


@dataclass(frozen=True, slots=True)
class SourceNames:
    """What the source of one segment names: glossary entities, and other capitalised words.

    `others` (without their case endings) let the anchor see that a translation's word is the
    rendering of another source name (Колбиным -> Kolbin), not a misspelling of the entity.
    """

    mentions: tuple[_SourceMention, ...]
    others: tuple[str, ...] = ()


class SourceAnchor:
    """Finds glossary entities in source segments and proposes rewrites of their translations."""

    def __init__(
        self, matcher_for: Callable[[str | None], GlossaryMatcher], source_lang: str | None = None
    ) -> None:
        self.matcher_for = matcher_for
        self.source_lang = source_lang  # when neither the segment nor the document has a language
        self._refs: dict[str, frozenset[str]] = {}
        self._genitives: dict[str | None, dict[str, int]] = {}

    def reference_forms(self, entry: Entry) -> frozenset[str]:
        """The Latin spellings a translation of `entry` is compared with (computed once per entity)."""
        if entry.id not in self._refs:
            self._refs[entry.id] = _reference_forms(entry)
        return self._refs[entry.id]

    def _unambiguous_genitives(self, lang: str | None, matcher: GlossaryMatcher) -> dict[str, int]:
        """`_genitive_forms` of the men whose surname alone names them (computed once per language)."""
        if lang not in self._genitives:
            men = {i for i, e in enumerate(matcher.entries) if e.surname_unambiguous}
            self._genitives[lang] = _genitive_forms(men, matcher)
        return self._genitives[lang]

    def source_mentions(self, doc: Document, indexes: Sequence[int]) -> dict[int, SourceNames]:
        """The entities of the source of segments `indexes` (positions in `doc.segments`)."""
        by_lang: dict[str | None, list[int]] = defaultdict(list)
        for i in indexes:
            seg = doc.segments[i]
            lang = seg.lang if seg.lang != UNDETERMINED else doc.lang
            by_lang[self.source_lang if lang == UNDETERMINED else normalise_lang(lang)].append(i)
        out: dict[int, SourceNames] = {}
        for lang, members in by_lang.items():
            matcher = self.matcher_for(lang)
            texts = [doc.segments[i].source for i in members]
            folds = [fold_text(t) for t in texts]  # folded once: the matcher and the genitives read it
            found = [
                filter_mentions(t, matcher.find(t, f), matcher) for t, f in zip(texts, folds, strict=True)
            ]
            resolved = matcher.resolve(found)
            present = {e for chosen in resolved for m, e in chosen if m.kind != "surname"}
            genitives = {**self._unambiguous_genitives(lang, matcher), **_genitive_forms(present, matcher)}
            for i, text, folded, chosen in zip(members, texts, folds, resolved, strict=True):
                spans = [(m.given_start if m.given_start >= 0 else m.start, m.end, e) for m, e in chosen]
                bare = _bare_inflected(text, spans, genitives, matcher, folded)
                mentions = tuple(
                    _SourceMention(matcher.entries[e], s / max(len(text), 1), (s, end, e) in bare)
                    for s, end, e in sorted(spans + bare)
                )
                bounds = [sp[:2] for sp in spans]
                others = (
                    tuple(
                        w.group()
                        for w in _capital_words(text)
                        if w.group()[0].isupper() and not _inside(w.start(), w.end(), bounds)
                    )
                    if mentions
                    else ()
                )
                out[i] = SourceNames(mentions, others)
        return out

    def propose(
        self,
        text: str,
        source: SourceNames,
        target_mentions: Sequence[Mention],
        matcher: GlossaryMatcher,
        lang: str | None,
    ) -> list[Replacement]:
        """Rewrites of translation `text` for the source's entities it does not mention yet."""
        sources = source.mentions
        if not sources:
            return []
        source_ids = {s.entry.id for s in sources}
        present: Counter[str] = Counter()
        covered: list[tuple[int, int]] = []  # spans of mentions that the anchor must leave alone
        for m in target_mentions:
            ids = {matcher.entries[e].id for e in m.entries}
            present.update(ids)
            if ids & source_ids or any(matcher.entries[e].type != "person" for e in m.entries):
                covered.append((m.given_start if m.given_start >= 0 else m.start, m.end))
        wanted: dict[str, list[_SourceMention]] = defaultdict(list)
        for s in sources:
            wanted[s.entry.id].append(s)
        if all(len(ms) <= present[e] for e, ms in wanted.items()):
            return []  # the translation names every entity of the source already
        words = [w for w in _WORD.finditer(text) if not _inside(w.start(), w.end(), covered)]
        claims: dict[tuple[int, int], list[tuple[str, Replacement]]] = defaultdict(list)
        plans: dict[str, list[Replacement]] = {}
        for entity_id, mentions in wanted.items():
            missing = len(mentions) - present[entity_id]
            if missing <= 0:
                continue
            entry = mentions[0].entry
            others = _other_names(source.others, entry)
            found = _candidates(text, words, entry, self.reference_forms(entry), others, lang, matcher)
            if all(m.bare_genitive for m in mentions):
                # the source may name a woman (Лаврова выступила): a feminine rendering is the MT's reading
                found = [r for r in found if name_gender(text[r.start : r.end].split()[-1]) != "f"]
            if not found or len(found) > missing:
                continue  # nothing name-like, or more candidates than the source explains
            plans[entity_id] = found
            for r in found:
                claims[(r.start, r.end)].append((entity_id, r))
        out = []
        for found in plans.values():
            if all(len(claims[(r.start, r.end)]) == 1 for r in found):
                out += found
        return sorted(out, key=lambda r: r.start)


def _genitive_forms(present: set[int], matcher: GlossaryMatcher) -> dict[str, int]:
    """Folded surname + ending forms (Тинькова) of the men in `present`, whose ending needs a given name."""
    forms: dict[str, int] = {}
    for e in present:
        entry = matcher.entries[e]
        if entry.type != "person" or entry.gender != "m":
            continue
        for native in entry.native.values():
            surname = fold_text(split_name(native)[1])
            ends = inflection.endings(matcher.lang, surname, gender="m", person=True)
            for ending in ends.with_given:
                forms.setdefault(surname + ending, e)
    return forms


def _bare_inflected(
    text: str,
    spans: Sequence[tuple[int, int, int]],
    forms: dict[str, int],
    matcher: GlossaryMatcher,
    folded: str | None = None,
) -> list[tuple[int, int, int]]:
    """Surnames of men the document names in full, alone with an ending that needs a given name.

    The matcher reads a bare "Тинькова" as the feminine surname, not as the genitive of Тиньков. In a
    document that names Олег Тиньков, or for a man whose surname alone names him (заявление Лаврова),
    it is his genitive, which the source anchor needs; the translation then shows which reading the MT
    took. `forms` from `_genitive_forms`; `folded`: `fold_text(text)` when the caller has it.
    """
    if not forms:
        return []
    out = []
    if folded is None:
        folded = fold_text(text)  # the same length as `text`
    bounds = [s[:2] for s in spans]
    for w in _capital_words(text):
        e = forms.get(folded[w.start() : w.end()])
        if e is None or not w.group()[0].isupper() or _inside(w.start(), w.end(), bounds):
            continue
        before = word_before(text, w.start())
        if before and is_given_name(before, matcher) and not given_compatible(before, matcher.entries[e]):
            continue  # Мария Лаврова: another given name, so the feminine surname of another person
        out.append((w.start(), w.end(), e))
    return out


def _capital_words(text: str) -> Iterator[re.Match[str]]:
    """The `_WORD` words of `text` that may start with a capital letter, without visiting the others.

    The same words as `_WORD.finditer` (a word starts where no letter, nor a letter and an
    apostrophe, stands before it), but the regex opens with a class of capitals, so `re` jumps from
    capital to capital. Every character outside the Basic Multilingual Plane is let through, so
    callers still check `word[0].isupper()`.
    """
    return _capital_word_re().finditer(text)


@cache
def _capital_word_re() -> re.Pattern[str]:
    from transnorm.normalise.mentions import _upper_class

    first = _upper_class()[:-1] + "\U00010000-\U0010ffff]"
    return re.compile(rf"{first}(?<=[^\W\d_])(?<![^\W\d_].)(?<![^\W\d_]['’].)[^\W\d_]*(?:['’][^\W\d_]+)*")


def _other_names(words: Sequence[str], entry: Entry) -> list[str]:
    """Base forms of the source's other capitalised words, leaving out forms of `entry`'s own name."""
    own = [fold_text(w) for text in entry.native.values() for w in text.split()]
    prefixes = tuple(w[: max(3, len(w) - 2)] for w in own)
    out = []
    for word in words:
        low = fold_text(word)
        if prefixes and low.startswith(prefixes):
            continue
        out += [f for f in base_forms(word) if len(f) >= _MIN_LETTERS]
    return out


def _inside(start: int, end: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(s < end and start < e for s, e in spans)


def _candidates(
    text: str,
    words: Sequence[re.Match[str]],
    entry: Entry,
    refs: frozenset[str],
    others: Sequence[str],
    lang: str | None,
    matcher: GlossaryMatcher,
) -> list[Replacement]:
    """Replacements for the name-like spans of `text` that read as `entry`."""
    canonical = entry.canonical_for(lang)
    person = entry.type == "person"
    given, core = split_name(canonical) if person else ("", canonical)
    size = len(re.split(r"[\s\-\u2011]+", core))
    suffixes = inflection.suffixes(lang)
    out = []
    i = 0
    while i + size <= len(words):
        span = words[i : i + size]
        if not _joined(text, span) or not span[0].group()[0].isupper():
            i += 1
            continue
        start, end = span[0].start(), span[-1].end()
        if (start and text[start - 1] in "-\u2011") or text[end : end + 1] in ("-", "\u2011"):
            i += 1
            continue  # part of a longer hyphenated name (Berners-Lee for Berners)
        written = text[start:end]
        if size == 1 and fold_text(written) in FUNCTION_WORDS:
            i += 1
            continue
        body, suffix = _split_suffix(written, suffixes)
        score = _score(body, refs)
        if score < MIN_SCORE or (others and _score(body, others, same_initial=False) >= score):
            i += 1
            continue  # not close enough, or closer to another name of the source (Kolbin: Колбиным)
        after = case_like(body, core) + suffix
        if person and given and i > 0:
            prev = words[i - 1]
            prev_text = prev.group()
            if text[prev.end() : start] == " " and prev_text[0].isupper():
                if given_compatible(prev_text, entry):
                    start = prev.start()
                    written = text[start:end]
                    after = case_like(prev_text, given) + " " + after
                elif is_given_name(prev_text, matcher):
                    i += size
                    continue  # another given name: another person with this surname
        if after != written:
            out.append(Replacement(start, end, after, entry.id, RULE))
        i += size
    return out


def _joined(text: str, span: Sequence[re.Match[str]]) -> bool:
    """True when the words of `span` are written as one name (a single space or hyphen between them)."""
    return all(text[a.end() : b.start()] in _NAME_GAPS for a, b in itertools.pairwise(span))


def _split_suffix(written: str, suffixes: Sequence[tuple[str, str]]) -> tuple[str, str]:
    """(`written` without a possessive or case ending, that ending); only endings that leave a name."""
    low = fold_text(written)
    for suffix, dropped in suffixes:
        if not dropped and "'" in suffix and low.endswith(suffix) and len(low) - len(suffix) >= 4:
            return written[: -len(suffix)], written[-len(suffix) :]
    return written, ""


def _score(word: str, refs: Iterable[str], *, same_initial: bool = True) -> float:
    """How close `word` is to the closest of `refs` (0..1); 0 for another initial sound when `same_initial`."""
    if len(romanise(word)) < _MIN_LETTERS:
        return 0.0
    form = translit_form(word)
    best = 0.0
    for ref in refs:
        if not form or (same_initial and form[0] != translit_form(ref)[:1]):
            continue
        best = max(best, similarity(word, ref), translit_similarity(word, ref))
    return best


def _reference_forms(entry: Entry) -> frozenset[str]:
    """Every Latin spelling of the part of `entry` that a translation must contain (a person's surname)."""
    texts = [t for t, _ in entry.explicit_forms()] + [t for t, _ in generated_forms(entry)]
    out = set()
    for t in texts:
        if entry.type == "person":
            t = split_name(t)[1]
        if romanise(t) and all(ord(c) < 0x250 for c in t if c.isalpha()):
            out.add(t)  # Latin script only: the translation is compared with these
    return frozenset(out)
