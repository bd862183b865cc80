"""`GlossaryMatcher`: find every spelling of every glossary entity in a text and say what it should be.

Built once per glossary and text language. Every spelling of an entity (canonical forms, native forms,
explicit variants, and the variants `transnorm.translit` generates from the native forms) is folded
(`fold.py`) and put in one Aho-Corasick automaton (pyahocorasick), together with each person's
surname forms and, for languages whose endings change (`Захарова -> Захаровой`), the stems of those
forms. A hit counts when a word starts there and the rest of the word is empty or a case ending that
`inflection.py` allows for that form; overlapping hits go leftmost-longest.

Speed: the automaton holds each pattern as " " + pattern with punctuation blanked out
(`fold.boundary_text`) and walks the text blanked the same way, so that hits come only where a word
can start; each hit is then checked against the folded text (or, for an acronym, the original text,
where it is case-sensitive), so one walk serves ordinary names and acronyms alike and per-hit Python
work is rare. `tests/test_normalise_search.py` checks that this finds exactly what a plain scan does.

A surname hit preceded by one of the same person's given names (possibly inflected: `Siergieja
Ławrowa`) becomes a full-name mention. A surname alone is resolved to a person only when that
person's full name occurs in the same document (`resolve`) or the entry says its surname is
unambiguous, and only when written with a capital letter. Compiled matchers are kept in a cache keyed
by the glossary files' hashes, the language and the transliteration tables (`load_matcher`); the
cache file is data only (never pickle, which would run code planted in a shared cache folder), its
sections checked against a SHA-256 and for consistency, and its automata rebuilt from its patterns.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import stat
import sys
import tempfile
import time
import unicodedata
from array import array
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from transnorm._paths import transnorm_cache
from transnorm.normalise import inflection
from transnorm.normalise.fold import (
    boundary_text,
    case_like,
    fold_name,
    fold_text,
    is_word_char,
    left_boundary,
    word_end,
)
from transnorm.normalise.glossary import (
    GENDERS,
    NO_FORMS,
    TYPES,
    Entry,
    Glossary,
    GlossaryFile,
    load_glossaries,
    resolve_glossaries,
)

if TYPE_CHECKING:
    from transnorm.config import NormaliseOptions

log = logging.getLogger(__name__)

FORMAT_VERSION = 10  # bump when the cache layout or the matching rules change
FULL, SURNAME, NAME = "full", "surname", "name"
EXPLICIT = "explicit"
_PARTICLES = frozenset(
    [
        "von",
        "van",
        "der",
        "den",
        "de",
        "da",
        "di",
        "du",
        "le",
        "la",
        "al",
        "el",
        "bin",
        "ben",
        "dos",
        "das",
        "del",
        "della",
        "ter",
        "ten",
        "zu",
        "af",
        "ibn",
        "mac",
    ]
)
_MIN_SURNAME_LETTERS = 3
# Patterns this short are searched only at word starts (" key"), which keeps "es" or "dan" from
# hitting inside every other word; the cost is that they are missed right after "/" or ":".
_SHORT_KEY = 5
_LONG, _SHORT, _ACRONYM = 0, 1, 2  # pattern flags
_TBITS = 24  # a reading is packed in one int: entry index << _TBITS | template index
_TMASK = (1 << _TBITS) - 1
_CONTEXT_CASED = frozenset("Σσς")  # letters whose lower case depends on their neighbours


class Owner(NamedTuple):
    """One reading of a pattern: which entity, as what kind of mention, made by which rule.

    The matcher keeps readings packed (an entity index and a `_Template`); `readings()` hands them
    out as `Owner`s.
    """

    entry: int
    kind: str
    rule: str
    plain: frozenset[str]
    with_given: frozenset[str] = frozenset()
    dropped: str = ""  # a stem pattern: this ending was dropped and a suffix is required
    upper: bool = False  # an acronym (NATO, UN): only matched when written in capitals


# a reading without its entity: (kind, rule, plain endings, endings needing a given name, dropped, upper)
_Template = tuple[str, str, frozenset[str], frozenset[str], str, bool]


@dataclass(frozen=True, slots=True)
class Mention:
    """One occurrence of an entity in a text, before the surname rule is applied.

    `start`/`end` cover the whole written form including its suffix; `stem_end` is where the matched
    spelling stops and the kept case ending (`suffix`) begins. `given_*` describe a given name in
    front of a surname found separately (`given_end` is where its own ending begins).
    """

    start: int
    end: int
    stem_end: int
    entries: tuple[int, ...]
    kind: str
    rule: str
    dropped: str = ""
    given_start: int = -1
    given_stem_end: int = -1
    given_dropped: str = ""


def split_name(name: str) -> tuple[str, str]:
    """`(given, surname)` of a person's name; lower-case particles belong to the surname (von der Leyen)."""
    tokens = name.split()
    if len(tokens) < 2:
        return "", name
    i = len(tokens) - 1
    while i > 1 and tokens[i - 1].lower() in _PARTICLES:
        i -= 1
    return " ".join(tokens[:i]), " ".join(tokens[i:])


