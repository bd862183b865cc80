"""What every command shares: exit codes, the input argument, the config from the arguments.

Exit codes: 0 every document processed; 1 some documents (or glossary files) carry errors (every
record is still written); 2 usage or configuration error (nothing processed).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import IO, Any

EXIT_OK = 0
EXIT_DOC_ERRORS = 1
EXIT_USAGE = 2

# A command: (parsed arguments, stdout, stdin bytes) -> exit code.
Command = Callable[[argparse.Namespace, IO[str], "IO[bytes] | None"], int]


def exit_status(documents: int, with_errors: int) -> int:
    """The exit code of a command that wrote one record per document, with a note on stderr."""
    if with_errors:
        print(
            f"transnorm: {with_errors} of {documents} documents have errors (see the 'errors' field of their records)",
            file=sys.stderr,
        )
        return EXIT_DOC_ERRORS
    return EXIT_OK


def add_inputs(p: argparse.ArgumentParser) -> None:
    """The positional INPUT arguments of the commands that read documents."""
    p.add_argument(
        "inputs",
        nargs="*",
        metavar="INPUT",
        help=".txt file (one document), .jsonl file (id, text, metadata per line), directory, "
        "or - for JSONL on stdin (default)",
    )


def add_glossaries(p: argparse.ArgumentParser) -> None:
    """`--glossary PATH` (repeatable) and `--glossary-only`: layers over the configured glossaries."""
    p.add_argument(
        "--glossary",
        action="append",
        metavar="PATH",
        help="glossary file or bundled name (repeatable): a layer over the configured glossaries "
        "('bundled' by default), overriding entries with the same id",
    )
    p.add_argument(
        "--glossary-only",
        action="store_true",
        help="use only the --glossary files, not the configured (bundled) glossaries",
    )


def usage(parser: argparse.ArgumentParser) -> Command:
    """The command of a bare group (`transnorm models`): its help on stderr, exit code 2."""

    def show(args: argparse.Namespace, out: IO[str], stdin: IO[bytes] | None) -> int:
        parser.print_help(sys.stderr)
        return EXIT_USAGE

    return show


def config_from_args(args: argparse.Namespace) -> Any:
    """The pipeline config from --config plus the command-line overrides."""
    from transnorm.config import load_config

    cfg = load_config(getattr(args, "config", None))
    overrides: dict[str, Any] = {}
    if getattr(args, "target", None) is not None:
        overrides["target_lang"] = args.target
    if getattr(args, "source", None) is not None:
        overrides["source_lang"] = args.source
    translate: dict[str, Any] = {}
    if getattr(args, "engine", None):
        translate["engine"] = args.engine
    if getattr(args, "model", None):
        translate["model"] = args.model
    if getattr(args, "no_cache", False):
        translate["cache"] = False
    if getattr(args, "offline", False):
        translate["offline"] = True
    if translate:
        overrides["translate"] = translate
    if getattr(args, "glossary", None):
        base = () if getattr(args, "glossary_only", False) else cfg.normalise.glossaries
        layers = [g for g in base if g not in args.glossary] + list(args.glossary)
        overrides["normalise"] = {"glossaries": tuple(layers)}
    if getattr(args, "format", None):
        overrides["write"] = {"format": args.format}
    return cfg.with_overrides(**overrides) if overrides else cfg
