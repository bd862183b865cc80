"""Output files on disk: where they go, who may write them, and how they appear in one piece.

- `resolve_output`: `-o DIR/` (or an existing directory) means `DIR/records.<format>`;
- `refuse_overlap`: an output that is one of the inputs, or lies inside an input directory, would be
  read back or destroyed by the run, so it is refused (E401) before anything is touched;
- `OutputLock`: an exclusive `flock` on a lock file beside the output, held for the whole run, so two
  runs never write the same output (E403 names the lock file);
- `atomic_text_file`: a file is written under a fixed hidden name beside its final path
  (`.NAME.transnorm-partial`) and renamed into place once complete, so a crash, a full disk or an
  aborted run never leaves half a file where a good one was. The name is fixed, not random, so the
  next run (holding the lock) finds and removes what a `kill -9` left behind.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from transnorm.errors import E_OUTPUT_IS_INPUT, E_OUTPUT_LOCKED, OutputError

PARTIAL_SUFFIX = ".transnorm-partial"
LOCK_SUFFIX = ".transnorm-lock"


def partial_path(path: Path) -> Path:
    """The hidden file beside `path` that holds its content until the run completes."""
    return path.with_name(f".{path.name}{PARTIAL_SUFFIX}")


def lock_path(path: Path) -> Path:
    """The hidden lock file beside `path` that a writing run holds."""
    return path.with_name(f".{path.name}{LOCK_SUFFIX}")


def is_directory_output(output: str | Path) -> bool:
    """True for `-o DIR/` (trailing slash, existing or not) and for an existing directory."""
    text = str(output)
    return (
        text.endswith(os.sep) or (os.altsep is not None and text.endswith(os.altsep)) or Path(text).is_dir()
    )


def resolve_output(output: str | Path, fmt: str) -> Path:
    """The file (or, for Moses, the prefix) an `-o` argument names, without touching the disk.

    A directory gets `records.<format>` inside (`records` as the Moses prefix).
    """
    if is_directory_output(output):
        return Path(output) / ("records" if fmt == "moses" else f"records.{fmt}")
    return Path(output)


def make_output_directory(path: Path) -> None:
    """Create the directory of a `-o DIR/` output; a missing parent of `-o FILE` is an error instead."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create output directory {path.parent}: {exc.strerror or exc}") from None


def refuse_overlap(targets: Iterable[Path], inputs: Iterable[str | Path], what: str = "output") -> None:
    """Raise E401 if a target file is one of the inputs or lies inside an input directory."""
    sources = [Path(i) for i in inputs if str(i) != "-"]
    for target in targets:
        real = Path(os.path.realpath(target))
        for source in sources:
            source_real = Path(os.path.realpath(source))
            if real == source_real or _same_file(target, source):
                raise OutputError(
                    f"the {what} {target} is also an input: the run would destroy or re-read it; "
                    "write to another path",
                    code=E_OUTPUT_IS_INPUT,
                )
            if source.is_dir() and source_real in real.parents:
                raise OutputError(
                    f"the {what} {target} is inside the input directory {source}: the run would read "
                    "its own output back; write outside the input directory",
                    code=E_OUTPUT_IS_INPUT,
                )


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def check_writable(path: str | Path, what: str) -> None:
    """Raise E400 now if `path` cannot be created or overwritten later, so no run is wasted."""
    path = Path(path)
    parent = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise OutputError(f"cannot write the {what} {path}: it is a directory")
    if not parent.is_dir():
        reason = "is not a directory" if parent.exists() else "does not exist"
        raise OutputError(f"cannot write the {what} {path}: directory {parent} {reason}")
    if not os.access(parent, os.W_OK | os.X_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise OutputError(f"cannot write the {what} {path}: permission denied")


class OutputLock:
    """An exclusive, non-blocking `flock` on `.NAME.transnorm-lock` beside an output.

    The lock file is removed when the lock is released. Because a waiting process may have opened the
    file just before it was removed, a process that gets the lock checks that the file it locked is
    still the one at the path, and tries again if not.
    """

    def __init__(self, output: Path) -> None:
        self.output = output
        self.path = lock_path(output)
        self._fd: int | None = None

    def acquire(self) -> None:
        for _ in range(20):
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
            except OSError as exc:
                raise OutputError(f"cannot write output {self.output}: {exc.strerror or exc}") from None
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.read(fd, 32).decode("ascii", "replace").strip()
                os.close(fd)
                raise OutputError(
                    f"{self.output} is being written by another transnorm run"
                    f"{f' (pid {holder})' if holder else ''}, which holds the lock {self.path}; "
                    "wait for it to finish or write to another path",
                    code=E_OUTPUT_LOCKED,
                ) from None
            if self._still_linked(fd):
                os.ftruncate(fd, 0)
                os.write(fd, f"{os.getpid()}\n".encode())
                self._fd = fd
                return
            os.close(fd)  # the holder removed the file between our open and our lock: retry
        raise OutputError(f"cannot take the lock {self.path}: it keeps being replaced", code=E_OUTPUT_LOCKED)

    def _still_linked(self, fd: int) -> bool:
        try:
            on_disk = os.stat(self.path)
        except FileNotFoundError:
            return False
        held = os.fstat(fd)
        return (on_disk.st_dev, on_disk.st_ino) == (held.st_dev, held.st_ino)

    def release(self) -> None:
        if self._fd is None:
            return
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()  # while still holding it, so no one can lock the old file unnoticed
        os.close(self._fd)
        self._fd = None

    def __enter__(self) -> OutputLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def remove_stale(path: Path) -> None:
    """Remove the partial file a killed run left beside `path` (call with the lock held)."""
    with contextlib.suppress(FileNotFoundError):
        partial_path(path).unlink()


@contextlib.contextmanager
def atomic_text_file(path: str | Path) -> Iterator[IO[str]]:
    """A UTF-8 text stream that becomes `path` when the block exits normally, and nothing otherwise."""
    path = Path(path)
    tmp = partial_path(path)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        raise OutputError(f"cannot write output {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        fsync_directory(path.parent)
    except OSError as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise OutputError(
            f"writing {path} failed: {exc.strerror or exc}; earlier output left intact"
        ) from None
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def fsync_directory(directory: Path) -> None:
    """Make a rename in `directory` durable (best effort: some file systems refuse)."""
    try:
        fd = os.open(directory if str(directory) else ".", os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)
