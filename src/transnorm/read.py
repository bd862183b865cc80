"""Reading input documents: text files, JSONL files, directories and standard input.

Every input that should have been a document becomes exactly one `Document`, even when it cannot be
read: a missing file, invalid UTF-8, a binary file or a malformed JSONL line yields a document that
carries the error, so that N documents in always give N records out.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from transnorm.document import Document
from transnorm.errors import (
    E_BAD_JSON,
    E_BAD_RECORD,
    E_BINARY,
    E_INVALID_UTF8,
    E_MISSING_FILE,
    E_UNREADABLE,
)

STDIN = "-"
JSONL_SUFFIXES = (".jsonl", ".ndjson")
# Files picked up when walking a directory; a file named on the command line is read whatever its name.
DIRECTORY_SUFFIXES = (".txt", ".text", *JSONL_SUFFIXES)
_BINARY_SNIFF = 8192


def read_documents(inputs: Iterable[str], *, stdin: IO[bytes] | None = None) -> Iterator[Document]:
    """Documents from each input in turn; `-` (or no input at all) reads JSONL from standard input.

    A directory is walked recursively in sorted order: `.txt` files are one document each (id = path),
    `.jsonl`/`.ndjson` files one document per line; hidden files and files with other suffixes (a
    README, a licence) are not input documents and are skipped. A file named explicitly is always read,
    whatever its suffix: text unless it is `.jsonl`/`.ndjson`.
    """
    inputs = list(inputs) or [STDIN]
    for item in inputs:
        if item == STDIN:
            yield from read_jsonl_stream(stdin or sys.stdin.buffer, source="<stdin>")
            continue
        path = Path(item)
        if path.is_dir():
            for file in _walk(path):
                yield from _read_path(file)
        else:
            yield from _read_path(path)


def count_documents(inputs: Iterable[str]) -> int | None:
    """How many documents `read_documents` will yield, for a progress ETA; None for standard input.

    Counts non-blank lines of JSONL files without parsing them, so it costs one fast read.
    """
    total = 0
    for item in list(inputs) or [STDIN]:
        if item == STDIN:
            return None
        path = Path(item)
        for file in _walk(path) if path.is_dir() else [path]:
            if file.suffix.lower() not in JSONL_SUFFIXES:
                total += 1
                continue
            try:
                with file.open("rb") as fh:
                    total += sum(1 for line in fh if line.strip())
            except OSError:
                total += 1  # it will be one error record
    return total


def _walk(root: Path) -> Iterator[Path]:
    """Input files under `root` in sorted path order (directories interleaved by name)."""
    for entry in sorted(root.iterdir(), key=lambda p: p.name):
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            yield from _walk(entry)
        elif entry.is_file() and entry.suffix.lower() in DIRECTORY_SUFFIXES:
            yield entry


def _read_path(path: Path) -> Iterator[Document]:
    if path.suffix.lower() in JSONL_SUFFIXES:
        try:
            with path.open("rb") as fh:
                yield from read_jsonl_stream(fh, source=str(path))
        except FileNotFoundError:
            yield _error_doc(str(path), E_MISSING_FILE, f"input file not found: {path}")
        except OSError as exc:
            yield _error_doc(str(path), E_UNREADABLE, f"cannot read {path}: {exc.strerror or exc}")
        return
    yield read_text_file(path)


def read_text_file(path: Path) -> Document:
    """One text file as one document (id = the path as given)."""
    doc_id = str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return _error_doc(doc_id, E_MISSING_FILE, f"input file not found: {path}")
    except IsADirectoryError:
        return _error_doc(doc_id, E_UNREADABLE, f"{path} is a directory")
    except OSError as exc:
        return _error_doc(doc_id, E_UNREADABLE, f"cannot read {path}: {exc.strerror or exc}")
    doc = decode_document(doc_id, data, metadata={"path": str(path)})
    return doc


def decode_document(doc_id: str, data: bytes, metadata: dict[str, Any] | None = None) -> Document:
    """Decode raw bytes as a UTF-8 text document, or a document carrying the reason it cannot be."""
    meta = metadata or {}
    if b"\x00" in data[:_BINARY_SNIFF]:
        return _error_doc(doc_id, E_BINARY, "binary file (NUL bytes found), not a text document", meta)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return _error_doc(
            doc_id,
            E_INVALID_UTF8,
            f"invalid UTF-8 at byte offset {exc.start} (byte 0x{data[exc.start]:02x}); "
            "re-encode the file as UTF-8",
            meta,
        )
    if text.startswith("\ufeff"):
        text = text[1:]
    return Document(id=doc_id, text=text, metadata=meta)


def read_jsonl_stream(stream: IO[bytes], *, source: str) -> Iterator[Document]:
    """One document per non-blank JSONL line: `id`, `text`, and any other keys kept as metadata."""
    for lineno, raw in enumerate(stream, start=1):
        if not raw.strip():
            continue
        where = f"{source}:{lineno}"
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield _error_doc(
                where, E_INVALID_UTF8, f"line {lineno} of {source}: invalid UTF-8 at byte {exc.start}"
            )
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            yield _error_doc(
                where,
                E_BAD_JSON,
                f"line {lineno} of {source}: malformed JSON: {exc.msg} (column {exc.colno})",
            )
            continue
        yield document_from_json(rec, where)


def document_from_json(rec: Any, where: str) -> Document:
    """A document from one parsed JSON object (`id`, `text`, metadata); `where` is the default id."""
    if not isinstance(rec, dict):
        return _error_doc(where, E_BAD_RECORD, f"{where}: expected a JSON object, got {type(rec).__name__}")
    doc = Document.from_dict(rec, default_id=where)
    for err in doc.errors:  # say where the bad line is, not only which document
        err.message = f"{where}: {err.message}"
    return doc


def _error_doc(doc_id: str, code: str, message: str, metadata: dict[str, Any] | None = None) -> Document:
    doc = Document(id=doc_id, text="", metadata=dict(metadata or {}))
    doc.add_error("read", code, message)
    return doc
