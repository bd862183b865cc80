"""Detect stage: deterministic language identification.

Two steps, cheapest first:

1. **Script rules.** Letters are counted per Unicode script. A script written by one language
   decides alone (Hangul -> ko, Greek -> el, Thai -> th, Georgian -> ka ...); Han text is
   ``zh`` unless it carries kana (``ja``); Cyrillic letters that only one language uses decide
   between ru, uk, bg, mk, be and sr (``ї`` is Ukrainian, ``ы`` is not, ``ђ`` is Serbian ...),
   with a few function words that only one of them uses when the letters are silent; Urdu
   letters decide ur. Letters of languages we cannot name (Kazakh ``қ``, Pashto ``ښ`` ...)
   make the answer ``"und"``. The tables are in ``_script_data.py``.
2. **langdetect**, seeded, restricted to the languages of the text's dominant script (and to
   ``DetectorConfig.allowed``). Restricting the candidates makes it both more accurate (no
   Russian text called Macedonian because of one n-gram) and faster (fewer languages to
   update per n-gram).

langdetect samples n-grams at random; unseeded, the same text can get different labels on
different runs. This module never touches langdetect's global factory or its class-level
``DetectorFactory.seed``: it loads the profiles into its own factories (in sorted order) and
pins the seed on every ``Detector`` it creates, so the same input gives the same output in
every run and process, whatever other code does to langdetect's globals.

Codes are ISO 639-1. langdetect's ``zh-cn`` and ``zh-tw`` (simplified and traditional script
profiles) both map to ``zh``: the script is not the language. Texts in scripts that no rule or
profile covers (Ethiopic, Tibetan, Turkic Cyrillic ...) get ``"und"`` rather than a guess.

Known gaps: Japanese without any kana (a headline of kanji only) is ``zh``; Kyrgyz or Mongolian
sentences without ``ң ө ү`` are ``ru``; Serbian with neither ``ђ ћ`` nor a cue word is ``mk``;
Latin-script languages that langdetect has no profile for (Malay, Galician, Hausa ...) get the
nearest Latin language, not ``"und"``.

Thread safety: a ``LanguageDetector`` may be shared by threads. Each ``detect`` call builds its
own langdetect ``Detector`` (which holds the random generator); the shared profile tables are
read-only once built, and building them is guarded by a lock.
"""

from __future__ import annotations

import json
import os
import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from transnorm import _script_data as sd

if TYPE_CHECKING:
    from langdetect.detector_factory import DetectorFactory

UNDETERMINED = "und"
_WORD_RE = re.compile(r"\w+")
_CJK_SCRIPTS = ("HAN", "KANA", "HANGUL")

ERR_UNKNOWN_LANGUAGE = (
    "DetectorConfig.{field} names languages this detector cannot answer: {codes}. "
    "Use ISO 639-1 codes from LanguageDetector.supported, e.g. 'en', 'de', 'zh'."
)
ERR_BAD_PRIOR = "DetectorConfig.priors[{code!r}] is {weight!r}; weights must be finite and >= 0."
ERR_BAD_LIMIT = "DetectorConfig.{field} is {value!r}; it must be an integer >= {minimum}."


@dataclass(frozen=True)
class Detection:
    """The language of one text.

    ``lang`` is an ISO 639-1 code (``"zh"`` for Chinese in either script) or ``"und"``.
    ``confidence`` is in 0..1: langdetect's probability for the answer when langdetect chose
    among several candidates; the share of the text's letters in the deciding script when the
    script decided alone; 0.0 for ``"und"``.
    """

    lang: str
    confidence: float


@dataclass(frozen=True)
class DetectorConfig:
    """Options of :class:`LanguageDetector`; change one with ``dataclasses.replace``.

    seed: seed of langdetect's n-gram sampling; fixed so results are reproducible.
    min_letters: texts with fewer letters (``str.isalpha``) than this are ``"und"``.
    allowed: if non-empty, the answer is one of these ISO codes or ``"und"`` (``"und"`` when
        the text's script rules all of them out, e.g. Korean text with ``allowed=("en",)``).
        A hard restriction: with ``allowed=("en",)`` every Latin-script text is ``"en"``.
    priors: relative prior weight per ISO code, given to langdetect's ``set_prior_map``;
        languages not named weigh 1.0, and weight 0 excludes a language. langdetect uses
        priors as the starting probabilities of its sampling, so even large weights only tip
        short, ambiguous texts (``{"no": 10000}`` moved 6 of 100 Danish NTREX sentences to
        Norwegian, ``{"no": 10}`` none). Use ``allowed`` for a hard restriction.
    max_chars: only the first ``max_chars`` characters are looked at (speed on long texts).
    """

    seed: int = 0
    min_letters: int = 3
    allowed: tuple[str, ...] = ()
    priors: Mapping[str, float] | None = None
    max_chars: int = 10000