class GlossaryMatcher:
    """Finds glossary entities in text of one language and computes their canonical replacements.

    Memory: a glossary of 500,000 names has about a million patterns, so nothing is kept per
    pattern but its key string and a few bytes in flat arrays. A reading (which entity, as what
    kind of mention, by which rule, with which endings) is an entity index plus the index of a
    shared "template" tuple (the same few hundred templates serve every entity); the readings of
    pattern `pid` are `_rentry/_rtmpl[_roff[pid]:_roff[pid + 1]]`. The automaton stores `pid` for a
    pattern alone in its group and `~g` for a group of patterns that look alike (`_multi[g]`).
    """

    def __init__(self, glossary: Glossary, lang: str | None = None, *, generate: bool = True) -> None:
        self.glossary = glossary
        self.lang = lang
        self.entries: tuple[Entry, ...] = glossary.entries
        # folded given-name form -> entry -> (case ending, ending it replaced)
        self.given: dict[str, dict[int, tuple[str, str]]] = defaultdict(dict)
        self._templates: list[_Template] = []
        self._template_ids: dict[_Template, int] = {}
        # pattern -> its reading, or its readings when several: entry << _TBITS | template
        owners: dict[str, int | list[int]] = {}
        for idx, entry in enumerate(self.entries):
            self._add_entry(idx, entry, owners, generate)
        _drop_shadowed(owners, self._templates)
        del self._template_ids
        self.given = dict(self.given)
        self._compile(owners)

    def _compile(self, owners: dict[str, int | list[int]]) -> None:
        """Flat arrays from the pattern -> readings dict, then the automata over them."""
        templates = self._templates
        self._keys: list[str] = list(owners)  # folded pattern (an acronym: as written), checked on every hit
        self._flags = bytearray(len(self._keys))
        self._lengths = array("I", map(len, self._keys))
        self._roff = array("I", [0])
        self._rentry = array("i")
        self._rtmpl = array("I")
        for pid, codes in enumerate(owners.values()):
            codes = (codes,) if isinstance(codes, int) else codes
            for code in codes:
                self._rentry.append(code >> _TBITS)
                self._rtmpl.append(code & _TMASK)
            self._roff.append(len(self._rentry))
            key = self._keys[pid]
            if not all(templates[code & _TMASK][5] for code in codes):
                self._flags[pid] = _SHORT if len(key) <= _SHORT_KEY else _LONG
            else:
                self._flags[pid] = _ACRONYM
        self._build_automata()

    def _search_keys(self) -> Iterator[str]:
        """What each pattern is searched as in `automaton` ("" when it goes to `acronyms` instead)."""
        flags = self._flags
        for pid, key in enumerate(self._keys):
            if flags[pid] != _ACRONYM:
                yield " " + boundary_text(key)
            elif _CONTEXT_CASED.isdisjoint(key):
                yield " " + boundary_text(fold_text(key))
            else:  # its fold depends on the letters around it (final sigma): searched in the original text
                yield ""

    def _build_automata(self, search_keys: Sequence[str] | None = None) -> None:
        """One automaton over `boundary_text`, where patterns that look alike share one group, and
        one over the original text for acronyms whose fold depends on their neighbours.

        From the cache, `search_keys` and `_multi` come stored, so no lookups are needed here.
        """
        import ahocorasick

        self.automaton = automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        self.acronyms = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        flags = self._flags
        if search_keys is not None:
            for pid, bkey in enumerate(search_keys):
                if bkey:
                    automaton.add_word(bkey, pid)
                else:
                    self.acronyms.add_word(self._keys[pid], pid)
            for g, pids in enumerate(self._multi):
                automaton.add_word(search_keys[pids[0]], ~g)
        else:
            multi: list[list[int]] = []
            for pid, bkey in enumerate(self._search_keys()):
                if not bkey:
                    self.acronyms.add_word(self._keys[pid], pid)
                    continue
                prev = automaton.get(bkey, None)
                if prev is None:
                    automaton.add_word(bkey, pid)
                elif prev >= 0:
                    multi.append([prev, pid])
                    automaton.add_word(bkey, ~(len(multi) - 1))
                else:
                    multi[~prev].append(pid)
            # an acronym after the folded pattern of the same letters, as the two were found before
            self._multi = [tuple(sorted(g, key=lambda p: flags[p] == _ACRONYM)) for g in multi]
        automaton.make_automaton()
        self.acronyms.make_automaton()
        self.patterns = len(self._keys)

    # ----------------------------------------------------------------------------- building

    def _add_entry(self, idx: int, entry: Entry, owners: dict[str, int | list[int]], generate: bool) -> None:
        person = entry.type == "person"
        forms = [(text, EXPLICIT) for text, _ in entry.explicit_forms()]
        if generate:
            forms += generated_forms(entry)
        for text, rule in forms:
            upper = not person and _is_acronym(text)
            key = " ".join(unicodedata.normalize("NFC", text).split()) if upper else fold_name(text)
            if not key:
                continue
            if not person:
                self._add(owners, key, idx, NAME, rule, entry, upper)
                continue
            given, surname = split_name(text)
            if not given:
                self._add(owners, key, idx, SURNAME if rule == EXPLICIT else NAME, rule, entry, upper)
                continue
            self._add(owners, key, idx, FULL, rule, entry)
            skey = fold_name(surname)
            if sum(c.isalpha() for c in skey) >= _MIN_SURNAME_LETTERS:
                self._add(owners, skey, idx, SURNAME, rule, entry)
            gkey = fold_name(given.split()[-1])
            self.given[gkey].setdefault(idx, ("", ""))
            for form, ending in inflection.inflected_forms(self.lang, gkey, gender=entry.gender).items():
                self.given[form].setdefault(idx, ending)

    def _add(
        self,
        owners: dict[str, int | list[int]],
        key: str,
        idx: int,
        kind: str,
        rule: str,
        entry: Entry,
        upper: bool = False,
    ) -> None:
        person = entry.type == "person"
        last = key.rsplit(" ", 1)[-1]
        ends = inflection.endings(self.lang, last, gender=entry.gender, person=person)
        self._put(owners, key, idx, (kind, rule, ends.plain, ends.with_given, "", upper))
        if kind == FULL or upper:
            return
        for stem in inflection.stems(self.lang, key):
            self._put(
                owners,
                stem.stem,
                idx,
                (kind, rule, frozenset(stem.suffixes), frozenset(), stem.dropped, False),
            )

    def _put(self, owners: dict[str, int | list[int]], key: str, idx: int, template: _Template) -> None:
        """Add a reading of `key`, unless the entry already reads it as the same kind with the same dropped ending."""
        tid = self._template_ids.get(template)
        if tid is None:
            tid = self._template_ids[template] = len(self._templates)
            if tid > _TMASK:
                raise ValueError("too many distinct pattern readings")
            self._templates.append(template)
        code = idx << _TBITS | tid
        codes = owners.get(key)
        if codes is None:
            owners[key] = code
            return
        slot = (idx, template[0], template[4])
        templates = self._templates
        existing = (codes,) if isinstance(codes, int) else codes
        for c in existing:
            t = templates[c & _TMASK]
            if (c >> _TBITS, t[0], t[4]) == slot:
                return
        if isinstance(codes, int):
            owners[key] = [codes, code]
        else:
            codes.append(code)

    def _owners(self, pid: int) -> Iterator[tuple[int, _Template]]:
        """The readings of pattern `pid`: (entry index, template)."""
        templates, rentry, rtmpl = self._templates, self._rentry, self._rtmpl
        for r in range(self._roff[pid], self._roff[pid + 1]):
            yield rentry[r], templates[rtmpl[r]]

    def readings(self) -> Iterator[tuple[str, tuple[Owner, ...]]]:
        """Every folded pattern with its readings (for `glossary expand` and the near-variant index)."""
        for pid, key in enumerate(self._keys):
            yield key, tuple(Owner(entry, *template) for entry, template in self._owners(pid))

    # ----------------------------------------------------------------------------- matching

    def find(self, text: str, folded: str | None = None) -> list[Mention]:
        """Every mention in `text` (NFC), non-overlapping, leftmost-longest; surnames not yet resolved."""
        folded = fold_text(text) if folded is None else folded
        found: list[Mention] = []
        lengths, keys, flags, multi = self._lengths, self._keys, self._flags, self._multi
        for end_pos, value in self.automaton.iter(" " + boundary_text(folded)):
            for pid in (value,) if value >= 0 else multi[~value]:
                stem_end = end_pos  # " " + text: the hit's last character is at end_pos - 1 in `folded`
                start = stem_end - lengths[pid]
                flag = flags[pid]
                if flag == _ACRONYM:
                    if text[start:stem_end] != keys[pid]:
                        continue  # acronyms are case-sensitive: "Un" (French) is not the UN
                elif folded[start:stem_end] != keys[pid] or (
                    flag == _SHORT and start and folded[start - 1] != " "
                ):
                    continue  # another pattern that looks the same once punctuation is blanked out
                self._hit(text, folded, pid, start, stem_end, found)
        if len(self.acronyms):
            for last, pid in self.acronyms.iter(text):
                self._hit(text, folded, pid, last - lengths[pid] + 1, last + 1, found)
        if not found:
            return found
        return _leftmost_longest(found)

    def _hit(self, text: str, folded: str, pid: int, start: int, stem_end: int, found: list[Mention]) -> None:
        """Add the mentions that pattern `pid` found at `start:stem_end` makes, if a word starts there."""
        if start and (folded[start - 1].isalnum() or not left_boundary(folded, start)):
            return
        end = word_end(folded, stem_end)
        suffix = folded[stem_end:end]
        for entry, template in self._owners(pid):
            mention = self._accept(text, folded, entry, template, start, stem_end, end, suffix)
            if mention is not None:
                found.append(mention)

    def _accept(
        self,
        text: str,
        folded: str,
        entry: int,
        template: _Template,
        start: int,
        stem_end: int,
        end: int,
        suffix: str,
    ) -> Mention | None:
        kind, base_rule, plain, with_given, dropped, upper = template
        needs_given = False
        if dropped:
            if suffix not in plain:
                return None
        elif suffix and suffix not in plain:
            if suffix not in with_given:
                return None
            needs_given = True
        if kind in (SURNAME, NAME) and " " not in folded[start:stem_end] and not text[start].isupper():
            return None  # a one-word name must be capitalised: "may" is not Theresa May
        if upper and not text[start:stem_end].isupper():
            return None  # acronyms are case-sensitive: "Un" (French) is not the UN
        rule = base_rule + (f"+inflection:{suffix}" if suffix else "")
        if kind != SURNAME:
            if needs_given:
                return None
            return Mention(start, end, stem_end, (entry,), kind, rule, dropped)
        given = self._given_before(folded, start, entry)
        if given is None:
            if needs_given or self.other_given_before(folded, start, entry):
                return None
            return Mention(start, end, stem_end, (entry,), SURNAME, rule, dropped)
        g_start, g_stem_end, g_suffix, g_dropped = given
        if needs_given and not g_suffix:
            return None  # "Maria Lavrova": a nominative given name, so -a is feminine, not genitive
        if g_suffix:
            rule += f"+given-inflection:{g_suffix}"
        return Mention(start, end, stem_end, (entry,), FULL, rule, dropped, g_start, g_stem_end, g_dropped)

    def _given_before(self, folded: str, start: int, entry: int) -> tuple[int, int, str, str] | None:
        """The given name of `entry` written right before `start`, as (start, stem end, suffix)."""
        if start < 2 or folded[start - 1] != " ":
            return None
        g_end = start - 1
        g_start = g_end
        while g_start > 0 and (is_word_char(folded[g_start - 1]) or folded[g_start - 1] in ".'"):
            g_start -= 1
        word = folded[g_start:g_end]
        ending = self.given.get(word, {}).get(entry)
        if ending is None:
            return None
        suffix, dropped = ending
        return g_start, g_end - len(suffix), suffix, dropped

    def other_given_before(self, folded: str, start: int, entry: int) -> bool:
        """True when a given name of another glossary person stands right before `start` (Daniil Medvedev)."""
        if start < 2 or folded[start - 1] != " ":
            return False
        g_start = start - 1
        while g_start > 0 and is_word_char(folded[g_start - 1]):
            g_start -= 1
        owners = self.given.get(folded[g_start : start - 1])
        return bool(owners) and entry not in owners

    # ----------------------------------------------------------------------------- rewriting

    def replacement(self, text: str, mention: Mention, entry: Entry, lang: str | None) -> str | None:
        """The canonical spelling for `mention` (its endings kept), or None when it cannot be built."""
        canonical = entry.canonical_for(lang)
        suffix = text[mention.stem_end : mention.end]
        if mention.kind == SURNAME or mention.given_start >= 0:
            given, surname = split_name(canonical) if entry.type == "person" else ("", canonical)
            new_surname = _restem(surname, mention.dropped)
            if new_surname is None:
                return None
            original = text[mention.start : mention.stem_end]
            out = case_like(original, new_surname) + suffix
            if mention.given_start < 0:
                return out
            if not given:
                return None
            g_text = text[mention.given_start : mention.given_stem_end]
            g_suffix = text[mention.given_stem_end : mention.start - 1]
            new_given = _restem(given, mention.given_dropped)
            if new_given is None:  # keep the written given name, normalise the surname only
                return text[mention.given_start : mention.start] + out
            return case_like(g_text, new_given) + g_suffix + text[mention.start - 1] + out
        new = _restem(canonical, mention.dropped)
        if new is None:
            return None
        return case_like(text[mention.start : mention.stem_end], new) + suffix

    @property
    def signature(self) -> str:
        return self.glossary.signature

    def resolve(self, mentions: Sequence[Sequence[Mention]]) -> list[list[tuple[Mention, int]]]:
        """Pick the entity of each mention of one document (all its segments at once).

        A full name or organisation names its entity (when two share the spelling, the one whose
        full name the document mentions elsewhere wins). A surname alone goes to the person whose
        full name occurs in the document, else to the one person whose entry says the surname is
        unambiguous; otherwise it is left alone.
        """
        present = {m.entries[0] for ms in mentions for m in ms if m.kind != SURNAME and len(m.entries) == 1}
        out: list[list[tuple[Mention, int]]] = []
        for ms in mentions:
            chosen = []
            for m in ms:
                in_doc = [e for e in m.entries if e in present]
                if m.kind != SURNAME:
                    pick = m.entries[0] if len(m.entries) == 1 else (in_doc[0] if len(in_doc) == 1 else None)
                elif len(in_doc) == 1:
                    pick = in_doc[0]
                elif not in_doc and len(m.entries) == 1 and self.entries[m.entries[0]].surname_unambiguous:
                    pick = m.entries[0]
                else:
                    pick = None
                if pick is not None:
                    chosen.append((m, pick))
            out.append(chosen)
        return out


