"""Latin spellings of Cyrillic (Russian, Ukrainian) names, for the glossary stage.

A news text in German writes "Peskow", one in Polish "Pieskow", one in English "Peskov": the
glossary stage needs every spelling a name may take so it can find and normalise it. This module
builds them from the native Cyrillic form with rule tables (``_translit_tables``): the
international standards (BGN/PCGN, ALA-LC, ISO 9, scientific, ICAO), English Wikipedia's and the
English press's practice, and the transcription conventions of the German, French, Polish,
Spanish, Italian and Czech press, which no library covers. Rules look at the neighbouring letters
(word-initial ``е -> je``, Polish ``л -> ł`` before hard vowels) and at word endings
(``-ский -> -ski``), so one table per scheme and language is enough.

``transliterate`` applies one scheme; ``generate_variants`` collects all schemes plus the ``ё``-less
reading, the forms without apostrophes or diacritic marks that standards add, conventional
given-name spellings (Alexander, Serguéi) and Czech feminine surnames (Zacharovová).
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache

from transnorm import _translit_tables as _tables
from transnorm.errors import E_TRANSLIT_OPTION, OptionError

SCHEMES: tuple[str, ...] = (
    "en_press",
    "wikipedia",
    "bgn_pcgn",
    "ala_lc",
    "iso9",
    "scientific",
    "icao",
    "de_press",
    "fr_press",
    "pl_press",
    "es_press",
    "it_press",
    "cs_press",
)
SOURCE_LANGS: tuple[str, ...] = ("ru", "uk")

ERR_SCHEME = "unknown transliteration scheme {scheme!r}: choose one of {choices}"
ERR_SOURCE_LANG = "unsupported source language {lang!r}: transnorm transliterates names from {choices}"
ERR_GENDER = "gender must be 'm', 'f' or None, got {gender!r}"

# A Cyrillic word; in Ukrainian the apostrophe between letters belongs to it (п'ять, Мар'яна).
_WORD_RE = {
    "ru": re.compile(r"[\u0400-\u04ff]+"),
    "uk": re.compile(r"[\u0400-\u04ff]+(?:['’ʼ][\u0400-\u04ff]+)*"),
}
# Stress marks on Cyrillic letters (Солоне́вич, as Wikipedia and dictionaries write): not spelled.
_STRESS_RE = re.compile("(?<=[\u0400-\u04ff])[\u0300\u0301]")
_MAY_HAVE_STRESS_RE = re.compile("[\u0300\u0301\u0400\u040d\u0450\u045d]")
# Marks the standards add and everyday writing drops: primes, apostrophes, ALA-LC tie bars.
_MARKS_RE = re.compile("[ʹʺ’”'\"ʼ\u0361]")
# ALA-LC as most catalogues and texts write it (iuliia's "ala_lc_alt").
_ALA_LC_ASCII = str.maketrans({"ĭ": "i", "ë": "e", "ė": "e", "ʹ": "'", "ʺ": '"', "\u0361": None})
_MAX_COMBINATIONS = 64


@dataclass(frozen=True)
class Variant:
    """One Latin spelling of a name and the scheme that produced it.

    ``text`` keeps the input's capitalisation (``"Peskow"``); ``scheme`` is one of ``SCHEMES``.
    """

    text: str
    scheme: str


# ------------------------------------------------------------------------------ compiled rules


@dataclass(frozen=True)
class _Test:
    before: bool  # True: look at the previous letter, False: at the next one
    letters: frozenset[str | None]
    negate: bool

    def holds(self, prev: str | None, nxt: str | None) -> bool:
        found = (prev if self.before else nxt) in self.letters
        return found != self.negate


def _compile_condition(condition: str) -> tuple[_Test, ...]:
    tests = []
    for token in condition.split():
        negate = token.startswith("!")
        token = token.lstrip("!")
        letters: set[str | None] = set()
        for char in token[1:]:
            if char in "^$":
                letters.add(None)
            else:
                letters.update(_tables.CLASSES.get(char, char))
        tests.append(_Test(before=token[0] == "<", letters=frozenset(letters), negate=negate))
    return tuple(tests)


_Outputs = tuple[str, ...]  # alternatives, the scheme's own spelling first
_CompiledRule = _Outputs | tuple[tuple[tuple[_Test, ...], _Outputs], ...]
_MAX_WORD_FORMS = 8


@dataclass(frozen=True)
class _Scheme:
    letters: dict[str, _CompiledRule]  # single letters and digraphs (two-letter keys)
    endings: tuple[tuple[str, _Outputs], ...]  # longest first
    words: dict[str, str]
    simple: dict[int, str]  # str.translate table of the letters with one context-free output
    plain: frozenset[str]  # the letters of `simple`: a word made of them needs no context


def _compile_rule(rule: _tables.Rule) -> _CompiledRule:
    if isinstance(rule, str):
        return tuple(rule.split("|"))
    return tuple((_compile_condition(cond), tuple(out.split("|"))) for cond, out in rule)


@cache
def _scheme(name: str, lang: str) -> _Scheme:
    endings = _tables.ENDINGS.get((name, lang), {})
    letters = {key: _compile_rule(rule) for key, rule in _tables.TABLES[name, lang].items()}
    simple = {
        ord(key): rule[0]
        for key, rule in letters.items()
        if len(key) == 1 and len(rule) == 1 and isinstance(rule[0], str)
    }
    return _Scheme(
        letters=letters,
        simple=simple,
        plain=frozenset(chr(code) for code in simple) - {key[0] for key in letters if len(key) > 1},
        endings=tuple(
            (suffix, tuple(out.split("|")))
            for suffix, out in sorted(endings.items(), key=lambda i: -len(i[0]))
        ),
        words=_tables.WORDS.get((name, lang), {}),
    )


def _check(scheme: str, lang: str) -> None:
    if scheme not in SCHEMES:
        raise OptionError(
            ERR_SCHEME.format(scheme=scheme, choices=", ".join(SCHEMES)), code=E_TRANSLIT_OPTION
        )
    if lang not in SOURCE_LANGS:
        raise OptionError(
            ERR_SOURCE_LANG.format(lang=lang, choices=", ".join(SOURCE_LANGS)), code=E_TRANSLIT_OPTION
        )


# ------------------------------------------------------------------------------ transliteration


def _outputs(rule: _CompiledRule, prev: str | None, nxt: str | None) -> _Outputs:
    if not rule or isinstance(rule[0], str):
        return rule  # type: ignore[return-value]
    for tests, outs in rule:  # type: ignore[misc]
        if all(test.holds(prev, nxt) for test in tests):
            return outs
    return ("",)


def _fallback(letter: str) -> _Outputs:
    """Letters outside the table (Belarusian ў, Serbian ђ): a plain ASCII approximation."""
    from unidecode import unidecode

    return (unidecode(letter),)


def _case_like(text: str, word: str) -> str:
    """Give a transliteration the capitalisation of its Cyrillic word (ПЕСКОВ, Песков, песков)."""
    if len(word) > 1 and word.isupper():
        return text.upper()
    if word[:1].isupper():
        return text[:1].upper() + text[1:]
    return text


def _split_ending(lower: str, table: _Scheme) -> tuple[int, _Outputs]:
    for suffix, outs in table.endings:
        if lower.endswith(suffix) and len(lower) - len(suffix) >= 2:
            return len(lower) - len(suffix), outs
    return len(lower), ("",)


@lru_cache(maxsize=200_000)
def _lower_forms(lower: str, scheme: str, lang: str) -> tuple[str, ...]:
    """Transliterate one lower-case Cyrillic word: the scheme's spelling first, then alternatives."""
    table = _scheme(scheme, lang)
    if lower in table.words:
        return (table.words[lower],)
    stem_len, ending = _split_ending(lower, table)
    stem = lower[:stem_len]
    if len(ending) == 1 and table.plain.issuperset(stem):
        return (unicodedata.normalize("NFC", stem.translate(table.simple) + ending[0]),)
    letters = table.letters
    out: list[str] = []
    choices: list[tuple[int, _Outputs]] = []  # positions in `out` that have alternatives
    i = 0
    while i < stem_len:
        step = 2 if i + 2 <= stem_len and lower[i : i + 2] in letters else 1
        rule = letters.get(lower[i : i + step])
        if rule is None:
            outs = _fallback(lower[i])
        elif isinstance(rule[0], str):
            outs = rule  # type: ignore[assignment]
        else:
            nxt = lower[i + step] if i + step < len(lower) else None
            outs = _outputs(rule, lower[i - 1] if i else None, nxt)
        if len(outs) > 1:
            choices.append((len(out), outs))
        out.append(outs[0])
        i += step
    if len(ending) > 1:
        choices.append((len(out), ending))
    out.append(ending[0])
    forms = ["".join(out)]
    for combo in itertools.islice(itertools.product(*(outs for _, outs in choices)), 1, _MAX_WORD_FORMS):
        for (position, _), choice in zip(choices, combo, strict=True):
            out[position] = choice
        forms.append("".join(out))
    return tuple(dict.fromkeys(unicodedata.normalize("NFC", form) for form in forms))


