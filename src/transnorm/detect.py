"""Detect stage: deterministic language identification.

Two steps, cheapest first, then two more for short texts:

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

Two implementations of langdetect's algorithm can run step 2 (``DetectorConfig.backend``):
``langdetect_rs``, a Rust port that reproduces langdetect 1.0.9 bit for bit (its n-gram
sampling ~29x faster; a whole ``detect`` 17-20x on sentences, 13x on 2,300-character documents,
``benchmarks/bench_detect.py``), and ``langdetect`` itself (pure Python), the fallback when
``langdetect_rs`` is not installed. Both get the same profiles in the same order and the same
seed, so every ``Detection`` is identical whichever runs (``tests/test_detect.py`` compares
them on the NTREX sample, full NTREX documents and generated texts). They are picked by name
from ``_BACKENDS`` and imported lazily. ``detect_many`` does not use langdetect_rs's batch
calls: its public ``detect_batch`` runs the global 55-language factory (other answers than our
narrowed factories), and the factory-level batch (undocumented) gained only 1.3x here while
starting a thread pool in every process that calls it.

langdetect samples n-grams at random; unseeded, the same text can get different labels on
different runs. This module never touches langdetect's global factory or its class-level
``DetectorFactory.seed``: it loads the profiles into its own factories (in sorted order) and
pins the seed on every ``Detector`` it creates (both backends copy the factory's seed into a
new ``Detector``, and both accept it there), so the same input gives the same output in
every run and process, whatever other code does to langdetect's globals.

3. **Names, priors, fallback.** Names carry the n-grams of their own language ("Lavrov meets
   Stoltenberg in Moscow" is Dutch to langdetect), so short texts are also judged with their
   names masked (``_name_mask.py``: glossary spellings, capitalised words inside a sentence,
   acronyms, mixed-script tokens); a text of little else than names gets a confidence that
   says so. ``detect(text, priors=...)`` multiplies langdetect's probabilities by per-call
   weights (the pipeline gives a segment its document's language), and below
   ``DetectorConfig.min_confidence`` the answer is ``fallback`` (``Detection.unsure`` keeps
   the detector's own).

4. **Function words.** On a text of up to 200 characters, langdetect's n-grams decide close
   languages (es/pt/ca, de/nl, da/no, cs/sk, ru/bg) on a handful of samples and are wrongly
   sure (0.99999 against 0.00001). Words decide them better: each word of the text that is a
   function word of a candidate (``_word_data.py``: articles, prepositions, pronouns,
   auxiliaries, written from knowledge of each language, not from a test corpus) multiplies
   that candidate's score by ``_WORD_FACTOR``, after langdetect's probabilities are tempered
   (raised to letters/200: the shorter the text, the less its n-grams count). A word shared by
   several languages counts for each of them. ``benchmarks/bench_detect_short.py`` measures
   headlines and short sentences against plain langdetect, with and without the words.

Codes are ISO 639-1. langdetect's ``zh-cn`` and ``zh-tw`` (simplified and traditional script
profiles) both map to ``zh``: the script is not the language. Texts in scripts that no rule or
profile covers (Ethiopic, Tibetan, Turkic Cyrillic ...) get ``"und"`` rather than a guess.

Known gaps: Japanese without any kana (a headline of kanji only) is ``zh``; Kyrgyz or Mongolian
sentences without ``ң ө ү`` are ``ru``; Serbian with neither ``ђ ћ`` nor a cue word is ``mk``;
Latin-script languages that langdetect has no profile for (Malay, Galician, Hausa ...) get the
nearest Latin language, not ``"und"``.

Thread safety: a ``LanguageDetector`` may be shared by threads. Each ``detect`` call builds its
own langdetect ``Detector`` (which holds the random generator, or with ``langdetect_rs`` its
seed, from which each detection starts a new generator); the shared profile tables are
read-only once built, and building them is guarded by a lock. Process safety: nothing is built
at import; a process forked after detections (``--workers``) or a fresh one (Ray actors, spawn)
gives the same results, which the tests check for both backends. A ``LanguageDetector`` holds
only its config and small tables, so it pickles; the profiles are rebuilt in the new process.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import math
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
from transnorm._name_mask import Masked, glossary_names, mask_names
from transnorm._word_data import CUE_MARKS, FUNCTION_WORDS, LANGUAGES_OF_WORD
from transnorm.document import UNDETERMINED, Document
from transnorm.errors import E_DETECT_OPTION, E_NOT_TEXT, ConfigError, OptionError, WrongTypeError

if TYPE_CHECKING:
    from langdetect.detector_factory import DetectorFactory

    from transnorm.config import PipelineConfig
    from transnorm.stages import Resources
# Longer texts are not masked: their names are too few to mislead, and masking costs a second pass.
_MASK_MAX_CHARS = 400
# Masking applies only if at least this many letters, and this share of them, remain.
_MASK_MIN_LETTERS = 10
_MASK_MIN_SHARE = 0.4
# A text whose letters are more than this share of known names (glossary, acronyms) gets its
# confidence scaled by the share of the other letters.
_KNOWN_NAMES_SHARE = 0.5
_WORD_RE = re.compile(r"\w+")
# Word evidence (function words, ``_word_data.py``) weighs in on texts of up to this many characters;
# each function word of a candidate multiplies its score by _WORD_FACTOR, after langdetect's
# probabilities are raised to letters / _LD_TEMPER_LETTERS (at most 1).
_WORDS_MAX_CHARS = 200
_WORD_FACTOR = 10.0
_LD_TEMPER_LETTERS = 200
_MIN_PROB = 1e-12  # below this, langdetect's few multiplied samples say nothing more
# Words for the function-word tables: letters joined by apostrophes ("l'Europe", "didn't"); a
# capital letter with a full stop is an initial (U.S., D.C., J. Smith), not a word.
_FUNCTION_WORD_RE = re.compile(r"[A-Z]\.|[^\W\d_]+(?:['’][^\W\d_]+)*")
_CJK_SCRIPTS = ("HAN", "KANA", "HANGUL")

ERR_UNKNOWN_LANGUAGE = (
    "DetectorConfig.{field} names languages this detector cannot answer: {codes}. "
    "Use ISO 639-1 codes from LanguageDetector.supported, e.g. 'en', 'de', 'zh'."
)
ERR_BAD_PRIOR = "DetectorConfig.priors[{code!r}] is {weight!r}; weights must be finite and >= 0."
ERR_BAD_LIMIT = "DetectorConfig.{field} is {value!r}; it must be an integer >= {minimum}."
ERR_BAD_CONFIDENCE = "DetectorConfig.min_confidence is {value!r}; it must be a number between 0 and 1."
ERR_UNKNOWN_BACKEND = "DetectorConfig.backend is {backend!r}; use one of: {choices}."
ERR_BACKEND_MISSING = (
    "DetectorConfig.backend is {backend!r}, but the package {package!r} is not installed. "
    "Install it with `pip install '{requirement}'`, or use backend='auto'."
)
ERR_NO_BACKEND = (
    "Language detection needs langdetect-rs (fast) or langdetect (pure Python); neither is "
    "installed. Install one with `pip install 'langdetect-rs>=0.1,<0.2'` or `pip install langdetect`."
)

# Implementations of langdetect's algorithm, by name: (module, pip requirement). "auto" takes
# the first one that imports. Both give identical results; langdetect_rs is 13-20x faster.
_BACKENDS: dict[str, tuple[str, str]] = {
    "langdetect_rs": ("langdetect_rs", "langdetect-rs>=0.1,<0.2"),
    "langdetect": ("langdetect", "langdetect>=1.0.9"),
}


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
    unsure: str | None = None
    """The detector's own answer when ``lang`` is a fallback it was not sure enough of, else None."""


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
    backend: which implementation of langdetect runs: ``"langdetect_rs"`` (Rust, 13-20x faster),
        ``"langdetect"`` (pure Python), or ``"auto"``: langdetect_rs if it is installed, else
        langdetect. The results are the same with either; the choice only changes speed.
    mask_names: on texts of up to 400 characters, also run langdetect on the text with its
        name-like tokens blanked out (``_name_mask.py``) and keep the surer of the two answers:
        names mislead the n-gram detector on headlines and short texts. A text that is nearly
        all names gets a lower confidence instead (see ``min_confidence``).
    name_glossaries: glossaries (paths or bundled names, as ``NormaliseOptions.glossaries``)
        whose person and place spellings are masked even at the start of a sentence.
    function_words: on texts of up to 200 characters, weigh langdetect's answer with the
        text's function words (``_word_data.py``: articles, prepositions, pronouns, auxiliaries
        of each language): langdetect's n-grams confuse close languages on little text
        (es/pt/ca, de/nl, da/no, ru/bg), their function words less so.
    min_confidence: a language answered with less confidence than this is replaced by
        ``fallback`` (``Detection.unsure`` keeps the detector's own answer). ``"und"`` stays.
    fallback: the language answered below ``min_confidence``; None keeps the detector's answer.
    """

    seed: int = 0
    min_letters: int = 3
    allowed: tuple[str, ...] = ()
    priors: Mapping[str, float] | None = None
    max_chars: int = 10000
    backend: str = "auto"
    mask_names: bool = True
    name_glossaries: tuple[str, ...] = ("bundled",)
    function_words: bool = True
    min_confidence: float = 0.0
    fallback: str | None = None


@dataclass(frozen=True)
class _Letters:
    """Letter counts of one text: per script, and per lower-cased letter for the rules."""

    total: int
    by_script: Counter[str]
    chars: Counter[str]

    def count(self, letters: frozenset[str]) -> int:
        return sum(self.chars[ch] for ch in letters)


@lru_cache(maxsize=16384)
def _letter_of(ch: str) -> tuple[str, str] | None:
    """(script key, lower case) of a letter (``("LATIN", "a")``, ``("HAN", "中")`` ...), or None."""
    if not ch.isalpha():
        return None
    words = unicodedata.name(ch, "").split(" ", 2)
    first = words[0]
    if first in ("HALFWIDTH", "FULLWIDTH") and len(words) > 1:
        first = words[1]
    script = sd.SCRIPT_ALIASES.get(first, first)
    return (script, ch.lower()) if script else None  # a letter without a name is not counted


def _count_letters(text: str) -> _Letters:
    # Each distinct character is looked up once (Counter counts in C): with langdetect_rs, a
    # per-character loop here was a third of the time of a detection. Only integer counts are
    # added, so the order of the keys changes no result.
    by_script: dict[str, int] = {}
    chars: dict[str, int] = {}
    for ch, n in Counter(text).items():
        letter = _letter_of(ch)
        if letter:
            script, lower = letter
            by_script[script] = by_script.get(script, 0) + n
            chars[lower] = chars.get(lower, 0) + n
    return _Letters(sum(by_script.values()), Counter(by_script), Counter(chars))


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


@lru_cache(maxsize=256)
def _isos(langdetect_codes: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(map(_iso, langdetect_codes))


class _Profiles:
    """One backend's language profiles, and factories restricted to subsets of them.

    Both backends build a subset's factory the same way: the profiles in sorted order, profile
    ``i`` of ``n`` added with ``add_profile(profile, i, n)``, as langdetect's own
    ``load_profile`` does for a directory. Read-only once built; the lock only guards building.
    Nothing is imported or read before the first call.
    """

    backend = ""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._languages: tuple[str, ...] | None = None
        self._factories: dict[tuple[str, ...], DetectorFactory] = {}

    def languages(self) -> tuple[str, ...]:
        """langdetect codes of all profiles, sorted."""
        with self._lock:
            if self._languages is None:
                self._languages = self._list()
            return self._languages

    def factory(self, langs: tuple[str, ...]) -> DetectorFactory:
        """A factory of this backend that knows only ``langs`` (sorted langdetect codes)."""
        with self._lock:
            factory = self._factories.get(langs)
            if factory is None:
                if self._languages is None:
                    self._languages = self._list()
                factory = self._build(langs)
                if tuple(factory.get_lang_list()) != langs:  # a backend that reorders breaks parity
                    raise RuntimeError(
                        f"{self.backend} loaded the profiles {factory.get_lang_list()} for {list(langs)}; "
                        "this version is not supported, use DetectorConfig(backend='langdetect')."
                    )
                self._factories[langs] = factory
            return factory

    def error(self) -> type[Exception]:
        """The exception this backend raises when a text has no n-gram of its profiles."""
        module = importlib.import_module(f"{_BACKENDS[self.backend][0]}.lang_detect_exception")
        return module.LangDetectException

    def _list(self) -> tuple[str, ...]:
        raise NotImplementedError

    def _build(self, langs: tuple[str, ...]) -> DetectorFactory:
        raise NotImplementedError


class _PythonProfiles(_Profiles):
    """langdetect's profiles, read from the JSON files in its package."""

    backend = "langdetect"

    def __init__(self) -> None:
        super().__init__()
        self._profiles: dict[str, object] = {}

    def _list(self) -> tuple[str, ...]:
        from langdetect.detector_factory import PROFILES_DIRECTORY
        from langdetect.utils.lang_profile import LangProfile

        for name in sorted(os.listdir(PROFILES_DIRECTORY)):
            path = os.path.join(PROFILES_DIRECTORY, name)
            if name.startswith(".") or not os.path.isfile(path):
                continue
            with open(path, encoding="utf-8") as f:
                profile = LangProfile(**json.load(f))
            self._profiles[profile.name] = profile
        return tuple(self._profiles)

    def _build(self, langs: tuple[str, ...]) -> DetectorFactory:
        from langdetect.detector_factory import DetectorFactory

        factory = DetectorFactory()
        for index, lang in enumerate(langs):
            factory.add_profile(self._profiles[lang], index, len(langs))
        return factory


class _RustProfiles(_Profiles):
    """langdetect_rs's profiles: langdetect's, compiled into its Rust core (no files to read).

    The core's ``load_builtin(names)`` adds the named profiles in the order given, profile ``i``
    as ``add_profile(profile, i, len(names))``: what ``_PythonProfiles._build`` does. It is not
    part of langdetect_rs's documented API (its ``DetectorFactory.load_profile`` only loads all
    55), hence the pin ``<0.2`` and the parity tests.
    """

    backend = "langdetect_rs"

    def _list(self) -> tuple[str, ...]:
        from langdetect_rs import _core

        return tuple(sorted(_core.builtin_files()))

    def _build(self, langs: tuple[str, ...]) -> DetectorFactory:
        from langdetect_rs.detector_factory import DetectorFactory

        factory = DetectorFactory()
        factory._core.load_builtin(list(langs))
        factory.langlist[:] = factory._core.langs()
        return factory  # type: ignore[return-value]


# Built empty at import; each fills on first use.
_PROFILES: dict[str, _Profiles] = {p.backend: p for p in (_RustProfiles(), _PythonProfiles())}


def _resolve_backend(name: str) -> str:
    """The backend that ``DetectorConfig.backend`` names: ``"auto"`` is the first one installed."""
    if name == "auto":
        for backend, (module, _) in _BACKENDS.items():
            if importlib.util.find_spec(module) is not None:
                return backend
        raise ImportError(ERR_NO_BACKEND)
    if not isinstance(name, str) or name not in _BACKENDS:
        raise OptionError(
            ERR_UNKNOWN_BACKEND.format(backend=name, choices=", ".join(("auto", *_BACKENDS))),
            code=E_DETECT_OPTION,
        )
    module, requirement = _BACKENDS[name]
    if importlib.util.find_spec(module) is None:
        raise ImportError(ERR_BACKEND_MISSING.format(backend=name, package=module, requirement=requirement))
    return name


class LanguageDetector:
    """Detects the language of texts: script rules first, then seeded, narrowed langdetect.

    Built once from a :class:`DetectorConfig`; ``detect`` is safe to call from several threads.
    """

    def __init__(self, config: DetectorConfig = DetectorConfig()) -> None:
        self._config = config
        # The name, not the _Profiles object (which holds a lock), so that a detector pickles.
        self._backend = _resolve_backend(config.backend)
        ld_langs = _PROFILES[self._backend].languages()
        self._all = frozenset(_iso(lang) for lang in ld_langs) | sd.RULE_ONLY_LANGUAGES
        _check_config(config, self._all)
        self._ld_of_iso: dict[str, tuple[str, ...]] = {}
        self._ld_langs: dict[tuple[str, ...], tuple[str, ...]] = {}
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

    def detect(
        self, text: str, *, priors: Mapping[str, float] | None = None, fallback: str | None = None
    ) -> Detection:
        """The language of ``text`` (``"und"`` with confidence 0.0 when it cannot tell).

        ``priors`` (ISO code -> weight, others 1.0) multiply langdetect's probabilities before
        the answer is chosen: a segment's detection with ``{doc_lang: 10}`` leaves the
        document's language only when langdetect is over 10 times as sure of another one.
        ``fallback`` overrides ``DetectorConfig.fallback`` for this call.
        """
        found = self._detect(text, priors)
        fallback = fallback or self._config.fallback
        if (
            fallback
            and found.lang not in (UNDETERMINED, fallback)
            and found.confidence < self._config.min_confidence
        ):
            return Detection(fallback, found.confidence, unsure=found.lang)
        return found

    def _detect(self, text: str, priors: Mapping[str, float] | None) -> Detection:
        if not isinstance(text, str):
            raise WrongTypeError(
                f"LanguageDetector.detect takes a str, not {type(text).__name__}.", code=E_NOT_TEXT
            )
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
        return self._langdetect(text, candidates, priors)

    def detect_many(self, texts: Sequence[str]) -> list[Detection]:
        """``detect`` for each text, in order."""
        return [self.detect(text) for text in texts]

    def _langdetect(self, text: str, candidates: list[str], priors: Mapping[str, float] | None) -> Detection:
        ld_langs = self._ld_langs.get(tuple(candidates))
        if ld_langs is None:  # a few candidate sets recur: each is worked out once
            ld_langs = tuple(sorted(ld for iso in candidates for ld in self._ld_of_iso.get(iso, ())))
            self._ld_langs[tuple(candidates)] = ld_langs
        if not ld_langs:
            return Detection(UNDETERMINED, 0.0)
        probs = self._probabilities(text, ld_langs)
        if probs is None:  # no n-gram of these languages in the text
            return Detection(UNDETERMINED, 0.0)
        share = 1.0
        masked = self._masked(text)
        if (
            masked is not None
            and masked.kept >= _MASK_MIN_LETTERS
            and masked.kept >= _MASK_MIN_SHARE * masked.total
        ):
            # The more confident of the two decides: masking hides the names that mislead, but
            # in German it also hides every noun, which the full text still has.
            hidden = self._probabilities(masked.text, ld_langs)
            if hidden is not None and max(hidden) > max(probs):
                probs = hidden
        elif masked is not None and masked.kept < _MASK_MIN_LETTERS:
            # Nearly all names ("Lavrov meets Stoltenberg in Moscow"): the few words around them
            # are little evidence of the language, and the confidence says so (min_confidence).
            share = masked.kept / masked.total
        elif masked is not None and masked.known > _KNOWN_NAMES_SHARE * masked.total:
            share = 1 - masked.known / masked.total  # mostly known names and acronyms
        scores: Counter[str] = Counter()
        for iso, prob in zip(_isos(ld_langs), probs, strict=True):
            scores[iso] += prob
        if self._config.function_words and len(text) <= _WORDS_MAX_CHARS:
            hits = _function_word_hits(masked.text if masked is not None else text, scores)
            if hits:
                temper = min(1.0, sum(ch.isalpha() for ch in text) / _LD_TEMPER_LETTERS)
                scores = _with_word_evidence(scores, hits, temper)
        if priors:  # after the words: a per-call prior keeps its full weight
            scores = Counter({lang: p * priors.get(lang, 1.0) for lang, p in scores.items()})
        mass = sum(scores.values())
        if mass <= 0:
            return Detection(UNDETERMINED, 0.0)
        lang = max(sorted(scores), key=scores.__getitem__)
        return Detection(lang, min(1.0, share * scores[lang] / mass))

    def _probabilities(self, text: str, ld_langs: tuple[str, ...]) -> list[float] | None:
        """langdetect's probability of each of ``ld_langs`` for ``text``; None without n-grams."""
        profiles = _PROFILES[self._backend]
        detector = profiles.factory(ld_langs).create()
        # Both backends copy the factory's (class-level, global) seed at creation; pin ours.
        detector.seed = self._config.seed
        detector.set_max_text_length(self._config.max_chars)
        if not self._uniform:
            detector.set_prior_map({ld: self._weight[_iso(ld)] for ld in ld_langs})
        detector.append(text)
        try:
            detector.get_probabilities()
        except profiles.error():
            return None
        return list(detector.langprob)

    def _masked(self, text: str) -> Masked | None:
        """``text`` with name-like tokens blanked, or None when masking is off or finds no name."""
        if not self._config.mask_names or len(text) > _MASK_MAX_CHARS:
            return None
        masked = mask_names(text, glossary_names(self._config.name_glossaries), _script_of)
        return None if masked.kept == masked.total else masked


def _with_word_evidence(scores: Mapping[str, float], hits: Mapping[str, int], temper: float) -> Counter[str]:
    """langdetect's scores, tempered, times _WORD_FACTOR per function word of each language.

    On a short text langdetect is sure of its answer (0.99999 against 0.00001) on the strength of
    a few n-grams, so its probabilities are tempered (raised to ``temper`` < 1) before the words
    weigh in: ``exp(temper * log p + hits * log _WORD_FACTOR)``, scaled so the best is 1.
    """
    logs = {
        lang: temper * math.log(max(p, _MIN_PROB)) + hits.get(lang, 0) * math.log(_WORD_FACTOR)
        for lang, p in scores.items()
        if p > 0  # a language excluded by a zero prior stays excluded
    }
    if not logs:
        return Counter(scores)
    top = max(logs.values())
    return Counter({lang: math.exp(logs[lang] - top) if lang in logs else 0.0 for lang in scores})


def _words(text: str) -> list[str]:
    """Lower-cased words of ``text``, initials left out; a word is cut at its apostrophes, each
    piece keeping the apostrophe on its side: "l'Europe" -> "l'", "'europe"; "didn't" -> "didn'", "'t".
    """
    words = []
    for match in _FUNCTION_WORD_RE.finditer(text.replace("’", "'")):
        word = match.group().lower()
        if word.endswith("."):
            continue
        pieces = word.split("'")
        last = len(pieces) - 1
        words.extend(("'" if i else "") + p + ("'" if i < last else "") for i, p in enumerate(pieces))
    return words


def _function_word_hits(text: str, langs: Mapping[str, float]) -> dict[str, int]:
    """How many of ``text``'s words are function words of each of ``langs`` (``_word_data.py``)."""
    hits: dict[str, int] = {}
    if sum(lang in FUNCTION_WORDS for lang in langs) < 2:
        return hits
    for word in _words(text):
        for lang in LANGUAGES_OF_WORD.get(word, ()):
            if lang in langs:
                hits[lang] = hits.get(lang, 0) + 1
    for mark, lang in CUE_MARKS.items():
        if mark in text and lang in langs:
            hits[lang] = hits.get(lang, 0) + text.count(mark)
    return hits


def _script_of(ch: str) -> str | None:
    letter = _letter_of(ch)
    return letter[0] if letter else None


def _script_share(letters: _Letters, script: str) -> float:
    """Weighted share of the deciding script among the text's letters (see SCRIPT_WEIGHTS)."""
    weights = _script_weights(letters)
    return round(weights[script] / sum(weights.values()), 4)


def _check_config(config: DetectorConfig, known: frozenset[str]) -> None:
    """Raise OptionError (a ValueError, E202) with an actionable message for a config this detector cannot honour."""
    for field, minimum in (("min_letters", 0), ("max_chars", 1)):
        value = getattr(config, field)
        if not isinstance(value, int) or value < minimum:
            raise OptionError(
                ERR_BAD_LIMIT.format(field=field, value=value, minimum=minimum), code=E_DETECT_OPTION
            )
    for field, codes in (("allowed", config.allowed), ("priors", tuple(config.priors or ()))):
        unknown = sorted(set(codes) - known)
        if unknown:
            raise OptionError(
                ERR_UNKNOWN_LANGUAGE.format(field=field, codes=", ".join(unknown)), code=E_DETECT_OPTION
            )
    if not isinstance(config.min_confidence, (int, float)) or not 0 <= config.min_confidence <= 1:
        raise OptionError(ERR_BAD_CONFIDENCE.format(value=config.min_confidence), code=E_DETECT_OPTION)
    if config.fallback is not None and config.fallback not in known:
        raise OptionError(
            ERR_UNKNOWN_LANGUAGE.format(field="fallback", codes=config.fallback), code=E_DETECT_OPTION
        )
    for code, weight in (config.priors or {}).items():
        if not isinstance(weight, (int, float)) or not 0 <= weight < float("inf"):
            raise OptionError(ERR_BAD_PRIOR.format(code=code, weight=weight), code=E_DETECT_OPTION)


def detector_from_config(config: PipelineConfig) -> LanguageDetector:
    """The detector that `config.detect` describes (it masks the names of `normalise.glossaries`).

    Raises `ConfigError` naming the config field (`detect.allowed`, ...) for a setting it cannot honour.
    """
    opts = config.detect
    try:
        return LanguageDetector(
            DetectorConfig(
                seed=opts.seed,
                min_letters=opts.min_letters,
                allowed=opts.allowed,
                priors=dict(opts.priors) or None,
                max_chars=opts.max_chars,
                mask_names=opts.mask_names,
                name_glossaries=tuple(config.normalise.glossaries),
                min_confidence=opts.min_confidence,
                fallback=opts.fallback or None,
            )
        )
    except (ValueError, ImportError) as exc:  # e.g. `allowed` names a language it cannot tell
        raise ConfigError(str(exc).replace("DetectorConfig.", "detect.")) from None


class DetectStage:
    """Label each document with its language and the detector's confidence.

    Below `detect.min_confidence` the document gets `detect.fallback` instead, and a warning that
    names the detector's own guess: a headline of names is translated (or passed through) rather
    than failing on a language no engine covers.
    """

    name = "detect"
    process_safe = True

    def __init__(self, config: PipelineConfig, resources: Resources) -> None:
        self.forced = config.source_lang
        self.resources = resources
        if not self.forced:
            _ = resources.detector  # built now: a detector setting it cannot honour stops the run here

    def __call__(self, doc: Document) -> Document:
        if self.forced:
            doc.lang, doc.lang_confidence = self.forced, 1.0
            return doc
        found = self.resources.detector.detect(doc.text)
        doc.lang, doc.lang_confidence = found.lang, found.confidence
        if found.unsure:
            doc.warnings.append(
                f"language detection unsure: {found.unsure!r} at confidence {found.confidence:.2f}, below "
                f"detect.min_confidence; using detect.fallback {found.lang!r} (pass --from to set it)"
            )
        return doc