def _is_acronym(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return 1 < len(letters) <= 5 and " " not in text.strip() and all(c.isupper() for c in letters)


def _restem(canonical: str, dropped: str) -> str | None:
    if not dropped:
        return canonical
    if fold_text(canonical).endswith(dropped):
        return canonical[: -len(dropped)]
    return None


def _leftmost_longest(found: list[Mention]) -> list[Mention]:
    """Non-overlapping mentions; at one start the longest wins; equal spans merge their entities."""
    found.sort(key=lambda m: (m.given_start if m.given_start >= 0 else m.start, -m.end))
    out: list[Mention] = []
    cursor = -1
    for m in found:
        start = m.given_start if m.given_start >= 0 else m.start
        if out and start == _start(out[-1]) and m.end == out[-1].end and m.kind == out[-1].kind:
            prev = out[-1]
            if m.entries[0] not in prev.entries:
                out[-1] = Mention(
                    prev.start,
                    prev.end,
                    prev.stem_end,
                    (*prev.entries, *m.entries),
                    prev.kind,
                    prev.rule,
                    prev.dropped,
                    prev.given_start,
                    prev.given_stem_end,
                    prev.given_dropped,
                )
            continue
        if start < cursor:
            continue
        out.append(m)
        cursor = m.end
    return out


def _start(m: Mention) -> int:
    return m.given_start if m.given_start >= 0 else m.start


def _drop_shadowed(owners: dict[str, int | list[int]], templates: Sequence[_Template]) -> None:
    """A generated spelling that is another entity's explicit spelling belongs to that entity only."""
    for key, codes in owners.items():
        if isinstance(codes, int):
            continue  # one reading: nothing to shadow
        explicit = {
            c >> _TBITS
            for c in codes
            if templates[c & _TMASK][1] == EXPLICIT and not templates[c & _TMASK][4]
        }
        if not explicit:
            continue
        kept = [c for c in codes if c >> _TBITS in explicit or templates[c & _TMASK][1] == EXPLICIT]
        if len(kept) != len(codes):
            codes[:] = kept
        if not kept:
            log.debug("pattern %r lost every reading", key)


def generated_forms(entry: Entry) -> list[tuple[str, str]]:
    """Latin spellings of the entry's Russian/Ukrainian native forms, each with its scheme."""
    from transnorm import translit

    out = []
    for lang, native in entry.native.items():
        if lang not in translit.SOURCE_LANGS:
            continue
        try:
            variants = translit.generate_variants(native, source_lang=lang, gender=entry.gender)
        except ValueError as exc:
            log.warning("no generated variants for %s (%s): %s", entry.id, entry.where, exc)
            continue
        out += [(v.text, f"generated:{v.scheme}") for v in variants]
    return out


# ------------------------------------------------------------------------------------- caching


def _cache_dir() -> Path:
    return transnorm_cache() / "matchers"


def _code_fingerprint() -> str:
    """Hash of the code that decides the compiled form: transliteration tables and these modules."""
    h = hashlib.sha256(str(FORMAT_VERSION).encode())
    here = Path(__file__).resolve().parent
    for path in (
        here / "matcher.py",
        here / "inflection.py",
        here / "fold.py",
        here.parent / "translit.py",
        here.parent / "_translit_tables.py",
    ):
        if path.exists():
            h.update(path.read_bytes())
    return h.hexdigest()


def cache_key(
    paths: Sequence[Path], lang: str | None, generate: bool, layers: Sequence[int] | None = None
) -> str:
    """The cache file's name: the code, each file's path and contents, the language, and (when the
    glossaries come in several layers) how many files each layer holds, since layers override."""
    h = hashlib.sha256(_code_fingerprint().encode())
    for p in paths:
        h.update(str(p.resolve()).encode())
        h.update(hashlib.sha256(p.read_bytes()).digest())
    h.update(f"{lang}|{generate}".encode())
    if layers is not None and len(layers) > 1:
        h.update(("layers=" + ",".join(map(str, layers))).encode())
    return h.hexdigest()[:32]


class MatcherCache:
    """One matcher per text language over the same glossaries, each built on first use, then kept.

    Call it with a language to get that language's matcher: it is the `matcher_for` that the
    normalise stage, name checks and `align --check-names` take.
    """

    def __init__(
        self,
        specs: Iterable[str],
        *,
        generate: bool = True,
        cache: bool = True,
        cache_dir: str | Path | None = None,
    ) -> None:
        self.specs = tuple(specs)
        self.generate, self.cache, self.cache_dir = generate, cache, cache_dir
        self._matchers: dict[str | None, GlossaryMatcher] = {}

    @classmethod
    def from_options(cls, opts: NormaliseOptions) -> MatcherCache:
        """The matchers of the glossaries and options of a config's `normalise` section."""
        return cls(
            opts.glossaries, generate=opts.generate_variants, cache=opts.cache, cache_dir=opts.cache_dir
        )

    def __call__(self, lang: str | None) -> GlossaryMatcher:
        if lang not in self._matchers:
            self._matchers[lang] = load_matcher(
                self.specs, lang, generate=self.generate, cache=self.cache, cache_dir=self.cache_dir
            )
        return self._matchers[lang]

    @property
    def signature(self) -> str:
        """The glossaries' names, versions and hash (the same for every language's matcher)."""
        first = next(iter(self._matchers.values()), None)
        return (first or self(None)).signature


def load_matcher(
    specs: Iterable[str],
    lang: str | None = None,
    *,
    generate: bool = True,
    cache: bool = True,
    cache_dir: str | Path | None = None,
) -> GlossaryMatcher:
    """A matcher for glossaries given by path or name, from the compile cache when it is current.

    The cache file is keyed by the glossary files' contents, `lang`, and the code that compiles
    them. It holds data only (JSON, UTF-8 text and integer arrays, never pickle), so a file planted
    in a shared cache folder cannot run code; a file that is stale, corrupt, tampered with (its
    SHA-256 does not match) or inconsistent is ignored and rebuilt. `cache=False` always compiles.
    """
    specs = list(specs)
    paths = resolve_glossaries(specs)
    folder = Path(cache_dir) if cache_dir else _cache_dir()
    layers = [len(resolve_glossaries([spec])) for spec in specs]
    key = cache_key(paths, lang, generate, layers)
    target = folder / f"{key}{CACHE_SUFFIX}"
    if cache and target.exists():
        try:
            return _read_cache(target, key, _cache_limit(paths))
        except (OSError, ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError) as exc:
            log.warning("ignoring matcher cache %s and rebuilding it: %s", target, exc)
    glossary = load_glossaries(specs)  # each spec one layer (`glossary.overlay`)
    matcher = GlossaryMatcher(glossary, lang, generate=generate)
    if cache:
        _save(matcher, target, key)
    return matcher


# The cache file: MAGIC, then the sections one after another, then a JSON trailer (format, key,
# byte order, each section's name and length, SHA-256 of the sections), then the trailer's length
# as 8 ASCII hex digits. The trailer comes last so that sections are written (and hashed) one at a
# time, without the whole file in memory.
CACHE_SUFFIX = ".matcher"
MAGIC = b"transnorm-matcher\n"
_SECTIONS = ("meta", "entries", "keys", "search", "flags", "roff", "rentry", "rtmpl")
_ARRAYS = {"roff": "I", "rentry": "i", "rtmpl": "I"}


class CacheError(ValueError):
    """A matcher cache file that cannot be used (stale, corrupt, tampered with): it is rebuilt."""


def _cache_limit(paths: Sequence[Path]) -> int:
    """The largest cache file worth reading: far more than the glossaries could ever compile to."""
    return 64 * sum(p.stat().st_size for p in paths) + (64 << 20)


def _sections(matcher: GlossaryMatcher) -> Iterator[tuple[str, Iterable[bytes]]]:
    """Each cache section as chunks of bytes (generated lazily: a large glossary is large)."""
    sources = list(dict.fromkeys(e.source for e in matcher.entries))
    where = {s: i for i, s in enumerate(sources)}
    meta = {
        "lang": matcher.lang,
        "files": [[f.path, f.name, f.version, f.sha256] for f in matcher.glossary.files],
        "sources": sources,
        "templates": [[k, r, sorted(p), sorted(w), d, u] for k, r, p, w, d, u in matcher._templates],
        "given": {
            form: [[i, *ending] for i, ending in owners.items()] for form, owners in matcher.given.items()
        },
        "entries": len(matcher.entries),
        "multi": matcher._multi,
    }
    yield "meta", [json.dumps(meta, ensure_ascii=False).encode()]
    yield "entries", _json_lines(_entry_row(e, where) for e in matcher.entries)
    yield "keys", _lines(matcher._keys)
    yield "search", _lines(matcher._search_keys())
    yield "flags", [bytes(matcher._flags)]
    for name, code in _ARRAYS.items():
        values = getattr(matcher, f"_{name}")
        assert values.typecode == code
        yield name, [values.tobytes()]


def _json_lines(rows: Iterable[object]) -> Iterator[bytes]:
    """Rows as JSON, one per line (JSON escapes line breaks inside strings), in chunks."""
    batch: list[str] = []
    for row in rows:
        batch.append(json.dumps(row, ensure_ascii=False))
        if len(batch) == 8192:
            yield ("\n".join(batch) + "\n").encode()
            batch = []
    if batch:
        yield ("\n".join(batch) + "\n").encode()


def _parse_json_lines(blob: bytes, chunk: int = 8192) -> Iterator[object]:
    """The rows of `_json_lines`, parsed a chunk at a time (all of them at once would double the
    memory a large glossary's entries take while they are converted)."""
    lines = blob.split(b"\n")
    if lines.pop() != b"":
        raise CacheError("rows not terminated")
    for i in range(0, len(lines), chunk):
        yield from json.loads(b"[" + b",".join(lines[i : i + chunk]) + b"]")


def _lines(texts: Iterable[str], chunk: int = 65536) -> Iterator[bytes]:
    """Texts without line breaks as UTF-8 lines, in chunks."""
    batch: list[str] = []
    for text in texts:
        batch.append(text)
        if len(batch) == chunk:
            yield ("\n".join(batch) + "\n").encode()
            batch = []
    if batch:
        yield ("\n".join(batch) + "\n").encode()


def _split_lines(blob: bytes, count: int) -> list[str]:
    lines = blob.decode("utf-8").split("\n")
    if lines.pop() != "" or len(lines) != count:
        raise CacheError("pattern count differs")
    return lines


def _entry_row(e: Entry, where: Mapping[str, int]) -> list[object]:
    """An entry as one JSON line (its source file as an index into the meta section's `sources`)."""
    fields = [
        e.id,
        dict(e.canonical),
        e.type,
        dict(e.native),
        e.variants,
        e.gender,
        e.surname_unambiguous,
        e.role,
    ]
    return [*fields, where[e.source], e.line, sorted(e.keys)]


def _save(matcher: GlossaryMatcher, target: Path, key: str) -> None:
    """Write the cache file beside its final name, then rename it into place (never half-written)."""
    tmp = None
    try:
        _make_private_dirs(target.parent)
        _remove_stale_partials(target.parent)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".", suffix=".tmp")  # mode 0600
        digest = hashlib.sha256()
        lengths = []
        with os.fdopen(fd, "wb") as fh:
            fh.write(MAGIC)
            for name, chunks in _sections(matcher):
                size = 0
                for chunk in chunks:
                    fh.write(chunk)
                    digest.update(chunk)
                    size += len(chunk)
                lengths.append([name, size])
            trailer = {
                "format": FORMAT_VERSION,
                "key": key,
                "byteorder": sys.byteorder,
                "itemsize": {name: array(code).itemsize for name, code in _ARRAYS.items()},
                "sections": lengths,
                "sha256": digest.hexdigest(),
            }
            blob = json.dumps(trailer).encode()
            fh.write(blob + b"%08x" % len(blob))
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
        tmp = None
    except OSError as exc:  # a read-only cache folder only costs time
        log.warning("cannot write matcher cache %s: %s", target, exc)
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _remove_stale_partials(folder: Path, age: float = 3600.0) -> None:
    """Remove half-written cache files left by a killed run (an hour old: no writer is still at it)."""
    cutoff = time.time() - age
    for path in folder.glob(".*.tmp"):
        with contextlib.suppress(OSError):
            if path.stat().st_mtime < cutoff:
                path.unlink()


