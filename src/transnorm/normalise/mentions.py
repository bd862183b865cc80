"""Finding people's names in text that no glossary lists: "Oleg Tinkou", "Fr. Vladimir Zelinsky", "Dziuba".

One compiled regex finds runs of capitalised words (with initials, title abbreviations and name
particles: "Fr. Vladimir Zelinsky", "V. Putin", "Ursula von der Leyen"); each run is then judged:

- leading titles and roles are taken off and remembered as the mention's role class ("President",
  "Fr.", and a lower-case role right before the run: "spokesman Dmitry Peskov", "priest Vladimir");
- a run that contains an organisation word ("Moscow Helsinki Group", "Kyiv Post") or ends in a role
  is not a person;
- a run of two or three words is a person when its first word is a known given name (the Latin
  spellings of Russian and Ukrainian given names in every transliteration scheme, plus common given
  names of other languages), an initial, or a title stands before it, or its last word has a
  surname's ending (-ov, -enko, -shvili); a patronymic in the middle is skipped;
- a single capitalised word is a surname candidate, except at the start of a sentence when the
  document also writes it in lower case (sentence-initial capitals do not make a name).

`MentionFinder.find(text)` returns `NameMention`s; `link_surnames` then ties each surname written
alone to a full name of the same document (Degtyarev ... Mikhail Degtyarev), which is what lets a
surname be counted under its person. Works on Latin and Cyrillic text alike (source segments).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from transnorm.normalise import _people_data as data
from transnorm.normalise.fold import fold_text
from transnorm.normalise.skeleton import name_gender, similarity, translit_form, translit_similarity

_fold = lru_cache(maxsize=200_000)(fold_text)


@cache
def _upper_class() -> str:
    """A regex character class of every upper-case letter (Latin, Cyrillic, Greek, ...)."""
    chars = [chr(c) for c in range(0x10000) if chr(c).isupper() and chr(c).isalpha()]
    escaped = "".join(re.escape(c) for c in chars)
    return f"[{escaped}]"


_PARTICLES = "|".join(data.PARTICLES)
_TITLE_ABBR = "Fr|Mr|Mrs|Ms|Dr|Gen|Col|Lt|Sgt|Capt|Maj|Prof|Rev|St|Sen|Rep|Gov|Mme|Hr|Pr"


@cache
def _sequence_re() -> re.Pattern[str]:
    """Runs of capitalised words: `(?<![\\w'’\\-.]){token}(?:{gap}{token})*(?![\\w\\-])`.

    The first token is written capital letter first, with its look-behind after that letter: a
    pattern that opens with a character class lets `re` jump from capital to capital instead of
    trying the look-behind at every position of the text (a third less time, same matches).
    """
    up = _upper_class()
    word = rf"{up}[^\W\d_]*(?:['’\-]{up}?[^\W\d_]+)*"
    token = rf"(?:(?:{_TITLE_ABBR})\.|{up}\.(?=[ \u00a0]{up})|{word})"
    gap = rf"[ \u00a0]+(?:(?:{_PARTICLES})[ \u00a0]+)*"
    # `token` with its first letter taken out front, the alternatives in the same order
    abbr = "|".join(rf"(?<={a[0]}){a[1:]}\." for a in _TITLE_ABBR.split("|"))
    first = rf"{up}(?<![\w'’\-.].)(?:{abbr}|\.(?=[ \u00a0]{up})|[^\W\d_]*(?:['’\-]{up}?[^\W\d_]+)*)"
    return re.compile(rf"{first}(?:{gap}{token})*(?![\w\-])")


_LOWER_WORD = re.compile(r"\b[^\W\d_A-ZÀ-ÞА-ЯЁІЇЄҐ]+\b")
_POSSESSIVE = ("'s", "’s", "'", "’")
_MAX_NAME_WORDS = 3
_MIN_SURNAME_LETTERS = 3
SURNAME_LINK_MIN = 0.8  # translit similarity for a surname alone to join a full name in its document


@dataclass(frozen=True, slots=True)
class NameMention:
    """One name-like run in a text.

    `given` is "" for a surname written alone; `role` is the role class of a title before the name
    ("clergy", "politics", ...) or ""; `start`/`end` cover the name without its title.
    `sentence_initial`: the name is the first word of a sentence.
    """

    start: int
    end: int
    given: str
    surname: str
    role: str = ""
    sentence_initial: bool = False

    @property
    def text(self) -> str:
        """The spelling as the report shows it: "Given Surname", or the surname alone."""
        return f"{self.given} {self.surname}" if self.given else self.surname

    @property
    def full(self) -> bool:
        return bool(self.given)


@dataclass(frozen=True, slots=True)
class GivenName:
    """A known given name: its group (Vladimir and Volodymyr share one) and gender ('m', 'f' or None)."""

    group: str
    gender: str | None


@cache
def given_names() -> dict[str, GivenName]:
    """Latin and Cyrillic given names, keyed by `translit_form` (every scheme's spellings of each)."""
    from transnorm import _translit_tables, translit

    table: dict[str, GivenName] = {}

    def add(form: str, name: GivenName) -> None:
        key = translit_form(form)
        if key and key not in table:
            table[key] = name

    pairs = list(data.RU_UK_GIVEN)
    known = {ru for ru, _ in pairs} | {uk for _, uk in pairs}
    pairs += [(ru, ru) for ru in _translit_tables.GIVEN_NAMES["ru"] if ru not in known]
    pairs += [(uk, uk) for uk in _translit_tables.GIVEN_NAMES["uk"] if uk not in known]
    for ru, uk in pairs:
        name = GivenName(ru.replace("ё", "е"), "f" if ru in data.FEMININE_GIVEN else "m")
        for native, lang in ((ru, "ru"), (uk, "uk")):
            add(native, name)
            for variant in translit.generate_variants(native.capitalize(), source_lang=lang):
                add(variant.text, name)
    for word in sorted(data.OTHER_GIVEN):
        add(word, GivenName(word, None))
    return table


def given_name(word: str) -> GivenName | None:
    """The known given name `word` spells, or None."""
    return given_names().get(translit_form(word))


@lru_cache(maxsize=100_000)
def role_of(word: str) -> str:
    """The role class of a title word ("clergy" for Fr., Father, priest), or ""."""
    folded = _fold(word).rstrip(".").replace(" ", "-")
    if folded in data.ROLE_OF:
        return data.ROLE_OF[folded]
    last = folded.rsplit("-", 1)[-1]
    if last != folded and last in data.ROLE_OF:
        return data.ROLE_OF[last]  # Kreml-Sprecher, vice-president
    if folded.endswith(_LONG_TITLES):
        for title in _LONG_TITLES:
            if folded.endswith(title):
                return data.ROLE_OF[title]  # Außenminister, Vizepräsident
    return ""


_LONG_TITLES = tuple(sorted((t for t in data.ROLE_OF if len(t) >= 6), key=len, reverse=True))


def strip_possessive(word: str) -> str:
    """ "Putin's" -> "Putin"."""
    for ending in _POSSESSIVE:
        if word.endswith(ending) and len(word) > len(ending) + 1:
            return word[: -len(ending)]
    return word


@lru_cache(maxsize=100_000)
def has_surname_ending(word: str) -> bool:
    """True when `word` ends like a Slavic, Georgian or Armenian surname (Tinkov, Dziuba, Saakashvili)."""
    from transnorm.normalise.skeleton import romanise

    return romanise(word).endswith(data.SURNAME_ENDINGS)


def mention_gender(mention: NameMention) -> str | None:
    """The person's gender as the name tells it: the given name first, else the surname's ending."""
    if mention.given:
        known = given_name(mention.given.split()[0])
        if known is not None and known.gender:
            return known.gender
    return name_gender(mention.surname)


class MentionFinder:
    """Finds person-name mentions in texts (one instance serves every document)."""

    def __init__(self) -> None:
        self._re = _sequence_re()
        given_names()  # build the lexicon once, not inside the first document

    def find(self, text: str, lower: set[str] | None = None) -> list[NameMention]:
        """The person-name mentions of `text`, in order.

        `lower`: the words `text` writes in lower case, when the caller has them already.
        A run is judged from its own words, whether it opens a sentence and the role word before it
        (`_lone_surname`, `_judge_run`, memoised per distinct run): only the offsets are per text.
        """
        out: list[NameMention] = []
        for m in self._re.finditer(text):
            group = m.group()
            start = m.start()
            if " " not in group and "\u00a0" not in group:  # one word: most runs, kept cheap
                surname = _lone_surname(group)
                if surname is None:
                    continue
                initial = _sentence_initial(text, start)
                if initial:
                    if lower is None:
                        lower = set(_LOWER_WORD.findall(text))
                    if group.lower() in lower or _fold(group) in data.NOT_NAMES:
                        continue  # "Still", "Grand": an ordinary word at the start of a sentence
                out.append(NameMention(start, m.end(), "", surname, _role_before(text, start), initial))
                continue
            judged = _judge_run(group, _sentence_initial(text, start), _role_before(text, start))
            if judged is not None:
                offset, given, surname, role, initial = judged
                out.append(NameMention(start + offset, m.end(), given, surname, role, initial))
        return out


@lru_cache(maxsize=100_000)
def _lone_surname(word: str) -> str | None:
    """The surname a capitalised word written alone may be, or None when the word itself rules it out."""
    if word in _SKIP_WORDS or (len(word) > 1 and word.isupper()):
        return None
    surname = strip_possessive(word)
    if sum(c.isalpha() for c in surname) < _MIN_SURNAME_LETTERS or role_of(surname):
        return None
    if _fold(surname) in data.ORGANISATION_WORDS:
        return None
    return surname


@lru_cache(maxsize=100_000)
def _judge_run(run: str, initial: bool, role_before: str) -> tuple[int, str, str, str, bool] | None:
    """A run of two or more capitalised words judged: (where the name starts in `run`, given, surname,
    role, sentence-initial), or None when it is no person's name.

    `initial`: the run opens a sentence; `role_before`: the role class of the lower-case word before
    it (`_role_before`). Everything else is read from the run itself, so the result is memoised.
    """
    tokens = run.split()
    start = 0
    while tokens and _fold(tokens[0]).rstrip(".") in data.NOT_NAMES and not role_of(tokens[0]):
        if len(tokens) == 1:
            break
        start, tokens, initial = _offset(run, start, tokens, 1), tokens[1:], False
    if _fold(tokens[0]) in data.NOT_NAMES:
        return None
    # a run has two tokens or more, and one that lost a leading token is no longer sentence-initial:
    # the check of a lone sentence-initial word against the lower-case words never applies here
    role = role_before if start == 0 else _role_before(run, start)
    cut = -1
    for i, token in enumerate(tokens[:-1]):
        r = role_of(token)
        if r:
            role, cut = r, i
    if cut >= 0:
        start = _offset(run, start, tokens, cut + 1)
        tokens = tokens[cut + 1 :]
        initial = False
    folded = [_fold(t).rstrip(".") for t in tokens]
    if any(f in data.ORGANISATION_WORDS for f in folded) or role_of(tokens[-1]):
        return None
    if any(len(t) > 1 and t.isupper() and not t.endswith(".") for t in tokens):
        return None  # an acronym: NATO Secretary, TASS
    words = [t for t in tokens if _fold(t) not in _PARTICLE_SET]
    surname = strip_possessive(tokens[-1])
    particles = []
    i = len(tokens) - 2
    while i >= 0 and _fold(tokens[i]) in _PARTICLE_SET:
        particles.insert(0, tokens[i])
        i -= 1
    if particles:
        surname = " ".join([*particles, surname])
    given_tokens = [t for t in tokens[: i + 1] if not _patronymic(t)]
    known = [k for k, t in enumerate(given_tokens) if given_name(t) is not None]
    if known and known[0] > 0:  # "Sports Mikhail Degtiarev", "Lawyer Aleksandr Vayntrub"
        start = _offset(run, start, tokens, tokens.index(given_tokens[known[0]]))
        given_tokens = given_tokens[known[0] :]
        initial = False
    if len(words) > _MAX_NAME_WORDS or len(given_tokens) > 2:
        return None
    if (
        any(f in data.NOT_NAMES for f in folded[:-1])
        or sum(c.isalpha() for c in surname) < _MIN_SURNAME_LETTERS
    ):
        return None
    if not given_tokens:
        return start, "", surname, role, initial
    first = given_tokens[0]
    is_initial = len(first) == 2 and first.endswith(".")
    if not (role or is_initial or given_name(first) is not None or has_surname_ending(surname)):
        return None
    return start, " ".join(given_tokens), surname, role, initial


_PARTICLE_SET = frozenset(_PARTICLES.split("|"))
# Capitalised words that open sentences and are never names, as written (a set lookup, no folding).
_SKIP_WORDS = frozenset(w.capitalize() for w in data.NOT_NAMES)
_SPACE_OR_OPENER = frozenset(" \t\r\u00a0'\"‘“„«([–—-")
_CLOSERS = frozenset("'\"’”»)]")
_ENDERS = frozenset(".!?…:;")


def _sentence_initial(text: str, start: int) -> bool:
    """True when only spaces, quotes and brackets stand between `start` and a sentence end (or the text start)."""
    j = start - 1
    while j >= 0 and text[j] in _SPACE_OR_OPENER:
        j -= 1
    if j < 0 or text[j] == "\n":
        return True
    while j >= 0 and text[j] in _CLOSERS:
        j -= 1
    return j < 0 or text[j] in _ENDERS


def _role_before(text: str, start: int) -> str:
    """The role class of a lower-case word right before `start` (the spokesman Dmitry Peskov), or ""."""
    j = start - 1
    while j >= 0 and text[j] in " ,\u00a0":
        j -= 1
    if j < 0 or not text[j].isalpha() or text[j].isupper():
        return ""  # no word, or one with a capital: not a lower-case role word
    k = text.rfind(" ", 0, j)
    if not text[k + 1 : j + 1].isalpha():  # the usual case is one space before the word; else walk back
        k = j
        while k >= 0 and text[k].isalpha():
            k -= 1
    word = text[k + 1 : j + 1]
    return role_of(word) if word and word.islower() else ""


def _patronymic(token: str) -> bool:
    low = _fold(token)
    return len(low) > 6 and low.endswith(data.PATRONYMIC_ENDINGS)


def _offset(text: str, start: int, tokens: list[str], k: int) -> int:
    """Where token `k` of a run that starts at `start` begins."""
    pos = start
    for token in tokens[:k]:
        pos = text.index(token, pos) + len(token)
    return text.index(tokens[k], pos)


def name_similarity(a: str, b: str) -> float:
    """How alike two surnames are: conventions undone (Dziuba/Dzyuba 1.0) or letters alone (Tinkou/Tinkov 0.83)."""
    if a == b:
        return 1.0
    return _name_similarity(a, b) if a < b else _name_similarity(b, a)


@lru_cache(maxsize=500_000)
def _name_similarity(a: str, b: str) -> float:
    return max(translit_similarity(a, b), similarity(a, b))


def _too_different(a: str, b: str) -> bool:
    """A cheap bound: lengths so far apart that `name_similarity` cannot reach `SURNAME_LINK_MIN`."""
    la, lb = len(a), len(b)
    if abs(la - lb) <= (1 - SURNAME_LINK_MIN) * max(la, lb):
        return False
    ta, tb = len(translit_form(a)), len(translit_form(b))
    return abs(ta - tb) > (1 - SURNAME_LINK_MIN) * max(ta, tb, 1)


@lru_cache(maxsize=500_000)
def _link_score(alone: str, surname: str) -> float:
    """How well a surname written alone fits a full name's surname; 0.0 below the bar or across genders."""
    if alone == surname:
        return 1.0
    if _too_different(alone, surname):
        return 0.0
    score = name_similarity(alone, surname)
    if score < SURNAME_LINK_MIN:
        return 0.0
    g1, g2 = name_gender(alone), name_gender(surname)
    return 0.0 if g1 and g2 and g1 != g2 else score


def link_surnames(mentions: list[NameMention]) -> dict[int, int]:
    """For each surname written alone, the index of the full-name mention of the same text it belongs to.

    The same surname (modulo convention: translit similarity >= 0.8, no gender contradiction) of a
    full name in the same document; when several full names fit, the closest spelling, and a tie
    between two different people leaves the surname unlinked.
    """
    fulls = [(i, m) for i, m in enumerate(mentions) if m.full]
    links: dict[int, int] = {}
    if not fulls:
        return links
    full_surnames = {f.surname for _, f in fulls}
    best_for: dict[str, int] = {}  # the answer depends on the surname alone: once per distinct one
    for i, m in enumerate(mentions):
        if m.full:
            continue
        known = best_for.get(m.surname)
        if known is None:
            known = best_for[m.surname] = _best_full(m.surname, fulls, full_surnames, mentions)
        if known >= 0:
            links[i] = known
    return links


def _best_full(
    alone: str, fulls: list[tuple[int, NameMention]], full_surnames: set[str], mentions: list[NameMention]
) -> int:
    """The index of the full name that surname `alone` belongs to, or -1 (none fits, or a tie)."""
    fitting = {s for s in full_surnames if _link_score(alone, s)}
    if not fitting:
        return -1
    best, best_score, tie = -1, 0.0, False
    for j, f in fulls:
        if f.surname not in fitting:
            continue
        score = _link_score(alone, f.surname)
        if score > best_score:
            best, best_score, tie = j, score, False
        elif score == best_score and mentions[best].text != f.text:
            tie = tie or translit_form(mentions[best].given) != translit_form(f.given)
    return best if best >= 0 and not tie else -1
