"""Data tables for script-based language narrowing (used by :mod:`transnorm.detect`).

Kept apart from the logic, like ftfy's ``chardata``: every table here is plain data that a
reviewer can check against a grammar book, and a new rule is one line.

Scripts are named by the first word of the Unicode character name (``"CYRILLIC SMALL LETTER
A"`` -> ``"CYRILLIC"``), which needs only the standard library's ``unicodedata``.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# langdetect's profile names that differ from ISO 639-1. Everything else is already ISO 639-1.
# langdetect splits Chinese into simplified (zh-cn) and traditional (zh-tw) script profiles;
# both are the one language "zh".
LANGDETECT_TO_ISO: dict[str, str] = {"zh-cn": "zh", "zh-tw": "zh"}

# First word of a Unicode character name -> script key used below. Names missing here are
# used as they are (``"LATIN"``, ``"GREEK"``...).
SCRIPT_ALIASES: dict[str, str] = {
    "CJK": "HAN",
    "IDEOGRAPHIC": "HAN",  # 々 〆 〇
    "HIRAGANA": "KANA",
    "KATAKANA": "KANA",
    "KATAKANA-HIRAGANA": "KANA",  # ー prolonged sound mark
}

# Weight of one letter when the dominant script is chosen (others weigh 1). Latin letters in
# a text dominated by another script are mostly names, acronyms and URLs ("BBC Scotland 的
# Alasdair Lamont"), so they weigh less: a text is Latin only if under ~20 % of its letters are
# not. A Han character or Hangul syllable carries about a word, so it weighs more.
SCRIPT_WEIGHTS: dict[str, float] = {"LATIN": 0.25, "HAN": 3.0, "KANA": 1.0, "HANGUL": 3.0}

# Scripts written by (practically) one language: the script alone decides.
# Ethiopic (Amharic/Tigrinya) and Tibetan (Tibetan/Dzongkha) are shared, so they are absent.
SINGLE_LANGUAGE_SCRIPTS: dict[str, str] = {
    "ARMENIAN": "hy",
    "BENGALI": "bn",  # also Assamese, which no profile here covers
    "GEORGIAN": "ka",
    "GREEK": "el",
    "GUJARATI": "gu",
    "GURMUKHI": "pa",
    "HANGUL": "ko",
    "HEBREW": "he",  # also Yiddish, which no profile here covers
    "KANNADA": "kn",
    "KHMER": "km",
    "LAO": "lo",
    "MALAYALAM": "ml",
    "MYANMAR": "my",
    "ORIYA": "or",
    "SINHALA": "si",
    "TAMIL": "ta",
    "TELUGU": "te",
    "THAANA": "dv",
    "THAI": "th",
}

# Scripts shared by several languages: langdetect chooses among these (langdetect codes).
MULTI_LANGUAGE_SCRIPTS: dict[str, tuple[str, ...]] = {
    "LATIN": tuple(
        sorted(
            _words(
                "af ca cs cy da de en es et fi fr hr hu id it lt lv nl no pl pt ro sk sl so sq sv sw tl tr vi"
            )
        )
    ),
    "CYRILLIC": ("bg", "mk", "ru", "uk"),
    "ARABIC": ("ar", "fa", "ur"),
    "DEVANAGARI": ("hi", "mr", "ne"),
}

# Languages answered by rules alone (no langdetect profile): script-decided ones plus the
# Cyrillic letter rules below.
RULE_ONLY_LANGUAGES: frozenset[str] = frozenset(SINGLE_LANGUAGE_SCRIPTS.values()) | {"be", "sr"}

# --- Chinese, Japanese, Korean --------------------------------------------------------------
# Japanese is told from Chinese by kana: this share of the Han+kana+Hangul letters makes it ja.
KANA_SHARE_JA = 0.05
# Hangul above this share (and above the kana count) makes it ko.
HANGUL_SHARE_KO = 0.2

# --- Cyrillic (lower-case letters) ------------------------------------------------------------
CYR_UK_ONLY = frozenset("єїґ")  # only Ukrainian among the languages here
CYR_I = frozenset("і")  # Ukrainian, Belarusian, Kazakh; never Russian, Bulgarian, Macedonian
CYR_RU_MARKS = frozenset("ыэё")  # Russian and Belarusian (and Turkic languages); not uk/bg/mk
CYR_HARD_SIGN = frozenset("ъ")  # very common in Bulgarian, rare in Russian, absent in uk/mk
CYR_BE_ONLY = frozenset("ў")  # Belarusian (and Uzbek Cyrillic, caught by CYR_OTHER first)
CYR_I_CYRILLIC = frozenset("и")  # Belarusian is the one language here without it
CYR_SR_ONLY = frozenset("ђћ")  # Serbian
CYR_MK_ONLY = frozenset("ѓќѕ")  # Macedonian
CYR_SR_MK = frozenset("јљњџ")  # Serbian and Macedonian
# Letters of Cyrillic languages that no rule or profile here covers (Kazakh, Kyrgyz, Tatar,
# Bashkir, Mongolian, Tajik, Uzbek, Chuvash...). Above CYR_OTHER_SHARE of the Cyrillic
# letters the text is in none of the languages we can name, and the answer is "und".
CYR_OTHER = frozenset("әғқңөұүһҗҙҡҫӣӯҳҷҕӑӗҫӳӹӱӧӓӝӟӵ")
CYR_OTHER_SHARE = 0.005

# Frequent short words that, among bg, mk, ru, sr and uk, only one language uses: they break
# the ties that letters leave (Serbian without ђ/ћ vs Macedonian; short sentences without
# ы, і or ъ). One hit decides, so a word shared with another of the five must not be here.
CYR_CUE_WORDS: dict[str, frozenset[str]] = {
    "bg": _words("че ще това тя той какво бяха няма всички всеки със във"),
    "mk": _words("тоа сите кој еден овој беа сум нив тој таа дека многу"),
    "ru": _words(
        "что ну нет его конечно ответил только уже будет очень может тоже когда если кто меня тебя себя "
        "сейчас была было"
    ),
    "sr": _words("је су био била било били сви који које један једна рекао није смо због када сада"),
    "uk": _words(
        "це що як але й чи або дуже був була було були буде коли цей ця зараз також щоб вони вона "
        "цього хтось такий з повинен"
    ),
}
# More cue words, valid only between Serbian and Macedonian (shared with bg, ru or uk).
SR_MK_CUE_WORDS: dict[str, frozenset[str]] = {
    "mk": _words("е во со ги ние една едно кои кое рече беше еве"),
    "sr": _words("у са то ово ова они сам ево као кад"),
}
# Latin letters that look like Cyrillic ones; Serbian web text mixes them into words ("je").
# Used only to read the cue words above, never to count letters.
LATIN_TO_CYRILLIC_LOOKALIKES = str.maketrans("aceijopsxy", "асеіјорѕху")

# --- Arabic script ----------------------------------------------------------------------------
ARABIC_UR_ONLY = frozenset("ٹڈڑںے")  # Urdu (also Sindhi/Punjabi Shahmukhi, caught first)
# Letters of Pashto, Sindhi, Sorani Kurdish, Uyghur..., which no profile here covers.
ARABIC_OTHER = frozenset("ټډړږښګڼۍېۆۈۋەڵڕێٻڄڃڇڊڌڍڏڙڦڪڳڱڻڀٺٽٿ")
ARABIC_OTHER_SHARE = 0.02