def _make_private_dirs(folder: Path) -> None:
    """Create `folder` and its missing parents with mode 0700 (only the user may plant files there)."""
    missing = []
    while not folder.is_dir():
        missing.append(folder)
        if folder.parent == folder:
            break
        folder = folder.parent
    for path in reversed(missing):
        with contextlib.suppress(FileExistsError):
            os.mkdir(path, 0o700)


def _read_cache(path: Path, key: str, limit: int) -> GlossaryMatcher:
    """The matcher stored in `path`, after checking its format, key, checksum and consistency."""
    # no symlinks (to /dev/zero, say), and no blocking on a FIFO planted under the cache file's name
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise CacheError("not a regular file")
        size = info.st_size
        if size > limit:
            raise CacheError(f"{size} bytes, more than the {limit} a cache of these glossaries can need")
        if size < len(MAGIC) + 8 or fh.read(len(MAGIC)) != MAGIC:
            raise CacheError("not a transnorm matcher cache")
        fh.seek(size - 8)
        trailer_len = int(fh.read(8), 16)
        body_end = size - 8 - trailer_len
        if body_end < len(MAGIC):
            raise CacheError("truncated")
        fh.seek(body_end)
        trailer = json.loads(fh.read(trailer_len))
        if not isinstance(trailer, dict) or trailer.get("format") != FORMAT_VERSION:
            raise CacheError("written by another version of transnorm")
        if trailer.get("key") != key or trailer.get("byteorder") != sys.byteorder:
            raise CacheError("made for other glossaries or another machine")
        if trailer.get("itemsize") != {name: array(code).itemsize for name, code in _ARRAYS.items()}:
            raise CacheError("made on another machine")
        sections = trailer["sections"]
        if [name for name, _ in sections] != list(_SECTIONS) or sum(n for _, n in sections) != body_end - len(
            MAGIC
        ):
            raise CacheError("unexpected layout")
        fh.seek(len(MAGIC))
        digest = hashlib.sha256()
        parts: dict[str, bytes] = {}
        for name, n in sections:  # one section at a time: the file is never in memory twice
            parts[name] = fh.read(n)
            digest.update(parts[name])
    if digest.hexdigest() != trailer.get("sha256"):
        raise CacheError("checksum mismatch (corrupt or tampered with)")
    return _restore(parts)


