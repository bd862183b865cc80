"""The state store of a resumable run: which prefix of the input is safely in the output.

Records are written in input order and appended to the output file; every so often the file is
flushed to disk and then the state (documents done, byte length of the output) is committed to a small
SQLite database next to the output. After a crash (even `kill -9`) the next run truncates the output to
the last committed length and skips the documents already done, so every document is in the output
exactly once. The state also keeps the run's signature (configuration, glossary and transnorm version):
resuming with a different one would mix two kinds of records in one file, so it is refused with a
message instead.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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

    def _get(self, key: str) -> Any:
        row = self._db.execute("SELECT value FROM run WHERE key = ?", (key,)).fetchone()
        return None if row is None else json.loads(row[0])

    def signature(self) -> dict[str, Any] | None:
        return self._get("signature")

    def progress(self) -> Progress:
        raw = self._get("progress")
        return Progress(**raw) if raw else Progress()

    def start(self, signature: dict[str, Any]) -> Progress:
        """Begin or resume; refuses to resume an output made with another signature."""
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
