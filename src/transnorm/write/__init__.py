"""Output writers, picked by format name from a table that imports lazily.

A writer takes documents one at a time (`write`) and finishes the output in `close`, so records can
be flushed as they complete. Most writers write one text stream; a writer listed in `_PATH_WRITERS`
(Moses: two line-aligned files and a sidecar) creates its own files from a path prefix instead, and
offers `abort()` to remove them when a run fails.

| format | writer | output |
|---|---|---|
| jsonl | `jsonl.JsonlWriter` | one JSON record per document (the schema in the README) |
| tsv | `tsv.TsvWriter` | one row per sentence pair |
| tmx | `tmx.TmxWriter` | TMX 1.4b translation memory |
| xliff | `xliff.XliffWriter` | XLIFF 2.1, one `<file>` per document |
| moses | `moses.MosesWriter` | `PREFIX.src`, `PREFIX.tgt`, `PREFIX.meta.json` |
| html | `html.HtmlWriter` | one self-contained page for reading |
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Protocol

from transnorm.document import Document
from transnorm.errors import ConfigError

_WRITERS = {
    "jsonl": "transnorm.write.jsonl:JsonlWriter",
    "tsv": "transnorm.write.tsv:TsvWriter",
    "tmx": "transnorm.write.tmx:TmxWriter",
    "xliff": "transnorm.write.xliff:XliffWriter",
    "moses": "transnorm.write.moses:MosesWriter",
    "html": "transnorm.write.html:HtmlWriter",
}
# Writers that create their own files from a path (prefix) rather than writing one stream.
_PATH_WRITERS = frozenset({"moses"})


class Writer(Protocol):
    """What every writer offers."""

    def write(self, doc: Document) -> None: ...

    def close(self) -> None: ...


def writer_formats() -> list[str]:
    return sorted(_WRITERS)


def writer_needs_path(fmt: str) -> bool:
    """True for formats that write several files and so need an output path, not a stream."""
    return fmt in _PATH_WRITERS


def open_writer(
    fmt: str, stream: IO[str] | None = None, *, path: str | Path | None = None, **options: Any
) -> Writer:
    """A writer for `fmt`: over an open text stream, or, for a path format (`moses`), at `path`."""
    target = _WRITERS.get(fmt)
    if target is None:
        raise ConfigError(f"unknown output format {fmt!r}; available: {', '.join(writer_formats())}")
    module_name, _, attr = target.partition(":")
    cls = getattr(importlib.import_module(module_name), attr)
    if fmt in _PATH_WRITERS:
        if path is None or str(path) == "-":
            raise ConfigError(
                f"output format {fmt!r} writes several files (PREFIX.src, PREFIX.tgt, PREFIX.meta.json) and "
                "cannot go to standard output; give the prefix with -o PREFIX (library: path=PREFIX)"
            )
        return cls(path, **options)  # type: ignore[no-any-return]
    if stream is None:
        raise ConfigError(f"output format {fmt!r} writes to a stream; none was given")
    return cls(stream, **options)  # type: ignore[no-any-return]


@dataclass
class WriteSummary:
    """What `write_documents` wrote."""

    documents: int = 0
    documents_with_errors: int = 0
    segments: int = 0


def write_documents(
    docs: Iterable[Document],
    fmt: str,
    output: str | Path | None = None,
    *,
    stdout: IO[str] | None = None,
    **options: Any,
) -> WriteSummary:
    """Write `docs` in `fmt` to `output` (a path; None or `-` for standard output).

    A file is written under a temporary name and renamed into place once complete; for a path
    format (`moses`) `output` is the prefix of the files. If writing fails, no partial file is left.
    """
    from transnorm.write._output import atomic_text_file

    summary = WriteSummary()

    def run(writer: Writer) -> None:
        for doc in docs:
            writer.write(doc)
            summary.documents += 1
            summary.segments += len(doc.segments)
            summary.documents_with_errors += bool(doc.errors)
        writer.close()

    if writer_needs_path(fmt):
        writer = open_writer(fmt, path=output, **options)
        try:
            run(writer)
        except BaseException as exc:
            writer.abort(exc)  # type: ignore[attr-defined]
            raise
    elif output is None or str(output) == "-":
        run(open_writer(fmt, stdout or sys.stdout, **options))
    else:
        if fmt not in _WRITERS:
            open_writer(fmt)  # raises the unknown-format error before a file is created
        with atomic_text_file(output) as stream:
            run(open_writer(fmt, stream, **options))
    return summary
