"""Moses parallel text: `PREFIX.src` and `PREFIX.tgt`, line i of one the translation of line i of the other.

This is the input that MT training tools (Moses, Marian, fairseq, OpusFilter) take. A sentence never
spans two lines: line breaks inside a segment (any character `str.splitlines` splits on) become
spaces. A segment without a translation still gets its line, left empty in `.tgt`, so the two files
stay aligned with each other and with the sidecar; filter empty lines before training.

Plain text cannot carry the run signature, so a sidecar `PREFIX.meta.json` holds it, with the line
range of every document (to map a line back to its document and segment), per-line quality flags,
the documents' errors and how many line breaks were replaced. The three files are written to
temporary files and renamed into place on `close`; `abort` removes them.
"""

from __future__ import annotations

import contextlib
import json
import re
from pathlib import Path
from typing import IO, Any

from transnorm.document import UNDETERMINED, Document
from transnorm.write._output import atomic_text_file
from transnorm.write._shared import SignatureSet

SOURCE_SUFFIX = ".src"
TARGET_SUFFIX = ".tgt"
META_SUFFIX = ".meta.json"
_LINE_BREAKS = re.compile("[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]+")


def output_paths(prefix: str | Path) -> dict[str, Path]:
    """The files a Moses writer creates for `prefix`: source, target and the metadata sidecar."""
    p = str(prefix)
    return {
        "source": Path(p + SOURCE_SUFFIX),
        "target": Path(p + TARGET_SUFFIX),
        "meta": Path(p + META_SUFFIX),
    }


class MosesWriter:
    """Write line-aligned source and target files next to each other, plus a JSON sidecar."""

    def __init__(self, path: str | Path, **_: object) -> None:
        self.paths = output_paths(path)
        self._stack = contextlib.ExitStack()
        try:
            self._src: IO[str] = self._stack.enter_context(atomic_text_file(self.paths["source"]))
            self._tgt: IO[str] = self._stack.enter_context(atomic_text_file(self.paths["target"]))
            self._meta: IO[str] = self._stack.enter_context(atomic_text_file(self.paths["meta"]))
        except BaseException as exc:
            self.abort(exc)
            raise
        self._signatures = SignatureSet()
        self._documents: list[dict[str, Any]] = []
        self.lines = 0
        self.line_breaks_replaced = 0
        self.untranslated = 0

    def write(self, doc: Document) -> None:
        self._signatures.add(doc.signature)
        first = self.lines + 1
        flagged: dict[str, list[str]] = {}
        for seg in doc.segments:
            self.lines += 1
            self._src.write(self._one_line(seg.source) + "\n")
            if seg.target is None:
                self.untranslated += 1
            self._tgt.write(self._one_line(seg.target or "") + "\n")
            if seg.flags:
                flagged[str(self.lines)] = list(seg.flags)
        entry: dict[str, Any] = {
            "id": doc.id,
            "first_line": first if doc.segments else None,
            "lines": len(doc.segments),
            "source_lang": doc.lang or UNDETERMINED,
            "target_lang": doc.target_lang,
        }
        if flagged:
            entry["flagged_lines"] = flagged
        if doc.errors:
            entry["errors"] = [e.to_record() for e in doc.errors]
        self._documents.append(entry)

    def close(self) -> None:
        meta = {
            "format": "moses",
            "files": {k: v.name for k, v in self.paths.items() if k != "meta"},
            "lines": self.lines,
            "untranslated_lines": self.untranslated,
            "line_breaks_replaced": self.line_breaks_replaced,
            "signature": dict(self._signatures.items()),
            "documents": self._documents,
        }
        json.dump(meta, self._meta, ensure_ascii=False, indent=1)
        self._meta.write("\n")
        self._stack.close()  # renames the three temporary files into place

    def abort(self, exc: BaseException | None = None) -> None:
        """Give up: remove the temporary files and leave any earlier output untouched."""
        error = exc or RuntimeError("output aborted")
        self._stack.__exit__(type(error), error, error.__traceback__)

    def _one_line(self, text: str) -> str:
        line, n = _LINE_BREAKS.subn(" ", text)
        self.line_breaks_replaced += n
        return line
