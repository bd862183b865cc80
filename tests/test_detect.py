"""Tests of the detect stage: script rules, Cyrillic letters, seeded langdetect, config."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transnorm.detect import UNDETERMINED, Detection, DetectorConfig, LanguageDetector

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
LID_SAMPLE = SHARED / "data" / "langid" / "ntrex128_lid_sample.tsv"

# Short, ambiguous texts on which unseeded langdetect is known to flip between runs.
AMBIGUOUS = [
    "Kom hit",
    "Er du sikker",
    "Hotel Central",
    "Bravo",
    "Так, стоп.",
    "Ми боролися.",
    "No he renunciado a nada.",
    "Chwila, chwila.",
    "Il faut bien le faire.",
    "Me pareció que era genial.",
]


@pytest.fixture(scope="module")
def detector() -> LanguageDetector:
    return LanguageDetector()


# --- scripts that decide alone -----------------------------------------------------------------

SCRIPT_CASES = [
    ("안녕하세요 여러분, 오늘 날씨가 좋네요", "ko"),
    ("東京は日本の首都です", "ja"),
    ("こんにちは、世界", "ja"),
    ("我们今天去北京看电影", "zh"),  # simplified
    ("我們今天去台北看電影", "zh"),  # traditional: langdetect's zh-tw is still zh
    ("目前还无法明确洛克是否故意通过此帖来嘲笑韦斯特。", "zh"),  # plain langdetect: ko
    ("BBC Scotland 的 Alasdair Lamont 在 Tony Macaroni 球场", "zh"),  # Latin names in Chinese
    ("Det Insp Bob Blemmingsは、門と建物自体に損害が残ったと述べた。", "ja"),
    ("Alasdair Lamont จาก BBC Scotland รายงานจาก Tony Macaroni Arena", "th"),
    ("Γειά σου Κόσμε, τι κάνεις;", "el"),
    ("שלום עולם, מה שלומך?", "he"),
    ("Բարեւ աշխարհ", "hy"),
    ("გამარჯობა მსოფლიო", "ka"),
    ("ආයුබෝවන් ලෝකය", "si"),
    ("ជំរាបសួរ ពិភពលោក", "km"),
    ("வணக்கம் உலகம்", "ta"),
    ("ನಮಸ್ಕಾರ ಜಗತ್ತು", "kn"),
]


@pytest.mark.parametrize(("text", "lang"), SCRIPT_CASES)
def test_script_decides(detector: LanguageDetector, text: str, lang: str) -> None:
    found = detector.detect(text)
    assert found.lang == lang
    assert 0.0 < found.confidence <= 1.0


# --- Cyrillic: letters only one language uses ------------------------------------------------

CYRILLIC_CASES = [
    ("Київ є столицею України.", "uk"),
    ('Я сказала: "Таші, люба, я дуже сильно тебе люблю.', "uk"),
    ("Це дуже добре, – сказав Джейнс.", "uk"),  # no і/ї/є: cue words (це, дуже)
    ("Нічого доброго в Brexit немає, – додав він.", "uk"),  # і without и is not Belarusian
    ("Это был очень хороший день.", "ru"),
    ("Ну конечно, ответил Кеннеди.", "ru"),  # no ы/э/ё: cue words (ну, конечно, ответил)
    ("Мы вернулись в Москву поздно вечером.", "ru"),
    ("Това е държава в Югоизточна Европа.", "bg"),
    ("Беларусь — краіна ва Усходняй Еўропе.", "be"),
    ("Ћирилица се користи у Србији.", "sr"),
    ("Рекао је да ће доћи сутра.", "sr"),
    ("Жртва није видела нападача.", "sr"),  # no ђ/ћ: cue word (није)
    ("Ќе одиме во Скопје утре.", "mk"),
    ("Тој рече дека ќе дојде.", "mk"),
]


@pytest.mark.parametrize(("text", "lang"), CYRILLIC_CASES)
def test_cyrillic_letters(detector: LanguageDetector, text: str, lang: str) -> None:
    assert detector.detect(text).lang == lang


@pytest.mark.parametrize(
    "text",
    [
        "Қазақстан Республикасы — Орталық Азияда орналасқан мемлекет",  # Kazakh
        "Монгол Улс бол Зүүн Хойд Азид орших бүрэн эрхт улс юм",  # Mongolian
        "Кыргызстан Борбордук Азиядагы өлкө",  # Kyrgyz
    ],
)
def test_other_cyrillic_languages_are_undetermined_not_russian(detector: LanguageDetector, text: str) -> None:
    # No profile or rule names these; plain langdetect calls them ru or uk.
    assert detector.detect(text).lang == UNDETERMINED


def test_cue_words_are_unique_to_one_language() -> None:
    # One hit decides, so a word listed for two languages would decide for the wrong one.
    from transnorm import _script_data as sd

    for table in (sd.CYR_CUE_WORDS, {k: sd.CYR_CUE_WORDS[k] | v for k, v in sd.SR_MK_CUE_WORDS.items()}):
        seen: dict[str, str] = {}
        for lang, words in table.items():
            for word in words:
                assert seen.setdefault(word, lang) == lang, f"{word!r} listed for {seen[word]} and {lang}"


# --- "und" and arbitrary input ----------------------------------------------------------------

UND_CASES = [
    "",
    "   ",
    "123 456 789",
    "!!! ???",
    "ab",
    "🙂🙂🙂🙂",
    "\x00\x01\x02",
    "\ud800\udc00\ud800",
    "ሰላም ለዓለም ሁሉ",
]


@pytest.mark.parametrize("text", UND_CASES)
def test_undetermined(detector: LanguageDetector, text: str) -> None:
    assert detector.detect(text) == Detection(UNDETERMINED, 0.0)


def test_min_letters_counts_letters_not_characters() -> None:
    text = "Ja! 1234 ..."
    assert LanguageDetector(DetectorConfig(min_letters=3)).detect(text).lang == UNDETERMINED
    assert LanguageDetector(DetectorConfig(min_letters=2)).detect(text).lang != UNDETERMINED


def test_max_chars_limits_what_is_read() -> None:
    text = "Dies ist ein ganz normaler deutscher Satz über das Wetter. " + "Это русский текст. " * 50
    assert LanguageDetector(DetectorConfig(max_chars=55)).detect(text).lang == "de"
    assert LanguageDetector().detect(text).lang == "ru"


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(exclude_categories=()), max_size=60))
def test_arbitrary_unicode_never_crashes(text: str) -> None:
    detector = LanguageDetector()
    found = detector.detect(text)
    assert found.lang in detector.supported | {UNDETERMINED}
    assert 0.0 <= found.confidence <= 1.0


def test_rejects_non_str(detector: LanguageDetector) -> None:
    with pytest.raises(TypeError, match="takes a str"):
        detector.detect(b"bytes")  # type: ignore[arg-type]


# --- determinism --------------------------------------------------------------------------------


def test_repeatable_within_a_process(detector: LanguageDetector) -> None:
    first = detector.detect_many(AMBIGUOUS)
    for _ in range(3):
        assert LanguageDetector().detect_many(AMBIGUOUS) == first


def test_unaffected_by_langdetect_global_seed(detector: LanguageDetector) -> None:
    import langdetect

    before = detector.detect_many(AMBIGUOUS)
    old = langdetect.DetectorFactory.seed
    langdetect.DetectorFactory.seed = 12345
    try:
        assert detector.detect_many(AMBIGUOUS) == before
    finally:
        langdetect.DetectorFactory.seed = old


def test_seed_is_the_only_source_of_randomness() -> None:
    # Different seeds may label ambiguous texts differently; each seed repeats itself.
    for seed in (1, 7):
        cfg = DetectorConfig(seed=seed)
        assert LanguageDetector(cfg).detect_many(AMBIGUOUS) == LanguageDetector(cfg).detect_many(AMBIGUOUS)


def test_same_labels_in_fresh_processes(detector: LanguageDetector) -> None:
    expected = [[d.lang, d.confidence] for d in detector.detect_many(AMBIGUOUS)]
    code = (
        "import json, sys; from transnorm.detect import LanguageDetector; "
        "texts = json.loads(sys.stdin.read()); "
        "print(json.dumps([[d.lang, d.confidence] for d in LanguageDetector().detect_many(texts)]))"
    )
    for hash_seed in ("1", "2"):  # str hashing differs between these processes
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        out = subprocess.run(
            [sys.executable, "-c", code],
            input=json.dumps(AMBIGUOUS),
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
        assert json.loads(out.stdout) == expected


def test_thread_pool_gives_sequential_results(detector: LanguageDetector) -> None:
    texts = AMBIGUOUS * 8 + [t for t, _ in CYRILLIC_CASES + SCRIPT_CASES]
    sequential = [detector.detect(t) for t in texts]
    with ThreadPoolExecutor(max_workers=4) as pool:
        assert list(pool.map(detector.detect, texts)) == sequential


# --- allowed and priors ----------------------------------------------------------------------


def test_allowed_restricts_answers() -> None:
    only = LanguageDetector(DetectorConfig(allowed=("de", "en")))
    assert only.supported == {"de", "en"}
    assert only.detect("Ceci est une phrase française tout à fait ordinaire.").lang in {"de", "en"}
    assert only.detect("Das ist ein ganz normaler deutscher Satz.").lang == "de"
    # The script rules out every allowed language: undetermined, not a forced guess.
    assert only.detect("안녕하세요 여러분, 오늘 날씨가 좋네요").lang == UNDETERMINED


def test_allowed_with_letter_rules() -> None:
    ru_only = LanguageDetector(DetectorConfig(allowed=("ru",)))
    assert ru_only.detect("Київ є столицею України.").lang == UNDETERMINED  # ї: not Russian
    assert ru_only.detect("Это был очень хороший день.").lang == "ru"
    ru_uk = LanguageDetector(DetectorConfig(allowed=("ru", "uk")))
    assert ru_uk.detect("Так, стоп.").lang in {"ru", "uk"}


def test_prior_weight_zero_excludes_a_language(detector: LanguageDetector) -> None:
    text = "Das ist ein ganz normaler deutscher Satz."
    assert detector.detect(text).lang == "de"
    no_german = LanguageDetector(DetectorConfig(priors={"de": 0.0}))
    assert "de" not in no_german.supported
    assert no_german.detect(text).lang not in {"de", UNDETERMINED}


def test_prior_tips_an_ambiguous_text(detector: LanguageDetector) -> None:
    # langdetect's priors are starting probabilities of its sampling: they tip short texts only.
    assert detector.detect("Kom hit").lang != "da"
    assert LanguageDetector(DetectorConfig(priors={"da": 100.0})).detect("Kom hit").lang == "da"
    text = "Das ist ein ganz normaler deutscher Satz über das Wetter."
    assert LanguageDetector(DetectorConfig(priors={"nl": 100.0})).detect(text).lang == "de"


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (DetectorConfig(allowed=("de", "xx")), "allowed names languages this detector cannot answer: xx"),
        (DetectorConfig(priors={"klingon": 1.0}), "priors names languages"),
        (DetectorConfig(priors={"de": -1.0}), "weights must be finite and >= 0"),
        (DetectorConfig(max_chars=0), "max_chars is 0"),
    ],
)
def test_bad_config_is_explained(config: DetectorConfig, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        LanguageDetector(config)


def test_config_replace_keeps_other_fields() -> None:
    cfg = replace(DetectorConfig(), seed=3)
    assert LanguageDetector(cfg).config == DetectorConfig(seed=3)


# --- real data ------------------------------------------------------------------------------

# NTREX gold code -> ISO 639-1; languages where the script rules matter most, plus a few Latin ones.
REAL_DATA_GOLD = {
    "rus": "ru", "ukr": "uk", "bul": "bg", "mkd": "mk", "srp-Cyrl": "sr", "bel": "be",
    "zho-CN": "zh", "zho-TW": "zh", "jpn": "ja", "kor": "ko", "tha": "th", "ell": "el",
    "deu": "de", "eng": "en", "fra": "fr", "spa": "es", "por-BR": "pt", "pol": "pl",
}  # fmt: skip


@pytest.mark.skipif(not LID_SAMPLE.exists(), reason="shared NTREX language-id sample not present")
def test_accuracy_floor_on_ntrex_sample(detector: LanguageDetector) -> None:
    with LID_SAMPLE.open(encoding="utf-8", newline="") as f:
        rows = [
            r
            for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
            if r["lang_code"] in REAL_DATA_GOLD
        ]
    hits: dict[str, Counter[bool]] = defaultdict(Counter)
    for row in rows:
        gold = REAL_DATA_GOLD[row["lang_code"]]
        hits[gold][detector.detect(row["text"]).lang == gold] += 1
    accuracy = {lang: c[True] / c.total() for lang, c in hits.items()}
    # Measured 2025-11: >= 0.92 everywhere (the sample's line 681 is French in every language).
    assert min(accuracy.values()) >= 0.9, accuracy
    assert sum(c[True] for c in hits.values()) / len(rows) >= 0.96
    assert accuracy["zh"] >= 0.97  # plain seeded langdetect: 0.64 (calls Chinese Korean)
