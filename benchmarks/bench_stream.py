"""Streaming translation: transnorm's ctranslate2 engine against raw CTranslate2, at 20, 123 and ~1,000 documents.

The model is `Helsinki-NLP/opus-mt-de-en`'s architecture (Marian 6+6, d512, 58,101 vocabulary) with
random weights, converted to CTranslate2 int8 (see bench_engines.py). Random weights never stop early,
so every system gets the same fixed output cap (`--out-tokens`) and the same decoding: greedy, batches
of 32, `intra_threads=1, inter_threads=2`. The documents are NTREX-128's German references (123
documents, 1,997 sentences, one sentence per line), repeated under new ids for the ~1,000-document size.

- **raw**: sentencepiece + `Translator.translate_iterable` over every sentence in input order
  (asynchronous batches, 16 batches read ahead: CTranslate2's own streaming);
- **transnorm**: `Pipeline` (detect, segment, translate, normalise) streaming the same documents, cache
  off, the ctranslate2 engine with the model directory.

Each run is its own process (so peak RSS is per run); runs are interleaved, and medians are printed:
wall time, the time ratio transnorm/raw (target <= 1.0), the first finished document as a share of the
run (target <= 10% from 123 documents up), and transnorm's peak RSS per size (flat: the window bounds it).

    .venv/bin/python benchmarks/bench_stream.py [--repeats 3] [--sizes 20,123,984] [--out-tokens 24]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from _data import ntrex_dir  # noqa: E402


def ntrex_documents(n: int) -> list[dict[str, str]]:
    """`n` documents from NTREX's German references, one sentence per line; repeated under new ids."""
    folder = ntrex_dir("de")
    ids = (folder / "DOCUMENT_IDS.tsv").read_text(encoding="utf-8").splitlines()
    lines = (folder / "newstest2019-ref.deu.txt").read_text(encoding="utf-8").splitlines()
    docs: dict[str, list[str]] = {}
    for doc_id, line in zip(ids, lines, strict=True):
        docs.setdefault(doc_id, []).append(line)
    base = list(docs.items())
    out = []
    for i in range(n):
        doc_id, sentences = base[i % len(base)]
        out.append({"id": f"{doc_id}#{i // len(base)}", "text": "\n".join(sentences)})
    return out


# -- the two systems, each run in a fresh process --------------------------------------------------


def run_raw(model: str, docs_path: str, out_tokens: int) -> dict[str, float]:
    import ctranslate2
    import sentencepiece as spm

    started = time.perf_counter()
    docs = [json.loads(line) for line in Path(docs_path).read_text(encoding="utf-8").splitlines()]
    translator = ctranslate2.Translator(model, compute_type="int8", intra_threads=1, inter_threads=2)
    sp = spm.SentencePieceProcessor(model_file=str(Path(model) / "source.spm"))
    owner, tokens = [], []
    for i, doc in enumerate(docs):
        for line in doc["text"].split("\n"):
            owner.append(i)
            tokens.append([*sp.encode(line, out_type=str), "</s>"])
    last_of_first = max(k for k, o in enumerate(owner) if o == 0)
    first = None
    results = translator.translate_iterable(
        tokens, max_batch_size=32, beam_size=1, max_decoding_length=out_tokens, max_input_length=0
    )
    for k, _ in enumerate(results):
        if k == last_of_first:
            first = time.perf_counter() - started
    return {"seconds": time.perf_counter() - started, "first": first or 0.0, "segments": len(tokens)}


def run_transnorm(model: str, docs_path: str, out_tokens: int) -> dict[str, float]:
    from transnorm import Pipeline
    from transnorm.config import PipelineConfig
    from transnorm.read import read_documents

    started = time.perf_counter()
    config = PipelineConfig(target_lang="en").with_overrides(
        translate={
            "engine": "ctranslate2",
            "model": model,
            "cache": False,
            "batch_size": 32,
            "engine_options": {
                "ctranslate2": {"beam_size": 1, "max_output_tokens": out_tokens, "max_length_ratio": 1000.0}
            },
        }
    )
    first = None
    docs = segments = 0
    with Pipeline(config) as pipe:
        for doc in pipe.stream(read_documents([docs_path])):
            if first is None:
                first = time.perf_counter() - started
            docs += 1
            segments += len(doc.segments)
            assert not doc.errors, doc.errors
    return {"seconds": time.perf_counter() - started, "first": first or 0.0, "segments": segments}


def _peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def worker(system: str, model: str, docs_path: str, out_tokens: int) -> None:
    result = (run_raw if system == "raw" else run_transnorm)(model, docs_path, out_tokens)
    result["rss_mb"] = _peak_rss_mb()
    print(json.dumps(result))


def _spawn(system: str, model: Path, docs: Path, out_tokens: int) -> dict[str, float]:
    cmd = [sys.executable, __file__, "--worker", system, str(model), str(docs), str(out_tokens)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"{system} run failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--sizes", default="20,123,984")
    parser.add_argument("--out-tokens", type=int, default=24)
    parser.add_argument("--worker", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        system, model, docs, out_tokens = args.worker
        worker(system, model, docs, int(out_tokens))
        return
    import bench_engines

    sizes = [int(s) for s in args.sizes.split(",")]
    documents = {n: ntrex_documents(n) for n in sizes}  # before the model: missing data stops here
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        print(
            "building the OPUS-MT de-en architecture (random weights) and its CTranslate2 int8 conversion ..."
        )
        _, ct2_dir = bench_engines.build(work)
        inputs = {}
        for n in sizes:
            path = work / f"docs-{n}.jsonl"
            path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in documents[n]))
            inputs[n] = path
        results: dict[tuple[str, int], list[dict[str, float]]] = {}
        for rep in range(args.repeats):
            for n in sizes:
                if n > 200 and rep > 0:  # the large size is run once: it is about memory and the steady state
                    continue
                for system in ("raw", "transnorm") if rep % 2 == 0 else ("transnorm", "raw"):
                    res = _spawn(system, ct2_dir, inputs[n], args.out_tokens)
                    results.setdefault((system, n), []).append(res)
                    print(
                        f"  run {rep + 1} {system:9} {n:5} docs: {res['seconds']:7.1f} s, first document at "
                        f"{res['first']:6.2f} s, peak RSS {res['rss_mb']:6.0f} MB",
                        flush=True,
                    )

    def med(system: str, n: int, key: str) -> float:
        return statistics.median(r[key] for r in results[(system, n)])

    print(f"\nmedians, output cap {args.out_tokens} tokens, greedy, batch 32, CTranslate2 int8 1x2 threads")
    print("| documents | segments | raw s | transnorm s | ratio (<= 1.0) | first doc raw | first doc transnorm "
          "| transnorm first doc / run (<= 10%) | transnorm peak RSS MB |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|")
    for n in sizes:
        raw, ours = med("raw", n, "seconds"), med("transnorm", n, "seconds")
        first_raw, first_ours = med("raw", n, "first"), med("transnorm", n, "first")
        print(
            f"| {n} | {int(med('raw', n, 'segments'))} | {raw:.1f} | {ours:.1f} | {ours / raw:.2f} | "
            f"{first_raw:.2f} s | {first_ours:.2f} s | {100 * first_ours / ours:.1f}% | "
            f"{med('transnorm', n, 'rss_mb'):.0f} |"
        )


if __name__ == "__main__":
    main()
