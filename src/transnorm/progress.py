"""What a run shows a person at a terminal: a progress bar while it works, a summary when it ends.

- `ProgressBar`: a tqdm bar on stderr (bar, percentage, documents done of total, rate, elapsed time,
  ETA, errors so far), drawn only on a terminal so that logs of batch jobs stay clean. It moves per
  document. The rate is measured from the first document written, so model loading does not make
  the first ETA hours long, and smoothed over tens of seconds (`SteadyRate`), so the ETA does not jump
  when documents come out in bursts; no ETA is shown until a few documents are done.
- `summary_lines`: documents, time taken, errors by code and the output path, printed at the end.
- `set_verbose`: `-v`. Third-party progress bars and info messages (transformers' "Loading
  weights") show only then: the engines hide them unless transnorm's logger is at INFO. The hub's
  model-download bar is not affected.
"""

from __future__ import annotations

import logging
import math
import sys
import time
from typing import IO, Any

from transnorm.write.summary import RunSummary

ETA_AFTER_DOCUMENTS = 5
ETA_AFTER_SECONDS = 3.0
"""No ETA before this many documents and seconds since the first one: a rate from one or two
documents, or from the first batch coming out at once, is noise."""
RATE_TIME_CONSTANT = 30.0
"""Seconds over which the rate is smoothed (an exponentially weighted moving average)."""


class SteadyRate:
    """Documents per second, steady enough for an ETA.

    The clock starts at the first document (start-up and model loading are not work on documents).
    Over the first `time_constant` seconds the rate is the plain average since then; after that each
    new sample moves it by `1 - exp(-dt / time_constant)` of the difference,
    so a burst of documents moves the ETA a little and a lasting change of speed within a minute.
    """

    def __init__(self, time_constant: float = RATE_TIME_CONSTANT) -> None:
        self.time_constant = time_constant
        self.rate: float | None = None
        self.count = 0
        self.since_first = 0.0
        self._first: tuple[float, int] | None = None
        self._last: tuple[float, int] = (0.0, 0)

    def observe(self, count: int, now: float) -> None:
        """`count` documents are done at time `now` (seconds, any monotonic clock).

        The rate is re-estimated at most once a second, at the first document after that second:
        documents often come out in bursts (a batch finishes), and sampling inside a burst would
        swing the rate between "nothing happened" and "a batch in no time".
        """
        self.count = count
        if self._first is None:
            self._first = self._last = (now, count)
            return
        last_t, last_count = self._last
        dt = now - last_t
        if dt < 1.0:
            return
        first_t, first_count = self._first
        self.since_first = now - first_t
        if self.rate is None or self.since_first < self.time_constant:
            self.rate = (count - first_count) / self.since_first
        else:
            sample = (count - last_count) / dt
            self.rate += (1.0 - math.exp(-dt / self.time_constant)) * (sample - self.rate)
        self._last = (now, count)

    def eta(self, remaining: int) -> float | None:
        """Seconds until `remaining` more documents are done; None until the rate can be trusted."""
        if self.rate is None or self.rate <= 0 or self._first is None:
            return None
        if self.count - self._first[1] < ETA_AFTER_DOCUMENTS or self.since_first < ETA_AFTER_SECONDS:
            return None
        return remaining / self.rate