def _word_forms(word: str, scheme: str, lang: str) -> tuple[str, ...]:
    """Transliterate one Cyrillic word with one scheme, keeping its capitalisation.

    Only the first letter's case, or all-capitals, is carried over (МакКартни -> Makkartni).
    """
    return tuple(_case_like(form, word) for form in _lower_forms(word.lower(), scheme, lang))


def _drop_stress(text: str) -> str:
    """Remove stress accents from Cyrillic letters; accents on Latin letters (Pétain) stay."""
    if not _MAY_HAVE_STRESS_RE.search(text):
        return text
    return unicodedata.normalize("NFC", _STRESS_RE.sub("", unicodedata.normalize("NFD", text)))


def transliterate(text: str, scheme: str, *, source_lang: str = "ru") -> str:
    """Transliterate a Cyrillic name (one or more words) with one scheme.

    Everything that is not a Cyrillic word (spaces, hyphens, Latin letters) is kept as it is;
    capitalisation follows the input (``ПЕСКОВ -> PESKOV``, ``Песков -> Peskov``); stress accents
    (``Солоне́вич``) are ignored.
    Raises ``ValueError`` for a scheme not in ``SCHEMES`` or a language not in ``SOURCE_LANGS``.
    """
    _check(scheme, source_lang)
    text = _drop_stress(text)
    return _WORD_RE[source_lang].sub(lambda m: _word_forms(m.group(), scheme, source_lang)[0], text)


