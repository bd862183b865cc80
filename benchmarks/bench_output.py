"""What the output lock and the input-change check cost: a 100k-document passthrough ingest, on vs off.

The ingest is `run_job` in-process over 100,000 generated JSONL documents (two or three short
sentences each, generated here: no data needed) to a resumable JSONL file, with the passthrough
engine and the stages segment -> translate (`source_lang` given, so no detection): the lightest real
ingest, where a fixed cost per document weighs the most. "on" is the output layer as shipped: an
exclusive lock on the output, and a running hash of every input document (`document_digest`,
`InputDigest`) committed with the progress. "off" is the same run with those replaced by no-ops.
Runs alternate on/off (after a small warm-up of each) and the medians are compared; the time of
the hashing alone is printed too, as the run times on a shared machine are noisy (every commit
fsyncs the output and the state).
Target: on / off <= 1.05.

    .venv/bin/python benchmarks/bench_output.py [--docs N] [--repeats R]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import statistics
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from transnorm.config import PipelineConfig
from transnorm.run import run
from transnorm.write import _output, sink

TARGET = 1.05
SENTENCES = [
    "The council met in Moscow on Monday.",
    "The minister said the talks with NATO were useful.",
    "Dmitry Peskov did not comment further.",
    "Prices rose by {i} percent in the third quarter.",
    "Reporters waited outside the building for hours.",
]


def write_documents(path: Path, n: int) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            k = 2 + i % 2
            text = " ".join(SENTENCES[(i + j) % len(SENTENCES)].format(i=i) for j in range(k))
            fh.write(json.dumps({"id": f"doc-{i:06d}", "text": text, "source": "bench"}) + "\n")


@contextlib.contextmanager
def integrity_off() -> Iterator[None]:
    """The output layer without the lock and the input hash (everything else unchanged)."""
    saved = (
        sink.document_digest,
        sink.InputDigest.add,
        _output.OutputLock.acquire,
        _output.OutputLock.release,
    )
    sink.document_digest = lambda doc: b""  # type: ignore[assignment]
    sink.InputDigest.add = lambda self, digest: None  # type: ignore[method-assign]
    _output.OutputLock.acquire = lambda self: None  # type: ignore[method-assign]
    _output.OutputLock.release = lambda self: None  # type: ignore[method-assign]
    try:
        yield
    finally:
        (
            sink.document_digest,
            sink.InputDigest.add,
            _output.OutputLock.acquire,
            _output.OutputLock.release,
        ) = saved


def ingest(docs: Path, out: Path, config: PipelineConfig, integrity: bool) -> float:
    out.unlink(missing_ok=True)
    with contextlib.nullcontext() if integrity else integrity_off():
        start = time.perf_counter()
        summary = run([str(docs)], config=config, output=out)
        seconds = time.perf_counter() - start
    if summary.documents_with_errors:
        raise SystemExit(f"{summary.documents_with_errors} documents failed: {dict(summary.errors_by_code)}")
    return seconds


def hash_seconds(docs: Path) -> float:
    """The input-hash work of one run by itself: digest every document, chain the digests."""
    from transnorm.read import read_documents
    from transnorm.state import InputDigest, document_digest

    documents = list(read_documents([str(docs)]))
    start = time.perf_counter()
    running = InputDigest()
    for doc in documents:
        running.add(document_digest(doc))
    running.hexdigest()
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3, help="timed runs of each (after one warm-up)")
    args = parser.parse_args()
    config = PipelineConfig(target_lang="en", source_lang="en").with_overrides(
        stages=("segment", "translate"), translate={"engine": "passthrough", "cache": False}
    )
    times: dict[bool, list[float]] = {True: [], False: []}
    with tempfile.TemporaryDirectory(prefix="bench-output-") as tmp:
        docs, out = Path(tmp) / "docs.jsonl", Path(tmp) / "out.jsonl"
        write_documents(docs, args.docs)
        print(
            f"{args.docs:,} documents, {docs.stat().st_size / 1e6:.1f} MB; passthrough, segment + translate"
        )
        warm = Path(tmp) / "warm.jsonl"
        write_documents(warm, min(args.docs, 2000))
        for integrity in (True, False):  # warm-up: imports, first-run caches
            ingest(warm, out, config, integrity)
        for r in range(args.repeats):
            for integrity in (True, False) if r % 2 == 0 else (False, True):
                seconds = ingest(docs, out, config, integrity)
                times[integrity].append(seconds)
                print(f"  {'on ' if integrity else 'off'} {seconds:7.2f} s")
        hashing = hash_seconds(docs)
    on, off = statistics.median(times[True]), statistics.median(times[False])
    print(f"hashing the {args.docs:,} input documents alone: {hashing:.2f} s ({hashing / off:.1%} of a run)")
    ratio = on / off
    print(f"median with lock + input hash: {on:.2f} s; without: {off:.2f} s")
    print(f"ratio {ratio:.3f} (target <= {TARGET}): {'PASS' if ratio <= TARGET else 'FAIL'}")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
