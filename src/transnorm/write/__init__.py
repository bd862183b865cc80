"""Output writers, picked by format name from a table that imports lazily.

A writer takes documents one at a time (`write`) and finishes the output in `close`, so records can
be flushed as they complete. Text writers write to a text stream; writers that produce several files
(Moses) take a path.
"""

from __future__ import annotations

import importlib
from typing import IO, Any, Protocol

from transnorm.document import Document
from transnorm.errors import ConfigError

_WRITERS = {
    "jsonl": "transnorm.write.jsonl:JsonlWriter",
    "tsv": "transnorm.write.tsv:TsvWriter",
}


class Writer(Protocol):
    """What every writer offers."""

    def write(self, doc: Document) -> None: ...

    def close(self) -> None: ...


def writer_formats() -> list[str]:
    return sorted(_WRITERS)


def open_writer(fmt: str, stream: IO[str], **options: Any) -> Writer:
    """A writer for `fmt` over an open text stream."""
    target = _WRITERS.get(fmt)
    if target is None:
        raise ConfigError(f"unknown output format {fmt!r}; available: {', '.join(writer_formats())}")
    module_name, _, attr = target.partition(":")
    cls = getattr(importlib.import_module(module_name), attr)
    return cls(stream, **options)
