"""`transnorm models list | download | convert`: see and prepare the models a run will use.

`list` shows, per pair, the engine and model a run would use and whether the model is here;
`download` fetches a pair's routed model (or a named model) into the Hugging Face cache, and with
`--ct2` converts it too; `convert` turns a transformers model into a CTranslate2 directory. The work
is `transnorm.translate.models`; only argparse is imported at module level.
"""

from __future__ import annotations

import argparse
import json
from typing import IO, Any

from transnorm.cli._common import EXIT_OK, usage

# Kept in step with transnorm.translate.models (imported there only when a command runs).
# Source languages a news desk meets most, listed by `models list` when no pair is named.
NEWS_LANGS = ("de", "ru", "uk", "fr", "es", "it", "pl", "pt")
QUANTIZATIONS = ("int8", "int8_float32", "int8_float16", "int16", "float16", "bfloat16", "float32")
# Files the CTranslate2 engine needs next to model.bin, per family.


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


def _cmd_list(args: argparse.Namespace, out: IO[str], stdin: Any) -> int:
    from transnorm.errors import ConfigError
    from transnorm.translate.models import list_models, parse_pair

    overrides: dict[str, Any] = {}
    if args.target:
        overrides["target_lang"] = args.target
    if args.offline:
        overrides["translate"] = {"offline": True}
    bad = [x for x in args.pairs if parse_pair(x) is None]
    if bad:
        raise ConfigError(f"not a language pair: {bad[0]!r} (expected e.g. de-en)")
    pairs = [p for p in (parse_pair(x) for x in args.pairs) if p]
    rows = list_models(pairs or None, args.config, **overrides)
    if args.json:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
        return EXIT_OK
    table = [("PAIR", "ENGINE", "MODEL", "ON THIS MACHINE")]
    for r in rows:
        here = ("yes: " if r["local"] else "no: ") + r["status"] if r["engine"] else r["status"]
        table.append((r["pair"], r["engine"] or "-", r["model"] or "-", here))
    widths = [max(len(row[i]) for row in table) for i in range(3)]
    for row in table:
        out.write("  ".join(c.ljust(w) for c, w in zip(row[:3], widths, strict=True)) + "  " + row[3] + "\n")
    return EXIT_OK


def _cmd_download(args: argparse.Namespace, out: IO[str], stdin: Any) -> int:
    from transnorm.translate.models import prepare_models

    rows = prepare_models(
        args.targets, args.config, revision=args.revision, ct2=args.ct2, quantization=args.quantization
    )
    for model, path in rows:
        out.write(f"{model}\t{path}\n")
    return EXIT_OK


def _cmd_convert(args: argparse.Namespace, out: IO[str], stdin: Any) -> int:
    from transnorm.translate.models import convert_model, resolve_model

    model = resolve_model(args.target, args.config)
    path = convert_model(model, args.output, quantization=args.quantization, force=args.force)
    out.write(f"{model}\t{path}\n")
    return EXIT_OK
