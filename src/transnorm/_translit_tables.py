"""Rule tables for :mod:`transnorm.translit`: one table per scheme and source language.

Written by hand from the published romanisation standards (BGN/PCGN, ALA-LC, ISO 9:1995, the
scientific system, ICAO Doc 9303, Ukraine's national system of 2010) and from the transcription
conventions of the German (Duden), French, Polish, Spanish, Italian and Czech press.

A letter maps either to a plain string or to a tuple of ``(condition, output)`` pairs tried in order;
the condition ``""`` always holds, so it goes last. A condition is a space-separated list of tests
that must all hold:

``<SET``  the previous letter is in SET;   ``>SET``  the next letter is in SET;
``!<SET`` / ``!>SET`` negate them.  In a SET, ``^`` stands for "no letter" (start of word), ``$``
for "no letter" (end of word), and the capitals name classes (see ``CLASSES``).

An output ``"a|b"`` lists alternatives: the first is the scheme's spelling, the others are
variants the same press uses too (English ``Dmitri|Dmitry``). Keys of two letters are digraphs
(``кс -> x``), tried before single letters.

``endings`` replace a whole word ending (longest first) and see the rest of the word as the stem,
e.g. Polish ``ский -> ski``.  ``words`` override whole words (lower case).  An output may carry a
combining mark (U+0301, U+030C) that joins the previous Latin letter after NFC normalisation:
Polish ``нь -> ń``, Czech ``дя -> ďa``.
"""

from __future__ import annotations

Rule = str | tuple[tuple[str, str], ...]

ACUTE = "\u0301"
CARON = "\u030c"

CLASSES: dict[str, str] = {
    "V": "аеёиоуыэюяєії",  # vowels
    "S": "жчшщц",  # sibilants and ц: no iotation after them
    "B": "ьъ'’ʼ",  # soft sign, hard sign, Ukrainian apostrophe
    "C": "бвгґджзйклмнпрстфхцчшщ",  # consonants
    "D": "дтн",  # Czech ď ť ň
}

# Letters every scheme writes the same way.
_PLAIN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "з": "z", "и": "i", "к": "k", "л": "l",
    "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f",
}  # fmt: skip

# Letters of a Ukrainian table that are the same in most schemes.
_UK_PLAIN = {"г": "h", "ґ": "g", "е": "e", "и": "y", "і": "i", "'": "", "’": "", "ʼ": ""}


def _table(*parts: dict[str, Rule]) -> dict[str, Rule]:
    merged: dict[str, Rule] = {}
    for part in parts:
        merged.update(part)
    return merged


# ---------------------------------------------------------------------------------------- English

_WIKIPEDIA_RU = _table(_PLAIN, {
    "е": (("<^VBй", "ye"), ("", "e")), "ё": "yo", "ж": "zh", "й": "y", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": ((">аиоуыэ", "y"), ("", "")), "ы": "y",
    "ь": ((">аиоуыэ", "y"), ("", "")),
    "э": "e", "ю": "yu", "я": "ya",
})  # fmt: skip

# Ukraine's national system (KMU 2010): passports and English Wikipedia for Ukrainian names.
_KMU_UK = _table(_WIKIPEDIA_RU, _UK_PLAIN, {
    "зг": "zgh", "є": (("<^", "ye"), ("", "ie")), "ї": (("<^", "yi"), ("", "i")),
    "й": (("<^", "y"), ("", "i")), "ю": (("<^", "yu"), ("", "iu")), "я": (("<^", "ya"), ("", "ia")),
    "ь": "", "'": "", "’": "", "ʼ": "",
})  # fmt: skip

_EN_PRESS_RU = _table(_WIKIPEDIA_RU, {
    "е": (("<^V", "ye|e"), ("<Bй", "ye"), ("", "e")), "ё": (("<S", "e"), ("", "yo")),
    "й": (("<^", "y"), (">C", "i"), ("", "y")), "кс": "ks|x",
})  # fmt: skip

_EN_PRESS_UK = _table(_KMU_UK, {"є": (("<^VB", "ye"), ("", "ie"))})

_BGN_RU = _table(_PLAIN, {
    "е": (("<^VBй", "ye"), ("", "e")), "ё": (("<^VBй", "yë"), ("", "ë")), "ж": "zh", "й": "y",
    "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "”", "ы": "y", "ь": "’", "э": "e",
    "ю": "yu", "я": "ya",
})  # fmt: skip

_BGN_UK = _table(_BGN_RU, _UK_PLAIN, {
    "є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya", "'": "”", "’": "”", "ʼ": "”",
})  # fmt: skip

