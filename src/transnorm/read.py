"""Reading input documents: text files, JSONL files, directories and standard input.

Every input that should have been a document becomes exactly one `Document`, even when it cannot be
read: a missing file, invalid UTF-8, a binary file or a malformed JSONL line yields a document that
carries the error, so that N documents in always give N records out.

Hostile input is contained here, where it enters:

- only regular files and standard input are read (a device such as `/dev/zero`, a FIFO or a socket is
  an error record), and no document is read past `max_document_chars` (plus room for its encoding):
  a larger file or JSONL line is an E107 record, read no further than the limit;
- a directory is walked by real path: each real file and directory is read once, a symbolic link that
  leads back to a directory or file already read is an E109 record, a dangling one an E101 record,
  and a directory that cannot be listed an E108 record;
- a JSONL line that Python's `json` cannot hold (nested too deeply, an integer of more than 4300
  digits) is an E105 record for that line;
- a UTF-8 byte-order mark is dropped, and a file with a UTF-16 byte-order mark is decoded as UTF-16.
"""

from __future__ import annotations

import io
import json
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from transnorm._files import open_regular, read_small_file
from transnorm.config import PipelineConfig
from transnorm.document import Document
from transnorm.errors import (
    E_BAD_JSON,
    E_BAD_RECORD,
    E_BINARY,
    E_DUPLICATE_INPUT,
    E_INVALID_UTF8,
    E_MISSING_FILE,
    E_TOO_LARGE,
    E_UNREADABLE,
    InputError,
)

STDIN = "-"
JSONL_SUFFIXES = (".jsonl", ".ndjson")
# Files picked up when walking a directory; a file named on the command line is read whatever its name.
DIRECTORY_SUFFIXES = (".txt", ".text", *JSONL_SUFFIXES)
DEFAULT_MAX_CHARS: int = PipelineConfig.max_document_chars
"""The config's default `max_document_chars`, for callers that read without a config."""
MAX_JSON_DEPTH = 100
"""Deepest nesting of arrays and objects accepted in a JSONL record (metadata is flat in practice)."""
_BINARY_SNIFF = 8192
_MARGIN_BYTES = 64 * 1024
_CHUNK = 1024 * 1024
_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def max_text_bytes(max_chars: int) -> int:
    """Bytes a text file may have: `max_chars` characters of UTF-8 (4 bytes at most each) plus a margin."""
    return 4 * max_chars + _MARGIN_BYTES


def max_line_bytes(max_chars: int) -> int:
    """Bytes a JSONL line may have: `max_chars` characters written as `\\uXXXX` escapes, plus metadata."""
    return 6 * max_chars + _MARGIN_BYTES


def read_documents(
    inputs: Iterable[str], *, stdin: IO[bytes] | None = None, max_chars: int = DEFAULT_MAX_CHARS
) -> Iterator[Document]:
    """Documents from each input in turn; `-` (or no input at all) reads JSONL from standard input.

    A directory is walked recursively in sorted order: `.txt` files are one document each (id = path),
    `.jsonl`/`.ndjson` files one document per line; hidden files and files with other suffixes (a
    README, a licence) are not input documents and are skipped. A file named explicitly is always read,
    whatever its suffix: text unless it is `.jsonl`/`.ndjson`. `max_chars` is the run's
    `max_document_chars`: no document is read much beyond it.
    """
    walk = _Walk()
    for item in list(inputs) or [STDIN]:
        if item == STDIN:
            yield from read_jsonl_stream(stdin or sys.stdin.buffer, source="<stdin>", max_chars=max_chars)
            continue
        for found in walk.input(Path(item)):
            if isinstance(found, Document):
                yield found
            else:
                yield from from_path(found, max_chars)


def count_documents(inputs: Iterable[str], *, max_chars: int = DEFAULT_MAX_CHARS) -> int | None:
    """How many documents `read_documents` will yield, for a progress ETA; None for standard input.

    Counts non-blank lines of JSONL files without parsing them, so it costs one fast read.
    """
    total = 0
    walk = _Walk()
    for item in list(inputs) or [STDIN]:
        if item == STDIN:
            return None
        for found in walk.input(Path(item)):
            if isinstance(found, Document) or found.suffix.lower() not in JSONL_SUFFIXES:
                total += 1
                continue
            try:
                with open_regular(found) as fh:
                    lines = _lines(fh, max_line_bytes(max_chars))
                    total += sum(1 for line in lines if isinstance(line, InputError) or line.strip())
            except (OSError, InputError):
                total += 1  # it will be one error record
    return total


