"""Unknown near-variants: words that look like a glossary name but are none of its known spellings.

For `transnorm check-names`, to be reviewed by a person and never rewritten. Two questions, in order:

1. Does the word behave like a name? It is capitalised, not covered by a glossary match, not seen in
   lower case anywhere in the corpus (French `marine`, English `grand`), not right after an article
   (`der Grund`), not a given name followed by its surname (`Johannes Wilhelm`), and, when the
   document writes another person's given name in front of it (`Ari Fleischer`, `Dwi Haris`), it is
   that other person's surname in the whole document.
2. Whose name could it be? Its transliteration skeleton (`skeleton.py`) must equal that of a
   surname form of a glossary entity, with the same initial (vowel or consonant) and no gender
   contradiction (Lavrova is not Lavrov); an inflected word is also tried without the case endings
   its language allows (Chodorkowskiego). The score starts from `translit_similarity`, which is 1.0
   for one name spelled by two conventions (Szojgu/Shoigu) and lower for a different word with the
   same consonants (Frage/Farage 0.83); the entity's given name in front of the word, or a known
   spelling of the same entity elsewhere in the document, removes part of the remaining doubt.

Measured in `benchmarks/bench_near_variants.py` (OFAC aliases, variants from transliteration schemes
held out of the glossary, and NTREX German/French/Polish references).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from functools import cache

from transnorm.normalise import inflection
from transnorm.normalise.fold import fold_text
from transnorm.normalise.matcher import NAME, SURNAME, GlossaryMatcher
from transnorm.normalise.skeleton import name_gender, romanise, skeleton, translit_form, translit_similarity

WORD_RE = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
# A capitalised word after an article or article-preposition is a noun, not a name (der Grund, la Marine).
DETERMINERS = frozenset(
    [
        "the",
        "a",
        "an",
        "der",
        "die",
        "das",
        "den",
        "dem",
        "des",
        "ein",
        "eine",
        "einer",
        "eines",
        "einem",
        "einen",
        "im",
        "am",
        "zum",
        "zur",
        "vom",
        "beim",
        "ins",
        "le",
        "la",
        "les",
        "un",
        "une",
        "du",
        "au",
        "aux",
        "el",
        "los",
        "las",
        "una",
        "del",
        "al",
        "il",
        "lo",
        "gli",
        "uno",
    ]
)
# Capitalised words that stand before a surname without being a given name (folded; compounds such
# as Außenminister or Kreml-Sprecher are matched by their ending).
TITLE_ENDINGS = (
    "president",
    "prasident",
    "prasidentin",
    "minister",
    "ministerin",
    "chancellor",
    "kanzler",
    "kanzlerin",
    "secretary",
    "sekretar",
    "spokesman",
    "spokeswoman",
    "sprecher",
    "sprecherin",
    "premier",
    "chef",
    "chefin",
    "general",
    "senator",
    "governor",
    "gouverneur",
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "herr",
    "frau",
    "sir",
    "lord",
    "king",
    "queen",
    "prince",
    "pope",
    "monsieur",
    "madame",
    "mme",
    "pan",
    "pani",
    "leader",
    "boss",
)
PARTICLES = frozenset(
    ["al", "el", "bin", "ben", "ibn", "abu", "ul", "von", "van", "de", "der", "da", "di", "du", "le", "la"]
)
DEFAULT_MIN_SCORE = 0.9
_MIN_CANDIDATE_LETTERS = 4
_MIN_SKELETON = 2
_SHORT_SKELETON = 2  # keys this short (Shoigu: SG, Vaino: Vn) need the same transliteration form,
_SHORT_ALONE_LETTERS = 6  # and, without support from the document, this many letters (Szojgu, not Maß)
# Languages that capitalise every noun: there a capital letter is no sign of a name.
NOUN_CAPITALISING = frozenset(["de", "lb"])
# How much of the doubt (1 - similarity) is left when the document supports the entity.
_GIVEN_NAME_DOUBT = 0.4  # the entity's given name right before the word
_GIVEN_VARIANT_DOUBT = 0.7  # a spelling of it with the same skeleton (Aleksandr / Aliaksandr)
_SAME_DOCUMENT_DOUBT = 0.7  # a known spelling of the entity elsewhere in the document
# Between two words of one name: a space, perhaps with quotes (Johannes Wilhelm „Hans“ Geiger).
_NAME_GAP = re.compile(r"[\"'“”„«»‘’‚‹›]*[ \u00a0\u202f]+[\"'“”„«»‘’‚‹›]*[ \u00a0\u202f]*")
_SENTENCE_END = re.compile(r"(?:^|[.!?…:;]['\"’”»)\]]*)\s*['\"‘“„«(\[]*\s*$")


@dataclass(frozen=True)
class Suggestion:
    """A word that looks like a glossary entity's name but is not one of its known spellings."""

    text: str
    entity: str
    canonical: str
    score: float
    matched_form: str
    evidence: tuple[str, ...] = ()  # "given-name", "same-document", "title", "inflection:-ego"


