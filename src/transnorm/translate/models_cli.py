"""`transnorm models list | download | convert`: get models onto a machine before a run needs them.

Translation never downloads (a library that fetches gigabytes inside a function call surprises its
users); these commands do it on purpose. `download` fetches a pair's routed model (or a named model)
into the Hugging Face cache; `convert` turns a transformers model into a CTranslate2 directory with a
chosen quantisation, copying the sentencepiece models the CTranslate2 engine tokenizes with.
Only argparse is imported at module level: the CLI builds its parser quickly.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path
from typing import IO, Any

QUANTIZATIONS = ("int8", "int8_float32", "int8_float16", "int16", "float16", "bfloat16", "float32")
# Files the CTranslate2 engine needs next to model.bin, per family.
_TOKENIZER_FILES = ("source.spm", "target.spm", "sentencepiece.bpe.model")


def register(subparsers: Any) -> None:
    """Add `models` and its sub-commands to the `transnorm` parser."""
    models = subparsers.add_parser("models", help="list, download and convert translation models")
    sub = models.add_subparsers(dest="models_command", metavar="ACTION")

    ls = sub.add_parser("list", help="the model each pair routes to, and whether it is on this machine")
    ls.add_argument("pairs", nargs="*", metavar="PAIR", help="pairs such as de-en (default: configured ones)")
    ls.add_argument("--config", help="TOML config file with translate.models")
    ls.set_defaults(func=_cmd_list)

    dl = sub.add_parser("download", help="download a pair's model (or a model id) into the HF cache")
    dl.add_argument("targets", nargs="+", metavar="PAIR|MODEL", help="de-en, or Helsinki-NLP/opus-mt-de-en")
    dl.add_argument("--config", help="TOML config file with translate.models")
    dl.add_argument("--revision", help="branch, tag or commit (default: main)")
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

    models.set_defaults(func=lambda args, out, stdin: _usage(models))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


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
    from transnorm.errors import EngineError, missing_dependency

    try:
        from huggingface_hub import snapshot_download
    except ImportError:
        raise missing_dependency("huggingface_hub", "mt", "Downloading models") from None
    try:
        path = snapshot_download(
            model,
            revision=revision,
            allow_patterns=["*.json", "*.spm", "*.model", "*.safetensors", "*.txt", "*.bin"],
        )
    except Exception as exc:  # network, auth and missing-repo errors come in many types
        raise EngineError(
            f"could not download {model!r}: {type(exc).__name__}: {' '.join(str(exc).split())} Check the model id and the "
            "network, or copy the model directory to this machine and pass --model PATH"
        ) from None
    return Path(path)


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


def _cmd_list(args: argparse.Namespace, out: IO[str], stdin: Any) -> int:
    from transnorm.translate.ct2 import default_models_dir, is_ct2_dir
    from transnorm.translate.routing import ct2_store_name, find_local_model

    table = _routing_table(args.config)
    pairs = [p for p in (_as_pair(x) for x in args.pairs) if p] or [
        p for p in (_as_pair(k) for k in table.models) if p and "*" not in p
    ]
    if not pairs:
        print(
            "transnorm: no pairs configured; name some, e.g. `transnorm models list de-en ru-en`",
            file=sys.stderr,
        )
    for src, tgt in pairs:
        for route in table.candidates(src, tgt) or []:
            for model in route.models:
                hf = find_local_model(model)
                ct2 = is_ct2_dir(Path(model)) or is_ct2_dir(default_models_dir() / ct2_store_name(model))
                row = {
                    "pair": f"{src}-{tgt}",
                    "route": route.how,
                    "model": model,
                    "transformers": str(hf.path) if hf else None,
                    "ctranslate2": ct2,
                }
                out.write(json.dumps(row) + "\n")
    return 0


def _cmd_download(args: argparse.Namespace, out: IO[str], stdin: Any) -> int:
    for target in args.targets:
        model = resolve_model(target, args.config)
        path = download_model(model, args.revision)
        out.write(f"{model}\t{path}\n")
    return 0


def _cmd_convert(args: argparse.Namespace, out: IO[str], stdin: Any) -> int:
    model = resolve_model(args.target, args.config)
    path = convert_model(model, args.output, quantization=args.quantization, force=args.force)
    out.write(f"{model}\t{path}\n")
    return 0


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