@dataclass(frozen=True)
class _Letters:
    """Letter counts of one text: per script, and per lower-cased letter for the rules."""

    total: int
    by_script: Counter[str]
    chars: Counter[str]

    def count(self, letters: frozenset[str]) -> int:
        return sum(self.chars[ch] for ch in letters)


@lru_cache(maxsize=16384)
def _script_of(ch: str) -> str:
    """Script key of a letter (``"LATIN"``, ``"HAN"`` ...), or ``""`` for a non-letter."""
    if not ch.isalpha():
        return ""
    words = unicodedata.name(ch, "").split(" ", 2)
    first = words[0]
    if first in ("HALFWIDTH", "FULLWIDTH") and len(words) > 1:
        first = words[1]
    return sd.SCRIPT_ALIASES.get(first, first)


def _count_letters(text: str) -> _Letters:
    by_script: Counter[str] = Counter()
    chars: Counter[str] = Counter()
    for ch in text:
        script = _script_of(ch)
        if script:
            by_script[script] += 1
            chars[ch.lower()] += 1
    return _Letters(sum(by_script.values()), by_script, chars)


def _script_weights(letters: _Letters) -> Counter[str]:
    """Weighted letter count per script; Han, kana and Hangul count together as CJK."""
    weights: Counter[str] = Counter()
    for script, n in letters.by_script.items():
        key = "CJK" if script in _CJK_SCRIPTS else script
        weights[key] += n * sd.SCRIPT_WEIGHTS.get(script, 1.0)
    return weights


def _dominant_script(letters: _Letters) -> str:
    """The script with most weighted letters (ties: alphabetical, so independent of the text)."""
    weights = _script_weights(letters)
    return max(sorted(weights), key=weights.__getitem__)


def _cjk_language(letters: _Letters) -> str:
    han, kana, hangul = (letters.by_script[s] for s in ("HAN", "KANA", "HANGUL"))
    cjk = han + kana + hangul
    if hangul > kana and hangul >= sd.HANGUL_SHARE_KO * cjk:
        return "ko"
    if kana >= sd.KANA_SHARE_JA * cjk:
        return "ja"
    return "zh"


def _cyrillic_candidates(letters: _Letters, text: str) -> tuple[str, ...]:
    """Narrow Cyrillic text by letters (then words) that only some languages use.

    Empty when the text is in a Cyrillic language we cannot name (Kazakh, Tatar ...).
    """
    n = letters.by_script["CYRILLIC"]
    if letters.count(sd.CYR_OTHER) > sd.CYR_OTHER_SHARE * n:
        return ()
    if letters.count(sd.CYR_SR_ONLY) and not letters.count(sd.CYR_MK_ONLY):
        return ("sr",)
    if letters.count(sd.CYR_MK_ONLY):
        return ("mk",)
    if letters.count(sd.CYR_SR_MK):
        # A tie stays Macedonian: langdetect has a Macedonian profile and none for Serbian.
        return _by_cue_words(text, ("mk", "sr"), sd.SR_MK_CUE_WORDS)[:1]
    ru_marks = letters.count(sd.CYR_RU_MARKS)
    i_count = letters.count(sd.CYR_I)
    if letters.count(sd.CYR_BE_ONLY) or (
        i_count and ru_marks and letters.count(sd.CYR_I_CYRILLIC) * 10 < i_count
    ):
        return ("be",)
    uk_marks = letters.count(sd.CYR_UK_ONLY) + i_count
    if uk_marks and ru_marks:
        return ("ru", "uk")
    if uk_marks:
        return ("uk",)
    if ru_marks:
        return ("ru",)
    if letters.count(sd.CYR_HARD_SIGN):
        return _by_cue_words(text, ("bg", "ru"))
    # No telling letter: cue words, else langdetect among the four it has profiles for.
    found = _by_cue_words(text, ("bg", "mk", "ru", "sr", "uk"))
    return found if len(found) == 1 else sd.MULTI_LANGUAGE_SCRIPTS["CYRILLIC"]