_ALA_LC_RU = _table(_PLAIN, {
    "е": "e", "ё": "ë", "ж": "zh", "й": "ĭ", "х": "kh", "ц": "t͡s", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "ʺ", "ы": "y", "ь": "ʹ", "э": "ė", "ю": "i͡u", "я": "i͡a",
})  # fmt: skip

_ALA_LC_UK = _table(_ALA_LC_RU, _UK_PLAIN, {
    "є": "i͡e", "ї": "ï", "'": "ʺ", "’": "ʺ", "ʼ": "ʺ",
})  # fmt: skip

_ISO9_RU = _table(_PLAIN, {
    "е": "e", "ё": "ë", "ж": "ž", "й": "j", "х": "h", "ц": "c", "ч": "č", "ш": "š", "щ": "ŝ",
    "ъ": "ʺ", "ы": "y", "ь": "ʹ", "э": "è", "ю": "û", "я": "â",
})  # fmt: skip

_ISO9_UK = _table(_ISO9_RU, {
    "ґ": "g̀", "є": "ê", "і": "ì", "ї": "ï", "'": "’", "’": "’", "ʼ": "’",
})  # fmt: skip

_SCIENTIFIC_RU = _table(_PLAIN, {
    "е": "e", "ё": "ë", "ж": "ž", "й": "j", "х": "x", "ц": "c", "ч": "č", "ш": "š", "щ": "šč",
    "ъ": "ʺ", "ы": "y", "ь": "ʹ", "э": "è", "ю": "ju", "я": "ja",
})  # fmt: skip

_SCIENTIFIC_UK = _table(_SCIENTIFIC_RU, _UK_PLAIN, {
    "є": "je", "ї": "ji", "'": "ʺ", "’": "ʺ", "ʼ": "ʺ",
})  # fmt: skip

_ICAO_RU = _table(_PLAIN, {
    "е": "e", "ё": "e", "ж": "zh", "й": "i", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "ie", "ы": "y", "ь": "", "э": "e", "ю": "iu", "я": "ia",
})  # fmt: skip

# ------------------------------------------------------------------------------- national press

_DE_RU = _table(_PLAIN, {
    "в": "w", "е": (("<^VBй", "je"), ("", "e")), "ё": (("<S", "o"), ("", "jo")), "ж": "sch",
    "з": "s", "и": (("<ь", "ji"), ("", "i")), "й": (("<е", "j"), ("<V", "i"), ("", "j")),
    "кс": "x", "с": (("<V >V", "ss"), ("", "s")), "х": "ch", "ц": "z", "ч": "tsch", "ш": "sch", "щ": "schtsch", "ъ": "", "ы": "y", "ь": "", "э": "e",
    "ю": "ju", "я": "ja",
})  # fmt: skip

_DE_UK = _table(_DE_RU, _UK_PLAIN, {
    "є": "je", "ж": "sh", "ї": "ji", "й": "j", "кс": "ks",
})  # fmt: skip

_FR_RU = _table(_PLAIN, {
    "г": ((">еиэ", "gu"), ("", "g")), "е": (("<V", "ïe"), ("<B", "ie"), ("", "e")),
    "ё": (("<S", "e"), ("", "io")), "ж": "j", "и": (("<V", "ï"), ("", "i")),
    "й": (("<^", "i"), ("<V", "ï"), ("", "i")), "кс": "x", "с": (("<V >V", "ss"), ("", "s")),
    "у": "ou", "х": "kh", "ц": "ts", "ч": "tch",
    "ш": "ch", "щ": "chtch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "iou", "я": (("<V", "ïa"), ("", "ia")),
})  # fmt: skip

_FR_UK = _table(_FR_RU, _UK_PLAIN, {
    "є": "ie", "ї": "ï", "й": (("<^", "i"), ("", "ï")), "кс": "ks", "я": "ia",
})  # fmt: skip

_PL_RU = _table(_PLAIN, {
    "в": "w", "е": (("<^VBй", "je"), ("<Sл", "e"), ("", "ie")),
    "ё": (("<^VBй", "jo"), ("<Sл", "o"), ("", "io")), "ж": "ż",
    "и": (("<жшц", "y"), ("<ь", "ji"), ("", "i")), "й": "j", "л": ((">еёюяиь", "l"), ("", "ł")),
    "х": "ch", "ц": "c", "ч": "cz", "ш": "sz", "щ": "szcz", "ъ": "", "ы": "y",
    "ь": (("<нсз !>V", ACUTE), ("", "")), "э": "e",
    "ю": (("<^VBй", "ju"), ("<Sл", "u"), ("", "iu")), "я": (("<^VBй", "ja"), ("<Sл", "a"), ("", "ia")),
})  # fmt: skip