def _restore(parts: dict[str, bytes]) -> GlossaryMatcher:
    """Rebuild a matcher from checked cache sections; anything inconsistent raises `CacheError`.

    Each section is dropped as soon as it is parsed, so that peak memory stays near the result's.
    """
    meta = json.loads(parts.pop("meta"))
    matcher = GlossaryMatcher.__new__(GlossaryMatcher)
    matcher.lang = _optional_str(meta["lang"])
    files = tuple(GlossaryFile(*(_str(v) for v in f)) for f in meta["files"])
    sources = [_str(s) for s in meta["sources"]]
    entries = _entries(_parse_json_lines(parts.pop("entries")), sources)
    if len(entries) != meta["entries"]:
        raise CacheError("entry count differs")
    matcher.entries = tuple(entries)
    matcher.glossary = Glossary(matcher.entries, files)
    matcher._templates = [_template(t) for t in meta["templates"]]
    n_entries = len(entries)
    matcher.given = {
        _str(form): {_index(i, n_entries): (_str(suffix), _str(dropped)) for i, suffix, dropped in owners}
        for form, owners in meta["given"].items()
    }
    flags = bytearray(parts.pop("flags"))
    n = len(flags)
    keys = _split_lines(parts.pop("keys"), n)
    search = _split_lines(parts.pop("search"), n)
    matcher._keys = keys
    matcher._multi = [tuple(_index(p, n) for p in group) for group in meta["multi"]]
    matcher._flags = flags
    matcher._lengths = array("I", map(len, keys))
    for name, code in _ARRAYS.items():
        values = array(code)
        values.frombytes(parts.pop(name))
        setattr(matcher, f"_{name}", values)
    roff, rentry, rtmpl = matcher._roff, matcher._rentry, matcher._rtmpl
    if len(roff) != n + 1 or roff[0] != 0 or roff[-1] != len(rentry):
        raise CacheError("pattern tables differ in length")
    if len(rtmpl) != len(rentry) or any(a > b for a, b in pairwise(roff)):
        raise CacheError("reading offsets out of order")
    if rentry and (min(rentry) < 0 or max(rentry) >= n_entries or max(rtmpl) >= len(matcher._templates)):
        raise CacheError("reading out of range")
    if matcher._flags and max(matcher._flags) > _ACRONYM:
        raise CacheError("unknown pattern flag")
    if any(not search[p] or search[p] != search[group[0]] for group in matcher._multi for p in group):
        raise CacheError("inconsistent pattern groups")
    matcher._build_automata(search)
    return matcher


