"""The table of output formats: format name -> writer class, imported only when a writer is opened."""

from __future__ import annotations

import importlib
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
