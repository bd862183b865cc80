"""Language codes: the pipeline speaks ISO 639-1 (`en`, `de`, `pt`), users may type `pt-BR` or `deu`.

Every code a user gives (`--to`, `--from`, the config's language keys) goes through `check_lang` once,
when the configuration is built, so records, signatures and resume checks all see the same code, and
a code that names no language (`english`, `xx`) is refused before any document is read.
"""

from __future__ import annotations

import re

from transnorm.errors import ConfigError

# The ISO 639-1 codes (two letters); the withdrawn ones still met (iw, in, ji, sh, mo) map to today's.
_ISO_639_1_CODES = """aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de
    dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie
    ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg
    mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro
    ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty
    ug uk ur uz ve vi vo wa wo xh yi yo za zh zu"""
ISO_639_1 = frozenset(_ISO_639_1_CODES.split())
_WITHDRAWN = {"iw": "he", "in": "id", "ji": "yi", "sh": "sr", "mo": "ro"}
# Languages without a two-letter code that multilingual models translate (M2M100: ast, ceb, ilo).
_THREE_LETTER_ONLY = frozenset({"ast", "ceb", "ilo", "fil", "yue"})
# A language tag: language, then optional script / region / variant subtags (`pt-BR`, `zh-Hant-TW`).
_TAG = re.compile(r"[a-z]{2,3}(?:-[a-z0-9]{1,8})*")

# ISO 639-3 / NTREX-style codes that users and corpora commonly give, mapped to ISO 639-1.
_ALPHA3 = {
    "eng": "en",
    "deu": "de",
    "ger": "de",
    "fra": "fr",
    "fre": "fr",
    "rus": "ru",
    "ukr": "uk",
    "pol": "pl",
    "por": "pt",
    "spa": "es",
    "ita": "it",
    "nld": "nl",
    "dut": "nl",
    "ces": "cs",
    "cze": "cs",
    "bel": "be",
    "bul": "bg",
    "zho": "zh",
    "chi": "zh",
    "jpn": "ja",
    "kor": "ko",
    "ara": "ar",
    "arb": "ar",
    "tur": "tr",
    "swe": "sv",
    "dan": "da",
    "fin": "fi",
    "nob": "no",
    "nor": "no",
    "ell": "el",
    "gre": "el",
    "heb": "he",
    "hun": "hu",
    "ron": "ro",
    "rum": "ro",
    "slk": "sk",
    "slv": "sl",
    "hrv": "hr",
    "srp": "sr",
    "est": "et",
    "lav": "lv",
    "lit": "lt",
    "kat": "ka",
    "hye": "hy",
    "fas": "fa",
    "per": "fa",
    "hin": "hi",
    "vie": "vi",
    "ind": "id",
}


def normalise_lang(code: str | None) -> str | None:
    """`pt-BR` -> `pt`, `deu` -> `de`, `EN` -> `en`; `None` stays `None`.

    Regional variants are folded: routing tables key on the base language; a user who needs a
    regional model routes it explicitly with a model id.
    """
    if code is None:
        return None
    c = code.strip().replace("_", "-").lower()
    if not c:
        return None
    base = c.split("-", 1)[0]
    base = _WITHDRAWN.get(base, base)
    return _ALPHA3.get(base, base)


def is_known_lang(code: str) -> bool:
    """Whether `code`, once normalised, names a language transnorm can route (`pt-BR` yes, `xx` no)."""
    if not isinstance(code, str) or not _TAG.fullmatch(code.strip().replace("_", "-").lower()):
        return False
    return normalise_lang(code) in ISO_639_1 | _THREE_LETTER_ONLY


def check_lang(code: object, where: str) -> str:
    """`code` normalised (`PT-br` -> `pt`), or a `ConfigError` naming `where` (the key or option at fault)."""
    if isinstance(code, str) and is_known_lang(code):
        return normalise_lang(code) or code
    hint = _NAMES.get(code.strip().lower()) if isinstance(code, str) else None
    suggestion = f"; did you mean {hint!r}?" if hint else ""
    raise ConfigError(
        f"{where}: {code!r} is not a language code; use an ISO 639-1 code such as 'en', 'de' or "
        f"'pt' (a region such as 'pt-BR' is accepted and folded to 'pt'){suggestion}"
    )


# English names users type instead of codes, for the hint in the error message only.
_NAMES = {
    "english": "en", "german": "de", "deutsch": "de", "french": "fr", "russian": "ru", "ukrainian": "uk",
    "polish": "pl", "portuguese": "pt", "spanish": "es", "italian": "it", "dutch": "nl", "czech": "cs",
    "chinese": "zh", "japanese": "ja", "korean": "ko", "arabic": "ar", "turkish": "tr", "swedish": "sv",
    "greek": "el", "hebrew": "he", "hungarian": "hu", "romanian": "ro", "persian": "fa", "farsi": "fa",
    "hindi": "hi", "belarusian": "be", "bulgarian": "bg", "serbian": "sr", "croatian": "hr",
}  # fmt: skip