@dataclass(frozen=True)
class Context:
    """What one document says around a candidate word (all its occurrences there).

    `before`: folded capitalised words written right before an occurrence, mid-sentence (a given
    name, a title or another person's given name). `entities`: indexes of the glossary entries the
    document mentions by a known spelling.
    """

    before: frozenset[str] = frozenset()
    entities: frozenset[int] = frozenset()


_NO_CONTEXT = Context()


class NearVariantIndex:
    """Surname and one-word name spellings of a glossary, keyed by transliteration skeleton."""

    def __init__(self, matcher: GlossaryMatcher) -> None:
        self.matcher = matcher
        self.known: set[str] = set()
        self.by_key: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for key, owners in matcher.readings():
            for owner in owners:
                if owner.dropped:
                    continue
                if " " not in key:
                    self.known.add(key)
                if owner.kind not in (SURNAME, NAME) or (owner.kind == NAME and " " in key):
                    continue
                form = _core(key) if " " in key else key
                sk = skeleton(form)
                if form and len(sk) >= _MIN_SKELETON and (owner.entry, form) not in self.by_key[sk]:
                    self.by_key[sk].append((owner.entry, form))
        self._suffixes = inflection.suffixes(matcher.lang)
        self._may: dict[str, frozenset[int]] = {}  # entities_for, per word
        # entity -> its given names with conventions undone, so that Dmitrij supports Peskoff too
        # and their skeletons, so that Mohammed before a surname of Muhammad Al-Sahhaf is no stranger
        self.given_forms: dict[int, set[str]] = defaultdict(set)
        self.given_keys: dict[int, set[str]] = defaultdict(set)
        for form, owners in matcher.given.items():
            for idx in owners:
                self.given_forms[idx].add(translit_form(form))
                self.given_keys[idx].add(skeleton(form))

    def may_suggest(self, word: str) -> bool:
        """A cheap pre-filter of `suggest`: some reading of `word` shares a skeleton with a glossary form.

        `check-names` keeps only such words of each document until the whole corpus is read, so its
        memory does not grow with every capitalised word of every document.
        """
        known = self._may.get(word)  # the memo read inline: this runs for every capitalised word
        return bool(known if known is not None else self.entities_for(word))

    def entities_for(self, word: str) -> frozenset[int]:
        """The glossary entries `suggest` could propose for `word` (memoised): only they matter in its context."""
        known = self._may.get(word)
        if known is None:
            readings = self._readings(word, fold_text(word))
            known = frozenset(idx for b, _, _ in readings for idx, _ in self.by_key.get(skeleton(b), ()))
            self._may[word] = known
        return known

    def suggest(
        self,
        word: str,
        *,
        min_score: float = DEFAULT_MIN_SCORE,
        common: Collection[str] = frozenset(),
        context: Context | None = None,
    ) -> Suggestion | None:
        """The best entity for an unknown `word`, or None when none scores `min_score` or more.

        `common` holds words seen in lower case in the corpus: those are ordinary words (French
        "mais", "marine"), not names, and are never suggested. `context` is what the word's document
        says around it (see `Context`). Without a context the word is judged alone: the caller
        vouches that it is a name (even in German), and only same-sounding spellings (score >= 0.9) pass.
        """
        judge_alone = context is None  # the caller vouches that the word is a name (cross_check_names)
        context = context or _NO_CONTEXT
        folded = fold_text(word)
        if folded in self.known or folded in common or folded in self.matcher.given:
            return None  # a known spelling, an ordinary word, or a given name (Michael, Marine)
        if len(word.split("-")) > 1 and _core(folded) in self.known:
            return None  # Al-Zawahiri when the glossary has Zawahiri
        best: dict[str, Suggestion] = {}  # entity id -> its best reading
        for base, suffix, dropped in self._readings(word, folded):
            for idx, form in self.by_key.get(skeleton(base), ()):
                found = self._score(word, base, suffix, dropped, idx, form, context, judge_alone)
                if found is not None and (found.entity not in best or found.score > best[found.entity].score):
                    best[found.entity] = found
        ranked = sorted(best.values(), key=lambda s: -s.score)
        if not ranked or ranked[0].score < min_score:
            return None
        if len(ranked) > 1 and ranked[1].score == ranked[0].score:
            return None  # two people share the name as far as the text tells (Vitali/Wladimir Klitschko)
        return ranked[0]

    def _readings(self, word: str, folded: str) -> Iterable[tuple[str, str, str]]:
        """`word` read under the conventions the skeleton does not join, then without each case ending."""
        core = _core(word) if "-" in word or " " in word else word
        seen = set()
        for spelling in _spellings(core):
            if spelling not in seen:
                seen.add(spelling)
                yield spelling, "", ""
        low = fold_text(core)
        for suffix, dropped in self._suffixes:
            if low.endswith(suffix) and len(low) - len(suffix) >= _MIN_CANDIDATE_LETTERS:
                yield core[: len(core) - len(suffix)] + dropped, suffix, dropped

    def _given(self, before: frozenset[str], idx: int) -> tuple[bool, bool]:
        """(a word before the candidate is a given name of entity `idx`, one is a variant of it)."""
        given = self.matcher.given
        exact = any(
            idx in given.get(b, ()) or translit_form(b) in self.given_forms.get(idx, ()) for b in before
        )
        return exact, exact or any(skeleton(b) in self.given_keys.get(idx, ()) for b in before)

    def _score(
        self,
        word: str,
        base: str,
        suffix: str,
        dropped: str,
        idx: int,
        form: str,
        context: Context,
        alone: bool,
    ) -> Suggestion | None:
        if _vowel_initial(base) != _vowel_initial(form):
            return None  # Ukrainian is not Krenin: a vowel-initial and a consonant-initial name differ
        entry = self.matcher.entries[idx]
        person = entry.type == "person"
        gender = name_gender(base)
        form_gender = name_gender(form) or (entry.gender if person else None)
        if gender and form_gender and gender != form_gender:
            return None  # Lavrova is not Lavrov
        given, given_variant = self._given(context.before, idx)
        if not given_variant and _foreign_given(context.before):
            return None  # Ari Fleischer is not Tom Fletcher
        same_doc = idx in context.entities
        titled = _titled(context.before)
        if not (alone or given_variant or same_doc or titled) and self.matcher.lang in NOUN_CAPITALISING:
            return None  # in German a capital says nothing: Babys, Frage, Grund need the document's support
        evidence = []
        if suffix:
            ends = inflection.endings(self.matcher.lang, fold_text(base), gender=entry.gender, person=person)
            if not dropped and suffix not in ends.plain and not (given and suffix in ends.with_given):
                return None
            evidence.append(f"inflection:-{suffix}")
        doubt = 1.0 - translit_similarity(base, form)
        if len(skeleton(form)) <= _SHORT_SKELETON and (
            doubt or not (given_variant or same_doc or titled or len(romanise(base)) >= _SHORT_ALONE_LETTERS)
        ):
            return None  # short keys collide with short words (Maß/Maas): same form, and support or length
        if given:
            doubt *= _GIVEN_NAME_DOUBT
            evidence.append("given-name")
        elif given_variant:
            doubt *= _GIVEN_VARIANT_DOUBT
            evidence.append("given-name-variant")
        if same_doc:
            doubt *= _SAME_DOCUMENT_DOUBT
            evidence.append("same-document")
        if titled:
            evidence.append("title")
        return Suggestion(
            word, entry.id, entry.canonical_for("en"), round(1.0 - doubt, 3), form, tuple(evidence)
        )