def _by_cue_words(
    text: str, candidates: tuple[str, ...], extra: Mapping[str, frozenset[str]] | None = None
) -> tuple[str, ...]:
    """The one candidate whose cue words occur most in ``text``, or all on a tie."""
    words = _WORD_RE.findall(text.lower().translate(sd.LATIN_TO_CYRILLIC_LOOKALIKES))
    cues = {lang: sd.CYR_CUE_WORDS[lang] | (extra or {}).get(lang, frozenset()) for lang in candidates}
    hits = {lang: sum(w in cues[lang] for w in words) for lang in candidates}
    best = max(hits.values())
    winners = [lang for lang in candidates if hits[lang] == best]
    return (winners[0],) if best and len(winners) == 1 else candidates


def _arabic_candidates(letters: _Letters) -> tuple[str, ...]:
    n = letters.by_script["ARABIC"]
    if letters.count(sd.ARABIC_OTHER) > sd.ARABIC_OTHER_SHARE * n:
        return ()
    if letters.count(sd.ARABIC_UR_ONLY):
        return ("ur",)
    return sd.MULTI_LANGUAGE_SCRIPTS["ARABIC"]


def _candidates(letters: _Letters, script: str, text: str) -> tuple[str, ...]:
    """ISO codes the text may be in, judged from its letters alone."""
    if script == "CJK":
        return (_cjk_language(letters),)
    if script in sd.SINGLE_LANGUAGE_SCRIPTS:
        return (sd.SINGLE_LANGUAGE_SCRIPTS[script],)
    if script == "CYRILLIC":
        return _cyrillic_candidates(letters, text)
    if script == "ARABIC":
        return _arabic_candidates(letters)
    return sd.MULTI_LANGUAGE_SCRIPTS.get(script, ())


def _iso(langdetect_code: str) -> str:
    return sd.LANGDETECT_TO_ISO.get(langdetect_code, langdetect_code)


