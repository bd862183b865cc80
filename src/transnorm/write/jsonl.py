"""JSONL: one record per document, in input order (schema in the README, "Output schema")."""

from __future__ import annotations

import json
import math
from typing import IO, Any

from transnorm.document import Document
from transnorm.write._linebreaks import LINE_BREAKS, escape_unicode

# json.dumps escapes the C0 controls (\n \r \x0b \x0c \x1c-\x1e) but leaves these raw with
# ensure_ascii=False; they break lines too (str.splitlines, JavaScript before ES2019).
_RAW_BREAKS = "".join(ch for ch in LINE_BREAKS if ord(ch) >= 0x80)
_ESCAPE_BREAKS = str.maketrans({ch: escape_unicode(ch) for ch in _RAW_BREAKS})
NON_FINITE_WARNING = "NaN or Infinity in the metadata was written as null (JSON has no such numbers)"


def dumps_record(record: dict) -> str:
    """One strict JSON line: UTF-8 text kept readable, every line-break-like character escaped.

    NaN and Infinity (which Python's json would write as non-standard `NaN`/`Infinity`) become
    `null`, and the record's `warnings` say so.
    """
    try:
        line = json.dumps(record, ensure_ascii=False, allow_nan=False)
    except ValueError:  # "Out of range float values are not JSON compliant"
        record = _finite(record)
        if isinstance(record, dict):
            record["warnings"] = [*record.get("warnings", []), NON_FINITE_WARNING]
        line = json.dumps(record, ensure_ascii=False, allow_nan=False)
    if any(ch in line for ch in _RAW_BREAKS):  # rare: skip the slow translate
        line = line.translate(_ESCAPE_BREAKS)
    return line


def _finite(value: Any) -> Any:
    """A copy of `value` with every NaN or infinite float replaced by None."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value


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
