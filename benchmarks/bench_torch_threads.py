"""PyTorch threads for the transformers engine, alone and under load from other processes.

On 2 cores PyTorch's default (one intra-op thread per core, OpenMP spinning between operations)
is fastest on an idle machine but collapses when other processes want the cores: its threads spin
and wait on each other. The alternative is what CTranslate2 does: one thread per batch and two
batches in flight (two Python threads, PyTorch releases the GIL inside its operators).

Builds the OPUS-MT de-en architecture with random weights (bench_engines.build), then times
`generate` (greedy, batches of 8, exactly 24 new tokens) in fresh processes for:

- `2x1`: torch.set_num_threads(2), one batch at a time (PyTorch's default on 2 cores);
- `1x1`: one thread, one batch at a time;
- `1x2`: one thread per batch, two batches at a time (transnorm's default);

each with no extra load and with two busy-looping processes beside it. Runs are interleaved;
medians of sentences/s are printed, with the load average at the time.

    .venv/bin/python benchmarks/bench_torch_threads.py [--repeats 3] [--batches 8]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
OUT_TOKENS = 24
BATCH = 8
CONFIGS = {"2x1": (2, 1), "1x1": (1, 1), "1x2": (1, 2)}


def worker(model_dir: str, intra: int, inter: int, batches: int) -> dict[str, float]:
    import torch
    from transformers import MarianMTModel

    torch.set_num_threads(intra)
    model = MarianMTModel.from_pretrained(model_dir).eval()
    rng = random.Random(0)
    data = [
        torch.tensor([[rng.randrange(2, 8000) for _ in range(20)] + [0] for _ in range(BATCH)])
        for _ in range(batches)
    ]

    def one(ids: torch.Tensor) -> None:
        with torch.inference_mode():
            model.generate(
                input_ids=ids,
                do_sample=False,
                num_beams=1,
                min_new_tokens=OUT_TOKENS,
                max_new_tokens=OUT_TOKENS,
            )

    one(data[0][:1])  # warm-up
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=inter) as pool:
        list(pool.map(one, data))
    seconds = time.perf_counter() - start
    return {"sentences_per_second": batches * BATCH / seconds}


def _busy() -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-c", "while True: pass"])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--batches", type=int, default=8)
    parser.add_argument("--worker", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        model, intra, inter, batches = args.worker
        print(json.dumps(worker(model, int(intra), int(inter), int(batches))))
        return
    import bench_engines

    results: dict[tuple[str, str], list[float]] = {}
    loads: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        print("building the OPUS-MT de-en architecture with random weights ...", flush=True)
        hf_dir, _ = bench_engines.build(Path(tmp))
        for rep in range(args.repeats):
            for condition in ("idle", "2 busy processes"):
                hogs = [_busy(), _busy()] if condition != "idle" else []
                try:
                    for name, (intra, inter) in CONFIGS.items():
                        cmd = [sys.executable, __file__, "--worker", str(hf_dir), str(intra), str(inter)]
                        cmd.append(str(args.batches))
                        proc = subprocess.run(cmd, capture_output=True, text=True, check=True)
                        rate = json.loads(proc.stdout.strip().splitlines()[-1])["sentences_per_second"]
                        results.setdefault((condition, name), []).append(rate)
                        loads.append(os.getloadavg()[0])
                        print(f"  run {rep + 1} {condition:17} {name}: {rate:6.1f} sentences/s", flush=True)
                finally:
                    for hog in hogs:
                        hog.kill()
    print(f"\nmedian sentences/s (batch {BATCH}, {OUT_TOKENS} new tokens, greedy); load average during the runs "
          f"{min(loads):.1f}-{max(loads):.1f}")  # fmt: skip
    print("| condition | " + " | ".join(f"{n} (intra x batches)" for n in CONFIGS) + " |")
    print("|---|" + "---|" * len(CONFIGS))
    for condition in ("idle", "2 busy processes"):
        cells = [f"{statistics.median(results[(condition, n)]):.1f}" for n in CONFIGS]
        print(f"| {condition} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