_PL_UK = _table(_PL_RU, _UK_PLAIN, {
    "є": (("<^VB", "je"), ("<л", "e"), ("", "ie")), "ї": "ji", "л": ((">ьяюієї", "l"), ("", "ł")),
})  # fmt: skip

_ES_RU = _table(_PLAIN, {
    "г": ((">еиэ", "gu"), ("", "g")), "е": (("<^V", "ye"), ("<B", "ie"), ("", "e")),
    "ё": (("<S", "o"), ("<^V", "yo"), ("", "io")), "ж": "zh", "й": (("<^", "y"), ("", "i")),
    "х": "j", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sch", "ъ": "", "ы": "y", "ь": "", "э": "e",
    "ю": (("<^V", "yu"), ("", "iu")), "я": (("<^V", "ya"), ("", "ia")),
})  # fmt: skip

_ES_UK = _table(_ES_RU, _UK_PLAIN, {"г": "h", "и": "i", "є": "ye", "ї": "yi"})

_IT_RU = _table(_PLAIN, {
    "е": "e", "ё": (("<чщ", "io"), ("<шж", "o"), ("", "io|ë")), "ж": "zh",
    "й": (("<^", "j"), ("", "i")), "х": ((">C", "k"), ("", "kh")), "ц": "ts",
    "ч": ((">еиьюяё$C", "c"), ("", "ci")), "ш": "sh", "щ": ((">еиьюяё$C", "sc"), ("", "sci")),
    "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": (("<^V", "ju"), ("", "iu")),
    "я": (("<^V", "ja"), ("", "ia")),
})  # fmt: skip

_IT_UK = _table(_IT_RU, _UK_PLAIN, {
    "є": "ie", "ї": "i", "ю": (("<^", "yu"), ("", "iu")), "я": (("<^", "ya"), ("", "ia")),
})  # fmt: skip

_CS_RU = _table(_PLAIN, {
    "е": (("<^VBй", "je"), ("<D", "ě"), ("", "e")),
    "ё": (("<^VBй", "jo"), ("<S", "o"), ("<D", CARON + "o"), ("", "jo")), "ж": "ž", "й": "j",
    "х": "ch", "ц": "c", "ч": "č", "ш": "š", "щ": "šč", "ъ": "", "ы": "y",
    "ь": (("<D !>V", CARON), ("", "")), "э": "e",
    "ю": (("<^VBй", "ju"), ("<D", CARON + "u"), ("", "ju")),
    "я": (("<^VBй", "ja"), ("<D", CARON + "a"), ("", "ja")),
})  # fmt: skip

_CS_UK = _table(_CS_RU, _UK_PLAIN, {"є": "je", "ї": "ji"})

# ------------------------------------------------------------------------------------ endings

_UK_SKY = {"ський": "sky", "цький": "tsky"}

ENDINGS: dict[tuple[str, str], dict[str, str]] = {
    ("wikipedia", "ru"): {"ий": "y", "ый": "y"},
    ("en_press", "ru"): {
        "ский": "sky", "цкий": "tsky", "кий": "ky", "ий": "i|y|ii", "ый": "y", "ей": "ei|ey",
        "ай": "ai|ay", "ой": "oy", "ия": "ia",
    },
    ("en_press", "uk"): {**_UK_SKY, "ий": "y", "ій": "iy", "ія": "ia"},
    ("de_press", "ru"): {"ский": "ski", "цкий": "zki", "ий": "i", "ый": "y", "ей": "ej|ei"},
    ("fr_press", "ru"): {
        "ский": "ski", "цкий": "tski", "ий": "i", "ый": "y", "ин": "ine", "ын": "yne",
        "ия": "ia",
    },
    ("fr_press", "uk"): {**_UK_SKY, "ий": "y", "ій": "i", "ія": "ia"},
    ("pl_press", "ru"): {
        "ский": "ski", "цкий": "cki", "кий": "ki", "ый": "y", "ская": "ska", "цкая": "cka",
        "ший": "szy", "жий": "ży", "чий": "czy", "щий": "szczy",
    },
    ("pl_press", "uk"): {
        "ський": "ski", "цький": "cki", "ська": "ska", "цька": "cka", "ий": "y", "ія": "ia",
    },
    ("es_press", "ru"): {"ий": "i", "ый": "i", "ия": "ia"},
    ("es_press", "uk"): {"ський": "ski", "цький": "tski", "ий": "i", "ій": "i", "ія": "ia"},
    ("it_press", "ru"): {
        "ский": "sky|skij", "цкий": "tsky|ckij", "ий": "ij|i", "ый": "y", "ой": "oj", "ия": "ia",
    },
    ("it_press", "uk"): {**_UK_SKY, "ий": "yj", "ія": "ia"},
    ("cs_press", "ru"): {"ская": "ská|skaja", "цкая": "cká|ckaja"},
    ("cs_press", "uk"): {"ська": "ská|ska", "цька": "cká|cka"},
}  # fmt: skip

