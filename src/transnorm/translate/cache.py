"""A persistent translation cache in one SQLite file, so that a re-run does not call the model again.

A translation is keyed by what determines it: engine, model id, model revision (commit hash, local
fingerprint, decoding settings), language pair and the exact source text. A new model revision or
other decoding settings therefore never get an old model's output. SQLite in WAL mode lets several
processes of one job share the file; writes are batched per engine call.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path

from transnorm._paths import transnorm_cache
from transnorm.errors import ConfigError
from transnorm.translate.base import ModelInfo

_SCHEMA = """
CREATE TABLE IF NOT EXISTS translations (
    key TEXT PRIMARY KEY,
    engine TEXT NOT NULL,
    model TEXT NOT NULL,
    revision TEXT NOT NULL,
    pair TEXT NOT NULL,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    created REAL NOT NULL DEFAULT (julianday('now'))
)
"""
# SQLite limits the number of bound parameters per statement (32766 in recent versions, 999 in old).
_CHUNK = 500


def default_cache_path() -> Path:
    """`$XDG_CACHE_HOME/transnorm/translations.sqlite` (resolved when called, never at import)."""
    return transnorm_cache() / "translations.sqlite"


class TranslationCache:
    """Look up and store translations; safe to share between threads of one process."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path else default_cache_path()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(str(self.path), timeout=30.0, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute(_SCHEMA)
            self._db.commit()
        except (OSError, sqlite3.Error) as exc:
            raise ConfigError(
                f"translation cache {self.path} cannot be opened ({exc}); set translate.cache_path to a "
                "writable file or run with --no-cache"
            ) from None
        self._lock = threading.Lock()

    @staticmethod
    def key(info: ModelInfo, source_lang: str, target_lang: str, text: str) -> str:
        """The cache key of one translation (a hash, so long segments make short keys)."""
        blob = "\x1f".join((info.engine, info.model, info.revision, source_lang, target_lang, text))
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()

    def get_many(
        self, info: ModelInfo, source_lang: str, target_lang: str, texts: Sequence[str]
    ) -> dict[str, str]:
        """Cached translations of those `texts` that are in the cache, by source text."""
        keys = {self.key(info, source_lang, target_lang, t): t for t in texts}
        found: dict[str, str] = {}
        key_list = list(keys)
        with self._lock:
            for start in range(0, len(key_list), _CHUNK):
                chunk = key_list[start : start + _CHUNK]
                marks = ",".join("?" * len(chunk))
                rows = self._db.execute(
                    f"SELECT key, target FROM translations WHERE key IN ({marks})", chunk
                ).fetchall()
                for key, target in rows:
                    found[keys[key]] = target
        return found

    def put_many(
        self, info: ModelInfo, source_lang: str, target_lang: str, translations: Mapping[str, str]
    ) -> None:
        """Store translations (source text -> target text) of one pair."""
        pair = f"{source_lang}-{target_lang}"
        rows = [
            (
                self.key(info, source_lang, target_lang, src),
                info.engine,
                info.model,
                info.revision,
                pair,
                src,
                tgt,
            )
            for src, tgt in translations.items()
        ]
        with self._lock:
            self._db.executemany(
                "INSERT OR REPLACE INTO translations (key, engine, model, revision, pair, source, target) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
            self._db.commit()

    def __len__(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM translations").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._db.close()