def candidates(
    text: str, covered: list[bool], keep: Callable[[str], bool] | None = None
) -> list[tuple[str, str]]:
    """(word, the capitalised word right before it or "") for the words of `text` that may be names.

    A candidate is capitalised, has 4 letters or more, is not covered by a glossary mention, is
    not written after an article, and is not followed by another capitalised word (then it is a
    given name or part of a longer proper noun: Johannes Wilhelm, Grand Prix, Tony Macaroni Arena).
    Only capitalised words are visited (one regex), and the words around each are read from the
    text next to it, so the cost is that of the capitalised words, not of every word. `keep` (such
    as `NearVariantIndex.may_suggest`) drops words early that could never be suggested anyway.
    """
    out = []
    verdicts: dict[str, bool] = {}  # word -> long enough and kept (a text repeats its capitalised words)
    for m in _cap_word_re().finditer(text):
        start = m.start()
        if covered[start]:
            continue
        word = m.group()
        verdict = verdicts.get(word)
        if verdict is None:
            verdict = verdicts[word] = len(romanise(word)) >= _MIN_CANDIDATE_LETTERS and (
                keep is None or keep(word)
            )
        if not verdict:
            continue
        prev_word = ""
        if start >= 2 and text[start - 1] == " " and text[start - 2].isalpha():  # "word Name": the usual case
            k = start - 2
            while k >= 0 and (text[k].isalpha() or (text[k] in "'’-" and k and text[k - 1].isalpha())):
                k -= 1
            prev_start, prev_word = k + 1, text[k + 1 : start - 1]
        elif start:
            prev = _PREV_WORD.search(text, max(0, start - _LOOK_BACK), start)
            if prev is not None and text[prev.end(1) : start] == " ":
                prev_start, prev_word = prev.start(1), prev.group(1)
        if prev_word and prev_word.lower() in DETERMINERS:
            continue
        nxt = _NEXT_WORD.match(text, m.end())
        if nxt is not None and _NAME_GAP.fullmatch(text, m.end(), nxt.start(1)) and nxt.group(1)[0].isupper():
            continue
        before = ""
        if prev_word and prev_word[0].isupper():
            folded = fold_text(prev_word)
            sentence_end = _SENTENCE_END.search(text, max(0, prev_start - _LOOK_BACK), prev_start)
            if _titled(frozenset([folded])) or not (covered[prev_start] or sentence_end):
                before = folded  # a title (Kreml-Sprecher), or a mid-sentence word no glossary name covers
        out.append((word, before))
    return out


