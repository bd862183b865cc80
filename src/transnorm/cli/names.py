"""Sub-commands `normalise`, `check-names` and `glossary validate|expand`.

Only argument definitions live at module level; the work is imported when a command runs. Exit codes
as for `run`: 0 success, 1 documents (or glossary files) with problems, 2 usage error.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import IO, Any

from transnorm.cli._common import (
    EXIT_DOC_ERRORS,
    EXIT_OK,
    EXIT_USAGE,
    add_glossaries,
    add_inputs,
    config_from_args,
    exit_status,
    usage,
)
from transnorm.errors import ConfigError


def register(sub: Any) -> None:
    """Add the commands to the `transnorm` sub-parser set."""
    p = sub.add_parser("normalise", help="rewrite glossary names in texts to their canonical spelling")
    add_inputs(p)
    add_glossaries(p)
    p.add_argument("--no-cache", action="store_true", help="compile glossaries without the cache")
    p.add_argument("--lang", help="language of the texts and of the canonical spellings (default: detect)")
    p.add_argument("-o", "--output", help="output file (default: stdout)")
    p.add_argument("--format", help="output format: jsonl (default), tsv, tmx, xliff, html")
    p.add_argument("--config", help="TOML config file")
    p.set_defaults(func=_cmd_normalise)

    c = sub.add_parser("check-names", help="report the spellings a corpus uses for each person and entity")
    add_inputs(c)
    add_glossaries(c)
    c.add_argument("--no-cache", action="store_true", help="compile glossaries without the cache")
    c.add_argument("--lang", help="language of the texts (default: from each record, else detect)")
    c.add_argument(
        "--side",
        choices=("target", "source", "both"),
        default="target",
        help="text of records with translations to check (default: target)",
    )
    c.add_argument(
        "--no-discover", action="store_true", help="report glossary entities only (no discovered people)"
    )
    c.add_argument(
        "--scheme", help="transliteration scheme of proposed canonical spellings (default: config, 'auto')"
    )
    c.add_argument(
        "--propose-glossary",
        metavar="FILE.yaml",
        help="also write the discovered people as glossary entries to review (then pass it with --glossary)",
    )
    c.add_argument(
        "--format",
        dest="report_format",
        choices=("json", "text", "html"),
        default="json",
        help="report format",
    )
    c.add_argument("-o", "--output", help="report file (default: stdout)")
    c.add_argument("--min-score", type=float, default=None, help="lowest near-variant score shown (0-1)")
    c.add_argument("--config", help="TOML config file")
    c.set_defaults(func=_cmd_check_names)

    g = sub.add_parser("glossary", help="check or inspect glossary files")
    gsub = g.add_subparsers(dest="glossary_command", metavar="ACTION")
    v = gsub.add_parser("validate", help="check glossary files; errors give file and line")
    v.add_argument("files", nargs="+", metavar="FILE", help="glossary file or bundled name")
    v.set_defaults(func=_cmd_validate)
    e = gsub.add_parser("expand", help="list every spelling matched for each entry, with its rule")
    e.add_argument("files", nargs="+", metavar="FILE", help="glossary file or bundled name")
    e.add_argument("--lang", help="text language, to list its case-ending stems too")
    e.add_argument("--format", choices=("tsv", "json"), default="tsv")
    e.add_argument("--no-generated", action="store_true", help="only the spellings written in the file")
    e.set_defaults(func=_cmd_expand)
    g.set_defaults(func=usage(g))


def _config(args: argparse.Namespace, *, stages: tuple[str, ...]) -> Any:
    from transnorm.corpus import names_config

    return names_config(config_from_args(args), stages=stages, lang=args.lang, cache=not args.no_cache)


def _cmd_normalise(args: argparse.Namespace, out: IO[str], stdin: Any) -> int:
    from transnorm.corpus import RecordAwarePipeline
    from transnorm.run import run

    stages = ("segment", "normalise") if args.lang else ("detect", "segment", "normalise")
    cfg = _config(args, stages=stages)
    pipe = RecordAwarePipeline(cfg)
    try:
        summary = run(args.inputs, config=cfg, output=args.output, stdout=out, stdin=stdin, pipeline=pipe)
    finally:
        pipe.close()
    return exit_status(summary.documents, summary.documents_with_errors)


def _cmd_check_names(args: argparse.Namespace, out: IO[str], stdin: Any) -> int:
    from transnorm.corpus import check_corpus
    from transnorm.normalise.propose import write_proposals
    from transnorm.normalise.report import FORMATS
    from transnorm.read import read_documents
    from transnorm.translit import ERR_SCHEME, SCHEMES

    cfg = _config(args, stages=("detect",))  # with --lang, detect only sets the given language
    scheme = args.scheme or cfg.normalise.scheme
    if scheme != "auto" and scheme not in SCHEMES:
        raise ConfigError(ERR_SCHEME.format(scheme=scheme, choices="auto, " + ", ".join(SCHEMES)))
    failed: list[str] = []

    def skip(doc: Any) -> None:
        failed.append(doc.id)
        print(f"transnorm: skipping {doc.id}: {doc.errors[0].message}", file=sys.stderr)

    report = check_corpus(
        read_documents(args.inputs, stdin=stdin, max_chars=cfg.max_document_chars),
        cfg,
        lang=args.lang,
        side=args.side,
        min_score=args.min_score,
        discover=cfg.normalise.discover and not args.no_discover,
        scheme=scheme,
        on_skip=skip,
    )
    text = FORMATS[args.report_format](report)
    if args.output and args.output != "-":
        with open(args.output, "w", encoding="utf-8") as fh:
            fh.write(text)
    else:
        out.write(text)
    if args.propose_glossary:
        n = write_proposals(report, args.propose_glossary, lang=args.lang)
        print(f"transnorm: wrote {n} proposed entries to {args.propose_glossary}", file=sys.stderr)
    return EXIT_DOC_ERRORS if failed else EXIT_OK


def _cmd_validate(args: argparse.Namespace, out: IO[str], stdin: Any) -> int:
    from transnorm.normalise.glossary import GlossaryError
    from transnorm.normalise.glossary_tools import validate_glossaries

    status = EXIT_OK
    try:
        for check in validate_glossaries(args.files):
            for problem in check.problems:
                print(f"{problem}", file=sys.stderr)
            if not check.ok:
                status = EXIT_DOC_ERRORS
            elif check.path is not None:
                version = check.version or "no version"
                out.write(f"{check.path}: ok, {check.entries} entries, version {version}\n")
    except GlossaryError as exc:  # a spec that names no glossary
        print(f"transnorm: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    return status


def _cmd_expand(args: argparse.Namespace, out: IO[str], stdin: Any) -> int:
    from transnorm.normalise.glossary_tools import expand_glossary

    rows = expand_glossary(args.files, args.lang, generate=not args.no_generated)
    if args.format == "json":
        for r in rows:
            out.write(json.dumps(r, ensure_ascii=False) + "\n")
    else:
        out.write("entity\tform\tkind\trule\tcanonical\n")
        for r in rows:
            form = r["form"] + ("+{" + ",".join(r["needs_suffix"]) + "}" if r["needs_suffix"] else "")
            out.write(f"{r['entity']}\t{form}\t{r['kind']}\t{r['rule']}\t{r['canonical']}\n")
    return EXIT_OK