class ProgressBar:
    """A progress bar on stderr for a run, fed one document at a time by `transnorm.run.run`.

    `total` is the number of input documents (`transnorm.read.count_documents`), None when unknown
    (standard input): the bar then shows the count and rate without a percentage or ETA. `skipped`
    is set when a run resumes: those documents are already in the output.
    """

    def __init__(
        self,
        total: int | None = None,
        *,
        stream: IO[str] | None = None,
        enabled: bool | None = None,
        interval: float = 0.2,
    ) -> None:
        self.stream = stream or sys.stderr
        self.enabled = _is_terminal(self.stream) if enabled is None else enabled
        self.total = total
        self.interval = interval
        self.documents = 0
        self.segments = 0
        self.errors = 0
        self.skipped = 0
        self.rate = SteadyRate()
        self._started = time.time()  # the bar's elapsed time counts from here, like the summary's
        self._bar: Any = None
        self._last = 0.0

    def update(self, segments: int, errors: bool) -> None:
        """One more document is written (with `segments` segments; `errors`: it carries an error)."""
        self.documents += 1
        self.segments += segments
        self.errors += int(errors)
        now = time.monotonic()
        self.rate.observe(self.documents, now)
        if self.enabled and (now - self._last >= self.interval or self.documents == 1):
            self._last = now
            self._draw()

    def eta(self) -> float | None:
        """Seconds left, from the steady rate; None when the total or the rate is not known yet."""
        if not self.total:
            return None
        remaining = max(self.total - self.skipped - self.documents, 0)
        return 0.0 if remaining == 0 else self.rate.eta(remaining)

    def postfix(self) -> str:
        """The text after the bar: rate, ETA and errors, e.g. `3.5 docs/s, ETA 0:01:20, 2 errors`."""
        parts = [f"{self.rate.rate:,.1f} docs/s" if self.rate.rate is not None else "? docs/s"]
        eta = self.eta()
        if self.total:
            parts.append(f"ETA {_clock(eta)}" if eta is not None else "ETA --:--")
        parts.append(f"{self.errors:,} error{'' if self.errors == 1 else 's'}")
        if self.skipped:
            parts.append(f"{self.skipped:,} done before resuming")
        return ", ".join(parts)

    def _draw(self) -> None:
        bar = self._tqdm()
        bar.n = self.skipped + self.documents
        bar.set_postfix_str(self.postfix(), refresh=False)
        bar.refresh()

    def _tqdm(self) -> Any:
        if self._bar is None:
            from tqdm import tqdm

            known = "{percentage:3.0f}%|{bar}| {n_fmt}/{total_fmt} docs" if self.total else "{n_fmt} docs"
            self._bar = tqdm(
                total=self.total or None,
                initial=self.skipped,
                file=self.stream,
                dynamic_ncols=True,
                leave=True,
                mininterval=self.interval,
                bar_format=known + " [{elapsed}{postfix}]",
                disable=not self.enabled,
            )
            self._bar.start_t = self._started
        return self._bar

    def close(self) -> None:
        """Draw the final state and end the line (nothing when not on a terminal)."""
        if self.enabled:
            self._draw()
            self._bar.close()


def summary_lines(summary: RunSummary) -> list[str]:
    """The end-of-run report: documents, time taken, errors by code and where the output is."""
    seconds = summary.seconds
    rate = f", {summary.documents / seconds:,.1f} docs/s" if seconds > 0 and summary.documents else ""
    resumed = (
        f" ({summary.skipped_already_done:,} already written before resuming)"
        if summary.skipped_already_done
        else ""
    )
    lines = [
        f"transnorm: {_count(summary.documents, 'document')}{resumed}, "
        f"{_count(summary.segments, 'segment')} in {_clock(seconds)}{rate}"
    ]
    if summary.errors_by_code:
        codes = ", ".join(f"{code} ×{n:,}" for code, n in sorted(summary.errors_by_code.items()))
        lines.append(
            f"transnorm: {_count(summary.documents_with_errors, 'document')} with errors: {codes} "
            "(see the 'errors' field of their records)"
        )
    else:
        lines.append("transnorm: no errors")
    lines.append(f"transnorm: output: {', '.join(summary.outputs) or 'standard output'}")
    return lines


def set_verbose(verbose: bool) -> None:
    """`-v`: transnorm's logger at INFO on stderr, which also lets libraries print their own
    progress bars and info messages (the engines hide them otherwise, see `translate/hf.py`)."""
    logger = logging.getLogger("transnorm")
    if not verbose:
        return
    logger.setLevel(logging.INFO)
    if not any(getattr(h, "_transnorm_verbose", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("transnorm: %(message)s"))
        handler._transnorm_verbose = True  # type: ignore[attr-defined]
        logger.addHandler(handler)


def _count(n: int, word: str) -> str:
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"


def _is_terminal(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _clock(seconds: float | None) -> str:
    s = int(seconds or 0)
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"
