"""The `transnorm` command: a thin layer that parses arguments and calls the library.

One module per group of commands (`run`, `convert`, `names`, `align`, `models`); each defines its
parsers (`register(subparsers)`) and imports the library only when its command runs, so
`transnorm --help` stays instant. No library module imports this package.

Exit codes: 0 every document processed; 1 some documents carry errors (every record is still
written); 2 usage or configuration error (nothing processed). Data goes to stdout, messages to stderr.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import IO

from transnorm.cli import align, convert, models, names, run
from transnorm.cli._common import EXIT_DOC_ERRORS, EXIT_OK, EXIT_USAGE, config_from_args, exit_status

__all__ = [
    "EXIT_DOC_ERRORS",
    "EXIT_OK",
    "EXIT_USAGE",
    "build_parser",
    "config_from_args",
    "exit_status",
    "main",
]

# The command groups, in the order `transnorm --help` lists them.
_GROUPS = (run, models, names, convert, align)


def main(
    argv: Sequence[str] | None = None, *, stdout: IO[str] | None = None, stdin: IO[bytes] | None = None
) -> int:
    """Run the CLI in-process; returns the exit code (tests call this directly)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits on --help (0) and on usage errors (2)
        return int(exc.code or 0)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    from transnorm.errors import TransnormError
    from transnorm.progress import set_verbose

    set_verbose(getattr(args, "verbose", False))
    out = stdout or sys.stdout
    try:
        return int(args.func(args, out, stdin))
    except TransnormError as exc:  # every message carries its code
        print(f"transnorm: error [{exc.code}]: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:  # e.g. `transnorm run ... | head`
        return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    """The `transnorm` parser with every command."""
    from transnorm import __version__

    parser = argparse.ArgumentParser(
        prog="transnorm",
        description="Turn multilingual news articles into clean, aligned bilingual documents.",
    )
    parser.add_argument("--version", action="version", version=f"transnorm {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for group in _GROUPS:
        group.register(sub)
    return parser
