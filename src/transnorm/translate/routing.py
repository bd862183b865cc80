"""Which model translates a language pair, and how each model family wants to be told the languages.

A routing table maps pairs to models (`"de-en" = "Helsinki-NLP/opus-mt-de-en"`, or a local directory);
pairs not in the table follow a pattern (`Helsinki-NLP/opus-mt-{src}-{tgt}`), then a multilingual
model (NLLB-200 or M2M100), then a pivot through English with two models. The first candidate that is
on this machine wins; when none is and the engine may download (the translate stage allows it unless
offline mode is on), the first candidate that can be fetched is downloaded on first use, visibly.
Otherwise the error names the model the table asked for and the exact command that gets it.

Families and their conventions:

- **Marian** (OPUS-MT): one model per pair; a multi-target model (opus-mt-en-ROMANCE, opus-mt-en-mul)
  needs a target token such as `>>fr<<` or `>>fra<<` in front of the source, picked from its vocabulary.
- **NLLB-200**: FLORES codes (`deu_Latn`); the source code is the first input token (`src_lang`),
  the target code is forced as the first output token.
- **M2M100**: `__de__`-style tokens, same placement as NLLB (`src_lang`, `get_lang_id`).

Nothing here imports torch, transformers or ctranslate2: both engines share it (their common base,
`RoutedEngine`, is in `routed`).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from transnorm._paths import user_cache_home
from transnorm.config import TranslateOptions

# The defaults live in one table, the config's (`TranslateOptions`); engines built without a config use them.
DEFAULT_PATTERN = TranslateOptions.model_pattern
DEFAULT_MULTILINGUAL = TranslateOptions.multilingual_model
DEFAULT_PIVOT = TranslateOptions.pivot_lang

MARIAN, NLLB, M2M100 = "marian", "nllb", "m2m100"

# ISO 639-1 -> NLLB-200 (FLORES-200) code, for the languages a news desk meets.
NLLB_CODES = {
    "af": "afr_Latn", "am": "amh_Ethi", "ar": "arb_Arab", "az": "azj_Latn", "be": "bel_Cyrl",
    "bg": "bul_Cyrl", "bn": "ben_Beng", "bs": "bos_Latn", "ca": "cat_Latn", "cs": "ces_Latn",
    "cy": "cym_Latn", "da": "dan_Latn", "de": "deu_Latn", "el": "ell_Grek", "en": "eng_Latn",
    "eo": "epo_Latn", "es": "spa_Latn", "et": "est_Latn", "eu": "eus_Latn", "fa": "pes_Arab",
    "fi": "fin_Latn", "fr": "fra_Latn", "ga": "gle_Latn", "gl": "glg_Latn", "gu": "guj_Gujr",
    "ha": "hau_Latn", "he": "heb_Hebr", "hi": "hin_Deva", "hr": "hrv_Latn", "hu": "hun_Latn",
    "hy": "hye_Armn", "id": "ind_Latn", "ig": "ibo_Latn", "is": "isl_Latn", "it": "ita_Latn",
    "ja": "jpn_Jpan", "ka": "kat_Geor", "kk": "kaz_Cyrl", "km": "khm_Khmr", "kn": "kan_Knda",
    "ko": "kor_Hang", "ky": "kir_Cyrl", "lb": "ltz_Latn", "lo": "lao_Laoo", "lt": "lit_Latn",
    "lv": "lvs_Latn", "mk": "mkd_Cyrl", "ml": "mal_Mlym", "mn": "khk_Cyrl", "mr": "mar_Deva",
    "ms": "zsm_Latn", "mt": "mlt_Latn", "my": "mya_Mymr", "ne": "npi_Deva", "nl": "nld_Latn",
    "nn": "nno_Latn", "no": "nob_Latn", "pa": "pan_Guru", "pl": "pol_Latn", "ps": "pbt_Arab",
    "pt": "por_Latn", "ro": "ron_Latn", "ru": "rus_Cyrl", "si": "sin_Sinh", "sk": "slk_Latn",
    "sl": "slv_Latn", "so": "som_Latn", "sq": "als_Latn", "sr": "srp_Cyrl", "sv": "swe_Latn",
    "sw": "swh_Latn", "ta": "tam_Taml", "te": "tel_Telu", "tg": "tgk_Cyrl", "th": "tha_Thai",
    "tl": "tgl_Latn", "tr": "tur_Latn", "uk": "ukr_Cyrl", "ur": "urd_Arab", "uz": "uzn_Latn",
    "vi": "vie_Latn", "yo": "yor_Latn", "zh": "zho_Hans", "zu": "zul_Latn",
}  # fmt: skip

# The 100 languages of M2M100 (its tokens are `__xx__`).
_M2M100_CODES = (
    "af am ar ast az ba be bg bn br bs ca ceb cs cy da de el en es et fa ff fi fr fy ga gd gl gu ha he "
    "hi hr ht hu hy id ig ilo is it ja jv ka kk km kn ko lb lg ln lo lt lv mg mk ml mn mr ms my ne nl "
    "no ns oc or pa pl ps pt ro ru sd si sk sl so sq sr ss su sv sw ta th tl tn tr uk ur uz vi wo xh "
    "yi yo zh zu"
)
M2M100_LANGS = frozenset(_M2M100_CODES.split())

# Macro-language codes that OPUS-MT target tokens use where NLLB names an individual language.
_MACRO = {"arb": "ara", "pes": "fas", "zsm": "msa", "lvs": "lav", "npi": "nep", "swh": "swa",
          "khk": "mon", "uzn": "uzb", "azj": "aze", "pbt": "pus", "als": "sqi", "zho": "cmn"}  # fmt: skip


def lang_token(family: str, lang: str) -> str | None:
    """The token a multilingual family uses for an ISO 639-1 code (`deu_Latn`, `__de__`), or None."""
    if family == NLLB:
        return NLLB_CODES.get(lang)
    if family == M2M100:
        return f"__{lang}__" if lang in M2M100_LANGS else None
    return None


def marian_target_token(lang: str, vocabulary: Iterable[str]) -> str | None:
    """The `>>xx<<` token of a multi-target Marian model for `lang`, if its vocabulary has one.

    OPUS-MT models use 2-letter (`>>fr<<`), 3-letter (`>>fra<<`) or scripted (`>>srp_Cyrl<<`) codes.
    """
    vocab = set(vocabulary)
    nllb = NLLB_CODES.get(lang, "")
    alpha3 = nllb.split("_", 1)[0]
    candidates = [lang, alpha3, _MACRO.get(alpha3, ""), nllb]
    if lang == "zh":
        candidates += ["cmn_Hans", "zho_Hans"]
    for code in candidates:
        if code and f">>{code}<<" in vocab:
            return f">>{code}<<"
    return None


def has_target_tokens(vocabulary: Iterable[str]) -> bool:
    """Whether a Marian vocabulary carries `>>xx<<` tokens (a multi-target model)."""
    return any(t.startswith(">>") and t.endswith("<<") for t in vocabulary)


class TargetTokens:
    """A Marian model's target-language tokens, looked up once per model and language.

    Scanning a 58k vocabulary is cheap once but not once per segment, which is how often the
    engines ask.
    """

    def __init__(self, vocabulary: Iterable[str]) -> None:
        self._vocab = frozenset(vocabulary)
        self.multi_target = has_target_tokens(self._vocab)
        self._tokens: dict[str, str | None] = {}

    def token(self, lang: str) -> str | None:
        """The `>>xx<<` token for `lang` (None when the model has none)."""
        if lang not in self._tokens:
            self._tokens[lang] = marian_target_token(lang, self._vocab)
        return self._tokens[lang]


# -- the table -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Leg:
    """One model call: `model` (hub id or local path) translates `source` -> `target`."""

    model: str
    source: str
    target: str


@dataclass(frozen=True)
class Route:
    """How a pair is translated: one leg, or two through a pivot language."""

    legs: tuple[Leg, ...]
    how: str
    """Why this route: `table`, `override`, `pattern`, `multilingual` or `pivot`."""

    @property
    def models(self) -> tuple[str, ...]:
        return tuple(leg.model for leg in self.legs)


@dataclass(frozen=True)
class RoutingTable:
    """Pair -> model, with a default pattern, a multilingual fallback and an optional pivot.

    Keys of `models` are `src-tgt` pairs of ISO 639-1 codes; `*-en` and `de-*` match any source or
    target. `override` (`--model`) sends every pair to one model.
    """

    models: Mapping[str, str]
    pattern: str | None = DEFAULT_PATTERN
    multilingual: str | None = DEFAULT_MULTILINGUAL
    pivot: str | None = DEFAULT_PIVOT
    override: str | None = None

    def configured(self, src: str, tgt: str) -> str | None:
        """The model the user named for this pair (override or table), if any."""
        if self.override:
            return self.override
        for key in (f"{src}-{tgt}", f"*-{tgt}", f"{src}-*"):
            if key in self.models:
                return self.models[key]
        return None

    def candidates(self, src: str, tgt: str) -> list[Route]:
        """Every way to translate the pair, most preferred first."""
        named = self.configured(src, tgt)
        if named:
            return [Route((Leg(named, src, tgt),), "override" if self.override else "table")]
        routes = self._direct(src, tgt)
        if self.pivot and self.pivot not in (src, tgt):
            for first in self._direct(src, self.pivot):
                for second in self._direct(self.pivot, tgt):
                    routes.append(Route(first.legs + second.legs, "pivot"))
        return routes

    def resolve(self, src: str, tgt: str, available: Callable[[Route], bool]) -> Route | None:
        """The first available route; None when no candidate is on this machine."""
        for route in self.candidates(src, tgt):
            if available(route):
                return route
        return None

    def _direct(self, src: str, tgt: str) -> list[Route]:
        named = self.configured(src, tgt)
        if named:
            return [Route((Leg(named, src, tgt),), "table")]
        routes = []
        if self.pattern:
            routes.append(Route((Leg(self.pattern.format(src=src, tgt=tgt), src, tgt),), "pattern"))
        if self.multilingual:
            family = guess_family(self.multilingual)
            if lang_token(family, src) and lang_token(family, tgt):
                routes.append(Route((Leg(self.multilingual, src, tgt),), "multilingual"))
        return routes


def guess_family(model: str) -> str:
    """The family of a model from its files when it is a local directory, else from its name."""
    path = Path(model)
    if path.is_dir():
        return family_of_dir(path)
    name = model.lower()
    if "nllb" in name:
        return NLLB
    if "m2m100" in name or "m2m_100" in name:
        return M2M100
    return MARIAN


def family_of_dir(path: Path) -> str:
    """Marian, NLLB or M2M100, read from a transformers or CTranslate2 model directory."""
    meta = _read_json(path / "transnorm.json")
    if meta.get("family"):
        return str(meta["family"])
    tok_class = str(_read_json(path / "tokenizer_config.json").get("tokenizer_class", "")).lower()
    if "nllb" in tok_class:
        return NLLB
    if "m2m100" in tok_class:
        return M2M100
    if "marian" in tok_class or (path / "source.spm").exists():
        return MARIAN
    model_type = str(_read_json(path / "config.json").get("model_type", ""))
    if model_type == "m2m_100":
        return NLLB if "nllb" in str(path).lower() else M2M100
    return MARIAN


def _read_json(path: Path) -> dict[str, object]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, NotADirectoryError):
        return {}
    return data if isinstance(data, dict) else {}


# -- where models live -----------------------------------------------------------------------------


@dataclass(frozen=True)
class LocalModel:
    """A model found on this machine: its directory and a revision for signatures and cache keys."""

    path: Path
    revision: str


def hf_hub_cache() -> Path:
    """The Hugging Face hub cache directory, following the same variables as `huggingface_hub`."""
    if os.environ.get("HF_HUB_CACHE"):
        return Path(os.environ["HF_HUB_CACHE"])
    if os.environ.get("HF_HOME"):
        return Path(os.environ["HF_HOME"]) / "hub"
    return user_cache_home() / "huggingface" / "hub"


def find_local_model(model: str) -> LocalModel | None:
    """A local directory, or the snapshot of a hub id in the Hugging Face cache; None if absent."""
    path = Path(model).expanduser()
    if path.is_dir():
        return LocalModel(path, directory_revision(path))
    if model.count("/") != 1 or model.startswith(("/", ".", "~")):
        return None
    repo = hub_repo_dir(model)
    try:
        revision = (repo / "refs" / "main").read_text(encoding="utf-8").strip()
    except (FileNotFoundError, NotADirectoryError):
        return None
    snapshot = repo / "snapshots" / revision
    if not ((snapshot / "config.json").exists() and _has_weights(snapshot)):
        return None  # absent, or a download that was interrupted: fetching again resumes it
    return LocalModel(snapshot, revision)


def hub_repo_dir(model: str) -> Path:
    """Where the Hugging Face cache keeps a hub id (`.../hub/models--ORG--NAME`)."""
    return hf_hub_cache() / ("models--" + model.replace("/", "--"))


def _has_weights(path: Path) -> bool:
    return any(path.glob("*.safetensors")) or (path / "pytorch_model.bin").exists()


def directory_revision(path: Path) -> str:
    """A short fingerprint of a local model directory (names, sizes, modification times).

    Local directories have no commit hash; this one changes whenever a file is replaced, so cached
    translations of an older model are never served for a newer one.
    """
    h = hashlib.sha256()
    for f in sorted(p for p in path.rglob("*") if p.is_file()):
        st = f.stat()
        h.update(f"{f.relative_to(path)}:{st.st_size}:{st.st_mtime_ns}\n".encode())
    return "local-" + h.hexdigest()[:12]


def ct2_store_name(model: str) -> str:
    """Directory name of a model's CTranslate2 conversion in transnorm's model store."""
    path = Path(model).expanduser()
    if path.is_dir() or model.startswith(("/", ".", "~")):
        digest = hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:8]
        return f"local--{path.name}--{digest}"
    return model.replace("/", "--")


def is_hub_id(model: str) -> bool:
    """Whether `model` names a hub repository (`org/name`) rather than a local directory."""
    return (
        model.count("/") == 1
        and not model.startswith(("/", ".", "~"))
        and not Path(model).expanduser().exists()
    )


def download_command(model: str, src: str = "", tgt: str = "") -> str:
    """The exact `transnorm models download ...` that fetches `model` (by pair when that resolves to it)."""
    if src and tgt and model == DEFAULT_PATTERN.format(src=src, tgt=tgt):
        return f"transnorm models download {src}-{tgt}"
    return f"transnorm models download {model}"


def download_hint(model: str, src: str = "", tgt: str = "") -> str:
    """What to do about a missing model, for error messages.

    A hub id gets the exact download command; a local path gets no download advice (there is
    nothing to download), only a check of the path.
    """
    if not is_hub_id(model):
        return f"check that {model} is a model directory, or pass --model PATH to one"
    return (
        f"on a machine with internet access run `{download_command(model, src, tgt)}` "
        "(it needs pip install 'transnorm[mt]'), or pass --model PATH to a local model directory"
    )