def _str(value: object) -> str:
    if not isinstance(value, str):
        raise CacheError(f"expected a string, found {type(value).__name__}")
    return value


def _optional_str(value: object) -> str | None:
    return None if value is None else _str(value)


def _index(value: object, size: int) -> int:
    if type(value) is not int or not 0 <= value < size:
        raise CacheError("index out of range")
    return value


def _template(value: object) -> _Template:
    kind, rule, plain, with_given, dropped, upper = value  # type: ignore[misc]
    if kind not in (FULL, SURNAME, NAME) or not isinstance(upper, bool):
        raise CacheError("bad reading")
    return (
        kind,
        _str(rule),
        frozenset(map(_str, plain)),
        frozenset(map(_str, with_given)),
        _str(dropped),
        upper,
    )


def _entries(rows: Iterable[Any], sources: Sequence[str]) -> list[Entry]:
    """Entries from their JSON rows, every field's type checked (a tampered file must not crash a run)."""
    out = []
    n = len(sources)
    kinds = {t: t for t in TYPES}  # one string object per type, not one per entry
    for row in rows:
        eid, canonical, kind, native, variants, gender, unambiguous, role, source, line, keys = row
        if (
            type(eid) is not str
            or type(canonical) is not dict
            or type(canonical.get("en")) is not str
            or type(native) is not dict
            or type(variants) is not list
            or kind not in TYPES
            or (gender is not None and gender not in GENDERS)
            or type(unambiguous) is not bool
            or (role is not None and type(role) is not str)
            or type(source) is not int
            or not 0 <= source < n
            or type(line) is not int
            or not all(type(v) is str for v in canonical.values())  # JSON keys are always strings
            or not all(type(v) is str for v in native.values())
            or not all(type(v) is str for v in variants)
            or type(keys) is not list
            or not all(type(k) is str for k in keys)
        ):
            raise CacheError(f"bad entry {eid!r}"[:80])
        out.append(
            Entry(
                eid,
                canonical,
                kinds[kind],
                native or NO_FORMS,
                tuple(variants),
                gender,
                unambiguous,
                role,
                sources[source],
                line,
                frozenset(keys),
            )
        )
    return out
