"""Atomic output files for writers that create files themselves (Moses) and for `transnorm convert`.

A file is written under a temporary name in its directory and renamed into place once complete, so
a crash, a full disk or an aborted run never leaves half a file where a good one was.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from transnorm.errors import OutputError


def _output_error(message: str) -> Exception:
    return OutputError(message)


@contextlib.contextmanager
def atomic_text_file(path: str | Path) -> Iterator[IO[str]]:
    """A UTF-8 text stream that becomes `path` when the block exits normally, and nothing otherwise."""
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise _output_error(f"cannot write output {path}: {exc.strerror or exc}") from None
    try:
        os.fchmod(fd, 0o644)  # mkstemp creates 0600; an output file is meant to be shared
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise _output_error(
            f"writing {path} failed: {exc.strerror or exc}; earlier output left intact"
        ) from None
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