# Whole words that an ending rule would spoil (French "-ин -> -ine" is for surnames: Poutine).
WORDS: dict[tuple[str, str], dict[str, str]] = {
    ("fr_press", "ru"): {
        "константин": "konstantin", "валентин": "valentin", "вениамин": "veniamin",
        "марин": "marine", "ильин": "ilyine",
    },
}  # fmt: skip

TABLES: dict[tuple[str, str], dict[str, Rule]] = {
    ("en_press", "ru"): _EN_PRESS_RU,
    ("en_press", "uk"): _EN_PRESS_UK,
    ("wikipedia", "ru"): _WIKIPEDIA_RU,
    ("wikipedia", "uk"): _KMU_UK,
    ("bgn_pcgn", "ru"): _BGN_RU,
    ("bgn_pcgn", "uk"): _BGN_UK,
    ("ala_lc", "ru"): _ALA_LC_RU,
    ("ala_lc", "uk"): _ALA_LC_UK,
    ("iso9", "ru"): _ISO9_RU,
    ("iso9", "uk"): _ISO9_UK,
    ("scientific", "ru"): _SCIENTIFIC_RU,
    ("scientific", "uk"): _SCIENTIFIC_UK,
    ("icao", "ru"): _ICAO_RU,
    ("icao", "uk"): _KMU_UK,  # Ukrainian passports follow the national system
    ("de_press", "ru"): _DE_RU,
    ("de_press", "uk"): _DE_UK,
    ("fr_press", "ru"): _FR_RU,
    ("fr_press", "uk"): _FR_UK,
    ("pl_press", "ru"): _PL_RU,
    ("pl_press", "uk"): _PL_UK,
    ("es_press", "ru"): _ES_RU,
    ("es_press", "uk"): _ES_UK,
    ("it_press", "ru"): _IT_RU,
    ("it_press", "uk"): _IT_UK,
    ("cs_press", "ru"): _CS_RU,
    ("cs_press", "uk"): _CS_UK,
}

# --------------------------------------------------------------------------- given-name forms
# Conventional spellings of common given names that no letter-by-letter rule yields: English
# exonyms (Alexander, Peter), press habits (Alexei, Sergei, Yuri), Spanish stress accents
# (Serguéi, Mijaíl), Polish and French name equivalents used in the press. Keys are lower-case
# Cyrillic; values map a scheme to its extra spellings.