_LOOK_BACK = 40
# The word (as WORD_RE reads words) that ends last before a position, and the first one after it.
_PREV_WORD = re.compile(r"(?<![^\W\d_])(?<![^\W\d_]['’-])([^\W\d_]+(?:['’-][^\W\d_]+)*)[\W\d_]*$")
_NEXT_WORD = re.compile(r"[\W\d_]*?([^\W\d_]+(?:['’-][^\W\d_]+)*)")


@cache
def _cap_word_re() -> re.Pattern[str]:
    """A WORD_RE word that starts with a capital letter.

    The look-behinds stand after the capital (one character wider): a pattern that opens with a
    character class lets `re` jump from capital to capital instead of testing every position.
    """
    up = "".join(re.escape(chr(c)) for c in range(0x10000) if chr(c).isupper() and chr(c).isalpha())
    return re.compile(rf"[{up}](?<![^\W\d_].)(?<![^\W\d_]['’-].)[^\W\d_]*(?:['’-][^\W\d_]+)*")


def context_for(occurrences: Iterable[str], entities: Iterable[int], common: Collection[str]) -> Context:
    """The `Context` of a word from the words before its occurrences in one document."""
    before = frozenset(b for b in occurrences if b and b not in common)
    return Context(before, frozenset(entities))


def _titled(before: frozenset[str]) -> bool:
    """True when a title stands before the candidate (Präsident, Kreml-Sprecher, Mr): it is a name."""
    return any(b.split()[-1].endswith(TITLE_ENDINGS) for b in before if b.strip())


def _foreign_given(before: frozenset[str]) -> bool:
    """True when a word before the candidate (not the entity's given name) reads as a given name, not a title."""
    for b in before:
        parts = b.split()  # folding made hyphens spaces: Kreml-Sprecher is a compound noun
        if len(parts) == 1 and not parts[0].endswith(TITLE_ENDINGS):
            return True
    return False


def _spellings(word: str) -> list[str]:
    """`word` and its readings under conventions whose letters the skeleton cannot join by itself.

    Spanish writes х as j (Jodorkovski, Zajarova), French ж as j (Nadejdine), Italian ч as c before
    e/i (Kovalciuk, Likhacev), Czech and Croatian ч, ш, ж with a háček (Gorbačov, which plain
    romanisation makes Gorbacov), and Czech adds -ová to women's surnames (Zacharovová, Tymošenková).
    Each reading is only a lookup key: it is scored against the glossary form like the word itself.
    """
    out = [word]
    low = word.lower()
    if any(c in low for c in "čšžř"):
        out.append(low.translate(_HACEK))
    if low.endswith("ová") and len(low) > 6:
        out += [low[:-3] + "a", low[:-3] + "o"]
    if "j" in low:
        out += [low.replace("j", "kh"), low.replace("j", "zh")]
    if re.search(r"c[ei]", low):
        out.append(_ITALIAN_C.sub("ch", low))
    return out


_HACEK = str.maketrans({"č": "ch", "š": "sh", "ž": "zh", "ř": "rzh"})
_ITALIAN_C = re.compile(r"ci(?=[aou])|c(?=[ei])")


def _core(name: str) -> str:
    """The part of a multi-word or hyphenated surname that carries it: Al-Zumar -> Zumar."""
    parts = [p for p in re.split(r"[\s\-]+", name) if p]
    while len(parts) > 1 and parts[0].lower() in PARTICLES:
        parts = parts[1:]
    return parts[-1] if len(parts) == 1 else "".join(parts)


def _vowel_initial(word: str) -> bool:
    r = romanise(word)
    return bool(r) and r[0] in "aeiouyj"
