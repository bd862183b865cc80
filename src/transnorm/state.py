"""The state store of a resumable run: which prefix of the input is safely in the output.

Records are written in input order and appended to the run's partial output file (beside the output,
renamed into place when the run completes); every so often that file is flushed to disk and then the
state (documents done, byte length of the file, a running hash of the input consumed so far) is
committed to a small SQLite database next to the output. After a crash (even `kill -9`) the next run
truncates the partial file to the last committed length, re-reads the documents already done and
checks that their hash is unchanged, then goes on: every document is in the output exactly once. The
state also keeps the run's signature (configuration, glossary and transnorm version): resuming with a
different one, or over changed input, would mix two kinds of records in one file, so it is refused
with a message (E402) instead.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from transnorm.document import Document
from transnorm.errors import E_RESUME_MISMATCH, ConfigError

_SCHEMA = """
CREATE TABLE IF NOT EXISTS run (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""


class SignatureMismatch(ConfigError):
    """The output was started with a different configuration or glossary."""

    code = E_RESUME_MISMATCH


@dataclass
class Progress:
    """What is committed: the first `documents` inputs, occupying `offset` bytes of the output."""

    documents: int = 0
    offset: int = 0
    last_id: str | None = None
    complete: bool = False
    input_digest: str | None = None  # `InputDigest.hexdigest()` of those documents


def document_digest(doc: Document) -> bytes:
    """A short hash of one input document as read: id, text, metadata and read errors."""
    h = hashlib.blake2b(digest_size=16)
    h.update(doc.id.encode("utf-8", "surrogatepass"))
    h.update(b"\x00")
    h.update(doc.text.encode("utf-8", "surrogatepass"))
    if doc.metadata:
        h.update(b"\x00m")
        h.update(repr(doc.metadata).encode("utf-8", "surrogatepass"))
    for err in doc.errors:
        h.update(f"\x00e{err.code}:{err.message}".encode("utf-8", "surrogatepass"))
    return h.digest()


class InputDigest:
    """A running hash over the digests of the documents consumed, in order.

    It tells a resumed run whether the documents it skips are the ones already written: comparing
    the last id alone misses an inserted, removed or edited document earlier in the input.
    """

    def __init__(self) -> None:
        self._hash = hashlib.blake2b(digest_size=16)

    def add(self, digest: bytes) -> None:
        self._hash.update(digest)

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


class RunState:
    """Progress of one output file, kept in SQLite (WAL, synchronous commits)."""

    def __init__(self, path: Path, output: Path | None = None) -> None:
        self.path = path
        self.output = output or path
        self._db = sqlite3.connect(str(path), isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(_SCHEMA)

    @staticmethod
    def path_for(output: Path) -> Path:
        """The state file that belongs to an output file: hidden, in the same directory."""
        return output.with_name(f".{output.name}.transnorm-state.sqlite")

    @staticmethod
    def remove(path: Path) -> None:
        """Delete a state file with its SQLite journal files (a finished or restarted run)."""
        for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
            with contextlib.suppress(FileNotFoundError):
                p.unlink()

    def _get(self, key: str) -> Any:
        row = self._db.execute("SELECT value FROM run WHERE key = ?", (key,)).fetchone()
        return None if row is None else json.loads(row[0])

    def signature(self) -> dict[str, Any] | None:
        return self._get("signature")

    def progress(self) -> Progress:
        raw = self._get("progress")
        return Progress(**raw) if raw else Progress()

    def reset(self, signature: dict[str, Any]) -> Progress:
        """Begin a new run with `signature`, forgetting any earlier progress."""
        self._set({"signature": signature, "progress": Progress().__dict__})
        return Progress()

    def start(self, signature: dict[str, Any]) -> Progress:
        """Resume; refuses (E402) to resume an output made with another signature."""
        previous = self.signature()
        if previous is not None and previous != signature:
            changed = sorted(k for k in set(previous) | set(signature) if previous.get(k) != signature.get(k))
            raise SignatureMismatch(
                f"{self.output} was started with a different "
                f"{', '.join(changed)} ({', '.join(f'{k}: {previous.get(k)} -> {signature.get(k)}' for k in changed)}); "
                "resuming would mix records of two configurations. Re-run with --restart to start the "
                "output over, or write to a new -o path"
            )
        if previous is None:
            self._set({"signature": signature, "progress": Progress().__dict__})
        return self.progress()

    def commit(self, progress: Progress) -> None:
        self._set({"progress": progress.__dict__})

    def _set(self, values: dict[str, Any]) -> None:
        with self._db:
            self._db.execute("BEGIN IMMEDIATE")
            for key, value in values.items():
                self._db.execute(
                    "INSERT INTO run (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    (key, json.dumps(value)),
                )

    def close(self) -> None:
        self._db.close()
