"""`Sink`: the one way records reach their output, for `run`, `normalise`, `align` and `convert`.

Whatever the format, an output path is handled the same way, and before any input is read:

1. `-o DIR/` (or an existing directory) becomes `DIR/records.<format>`;
2. an output that is one of the inputs, or lies inside an input directory, is refused (E401);
3. an exclusive lock is taken on a file beside the output (E403 if another run holds it), so two
   runs never write one output; what a killed run left behind is then removed.

Then the records go to a hidden file beside the output (`.NAME.transnorm-partial`) that is renamed
into place when the run completes: a failed run never truncates or half-writes an existing output.
A resumable run (`run`/`normalise` to a JSONL or TSV file) also commits its progress to a state file
(`transnorm.state`) every few hundred documents; the next run of the same job appends to the partial
file from the last commit, after checking that the documents already written are the ones it reads
now (a running hash of the input, E402 if they changed). Standard output gets the records as they
complete, with none of the above.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import sys
import time
from collections import deque
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from transnorm.document import Document
from transnorm.errors import OutputError
from transnorm.state import InputDigest, Progress, RunState, SignatureMismatch, document_digest
from transnorm.write._output import (
    OutputLock,
    atomic_text_file,
    fsync_directory,
    is_directory_output,
    make_output_directory,
    partial_path,
    refuse_overlap,
    remove_stale,
    resolve_output,
)
from transnorm.write.formats import Writer, check_format, open_writer, writer_needs_path
from transnorm.write.summary import RunSummary

LINE_FORMATS = ("jsonl", "tsv")  # formats whose partial output can be appended to, so resumed
COMMIT_EVERY_DOCS = 256
COMMIT_EVERY_SECONDS = 2.0


class Sink:
    """Writes the records of one run to standard output, a file, or a Moses prefix.

    Use as a context manager: entering resolves, checks and locks the output; `begin(docs)` opens the
    writer and returns the documents still to write (a resumed run skips the committed ones);
    `write(doc)` writes one record; leaving the block completes the output, or, on an exception,
    leaves any earlier output untouched (and a resumable run's committed progress in place).
    """

    def __init__(
        self,
        output: str | Path | None,
        fmt: str,
        *,
        inputs: Iterable[str | Path] = (),
        stdout: IO[str] | None = None,
        resumable: bool = False,
        restart: bool = False,
        summary: RunSummary | None = None,
        **options: Any,
    ) -> None:
        check_format(fmt)
        self.fmt = fmt
        self.summary = summary if summary is not None else RunSummary()
        self.path = None if output is None or str(output) == "-" else resolve_output(output, fmt)
        self.resumable = resumable and fmt in LINE_FORMATS and self.path is not None
        self._output = output
        self._inputs = [str(i) for i in inputs]
        self._stdout = stdout
        self._restart = restart
        self._options = options
        self._lock = OutputLock(self.path) if self.path is not None else None
        self._writer: Writer | None = None
        self._stack: contextlib.ExitStack | None = None
        # resumable runs only
        self._state: RunState | None = None
        self._fh: IO[str] | None = None
        self._progress = Progress()
        self._digest = InputDigest()
        self._pending: deque[bytes] = deque()
        self._since_commit = 0
        self._last_commit = time.monotonic()

    def targets(self) -> list[Path]:
        """The files this sink creates (three for a Moses prefix); empty for standard output."""
        if self.path is None:
            return []
        if writer_needs_path(self.fmt):
            from transnorm.write.moses import output_paths

            return list(output_paths(self.path).values())
        return [self.path]

    # -- opening ---------------------------------------------------------------------------------

    def __enter__(self) -> Sink:
        if self.path is None or self._lock is None:
            return self
        refuse_overlap(self.targets(), self._inputs)
        if is_directory_output(self._output or ""):
            make_output_directory(self.path)
        parent = self.path.parent
        if not parent.is_dir():
            reason = "is not a directory" if parent.exists() else "does not exist"
            raise OutputError(f"cannot write output {self.path}: directory {parent} {reason}")
        self._lock.acquire()
        if not self.resumable:  # nothing to resume: clear what a killed run left behind
            try:
                for target in self.targets():
                    remove_stale(target)
                RunState.remove(RunState.path_for(self.path))
            except BaseException:
                self._lock.release()
                raise
        return self

    def begin(self, docs: Iterable[Document], signature: dict[str, Any] | None = None) -> Iterator[Document]:
        """Open the writer; returns the documents still to write, in order.

        `signature` identifies the job of a resumable run (configuration, glossary, format): a
        different one is refused (E402) rather than resumed.
        """
        options = dict(self._options)
        if self.path is None:
            self._writer = open_writer(self.fmt, self._stdout or sys.stdout, **options)
            return iter(docs)
        if writer_needs_path(self.fmt):
            self._writer = open_writer(self.fmt, path=self.path, **options)
            return iter(docs)
        if not self.resumable:
            self._stack = contextlib.ExitStack()
            stream = self._stack.enter_context(atomic_text_file(self.path))
            self._writer = open_writer(self.fmt, stream, flush=False, **options)
            return iter(docs)
        return self._begin_resumable(iter(docs), signature or {})

    def _begin_resumable(self, docs: Iterator[Document], signature: dict[str, Any]) -> Iterator[Document]:
        assert self.path is not None
        state_path = RunState.path_for(self.path)
        partial = partial_path(self.path)
        if self._restart:
            RunState.remove(state_path)
            remove_stale(self.path)
        try:
            self._state = state = RunState(state_path, output=self.path)
            previous, progress = state.signature(), state.progress()
        except sqlite3.Error as exc:  # e.g. an unwritable directory, or a corrupt state file
            raise OutputError(f"cannot use the run state {state_path}: {exc}") from None
        resume = (
            previous is not None and not progress.complete and progress.documents > 0 and partial.exists()
        )
        if resume:
            state.start(signature)  # E402 if the configuration changed
            docs = self._skip_done(docs, progress)  # E402 if the documents already written changed
            fd = self._open_partial(partial, progress.offset)
            self.summary.skipped_already_done = progress.documents
        else:
            progress = state.reset(signature)
            fd = os.open(partial, os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o644)
        self._progress = progress
        self._fh = os.fdopen(fd, "w", encoding="utf-8", newline="\n")
        self._writer = open_writer(
            self.fmt, self._fh, flush=False, header=progress.offset == 0, **self._options
        )
        return self._remember_digests(docs)

    def _skip_done(self, docs: Iterator[Document], done: Progress) -> Iterator[Document]:
        """Read past the documents already written, checking that they are the same as before."""
        for count in range(done.documents):
            doc = next(docs, None)
            if doc is None:
                raise SignatureMismatch(
                    f"the inputs now hold {count} documents, fewer than the {done.documents} already "
                    f"written to {self.path}: they changed since the interrupted run. Re-run with "
                    "--restart to start over, or write to a new -o path"
                )
            self._digest.add(document_digest(doc))
        if self._digest.hexdigest() != done.input_digest:
            raise SignatureMismatch(
                f"the inputs changed since the interrupted run: the first {done.documents} documents, "
                f"already written to {self.path}, are not the ones read now (a document was added, "
                "removed or edited). Resuming would duplicate, drop or keep stale records; re-run with "
                "--restart to start over, or write to a new -o path"
            )
        return docs

    def _open_partial(self, partial: Path, offset: int) -> int:
        fd = os.open(partial, os.O_RDWR | os.O_CLOEXEC)
        size = os.fstat(fd).st_size
        if size < offset:
            os.close(fd)
            raise SignatureMismatch(
                f"{partial} is shorter ({size} bytes) than its run state says ({offset} bytes): it was "
                "changed outside transnorm; re-run with --restart to start over"
            )
        os.ftruncate(fd, offset)  # drop records written after the last commit (a crash mid-batch)
        os.lseek(fd, offset, os.SEEK_SET)
        return fd

    def _remember_digests(self, docs: Iterator[Document]) -> Iterator[Document]:
        # Documents are read ahead of being written (batching, worker processes): the digests wait
        # in order until their record is written, so each commit hashes exactly what it holds.
        for doc in docs:
            self._pending.append(document_digest(doc))
            yield doc

    # -- writing ---------------------------------------------------------------------------------

    def write(self, doc: Document) -> None:
        """Write the record of one document (documents come in input order, each exactly once)."""
        assert self._writer is not None, "call begin() first"
        if self._state is None:
            self._writer.write(doc)
            self.summary.add(doc)
            return
        try:
            self._writer.write(doc)
        except OSError as exc:
            self._failed(exc)
        self.summary.add(doc)
        self._digest.add(self._pending.popleft())
        self._progress.documents += 1
        self._progress.last_id = doc.id
        self._since_commit += 1
        if (
            self._since_commit >= COMMIT_EVERY_DOCS
            or time.monotonic() - self._last_commit > COMMIT_EVERY_SECONDS
        ):
            self._commit()

    def _commit(self) -> None:
        assert self._fh is not None and self._state is not None
        try:
            self._fh.flush()
            os.fsync(self._fh.fileno())
            self._progress.offset = os.lseek(self._fh.fileno(), 0, os.SEEK_CUR)
        except OSError as exc:
            self._failed(exc)
        self._progress.input_digest = self._digest.hexdigest()
        self._state.commit(self._progress)
        self._since_commit = 0
        self._last_commit = time.monotonic()

    def _failed(self, exc: OSError) -> None:
        """Writing failed (disk full, ...): keep only the committed records, say how to resume."""
        assert self.path is not None and self._state is not None
        committed = self._state.progress()
        if self._fh is not None:
            with contextlib.suppress(OSError):
                self._fh.close()
            self._fh = None
        with contextlib.suppress(OSError):
            os.truncate(partial_path(self.path), committed.offset)
        raise OutputError(
            f"writing {self.path} failed: {exc.strerror or exc}; the {committed.documents} records "
            f"committed before the failure are intact in {partial_path(self.path)}, and re-running the "
            "same command resumes from there"
        ) from None

    # -- finishing -------------------------------------------------------------------------------

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            if exc is None:
                self._complete()
            else:
                self._abort(exc)
        finally:
            if self._lock is not None:
                self._lock.release()

    def _complete(self) -> None:
        try:
            if self._state is not None:
                self._finish_resumable()
                return
            if self._writer is not None:
                self._writer.close()
            if self._stack is not None:
                stack, self._stack = self._stack, None
                stack.close()  # renames the partial file into place
        except BaseException as exc:
            self._abort(exc)
            raise

    def _finish_resumable(self) -> None:
        assert self.path is not None and self._state is not None and self._fh is not None
        try:
            if self._writer is not None:
                self._writer.close()
        except OSError as exc:
            self._failed(exc)
        self._progress.complete = True
        self._commit()
        self._fh.close()
        self._fh = None
        try:
            os.replace(partial_path(self.path), self.path)
        except OSError as exc:
            raise OutputError(
                f"cannot move the finished output into place at {self.path}: {exc.strerror or exc}; "
                f"the records are in {partial_path(self.path)}"
            ) from None
        fsync_directory(self.path.parent)
        self._state.close()
        self._state = None
        RunState.remove(RunState.path_for(self.path))

    def _abort(self, exc: BaseException) -> None:
        """Leave earlier output as it was; a resumable run keeps its committed progress."""
        if self._fh is not None:
            with contextlib.suppress(OSError):
                self._fh.close()
            self._fh = None
        if self._state is not None:
            self._state.close()
            self._state = None
        if self._stack is not None:
            stack, self._stack = self._stack, None
            stack.__exit__(type(exc), exc, exc.__traceback__)  # removes the partial file
        elif self._writer is not None and hasattr(self._writer, "abort"):
            self._writer.abort(exc)


def write_all(
    docs: Iterable[Document],
    fmt: str,
    output: str | Path | None = None,
    *,
    stdout: IO[str] | None = None,
    inputs: Iterable[str | Path] = (),
    **options: Any,
) -> RunSummary:
    """Write `docs` in `fmt` to `output` (a path, `DIR/`, or None / `-` for standard output).

    `inputs` are the files the documents were read from: an output among them, or inside one of
    their directories, is refused. For a path format (`moses`) `output` is the prefix of the files.
    If writing fails, no partial file is left and any earlier output is intact.
    """
    summary = RunSummary()
    with Sink(output, fmt, inputs=inputs, stdout=stdout, summary=summary, **options) as sink:
        for doc in sink.begin(docs):
            sink.write(doc)
    return summary