class _Profiles:
    """langdetect's language profiles, loaded once, and factories restricted to subsets.

    Read-only once built; the lock only guards building.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._profiles: dict[str, object] | None = None
        self._factories: dict[tuple[str, ...], DetectorFactory] = {}

    def _load(self) -> dict[str, object]:
        from langdetect.detector_factory import PROFILES_DIRECTORY
        from langdetect.utils.lang_profile import LangProfile

        profiles: dict[str, object] = {}
        for name in sorted(os.listdir(PROFILES_DIRECTORY)):
            path = os.path.join(PROFILES_DIRECTORY, name)
            if name.startswith(".") or not os.path.isfile(path):
                continue
            with open(path, encoding="utf-8") as f:
                profile = LangProfile(**json.load(f))
            profiles[profile.name] = profile
        return profiles

    def languages(self) -> tuple[str, ...]:
        """langdetect codes of all profiles, sorted."""
        with self._lock:
            if self._profiles is None:
                self._profiles = self._load()
            return tuple(self._profiles)

    def factory(self, langs: tuple[str, ...]) -> DetectorFactory:
        """A langdetect factory that knows only ``langs`` (sorted langdetect codes)."""
        from langdetect.detector_factory import DetectorFactory

        with self._lock:
            factory = self._factories.get(langs)
            if factory is None:
                if self._profiles is None:
                    self._profiles = self._load()
                factory = DetectorFactory()
                for index, lang in enumerate(langs):
                    factory.add_profile(self._profiles[lang], index, len(langs))
                self._factories[langs] = factory
            return factory


_PROFILES = _Profiles()


class LanguageDetector:
    """Detects the language of texts: script rules first, then seeded, narrowed langdetect.

    Built once from a :class:`DetectorConfig`; ``detect`` is safe to call from several threads.
    """

    def __init__(self, config: DetectorConfig = DetectorConfig()) -> None:
        self._config = config
        ld_langs = _PROFILES.languages()
        self._all = frozenset(_iso(lang) for lang in ld_langs) | sd.RULE_ONLY_LANGUAGES
        _check_config(config, self._all)
        self._ld_of_iso: dict[str, tuple[str, ...]] = {}
        for lang in ld_langs:
            self._ld_of_iso.setdefault(_iso(lang), ())
            self._ld_of_iso[_iso(lang)] += (lang,)
        priors = dict(config.priors or {})
        self._weight = {iso: float(priors.get(iso, 1.0)) for iso in self._all}
        if config.allowed:
            self._weight = {k: (w if k in config.allowed else 0.0) for k, w in self._weight.items()}
        self._uniform = len({w for w in self._weight.values() if w > 0}) <= 1

    @property
    def config(self) -> DetectorConfig:
        return self._config

    @property
    def supported(self) -> frozenset[str]:
        """ISO codes this detector can answer (besides ``"und"``), after ``allowed``/``priors``."""
        return frozenset(k for k, w in self._weight.items() if w > 0)

    def detect(self, text: str) -> Detection:
        """The language of ``text`` (``"und"`` with confidence 0.0 when it cannot tell)."""
        if not isinstance(text, str):
            raise TypeError(f"LanguageDetector.detect takes a str, not {type(text).__name__}.")
        text = text[: self._config.max_chars]
        letters = _count_letters(text)
        if letters.total < max(self._config.min_letters, 1):
            return Detection(UNDETERMINED, 0.0)
        script = _dominant_script(letters)
        candidates = [c for c in _candidates(letters, script, text) if self._weight.get(c, 0.0) > 0]
        if not candidates:
            return Detection(UNDETERMINED, 0.0)
        if len(candidates) == 1:  # the script, its letters or `allowed` leave one language
            return Detection(candidates[0], _script_share(letters, script))
        return self._langdetect(text, candidates)

    def detect_many(self, texts: Sequence[str]) -> list[Detection]:
        """``detect`` for each text, in order."""
        return [self.detect(text) for text in texts]

    def _langdetect(self, text: str, candidates: list[str]) -> Detection:
        from langdetect.lang_detect_exception import LangDetectException

        ld_langs = tuple(sorted(ld for iso in candidates for ld in self._ld_of_iso.get(iso, ())))
        if not ld_langs:
            return Detection(UNDETERMINED, 0.0)
        detector = _PROFILES.factory(ld_langs).create()
        # langdetect copies the factory's (class-level, global) seed at creation; pin ours.
        detector.seed = self._config.seed
        detector.set_max_text_length(self._config.max_chars)
        if not self._uniform:
            detector.set_prior_map({ld: self._weight[_iso(ld)] for ld in ld_langs})
        detector.append(text)
        try:
            ranked = detector.get_probabilities()
        except LangDetectException:  # no n-gram of these languages in the text
            return Detection(UNDETERMINED, 0.0)
        scores: Counter[str] = Counter()
        for item in ranked:
            scores[_iso(item.lang)] += item.prob
        if not scores:
            return Detection(UNDETERMINED, 0.0)
        lang = max(sorted(scores), key=scores.__getitem__)
        return Detection(lang, min(1.0, scores[lang]))


def _script_share(letters: _Letters, script: str) -> float:
    """Weighted share of the deciding script among the text's letters (see SCRIPT_WEIGHTS)."""
    weights = _script_weights(letters)
    return round(weights[script] / sum(weights.values()), 4)


def _check_config(config: DetectorConfig, known: frozenset[str]) -> None:
    """Raise ValueError with an actionable message for a config this detector cannot honour."""
    for field, minimum in (("min_letters", 0), ("max_chars", 1)):
        value = getattr(config, field)
        if not isinstance(value, int) or value < minimum:
            raise ValueError(ERR_BAD_LIMIT.format(field=field, value=value, minimum=minimum))
    for field, codes in (("allowed", config.allowed), ("priors", tuple(config.priors or ()))):
        unknown = sorted(set(codes) - known)
        if unknown:
            raise ValueError(ERR_UNKNOWN_LANGUAGE.format(field=field, codes=", ".join(unknown)))
    for code, weight in (config.priors or {}).items():
        if not isinstance(weight, (int, float)) or not 0 <= weight < float("inf"):
            raise ValueError(ERR_BAD_PRIOR.format(code=code, weight=weight))
