"""Output writers, picked by format name from a table that imports lazily.

A writer takes documents one at a time (`write`) and finishes the output in `close`, so records can
be flushed as they complete. Most writers write one text stream; a writer listed in
`formats._PATH_WRITERS` (Moses: two line-aligned files and a sidecar) creates its own files from a path prefix instead, and
offers `abort()` to remove them when a run fails.

| format | writer | output |
|---|---|---|
| jsonl | `jsonl.JsonlWriter` | one JSON record per document (the schema in the README) |
| tsv | `tsv.TsvWriter` | one row per sentence pair |
| tmx | `tmx.TmxWriter` | TMX 1.4b translation memory |
| xliff | `xliff.XliffWriter` | XLIFF 2.1, one `<file>` per document |
| moses | `moses.MosesWriter` | `PREFIX.src`, `PREFIX.tgt`, `PREFIX.meta.json` |
| html | `html.HtmlWriter` | one self-contained page for reading |

Writers only format. Where the records go (standard output, a file renamed into place, a resumable
partial file), locking and refusing an output that is an input, is `sink.Sink`, shared by every command.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from transnorm.document import Document
from transnorm.write.formats import (
    Writer,
    check_format,
    open_writer,
    writer_formats,
    writer_needs_path,
)

if TYPE_CHECKING:
    from transnorm.write.summary import RunSummary

__all__ = [
    "Writer",
    "check_format",
    "open_writer",
    "write_documents",
    "writer_formats",
    "writer_needs_path",
]


def write_documents(
    docs: Iterable[Document],
    fmt: str,
    output: str | Path | None = None,
    *,
    stdout: IO[str] | None = None,
    inputs: Iterable[str | Path] = (),
    **options: Any,
) -> RunSummary:
    """Write `docs` in `fmt` to `output` (a path, `DIR/` as a string, or None / `-` for standard output).

    The same output layer as `transnorm run` (`transnorm.write.sink`): an output among `inputs` (or
    inside one of their directories) is refused, the output is locked while it is written, and a
    file appears only once complete. For a path format (`moses`) `output` is the prefix of the files.
    """
    from transnorm.write.sink import write_all

    return write_all(docs, fmt, output, stdout=stdout, inputs=inputs, **options)
