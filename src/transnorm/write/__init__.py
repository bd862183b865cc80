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

from typing import Any

from transnorm.write.formats import (
    Writer,
    check_format,
    open_writer,
    writer_formats,
    writer_needs_path,
)

__all__ = [
    "Writer",
    "check_format",
    "open_writer",
    "write_documents",
    "writer_formats",
    "writer_needs_path",
]


def __getattr__(name: str) -> Any:
    """`write_documents` is `transnorm.write.sink.write_all` (the one output layer), imported on use."""
    if name == "write_documents":
        from transnorm.write.sink import write_all

        return write_all
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
