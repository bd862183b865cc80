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
unambiguous, and only when written with a capital letter. Compiled matchers are pickled in a cache
keyed by the glossary files' hashes, the language and the transliteration tables (`load_matcher`).
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import tempfile
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

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
from transnorm.normalise.glossary import Entry, Glossary, load_glossaries, resolve_glossaries

log = logging.getLogger(__name__)

FORMAT_VERSION = 7  # bump when the pickled layout or the matching rules change
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
_CONTEXT_CASED = frozenset("Σσς")  # letters whose lower case depends on their neighbours


class Owner(NamedTuple):
    """One reading of a pattern: which entity, as what kind of mention, made by which rule.

    A named tuple (not a dataclass) because a large glossary has ~500k of them and they are pickled.
    """

    entry: int
    kind: str
    rule: str
    plain: frozenset[str]
    with_given: frozenset[str] = frozenset()
    dropped: str = ""  # a stem pattern: this ending was dropped and a suffix is required
    upper: bool = False  # an acronym (NATO, UN): only matched when written in capitals


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
    """Finds glossary entities in text of one language and computes their canonical replacements."""

    def __init__(self, glossary: Glossary, lang: str | None = None, *, generate: bool = True) -> None:
        import ahocorasick

        self.glossary = glossary
        self.lang = lang
        self.entries: tuple[Entry, ...] = glossary.entries
        owners: dict[str, dict[tuple[int, str, str], Owner]] = defaultdict(dict)
        # folded given-name form -> entry -> (case ending, ending it replaced)
        self.given: dict[str, dict[int, tuple[str, str]]] = defaultdict(dict)
        for idx, entry in enumerate(self.entries):
            self._add_entry(idx, entry, owners, generate)
        _drop_shadowed(owners)
        self._owners: list[tuple[Owner, ...]] = []
        self._lengths: list[int] = []
        self._keys: list[str] = []  # folded pattern (an acronym: as written), checked on every hit
        self._flags: list[int] = []
        groups: dict[str, list[int]] = defaultdict(list)
        self.acronyms = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        for key, readings in owners.items():
            pid = len(self._owners)
            self._owners.append(tuple(readings.values()))
            self._lengths.append(len(key))
            self._keys.append(key)
            if not all(o.upper for o in readings.values()):
                self._flags.append(_SHORT if len(key) <= _SHORT_KEY else _LONG)
                groups[" " + boundary_text(key)].append(pid)
            elif _CONTEXT_CASED.isdisjoint(key):
                self._flags.append(_ACRONYM)
                groups[" " + boundary_text(fold_text(key))].append(pid)
            else:  # its fold depends on the letters around it (final sigma): searched in the original text
                self._flags.append(_ACRONYM)
                self.acronyms.add_word(key, pid)
        self._build_automaton(groups)
        self.acronyms.make_automaton()
        self.patterns = len(self._owners)
        self.given = dict(self.given)

    def _build_automaton(self, groups: dict[str, list[int]]) -> None:
        """One automaton over `boundary_text`: patterns that look alike there share one group."""
        import ahocorasick

        self.automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        self._groups: list[tuple[int, ...]] = []
        for bkey, pids in groups.items():
            self.automaton.add_word(bkey, len(self._groups))
            # an acronym after the folded pattern of the same letters, as the two were found before
            self._groups.append(tuple(sorted(pids, key=lambda p: self._flags[p] == _ACRONYM)))
        self.automaton.make_automaton()

    # ----------------------------------------------------------------------------- building

    def _add_entry(self, idx: int, entry: Entry, owners: dict[str, dict], generate: bool) -> None:
        person = entry.type == "person"
        forms = [(text, EXPLICIT) for text, _ in entry.explicit_forms()]
        if generate:
            forms += _generated_forms(entry)
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
        owners: dict[str, dict],
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
        owners[key].setdefault(
            (idx, kind, ""), Owner(idx, kind, rule, ends.plain, ends.with_given, "", upper)
        )
        if kind == FULL or upper:
            return
        for stem in inflection.stems(self.lang, key):
            reading = Owner(idx, kind, rule, stem.suffixes, dropped=stem.dropped)
            owners[stem.stem].setdefault((idx, kind, stem.dropped), reading)

    def readings(self) -> Iterator[tuple[str, tuple[Owner, ...]]]:
        """Every folded pattern with its readings (for `glossary expand` and the near-variant index)."""
        for pid, key in enumerate(self._keys):
            yield key, tuple(Owner._make(o) for o in self._owners[pid])

    def __getstate__(self) -> dict[str, object]:
        """Compact pickled form: plain tuples load several times faster than named tuples or dataclasses."""
        return {
            "files": self.glossary.files,
            "entries": [astuple_entry(e) for e in self.entries],
            "lang": self.lang,
            "given": self.given,
            "owners": [tuple(tuple(o) for o in readings) for readings in self._owners],
            "lengths": self._lengths,
            "keys": self._keys,
            "flags": self._flags,
            "groups": self._groups,
            "automaton": self.automaton,
            "acronyms": self.acronyms,
        }

    def __setstate__(self, state: dict[str, object]) -> None:
        self.entries = tuple(Entry(*t) for t in state["entries"])  # type: ignore[attr-defined]
        self.glossary = Glossary(self.entries, state["files"])  # type: ignore[arg-type]
        self.lang = state["lang"]  # type: ignore[assignment]
        self.given = state["given"]  # type: ignore[assignment]
        self._owners = state["owners"]  # type: ignore[assignment]
        self._lengths = state["lengths"]  # type: ignore[assignment]
        self._keys = state["keys"]  # type: ignore[assignment]
        self._flags = state["flags"]  # type: ignore[assignment]
        self._groups = state["groups"]  # type: ignore[assignment]
        self.automaton = state["automaton"]
        self.acronyms = state["acronyms"]
        self.patterns = len(self._owners)

    # ----------------------------------------------------------------------------- matching

    def find(self, text: str, folded: str | None = None) -> list[Mention]:
        """Every mention in `text` (NFC), non-overlapping, leftmost-longest; surnames not yet resolved."""
        folded = fold_text(text) if folded is None else folded
        found: list[Mention] = []
        lengths, keys, flags, groups = self._lengths, self._keys, self._flags, self._groups
        for end_pos, gid in self.automaton.iter(" " + boundary_text(folded)):
            for pid in groups[gid]:
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
        for owner in self._owners[pid]:
            mention = self._accept(text, folded, owner, start, stem_end, end, suffix)
            if mention is not None:
                found.append(mention)

    def _accept(
        self, text: str, folded: str, owner: Owner, start: int, stem_end: int, end: int, suffix: str
    ) -> Mention | None:
        # positional: readings are plain tuples once a matcher comes back from the cache
        entry, kind, base_rule, plain, with_given, dropped, upper = owner
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


