"""JSONL: one record per document, in input order (schema in the README, "Output schema")."""

from __future__ import annotations

import json
from typing import IO

from transnorm.document import Document


class JsonlWriter:
    """Write each document as one JSON line and flush it, so a consumer sees records as they complete."""

    def __init__(
        self, stream: IO[str], *, include_text: bool = True, flush: bool = True, **_: object
    ) -> None:
        self.stream = stream
        self.include_text = include_text
        self.flush = flush

    def write(self, doc: Document) -> None:
        line = json.dumps(doc.to_record(include_text=self.include_text), ensure_ascii=False)
        self.stream.write(line + "\n")
        if self.flush:
            self.stream.flush()

    def close(self) -> None:
        self.stream.flush()
