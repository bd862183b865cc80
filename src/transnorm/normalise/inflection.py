"""Case endings kept around a replaced name, per language of the text (data tables and two lookups).

No stemming: a name matches only as written, or as written plus one suffix from these tables, or (for
endings that change, `Захарова -> Захаровой`, `Сергей -> Сергея`) as its stem plus one of the
endings that replace the dropped one. So `Kosaken` (Cossacks) is never `Kosak` + `en`, and
`Fomina` is not `Fomin` + `a`: a masculine Slavic surname in -ov/-ev/-in takes `-a` only next to a
given name that is itself inflected (`Siergieja Ławrowa`, `Сергея Лаврова`), because alone it is
the feminine form of the name (Lavrova, Fomina), i.e. a different person.

All tables hold *folded* text (see `fold.py`): lower case, no diacritics (Polish `ą` is `a`).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from functools import cache, lru_cache

from transnorm.normalise.fold import fold_text

_VOWELS = set("aeiouyаеиоуыэюяіїєё")


@dataclass(frozen=True)
class _Rules:
    consonant: tuple[str, ...] = ()  # appended to a form ending in a consonant
    after_j: tuple[str, ...] = ()  # appended to a form ending in -j (Polish Siergiej, Dmitrij)
    adjectival: tuple[str, ...] = ()  # appended to -ski/-cki (Polish Zełenski -> Zełenskiego)
    drop: tuple[tuple[str, Collection[str]], ...] = ()  # (ending, endings that replace it)
    anywhere: tuple[str, ...] = ()  # appended to any form (English 's)
    script: str = "latin"  # the endings apply to forms in this script only


_POSSESSIVE = ("'s",)

_RULES: dict[str, _Rules] = {
    "en": _Rules(anywhere=_POSSESSIVE),
    "de": _Rules(consonant=("s",), drop=(), anywhere=("s", "'s")),
    "nl": _Rules(anywhere=("s", "'s")),
    "sv": _Rules(anywhere=("s",)),
    "da": _Rules(anywhere=("s",)),
    "no": _Rules(anywhere=("s",)),
    "pl": _Rules(
        consonant=("a", "owi", "em", "ie", "u", "ze"),
        after_j=("a", "owi", "em", "u"),
        adjectival=("ego", "emu", "m"),
        drop=(
            ("a", ("y", "i", "ie", "ę", "ą", "o", "ej")),
            ("o", ("a", "owi", "em", "ie", "u")),
            ("y", ("ego", "emu", "m")),
        ),
    ),
    "cs": _Rules(
        consonant=("a", "ovi", "em", "e", "u"),
        adjectival=("ho", "mu", "m"),
        drop=(("a", ("y", "e", "u", "ou")), ("á", ("é", "ou")), ("ý", ("ého", "ému", "ým"))),
    ),
    "ru": _Rules(
        consonant=("а", "у", "ом", "ым", "ым", "е"),
        drop=(
            ("ий", ("ого", "ому", "им", "ом")),
            ("ый", ("ого", "ому", "ым", "ом")),
            ("ой", ("ого", "ому", "ым", "ом")),
            ("й", ("я", "ю", "ем", "е", "и")),
            ("ь", ("я", "ю", "ем", "е")),
            ("а", ("ы", "и", "е", "у", "ой", "ою")),
            ("я", ("и", "е", "ю", "ей", "ею")),
        ),
        script="cyrillic",
    ),
    "uk": _Rules(
        consonant=("а", "у", "ові", "ом", "им", "е", "і"),
        drop=(
            ("ий", ("ого", "ому", "им", "ім")),
            ("й", ("я", "ю", "єм", "ї", "ем")),
            ("ь", ("я", "ю", "ем", "і")),
            ("а", ("и", "і", "у", "ою", "ій", "ої")),
            ("я", ("ї", "і", "ю", "ею", "єю")),
            ("о", ("а", "у", "ові", "ом")),
        ),
        script="cyrillic",
    ),
}
_RULES["be"] = _RULES["ru"]
_RULES["sk"] = _RULES["cs"]
_DEFAULT = _Rules(anywhere=_POSSESSIVE)

# Masculine Slavic surname endings whose `+a` form is also the feminine surname (Lavrov/Lavrova).
_GENDERED = ("ov", "ev", "in", "yn", "ow", "ew", "ов", "ев", "ин", "ын", "ін", "ів", "їв")


@dataclass(frozen=True)
class Endings:
    """What may follow one written form: `plain` always, `with_given` only after an inflected given name."""

    plain: frozenset[str]
    with_given: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Stem:
    """A form with its changing ending dropped: it matches only with one of `suffixes` appended."""

    stem: str
    dropped: str
    suffixes: Collection[str]


def _is_cyrillic(ch: str) -> bool:
    return "\u0400" <= ch <= "\u04ff"


@cache
def _rules(lang: str | None) -> _Rules:
    rules = _RULES.get(lang or "", _DEFAULT)
    folded = {
        name: tuple(dict.fromkeys(fold_text(s) for s in getattr(rules, name)))
        for name in ("consonant", "after_j", "adjectival", "anywhere")
    }
    drop = tuple((fold_text(end), frozenset(fold_text(s) for s in subs)) for end, subs in rules.drop)
    return _Rules(**folded, drop=drop, script=rules.script)


def _script_ok(rules: _Rules, last: str) -> bool:
    return _is_cyrillic(last) == (rules.script == "cyrillic")


def endings(lang: str | None, form: str, *, gender: str | None, person: bool) -> Endings:
    """Suffixes that may follow folded `form` in text of `lang` (the form's own spelling kept)."""
    return _endings(lang, form[-4:], gender, person)


@lru_cache(maxsize=65536)
def _endings(lang: str | None, form: str, gender: str | None, person: bool) -> Endings:
    """`endings` of a form's last four letters: cached, and equal results are one shared object."""
    rules = _rules(lang)
    plain: set[str] = set(rules.anywhere)
    with_given: set[str] = set()
    if not form or not _script_ok(rules, form[-1]):
        return Endings(frozenset(plain))
    last = form[-1]
    if person and gender == "f" and last not in _VOWELS:
        return Endings(frozenset(plain))  # Slavic languages do not decline women's names in a consonant
    if form.endswith(("ski", "cki", "dzki")) or (rules.script == "latin" and form.endswith("sky")):
        plain.update(rules.adjectival)
    elif last == "j" and rules.after_j:
        plain.update(rules.after_j)
    elif last.isalpha() and last not in _VOWELS and last not in "йь":
        suffixes = set(rules.consonant)
        if person and gender != "f" and form.endswith(_GENDERED):
            gendered = {s for s in suffixes if s in ("a", "а")}
            suffixes -= gendered
            with_given |= gendered
        plain |= suffixes
    return Endings(frozenset(plain), frozenset(with_given))


def stems(lang: str | None, form: str) -> list[Stem]:
    """The stems of folded `form` whose ending changes in text of `lang` (`захарова -> захаров+ой`)."""
    rules = _rules(lang)
    if not form or not _script_ok(rules, form[-1]):
        return []
    out = []
    for ending, subs in rules.drop:
        if form.endswith(ending) and len(form) > len(ending) + 1:
            out.append(Stem(form[: -len(ending)], ending, subs))
            break
    return out


def inflected_forms(lang: str | None, form: str, *, gender: str | None) -> dict[str, tuple[str, str]]:
    """Every inflected spelling of a given name in `lang`: form -> (suffix, ending it replaced)."""
    out: dict[str, tuple[str, str]] = {}
    e = endings(lang, form, gender=gender, person=True)
    for suffix in e.plain | e.with_given:
        if suffix not in _POSSESSIVE:
            out[form + suffix] = (suffix, "")
    for s in stems(lang, form):
        for suffix in s.suffixes:
            out.setdefault(s.stem + suffix, (suffix, s.dropped))
    out.pop(form, None)
    return out


@cache
def suffixes(lang: str | None) -> tuple[tuple[str, str], ...]:
    """Every case ending of `lang` as (suffix, ending it replaces or ""), longest first (folded).

    For near-variant lookup: an unknown inflected word (Chodorkowskiego) is tried without each
    suffix it ends with, and the entity's own `endings` then decide whether that suffix is allowed.
    """
    rules = _rules(lang)
    out = {
        (s, "") for name in ("consonant", "after_j", "adjectival", "anywhere") for s in getattr(rules, name)
    }
    out |= {(s, ending) for ending, subs in rules.drop for s in subs}
    return tuple(sorted(out, key=lambda p: (-len(p[0]), p)))