# ------------------------------------------------------------------------------ variants


@cache
def _given_names(lang: str) -> dict[str, dict[str, tuple[str, ...]]]:
    """The given-name lexicon with ``ё`` folded to ``е`` in the keys (texts often drop ``ё``)."""
    return {key.replace("ё", "е"): forms for key, forms in _tables.GIVEN_NAMES[lang].items()}


def _spellings(text: str, scheme: str) -> list[str]:
    """A scheme's output plus the forms without the standard's marks (Zelens’kyy -> Zelenskyy)."""
    forms = [text]
    if scheme == "ala_lc":
        forms.append(text.translate(_ALA_LC_ASCII))
    forms.append(_MARKS_RE.sub("", forms[-1]))
    return forms


@lru_cache(maxsize=200_000)
def _word_options(word: str, scheme: str, lang: str) -> tuple[str, ...]:
    """Every spelling one word takes in one scheme, the scheme's own output first."""
    readings = [word]
    if "ё" in word or "Ё" in word:
        readings.append(word.replace("ё", "е").replace("Ё", "Е"))
    options: list[str] = []
    for reading in readings:
        for form in _word_forms(reading, scheme, lang):
            options.extend(_spellings(form, scheme))
    forms = _given_names(lang).get(word.lower().replace("ё", "е"), {}).get(scheme, ())
    options.extend(_case_like(form, word) for form in forms)
    return tuple(dict.fromkeys(options))