class _Walk:
    """The files of the inputs, each real file and directory once, whatever links lead to it."""

    def __init__(self) -> None:
        self._seen: dict[tuple[int, int], str] = {}  # (device, inode) -> the path first read under

    def input(self, path: Path) -> Iterator[Path | Document]:
        """`path` itself, or the input files under it; an error `Document` where one cannot be read."""
        if not path.is_dir():
            first = self._first_time(path)
            yield path if first is None else _duplicate(path, first)
            return
        yield from self._directory(path)

    def _first_time(self, path: Path) -> str | None:
        """None when `path` is read for the first time, else the path it was first read under.

        Files are told apart by device and inode (one `stat`, links followed), so a file reached
        through any number of links or hard links counts as one.
        """
        try:
            st = os.stat(path)
        except OSError:  # missing, dangling, a loop: reading it reports the error
            return None
        first = self._seen.get((st.st_dev, st.st_ino))
        if first is None:
            self._seen[(st.st_dev, st.st_ino)] = str(path)
        return first

    def _directory(self, root: Path) -> Iterator[Path | Document]:
        first = self._first_time(root)
        if first is not None:
            yield _duplicate(root, first)
            return
        try:
            entries = sorted(root.iterdir(), key=lambda p: p.name)
        except OSError as exc:
            yield _error_doc(str(root), E_UNREADABLE, f"cannot list directory {root}: {exc.strerror or exc}")
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_symlink():
                broken = _broken_link(entry)
                if broken is not None:
                    yield broken
                    continue
            if entry.is_dir():
                yield from self._directory(entry)
            elif entry.suffix.lower() in DIRECTORY_SUFFIXES:
                first = self._first_time(entry)
                yield entry if first is None else _duplicate(entry, first)


def _broken_link(link: Path) -> Document | None:
    """An error document for a dangling or looping symbolic link, None for a link that resolves."""
    try:
        os.path.realpath(link, strict=True)
    except FileNotFoundError:
        return _error_doc(
            str(link), E_MISSING_FILE, f"{link} is a dangling symbolic link (to {os.readlink(link)!r})"
        )
    except OSError as exc:  # ELOOP: the link resolves to itself, directly or through others
        return _error_doc(
            str(link), E_DUPLICATE_INPUT, f"{link} is a symbolic link loop: {exc.strerror or exc}"
        )
    return None


def _duplicate(path: Path, first: str) -> Document:
    return _error_doc(
        str(path),
        E_DUPLICATE_INPUT,
        f"{path} is the same file or directory as {first}, which was already read (through a link, or "
        "named twice); it is not read again",
    )


def from_path(path: Path, max_chars: int = DEFAULT_MAX_CHARS) -> Iterator[Document]:
    """The documents of one file: one per line of a `.jsonl`/`.ndjson` file, else the file as one."""
    if path.suffix.lower() not in JSONL_SUFFIXES:
        yield read_text_file(path, max_chars=max_chars)
        return
    try:
        with open_regular(path) as fh:
            yield from read_jsonl_stream(fh, source=str(path), max_chars=max_chars)
    except InputError as exc:
        yield _error_doc(str(path), exc.code, str(exc))
    except FileNotFoundError:
        yield _error_doc(str(path), E_MISSING_FILE, f"input file not found: {path}")
    except OSError as exc:
        yield _error_doc(str(path), E_UNREADABLE, f"cannot read {path}: {exc.strerror or exc}")


def read_text_file(path: Path, *, max_chars: int = DEFAULT_MAX_CHARS) -> Document:
    """One text file as one document (id = the path as given)."""
    doc_id = str(path)
    try:
        data = read_small_file(path, max_text_bytes(max_chars), "input file")
    except InputError as exc:
        return _error_doc(doc_id, exc.code, str(exc))
    return decode_document(doc_id, data, metadata={"path": str(path)})


def decode_document(doc_id: str, data: bytes, metadata: dict[str, Any] | None = None) -> Document:
    """Decode raw bytes as a UTF-8 (or, with a byte-order mark, UTF-16) text document.

    A document that cannot be decoded carries the reason instead.
    """
    meta = metadata or {}
    if data[:2] in _UTF16_BOMS:
        try:
            return Document(id=doc_id, text=data.decode("utf-16"), metadata=meta)
        except UnicodeDecodeError as exc:
            msg = f"invalid UTF-16 at byte offset {exc.start} (the file starts with a UTF-16 byte-order mark)"
            return _error_doc(doc_id, E_INVALID_UTF8, msg, meta)
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


def read_jsonl_stream(
    stream: IO[bytes], *, source: str, max_chars: int = DEFAULT_MAX_CHARS
) -> Iterator[Document]:
    """One document per non-blank JSONL line: `id`, `text`, and any other keys kept as metadata."""
    limit = max_line_bytes(max_chars)
    for lineno, raw in enumerate(_lines(stream, limit), start=1):
        where = f"{source}:{lineno}"
        if isinstance(raw, InputError):
            yield _error_doc(where, raw.code, f"line {lineno} of {source}: {raw}")
            continue
        if not raw.strip():
            continue
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield _error_doc(
                where, E_INVALID_UTF8, f"line {lineno} of {source}: invalid UTF-8 at byte {exc.start}"
            )
            continue
        rec, problem = parse_json(line)
        if problem is not None:
            yield _error_doc(where, E_BAD_JSON, f"line {lineno} of {source}: {problem}")
            continue
        yield document_from_json(rec, where)


