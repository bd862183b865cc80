"""Bounded reads of regular files: the one way inputs, the config and glossaries are read whole.

A device, FIFO or directory is refused before a byte is read, and a file larger than the limit is
never read. Below `config` and `read`, so both can use it.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import IO

from transnorm.errors import E_MISSING_FILE, E_TOO_LARGE, E_UNREADABLE, InputError


def read_small_file(path: Path, limit: int, what: str) -> bytes:
    """The bytes of a regular file of at most `limit` bytes, or an `InputError` saying why not.

    The one bounded way to read a whole file (inputs, the config, glossaries): a device, FIFO or
    directory is refused before a byte is read, and a file larger than `limit` is never read.
    """
    try:
        with open_regular(path, what) as fh:
            size = os.fstat(fh.fileno()).st_size
            data = fh.read(limit + 1) if size <= limit else b""
    except FileNotFoundError:
        raise InputError(f"{what} not found: {path}", code=E_MISSING_FILE) from None
    except OSError as exc:
        raise InputError(f"cannot read {what} {path}: {exc.strerror or exc}", code=E_UNREADABLE) from None
    if size > limit or len(data) > limit:
        raise InputError(
            f"{what} {path} has {max(size, len(data)):,} bytes, more than the {limit:,} read at most; "
            "split it (or, for a document, raise max_document_chars)",
            code=E_TOO_LARGE,
        )
    return data


def open_regular(path: Path, what: str = "input file") -> IO[bytes]:
    """Open `path` for reading if it is a regular file (opened without blocking on a FIFO)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        kind = "a directory" if stat.S_ISDIR(mode) else "not a regular file (a device, FIFO or socket)"
        hint = "; inputs are regular files, directories of them, or - for standard input"
        raise InputError(f"{what} {path} is {kind}{hint if what == 'input file' else ''}", code=E_UNREADABLE)
    if hasattr(os, "set_blocking"):
        os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")