def _czech_feminine(text: str) -> str | None:
    """Czech press adds -ová to women's surnames: Zacharova -> Zacharovová, Tymošenko -> Tymošenková."""
    if text.endswith(("ova", "eva", "ěva", "ina", "yna")):
        return text[:-1] + "ová"
    if text.endswith("o"):
        return text + "vá"
    return None


def _is_given_name(word: str) -> bool:
    key = word.lower().replace("ё", "е")
    return any(key in _given_names(lang) for lang in SOURCE_LANGS)


def _scheme_list(schemes: Iterable[str] | None, lang: str) -> tuple[str, ...]:
    chosen = SCHEMES if schemes is None else tuple(schemes)
    for scheme in chosen:
        _check(scheme, lang)
    return chosen


def generate_variants(
    native: str,
    *,
    source_lang: str = "ru",
    gender: str | None = None,
    schemes: Iterable[str] | None = None,
) -> list[Variant]:
    """All distinct Latin spellings of a Cyrillic full name or surname, each with its scheme.

    Variants are made for the form given (``Лаврова`` gives ``Lavrova``, ``Ławrowa``, ...). Per
    scheme: the scheme's spelling, the spelling of the ``ё``-less reading (``Горбачёв`` is often
    written ``Горбачев``: Gorbachev), the forms without apostrophes and primes, and conventional
    spellings of known given names (Дмитрий -> Dmitri, Dimitri; Алексей -> Alexei).
    ``gender="f"`` adds the Czech press's feminine surnames (Захарова -> Zacharovová,
    Юлія Тимошенко -> Julija Tymošenková); it is not guessed, because a place or an organisation
    may end like a woman's surname (Молдова). Distinct means case-insensitively distinct; the first scheme (in
    ``schemes`` order) that produces a spelling is the one reported.
    """
    chosen = _scheme_list(schemes, source_lang)
    if gender not in (None, "m", "f"):
        raise OptionError(ERR_GENDER.format(gender=gender), code=E_TRANSLIT_OPTION)
    parts = re.split(f"({_WORD_RE[source_lang].pattern})", _drop_stress(native))
    words = parts[1::2]
    if not words:
        return []
    feminine_surname = gender == "f" and not (len(words) == 1 and _is_given_name(words[0]))
    seen: set[str] = set()
    variants: list[Variant] = []

    def add(text: str, scheme: str) -> None:
        key = text.casefold()
        if key not in seen:
            seen.add(key)
            variants.append(Variant(text, scheme))

    for scheme in chosen:
        options = [
            _word_options(part, scheme, source_lang) if i % 2 else (part,) for i, part in enumerate(parts)
        ]
        for combo in itertools.islice(itertools.product(*options), _MAX_COMBINATIONS):
            add("".join(combo), scheme)
            if scheme == "cs_press" and feminine_surname:
                feminine = _czech_feminine(combo[-2])
                if feminine is not None:
                    add("".join(combo[:-2]) + feminine + combo[-1], scheme)
    return variants


def given_name_variants(native_given: str, *, source_lang: str = "ru") -> list[Variant]:
    """All distinct Latin spellings of a Cyrillic given name: every scheme's plus conventional ones.

    ``Дмитрий`` gives Dmitry, Dmitri, Dimitri, Dmitriy, Dmitrij, Dmitrii, ...
    """
    return generate_variants(native_given, source_lang=source_lang, gender="m")