def astuple_entry(entry: Entry) -> tuple:
    """An entry's fields in order, as `Entry(*fields)` takes them back."""
    return tuple(getattr(entry, f) for f in Entry.__dataclass_fields__)


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


def _drop_shadowed(owners: dict[str, dict[tuple[int, str, str], Owner]]) -> None:
    """A generated spelling that is another entity's explicit spelling belongs to that entity only."""
    for key, readings in owners.items():
        explicit = {o.entry for o in readings.values() if o.rule == EXPLICIT and not o.dropped}
        if not explicit:
            continue
        for k in [k for k, o in readings.items() if o.entry not in explicit and o.rule != EXPLICIT]:
            del readings[k]
        if not readings:
            log.debug("pattern %r lost every reading", key)


def _generated_forms(entry: Entry) -> list[tuple[str, str]]:
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


def generated_forms(entry: Entry) -> list[tuple[str, str]]:
    """Public view of the generated spellings of one entry (for `transnorm glossary expand`)."""
    return _generated_forms(entry)


# ------------------------------------------------------------------------------------- caching


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "transnorm" / "matchers"


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


def cache_key(paths: Sequence[Path], lang: str | None, generate: bool) -> str:
    h = hashlib.sha256(_code_fingerprint().encode())
    for p in paths:
        h.update(str(p.resolve()).encode())
        h.update(hashlib.sha256(p.read_bytes()).digest())
    h.update(f"{lang}|{generate}".encode())
    return h.hexdigest()[:32]


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
    them; a corrupt or stale cache file is rebuilt. `cache=False` always compiles.
    """
    specs = list(specs)
    paths = resolve_glossaries(specs)
    folder = Path(cache_dir) if cache_dir else _cache_dir()
    key = cache_key(paths, lang, generate)
    target = folder / f"{key}.pickle"
    if cache and target.exists():
        try:
            with target.open("rb") as fh:
                matcher = pickle.load(fh)
            if isinstance(matcher, GlossaryMatcher):
                return matcher
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError) as exc:
            log.warning("ignoring unreadable matcher cache %s: %s", target, exc)
    glossary = load_glossaries(specs)  # each spec one layer (`glossary.overlay`)
    matcher = GlossaryMatcher(glossary, lang, generate=generate)
    if cache:
        _save(matcher, target)
    return matcher


def _save(matcher: GlossaryMatcher, target: Path) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(matcher, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, target)
    except OSError as exc:  # a read-only cache folder only costs time
        log.warning("cannot write matcher cache %s: %s", target, exc)
