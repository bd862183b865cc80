"""Sub-commands `normalise`, `check-names` and `glossary validate|expand` (registered by `transnorm.cli`).

Only argument definitions live at module level; the work is imported when a command runs. Exit codes
as for `run`: 0 success, 1 documents (or glossary files) with problems, 2 usage error.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import IO, Any

from transnorm.cli._common import EXIT_DOC_ERRORS as EXIT_PROBLEMS
from transnorm.cli._common import EXIT_OK, EXIT_USAGE, config_from_args, exit_status


def register(sub: Any) -> None:
    """Add the commands to the `transnorm` sub-parser set."""
    p = sub.add_parser("normalise", help="rewrite glossary names in texts to their canonical spelling")
    _inputs(p)
    _glossary_args(p)
    p.add_argument("--lang", help="language of the texts and of the canonical spellings (default: detect)")
    p.add_argument("-o", "--output", help="output file (default: stdout)")
    p.add_argument("--format", help="output format: jsonl (default), tsv, tmx, xliff, html")
    p.add_argument("--config", help="TOML config file")
    p.set_defaults(func=_cmd_normalise)

    c = sub.add_parser("check-names", help="report the spellings a corpus uses for each person and entity")
    _inputs(c)
    _glossary_args(c)
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
    g.set_defaults(func=_glossary_help(g))


def _inputs(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "inputs",
        nargs="*",
        metavar="INPUT",
        help=".txt file, .jsonl file (id, text, metadata per line), directory, or - for JSONL on stdin",
    )


def _glossary_args(p: argparse.ArgumentParser) -> None:
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
    p.add_argument("--no-cache", action="store_true", help="compile glossaries without the cache")


def _glossary_help(parser: argparse.ArgumentParser) -> Any:
    def show(args: argparse.Namespace, out: IO[str], stdin: Any) -> int:
        parser.print_help(sys.stderr)
        return EXIT_USAGE

    return show


def _config(args: argparse.Namespace, *, stages: tuple[str, ...]) -> Any:
    cfg = config_from_args(args)
    normalise: dict[str, Any] = {"side": "source"}
    if args.lang:
        normalise["lang"] = args.lang
    if args.no_cache:
        normalise["cache"] = False
    overrides: dict[str, Any] = {"normalise": normalise, "stages": stages}
    if args.lang:
        overrides["source_lang"] = args.lang
        overrides["target_lang"] = args.lang
    return cfg.with_overrides(**overrides)


def _cmd_normalise(args: argparse.Namespace, out: IO[str], stdin: Any) -> int:
    from transnorm.job import run_job

    stages = ("segment", "normalise") if args.lang else ("detect", "segment", "normalise")
    cfg = _config(args, stages=stages)
    pipe = _RecordAwarePipeline(cfg)
    try:
        summary = run_job(args.inputs, config=cfg, output=args.output, stdout=out, stdin=stdin, pipeline=pipe)
    finally:
        pipe.close()
    return exit_status(summary.documents, summary.documents_with_errors)


class _RecordAwarePipeline:
    """The normalise pipeline, except that records (`run`/`align` output) keep their segments.

    A record's translations are normalised (target side, language from the record); a plain document
    goes through detect/segment/normalise on its text as before.
    """

    def __init__(self, config: Any) -> None:
        from dataclasses import replace

        from transnorm.normalise.stage import NormaliseStage
        from transnorm.pipeline import Pipeline

        self.inner = Pipeline(config)
        target_cfg = replace(config, normalise=replace(config.normalise, side="target"))
        self._target_cfg = target_cfg
        self._stage: Any = None
        self._factory = NormaliseStage

    @property
    def stage_for_records(self) -> Any:
        if self._stage is None:
            self._stage = self._factory(self._target_cfg)
        return self._stage

    def stream(self, docs: Any, *, workers: int = 1) -> Any:
        from transnorm.normalise.people import as_record

        for doc in docs:
            rec = as_record(doc)
            if rec is doc:
                yield from self.inner.stream([doc])
            else:
                yield self._normalise_record(rec)

    def _normalise_record(self, doc: Any) -> Any:
        if any(seg.target for seg in doc.segments):
            return self.stage_for_records(doc)
        return self.inner.stage("normalise")(doc)  # a record without translations: its sources

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def _cmd_check_names(args: argparse.Namespace, out: IO[str], stdin: Any) -> int:
    from transnorm.normalise.people import as_record, matchers_for
    from transnorm.normalise.propose import write_proposals
    from transnorm.normalise.report import DEFAULT_MIN_SCORE, FORMATS, check_names
    from transnorm.pipeline import Pipeline
    from transnorm.read import read_documents
    from transnorm.translit import ERR_SCHEME, SCHEMES

    cfg = _config(args, stages=("detect",))  # with --lang, detect only sets the given language
    opts = cfg.normalise
    matcher_for = matchers_for(opts)
    matcher_for(args.lang)  # a broken glossary is a usage error before any input is read
    scheme = args.scheme or opts.scheme
    if scheme != "auto" and scheme not in SCHEMES:
        print(
            f"transnorm: error: {ERR_SCHEME.format(scheme=scheme, choices='auto, ' + ', '.join(SCHEMES))}",
            file=sys.stderr,
        )
        return EXIT_USAGE
    failed: list[str] = []

    def readable(pipe: Any, docs: Any) -> Any:
        for doc in docs:
            rec = as_record(doc)
            for item in [rec] if rec is not doc else pipe.stream([doc]):
                if item.stopped:
                    failed.append(item.id)
                    print(f"transnorm: skipping {item.id}: {item.errors[0].message}", file=sys.stderr)
                else:
                    yield item

    with Pipeline(cfg) as pipe:
        docs = readable(pipe, read_documents(args.inputs, stdin=stdin, max_chars=cfg.max_document_chars))
        min_score = DEFAULT_MIN_SCORE if args.min_score is None else args.min_score
        report = check_names(
            docs,
            matcher_for,
            lang=args.lang,
            min_score=min_score,
            side=args.side,
            discover=opts.discover and not args.no_discover,
            scheme=scheme,
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
    return EXIT_PROBLEMS if failed else EXIT_OK


def _cmd_validate(args: argparse.Namespace, out: IO[str], stdin: Any) -> int:
    from transnorm.normalise.glossary import GlossaryError, find_conflicts, load_glossary, resolve_glossaries

    status = EXIT_OK
    loaded = []
    for spec in args.files:
        try:
            paths = resolve_glossaries([spec])
        except GlossaryError as exc:
            print(f"transnorm: error: {exc}", file=sys.stderr)
            return EXIT_USAGE
        for path in paths:
            try:
                glossary = load_glossary(path)
            except GlossaryError as exc:
                status = EXIT_PROBLEMS
                for problem in exc.problems:
                    print(f"{problem}", file=sys.stderr)
                continue
            loaded.append(glossary)
            version = glossary.files[0].version or "no version"
            out.write(f"{path}: ok, {len(glossary)} entries, version {version}\n")
    if len(loaded) > 1:
        across = find_conflicts([e for g in loaded for e in g.entries])
        for problem in across:
            status = EXIT_PROBLEMS
            print(f"{problem}", file=sys.stderr)
    return status


def _cmd_expand(args: argparse.Namespace, out: IO[str], stdin: Any) -> int:
    from transnorm.normalise.matcher import load_matcher

    matcher = load_matcher(args.files, args.lang, generate=not args.no_generated)
    rows = []
    for key, owners in sorted(matcher.readings()):
        for owner in owners:
            entry = matcher.entries[owner.entry]
            rows.append(
                {
                    "entity": entry.id,
                    "form": key,
                    "kind": owner.kind,
                    "rule": owner.rule,
                    "needs_suffix": sorted(owner.plain) if owner.dropped else [],
                    "canonical": entry.canonical_for(args.lang),
                }
            )
    rows.sort(key=lambda r: (r["entity"], r["kind"], r["rule"] != "explicit", r["form"]))
    if args.format == "json":
        for r in rows:
            out.write(json.dumps(r, ensure_ascii=False) + "\n")
    else:
        out.write("entity\tform\tkind\trule\tcanonical\n")
        for r in rows:
            form = r["form"] + ("+{" + ",".join(r["needs_suffix"]) + "}" if r["needs_suffix"] else "")
            out.write(f"{r['entity']}\t{form}\t{r['kind']}\t{r['rule']}\t{r['canonical']}\n")
    return EXIT_OK
