"""Language codes: the pipeline speaks ISO 639-1 (`en`, `de`, `pt`), users may type `pt-BR` or `deu`."""

from __future__ import annotations

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
    return _ALPHA3.get(base, base)
