"""JSONL: one record per document, in input order (schema in the README, "Output schema")."""

from __future__ import annotations

import json
from typing import IO

from transnorm.document import Document

# Characters that json.dumps(ensure_ascii=False) leaves raw but that many line readers (Python's
# str.splitlines, JavaScript before ES2019) treat as line breaks: escape them so a record is one line.
_LINE_BREAKS = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def dumps_record(record: dict) -> str:
    """One JSON line: UTF-8 text kept readable, every line-break-like character escaped."""
    line = json.dumps(record, ensure_ascii=False)
    if "\x85" in line or "\u2028" in line or "\u2029" in line:  # rare: skip the slow translate
        line = line.translate(_LINE_BREAKS)
    return line


class JsonlWriter:
    """Write each document as one JSON line and flush it, so a consumer sees records as they complete."""

    def __init__(
        self, stream: IO[str], *, include_text: bool = True, flush: bool = True, **_: object
    ) -> None:
        self.stream = stream
        self.include_text = include_text
        self.flush = flush

    def write(self, doc: Document) -> None:
        line = dumps_record(doc.to_record(include_text=self.include_text))
        self.stream.write(line + "\n")
        if self.flush:
            self.stream.flush()

    def close(self) -> None:
        self.stream.flush()
