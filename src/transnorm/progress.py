"""A one-line progress display for long runs, shown only on a terminal.

Documents and segments per second, errors so far and, when the number of input documents is known,
an ETA. It redraws at most a few times a second and writes nothing when stderr is not a terminal, so
logs of batch jobs stay clean.
"""

from __future__ import annotations

import sys
import time
from typing import IO


class ProgressBar:
    """Counts documents as they are written and redraws a status line on stderr."""

    def __init__(
        self,
        total: int | None = None,
        *,
        stream: IO[str] | None = None,
        enabled: bool | None = None,
        interval: float = 0.25,
    ) -> None:
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.total = total
        self.interval = interval
        self.documents = 0
        self.segments = 0
        self.errors = 0
        self.skipped = 0
        self._start = time.perf_counter()
        self._last = 0.0

    def update(self, segments: int, errors: bool) -> None:
        self.documents += 1
        self.segments += segments
        self.errors += int(errors)
        now = time.perf_counter()
        if self.enabled and now - self._last >= self.interval:
            self._last = now
            self._draw(now)

    def line(self, now: float | None = None) -> str:
        """The status text, e.g. `1,200/5,000 docs  85.1 docs/s  1,930 seg/s  errors 3  ETA 0:00:45`."""
        elapsed = max((now or time.perf_counter()) - self._start, 1e-9)
        dps = self.documents / elapsed
        done = f"{self.documents:,}" + (f"/{self.total:,}" if self.total else "")
        parts = [
            f"{done} docs",
            f"{dps:,.1f} docs/s",
            f"{self.segments / elapsed:,.0f} seg/s",
            f"errors {self.errors:,}",
        ]
        if self.skipped:
            parts.insert(1, f"resumed after {self.skipped:,}")
        if self.total and dps > 0:
            remaining = max(self.total - self.documents - self.skipped, 0) / dps
            parts.append(f"ETA {_clock(remaining)}")
        return "  ".join(parts)

    def _draw(self, now: float) -> None:
        self.stream.write("\r\x1b[2K" + self.line(now))
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self._draw(time.perf_counter())
            self.stream.write("\n")
            self.stream.flush()


def _clock(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"
