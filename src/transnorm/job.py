"""A whole run: read inputs, stream them through the pipeline, write the records.

This is what `transnorm run` calls, and what an ingest job can call directly. Three output modes:

- standard output: records are written and flushed as they complete;
- a file (or a directory, which gets `records.jsonl` / `records.tsv`) in a line format (JSONL, TSV):
  resumable. Records are appended and the committed prefix is tracked in a SQLite state store next to
  the output (`transnorm.state`); after a crash or `kill -9`, the same command resumes and every
  document ends up in the output exactly once;
- a file in a whole-document format (TMX, XLIFF, HTML, ...): written to a temporary file and renamed
  into place at the end, so a failure never leaves half a file where a good one was.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from transnorm.config import PipelineConfig
from transnorm.document import Document
from transnorm.errors import OutputError
from transnorm.pipeline import Pipeline
from transnorm.progress import ProgressBar
from transnorm.read import read_documents
from transnorm.state import Progress, RunState, SignatureMismatch
from transnorm.write import open_writer, writer_needs_path
from transnorm.write._output import atomic_text_file

LINE_FORMATS = ("jsonl", "tsv")
COMMIT_EVERY_DOCS = 256
COMMIT_EVERY_SECONDS = 2.0


@dataclass
class JobSummary:
    """What a run did: the exit code comes from it, and `--stats` writes it."""

    documents: int = 0
    documents_with_errors: int = 0
    skipped_already_done: int = 0
    segments: int = 0
    characters: int = 0
    errors_by_code: Counter[str] = field(default_factory=Counter)
    languages: Counter[str] = field(default_factory=Counter)
    engines: Counter[str] = field(default_factory=Counter)
    edits: int = 0
    edits_by_rule: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    stage_seconds: dict[str, float] = field(default_factory=dict)
    translate: dict[str, Any] = field(default_factory=dict)

    def add(self, doc: Document) -> None:
        self.documents += 1
        self.segments += len(doc.segments)
        self.characters += len(doc.text)
        self.languages[doc.lang] += 1
        self.edits += len(doc.edits)
        self.edits_by_rule.update(e.rule.split(":", 1)[0] or "unknown" for e in doc.edits)
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
            "skipped_already_done": self.skipped_already_done,
            "segments": self.segments,
            "characters": self.characters,
            "errors_by_code": dict(self.errors_by_code),
            "documents_by_language": dict(self.languages),
            "segments_by_engine": dict(self.engines),
            "edits": self.edits,
            "edits_by_rule": dict(self.edits_by_rule),
            "translate": self.translate,
            "seconds": round(self.seconds, 3),
            "seconds_by_stage": {k: round(v, 3) for k, v in self.stage_seconds.items()},
            "documents_per_second": round(self.documents / self.seconds, 2) if self.seconds else None,
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
    workers: int = 1,
    restart: bool = False,
    progress: ProgressBar | None = None,
) -> JobSummary:
    """Process every input document and write one record per document; returns a summary."""
    fmt = fmt or config.write.format
    summary = JobSummary()
    started = time.perf_counter()
    pipe = pipeline or Pipeline(config)
    bar = progress or ProgressBar(enabled=False)
    docs = read_documents(inputs, stdin=stdin, max_chars=config.max_document_chars)
    try:
        if output is None or str(output) == "-":
            _write_stream(pipe, docs, fmt, config, stdout or sys.stdout, summary, bar, workers)
        else:
            path = _resolve_output(Path(output), fmt)
            if fmt in LINE_FORMATS:
                _write_resumable(pipe, docs, fmt, config, path, summary, bar, workers, restart)
            elif writer_needs_path(fmt):  # moses: PATH.src, PATH.tgt, PATH.meta.json, each atomic
                writer = open_writer(fmt, path=path, include_text=config.write.include_text)
                try:
                    for doc in pipe.stream(docs, workers=workers):
                        writer.write(doc)
                        summary.add(doc)
                        bar.update(len(doc.segments), bool(doc.errors))
                    writer.close()
                except BaseException as exc:
                    writer.abort(exc)  # type: ignore[attr-defined]
                    raise
            else:
                with atomic_text_file(path) as stream:
                    _write_stream(pipe, docs, fmt, config, stream, summary, bar, workers)
    finally:
        bar.close()
        summary.stage_seconds = dict(pipe.timings)
        stats = getattr(_find_stage(pipe, "translate"), "stats", None)
        summary.translate = dict(stats) if stats else {}
        if pipeline is None:
            pipe.close()
    summary.seconds = time.perf_counter() - started
    return summary


def _find_stage(pipe: Pipeline, name: str) -> Any:
    try:
        return pipe.stage(name)
    except KeyError:
        return None


def _resolve_output(path: Path, fmt: str) -> Path:
    """A directory output (existing, or named with a trailing slash) gets `records.<format>` inside."""
    if path.is_dir() or str(path).endswith(os.sep):
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"cannot create output directory {path}: {exc.strerror or exc}") from None
        return path / f"records.{fmt}"
    return path


def _write_stream(
    pipe: Pipeline,
    docs: Iterable[Document],
    fmt: str,
    config: PipelineConfig,
    stream: IO[str],
    summary: JobSummary,
    bar: ProgressBar,
    workers: int,
) -> None:
    writer = open_writer(fmt, stream, include_text=config.write.include_text)
    for doc in pipe.stream(docs, workers=workers):
        writer.write(doc)
        summary.add(doc)
        bar.update(len(doc.segments), bool(doc.errors))
    writer.close()


def _write_resumable(
    pipe: Pipeline,
    docs: Iterator[Document],
    fmt: str,
    config: PipelineConfig,
    path: Path,
    summary: JobSummary,
    bar: ProgressBar,
    workers: int,
    restart: bool,
) -> None:
    state_path = RunState.path_for(path)
    if not path.parent.is_dir():
        raise OutputError(f"cannot write output {path}: directory {path.parent} does not exist")
    try:
        if restart:
            for p in (state_path, Path(f"{state_path}-wal"), Path(f"{state_path}-shm")):
                with contextlib.suppress(FileNotFoundError):
                    p.unlink()
        state = RunState(state_path, output=path)
    except OSError as exc:
        raise OutputError(f"cannot write output {path}: {exc.strerror or exc}") from None
    except sqlite3.Error as exc:  # e.g. an unwritable directory
        raise OutputError(f"cannot create the run state next to {path}: {exc}") from None
    try:
        done = state.start({**pipe.signature, "format": fmt})
        fh = _open_for_append(path, done.offset)
        try:
            docs = _skip_done(docs, done)
            summary.skipped_already_done = done.documents
            bar.skipped = done.documents
            writer = open_writer(
                fmt, fh, include_text=config.write.include_text, flush=False, header=done.offset == 0
            )
            progress = Progress(done.documents, done.offset, done.last_id)
            last_commit = time.monotonic()
            for doc in pipe.stream(docs, workers=workers):
                writer.write(doc)
                summary.add(doc)
                bar.update(len(doc.segments), bool(doc.errors))
                progress.documents += 1
                progress.last_id = doc.id
                if (
                    summary.documents % COMMIT_EVERY_DOCS == 0
                    or time.monotonic() - last_commit > COMMIT_EVERY_SECONDS
                ):
                    _commit(fh, state, progress)
                    last_commit = time.monotonic()
            writer.close()
            progress.complete = True
            _commit(fh, state, progress)
        finally:
            with contextlib.suppress(OSError):
                fh.close()
    except OSError as exc:
        committed = state.progress()
        with contextlib.suppress(OSError):  # drop the partial tail; the committed records stay
            os.truncate(path, committed.offset)
        raise OutputError(
            f"writing {path} failed: {exc.strerror or exc}; the {committed.documents} records committed "
            "before the failure are intact, and re-running the same command resumes from there"
        ) from None
    finally:
        state.close()


def _open_for_append(path: Path, offset: int) -> IO[str]:
    """Open the output for appending after truncating it to the committed length."""
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise OutputError(f"cannot write output {path}: {exc.strerror or exc}") from None
    size = os.fstat(fd).st_size
    if size > offset:
        os.ftruncate(fd, offset)  # drop records written after the last commit (a crash mid-batch)
    elif size < offset:
        os.close(fd)
        raise SignatureMismatch(
            f"{path} is shorter ({size} bytes) than its run state says ({offset} bytes): it was changed "
            "outside transnorm; re-run with --restart to start over"
        )
    os.lseek(fd, offset, os.SEEK_SET)
    return os.fdopen(fd, "w", encoding="utf-8", newline="\n")


def _skip_done(docs: Iterator[Document], done: Progress) -> Iterator[Document]:
    """Drop the documents that are already in the output, checking that the inputs are the same."""
    last: Document | None = None
    for _ in range(done.documents):
        last = next(docs, None)
        if last is None:
            raise SignatureMismatch(
                f"the inputs have fewer documents than the {done.documents} already in the output; "
                "they changed since the first run: re-run with --restart or write to a new -o path"
            )
    if last is not None and done.last_id is not None and last.id != done.last_id:
        raise SignatureMismatch(
            f"the inputs changed since the first run (document {done.documents} was {done.last_id!r}, "
            f"now {last.id!r}); re-run with --restart or write to a new -o path"
        )
    return docs


def _commit(fh: IO[str], state: RunState, progress: Progress) -> None:
    fh.flush()
    os.fsync(fh.fileno())
    progress.offset = os.lseek(fh.fileno(), 0, os.SEEK_CUR)
    state.commit(progress)
