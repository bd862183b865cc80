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

Writers only format. Where the records go (standard output, a file renamed into place, a resumable
partial file), locking and refusing an output that is an input, is `sink.Sink`, shared by every command.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Protocol

from transnorm.document import Document
from transnorm.errors import ConfigError

if TYPE_CHECKING:
    from transnorm.write.summary import RunSummary

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
    check_format(fmt)
    target = _WRITERS[fmt]
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


def check_format(fmt: str) -> None:
    """Raise E001 for an unknown output format, before any file is created."""
    if fmt not in _WRITERS:
        raise ConfigError(f"unknown output format {fmt!r}; available: {', '.join(writer_formats())}")


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