GIVEN_NAMES: dict[str, dict[str, dict[str, tuple[str, ...]]]] = {
    "ru": {
        "александр": {
            "en_press": ("Alexander", "Alexandr", "Aleksandr"), "fr_press": ("Alexandre",),
            "pl_press": ("Aleksander",), "es_press": ("Alexandr", "Aleksandr"), "de_press": ("Alexander",),
            "cs_press": ("Alexandr",), "it_press": ("Aleksandr", "Alexander"),
        },
        "александра": {"en_press": ("Alexandra",), "de_press": ("Alexandra",)},
        "алексей": {
            "en_press": ("Alexei", "Alexey", "Aleksei"), "es_press": ("Alekséi", "Alexéi"),
            "it_press": ("Aleksej", "Alexei"), "cs_press": ("Alexej",),
        },
        "анатолий": {"en_press": ("Anatoly", "Anatoliy"), "es_press": ("Anatoli",)},
        "андрей": {"en_press": ("Andrei", "Andrey"), "es_press": ("Andréi",), "it_press": ("Andrej",)},
        "антон": {"es_press": ("Antón",)},
        "борис": {"es_press": ("Borís",)},
        "валентина": {"de_press": ("Valentina",), "es_press": ("Valentina",)},
        "василий": {"en_press": ("Vasily", "Vasili", "Vassily"), "es_press": ("Vasili",)},
        "виктор": {"en_press": ("Victor",), "fr_press": ("Viktor",), "es_press": ("Víktor",)},
        "виталий": {"en_press": ("Vitaly", "Vitali", "Vitaliy"), "es_press": ("Vitali",)},
        "владимир": {"es_press": ("Vladímir",), "pl_press": ("Włodzimierz",)},
        "вячеслав": {"en_press": ("Vyacheslav", "Viacheslav"), "es_press": ("Viacheslav",)},
        "геннадий": {"en_press": ("Gennady", "Gennadiy"), "es_press": ("Guennadi",)},
        "георгий": {"en_press": ("Georgy", "Georgi", "George"), "es_press": ("Gueorgui",)},
        "дмитрий": {
            "en_press": ("Dmitry", "Dmitri", "Dimitri"), "fr_press": ("Dmitri", "Dimitri"),
            "de_press": ("Dmitri", "Dimitri"), "it_press": ("Dmitri", "Dmitry"),
            "es_press": ("Dmitri",),
        },
        "евгений": {
            "en_press": ("Yevgeny", "Evgeny", "Evgeni", "Yevgeniy", "Eugene"),
            "es_press": ("Yevgueni", "Evgueni"), "it_press": ("Evgenij", "Yevgeny"),
        },
        "евгения": {"en_press": ("Yevgenia", "Evgenia", "Eugenia")},
        "екатерина": {"en_press": ("Yekaterina", "Ekaterina", "Catherine")},
        "елена": {"en_press": ("Yelena", "Elena", "Helen"), "es_press": ("Yelena", "Elena")},
        "иван": {"es_press": ("Iván",)},
        "игорь": {"es_press": ("Ígor",)},
        "иосиф": {
            "en_press": ("Joseph",), "de_press": ("Josef",), "fr_press": ("Joseph",),
            "pl_press": ("Józef",), "es_press": ("Iósif",), "cs_press": ("Josif",),
        },
        "ирина": {"es_press": ("Irina",)},
        "ксения": {"en_press": ("Xenia", "Ksenia", "Kseniya")},
        "лев": {"en_press": ("Leo", "Lev"), "fr_press": ("Léon",), "es_press": ("León",)},
        "людмила": {"en_press": ("Lyudmila", "Ludmila", "Liudmila")},
        "максим": {"en_press": ("Maxim", "Maksim"), "de_press": ("Maxim",), "fr_press": ("Maxime",)},
        "мария": {
            "en_press": ("Maria", "Mariya"), "es_press": ("María",), "de_press": ("Maria",),
            "pl_press": ("Maria",),
        },
        "михаил": {
            "en_press": ("Mikhail",), "es_press": ("Mijaíl",), "pl_press": ("Michaił",),
            "it_press": ("Michail", "Mikhail"),
        },
        "наталья": {"en_press": ("Natalya", "Natalia"), "de_press": ("Natalja",)},
        "николай": {"en_press": ("Nikolai", "Nikolay"), "es_press": ("Nikolái",)},
        "ольга": {"en_press": ("Olga",)},
        "павел": {"en_press": ("Pavel",), "es_press": ("Pável",)},
        "пётр": {
            "en_press": ("Pyotr", "Peter", "Petr"), "de_press": ("Pjotr", "Peter"),
            "fr_press": ("Piotr", "Pierre"), "pl_press": ("Piotr",), "es_press": ("Piotr", "Pedro"),
            "it_press": ("Pëtr", "Pietro"), "cs_press": ("Petr",),
        },
        "сергей": {
            "en_press": ("Sergei", "Sergey"), "es_press": ("Serguéi",), "it_press": ("Sergej", "Sergei"),
        },
        "татьяна": {"en_press": ("Tatiana", "Tatyana"), "es_press": ("Tatiana",)},
        "фёдор": {"en_press": ("Fyodor", "Fedor"), "es_press": ("Fiódor",)},
        "юлия": {"en_press": ("Yulia", "Yuliya", "Julia"), "de_press": ("Julia",)},
        "юрий": {"en_press": ("Yuri", "Yury", "Yuriy"), "de_press": ("Juri",), "fr_press": ("Youri",)},
        "яков": {"en_press": ("Yakov", "Jacob")},
    },
    "uk": {
        "володимир": {"en_press": ("Volodymyr",), "es_press": ("Volodímir",), "de_press": ("Wolodymyr",)},
        "віталій": {
            "en_press": ("Vitali", "Vitaliy"), "de_press": ("Vitali", "Witali"), "fr_press": ("Vitali",),
            "pl_press": ("Witalij",), "es_press": ("Vitali",),
        },
        "дмитро": {"en_press": ("Dmytro",)},
        "олександр": {"en_press": ("Oleksandr", "Olexandr")},
        "олексій": {"en_press": ("Oleksiy", "Oleksii")},
        "петро": {"en_press": ("Petro",)},
        "юлія": {"en_press": ("Yulia", "Yuliia"), "de_press": ("Julia",), "fr_press": ("Ioulia",)},
    },
}  # fmt: skip
