"""`transnorm convert`: rewrite earlier output (JSONL records or TMX) in another format.

Only the parser is built at import; the readers and writers run when the command does.
"""

from __future__ import annotations

import argparse
from typing import IO

from transnorm.cli._common import exit_status
from transnorm.read_records import INPUT_FORMATS
from transnorm.write import writer_formats


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the `convert` sub-command."""
    p = subparsers.add_parser(
        "convert",
        help="rewrite transnorm output (JSONL records or TMX) as jsonl, tsv, tmx, xliff, moses or html",
        description="Read the records of an earlier run (JSONL from `transnorm run`, or a TMX file) "
        "and write them in another format. Exit code 1 when some documents carry errors.",
    )
    p.add_argument(
        "inputs", nargs="+", metavar="INPUT", help=".jsonl records, .tmx file, or - for JSONL on stdin"
    )
    p.add_argument("--format", "-f", required=True, choices=writer_formats(), help="output format")
    p.add_argument(
        "--input-format",
        choices=INPUT_FORMATS,
        default="auto",
        help="input format (default: from the file name, else the first character)",
    )
    p.add_argument(
        "-o",
        "--output",
        help="output file (default: stdout); for moses the prefix of PREFIX.src, PREFIX.tgt, PREFIX.meta.json",
    )
    p.set_defaults(func=_cmd_convert)


def _cmd_convert(args: argparse.Namespace, out: IO[str], stdin: IO[bytes] | None) -> int:
    from transnorm.read_records import read_back
    from transnorm.write import write_documents

    docs = read_back(args.inputs, input_format=args.input_format, stdin=stdin)
    summary = write_documents(docs, args.format, args.output, stdout=out, inputs=args.inputs)
    return exit_status(summary.documents, summary.documents_with_errors)
