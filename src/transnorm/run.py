"""A whole run: read inputs, stream them through the pipeline, write the records.

This is what `transnorm run` (and `transnorm normalise`) calls, and what an ingest job can call
directly. The output side, for every format, is `transnorm.write.sink.Sink`: the output is checked
and locked before any input is read, written beside its final path and renamed into place, and, in
JSONL or TSV, resumable after a crash or `kill -9`: the same command goes on from the last commit,
and every document ends up in the output exactly once.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from pathlib import Path
from typing import IO

from transnorm.config import PipelineConfig
from transnorm.pipeline import Pipeline
from transnorm.progress import ProgressBar
from transnorm.read import STDIN, read_documents
from transnorm.write.sink import Sink
from transnorm.write.summary import RunSummary


def run(
    inputs: Iterable[str],
    *,
    config: PipelineConfig,
    output: str | Path | None = None,
    fmt: str | None = None,
    stdout: IO[str] | None = None,
    stdin: IO[bytes] | None = None,
    pipeline: Pipeline | None = None,
    workers: int = 1,
    restart: bool = False,
    progress: ProgressBar | None = None,
) -> RunSummary:
    """Process every input document and write one record per document; returns a summary.

    `output` is a file, a directory (an existing one, or a string ending in `/`: it gets
    `DIR/records.<format>`), a Moses prefix, or None / `-` for standard output. `restart` discards the progress of an interrupted run to the same output.
    """
    fmt = fmt or config.write.format
    inputs = list(inputs) or [STDIN]
    summary = RunSummary()
    started = time.perf_counter()
    bar = progress or ProgressBar(enabled=False)
    sink = Sink(
        output,
        fmt,
        inputs=inputs,
        stdout=stdout,
        resumable=True,
        restart=restart,
        summary=summary,
        include_text=config.write.include_text,
    )
    pipe: Pipeline | None = None
    try:
        with sink:  # the output is checked and locked before the pipeline is built
            summary.outputs = [str(p) for p in sink.targets()]
            pipe = pipeline or Pipeline(config)
            docs = sink.begin(
                read_documents(inputs, stdin=stdin, max_chars=config.max_document_chars),
                {**pipe.signature.to_dict(), "format": fmt},
            )
            bar.skipped = summary.skipped_already_done
            for doc in pipe.stream(docs, workers=workers):
                sink.write(doc)
                if summary.first_record_seconds is None:
                    summary.first_record_seconds = time.perf_counter() - started
                bar.update(len(doc.segments), bool(doc.errors))
    finally:
        bar.close()
        if pipe is not None:
            summary.stage_seconds = dict(pipe.timings)
            summary.translate = pipe.statistics().get("translate", {})
            if pipeline is None:
                pipe.close()
    summary.seconds = time.perf_counter() - started
    return summary