def parse_json(line: str) -> tuple[Any, str | None]:
    """`(value, None)`, or `(None, reason)` for a line that is not JSON transnorm can hold.

    Besides malformed JSON, this catches what makes Python's `json` raise something else: nesting
    deeper than the recursion limit, and integers longer than `sys.get_int_max_str_digits()`. Nesting
    deeper than `MAX_JSON_DEPTH` is refused too, since writing such a record back could fail.
    """
    try:
        value = json.loads(line)
    except json.JSONDecodeError as exc:
        return None, f"malformed JSON: {exc.msg} (column {exc.colno})"
    except RecursionError:
        return None, f"JSON nested too deeply (more than {MAX_JSON_DEPTH} levels of arrays and objects)"
    except ValueError as exc:  # e.g. "Exceeds the limit (4300 digits) for integer string conversion"
        return None, f"JSON value that cannot be read: {str(exc)[:200]}"
    if line.count("[") + line.count("{") > MAX_JSON_DEPTH and _deeper_than(value, MAX_JSON_DEPTH):
        return None, f"JSON nested too deeply (more than {MAX_JSON_DEPTH} levels of arrays and objects)"
    return value, None


def _deeper_than(value: Any, limit: int) -> bool:
    """Whether `value` nests lists and dicts more than `limit` levels deep (iterative: no recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (list, dict)):
            if depth > limit:
                return True
            stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return False


def _lines(stream: IO[bytes], limit: int) -> Iterator[bytes | InputError]:
    """The lines of a JSONL stream, each at most `limit` bytes; an `InputError` for a longer line.

    Lines are read in chunks of at most 1 MiB, and a line found longer than `limit` is skipped to its
    end without being kept, so memory stays within `limit` whatever the input (`- < /dev/zero`). A
    UTF-8 BOM at the start is dropped; a UTF-16 BOM switches to decoding the stream as UTF-16.
    """
    first = True
    while True:
        line, skipped = _bounded_line(stream, limit)
        if skipped:
            yield InputError(
                f"line has {skipped:,} bytes or more, more than the {limit:,} that max_document_chars "
                "allows; it was skipped",
                code=E_TOO_LARGE,
            )
            first = False
            continue
        if not line:
            return
        if first:
            first = False
            if line[:2] in _UTF16_BOMS:
                yield from _utf16_lines(_Prepended(line, stream), limit)
                return
            if line.startswith(_UTF8_BOM):
                line = line[len(_UTF8_BOM) :]
        yield line


def _bounded_line(stream: IO[bytes], limit: int) -> tuple[bytes, int]:
    """`(line, 0)`, `(b"", 0)` at the end, or `(b"", bytes skipped)` for a line longer than `limit`."""
    step = min(_CHUNK, limit + 1)
    parts: list[bytes] = []
    size = 0
    while True:
        chunk = stream.readline(step)
        size += len(chunk)
        if size > limit:
            while chunk and not chunk.endswith(b"\n"):
                chunk = stream.readline(_CHUNK)
                size += len(chunk)
            return b"", size
        if len(chunk) < step or chunk.endswith(b"\n"):  # short only at a newline or the end
            return (b"".join(parts) + chunk if parts else chunk), 0
        parts.append(chunk)


def _utf16_lines(raw: io.RawIOBase, limit: int) -> Iterator[bytes | InputError]:
    text = io.TextIOWrapper(io.BufferedReader(raw), encoding="utf-16", newline=None)
    try:
        while line := text.readline(limit):
            if len(line) >= limit and not line.endswith("\n"):
                yield InputError(f"line has more than {limit:,} characters; the rest of the file was skipped",
                                 code=E_TOO_LARGE)  # fmt: skip
                return
            yield line.encode("utf-8", "surrogatepass")
    except UnicodeDecodeError as exc:
        yield InputError(
            f"invalid UTF-16 ({exc.reason}); the rest of the file was skipped", code=E_INVALID_UTF8
        )


class _Prepended(io.RawIOBase):
    """A raw stream that yields `head`, then the rest of `stream` (to re-read a line already taken)."""

    def __init__(self, head: bytes, stream: IO[bytes]) -> None:
        self._head = head
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = getattr(self._stream, "read1", self._stream.read)(len(buffer))
        buffer[: len(data)] = data
        return len(data)


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
