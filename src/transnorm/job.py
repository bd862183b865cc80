"""A whole run: read inputs, stream them through the pipeline, write the records.

This is what `transnorm run` calls, and what an ingest job can call directly. Output to a path is
written to a temporary file next to it and renamed into place at the end, so a crash or a full disk
never leaves a half-written file where a good one was.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from transnorm.config import PipelineConfig
from transnorm.document import Document
from transnorm.errors import TransnormError
from transnorm.pipeline import Pipeline
from transnorm.read import read_documents
from transnorm.write import open_writer


class OutputError(TransnormError):
    """The output cannot be written (unwritable path, disk full)."""

    code = "E400"


@dataclass
class JobSummary:
    """What a run did, for the exit code and `--stats`."""

    documents: int = 0
    documents_with_errors: int = 0
    segments: int = 0
    errors_by_code: Counter[str] = field(default_factory=Counter)
    languages: Counter[str] = field(default_factory=Counter)
    engines: Counter[str] = field(default_factory=Counter)
    edits: int = 0
    seconds: float = 0.0

    def add(self, doc: Document) -> None:
        self.documents += 1
        self.segments += len(doc.segments)
        self.languages[doc.lang] += 1
        self.edits += len(doc.edits)
        for seg in doc.segments:
            if seg.engine:
                self.engines[seg.engine] += 1
        if doc.errors:
            self.documents_with_errors += 1
            self.errors_by_code.update(e.code for e in doc.errors)

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "documents_with_errors": self.documents_with_errors,
            "segments": self.segments,
            "errors_by_code": dict(self.errors_by_code),
            "languages": dict(self.languages),
            "segments_by_engine": dict(self.engines),
            "edits": self.edits,
            "seconds": round(self.seconds, 3),
        }


def run_job(
    inputs: Iterable[str],
    *,
    config: PipelineConfig,
    output: str | Path | None = None,
    fmt: str | None = None,
    stdout: IO[str] | None = None,
    stdin: IO[bytes] | None = None,
    pipeline: Pipeline | None = None,
) -> JobSummary:
    """Process every input document and write one record per document; returns a summary."""
    fmt = fmt or config.write.format
    summary = JobSummary()
    started = time.perf_counter()
    pipe = pipeline or Pipeline(config)
    try:
        with _open_output(output, stdout) as stream:
            writer = open_writer(fmt, stream, include_text=config.write.include_text)
            for doc in pipe.stream(read_documents(inputs, stdin=stdin)):
                writer.write(doc)
                summary.add(doc)
            writer.close()
    finally:
        if pipeline is None:
            pipe.close()
    summary.seconds = time.perf_counter() - started
    return summary


@contextlib.contextmanager
def _open_output(output: str | Path | None, stdout: IO[str] | None) -> Iterator[IO[str]]:
    if output is None or str(output) == "-":
        yield stdout or sys.stdout
        return
    path = Path(output)
    directory = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise OutputError(f"cannot write output {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise OutputError(
            f"writing {path} failed: {exc.strerror or exc}; earlier output left intact"
        ) from None
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
