"""Engine speed and memory on the real OPUS-MT architecture: transformers fp32 vs CTranslate2 int8.

Builds `Helsinki-NLP/opus-mt-de-en`'s architecture (Marian, 6+6 layers, d_model 512, 8 heads, FFN 2048,
vocabulary 58,101) with random weights, converts it to CTranslate2 int8 with `transnorm models
convert`'s code, and times both engines generating exactly 30 target tokens per sentence, greedy and
beam 4, at batch 1, 16 and 64. Each engine runs in its own process (loaded together, torch and
CTranslate2 slow each other down): PyTorch with 1 and with 2 threads (on a shared, busy machine
OpenMP's spinning threads can make 2 slower than 1; the better of the two is compared), CTranslate2
with transnorm's default intra_threads=1, inter_threads=2 and two batches in flight.
Prints target tokens/s, the CTranslate2/transformers ratio, load time, peak RSS after loading and
translating one sentence, and peak RSS at the end of the run, per engine.

    .venv/bin/python benchmarks/bench_engines.py [--quick]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT_TOKENS = 30
SRC_TOKENS = 25
VOCAB = 58101
CONFIGS = [(beam, batch) for beam in (1, 4) for batch in (1, 16, 64)]


def build(work: Path) -> tuple[Path, Path]:
    """The full-size random Marian model (transformers directory) and its CTranslate2 int8 conversion."""
    sys.path.insert(0, str(ROOT / "tests"))
    import tiny_models
    from transnorm.translate.models import convert_model

    hf_dir = work / "opus-mt-arch"
    extra = VOCAB - 200 - 1  # 200-piece sentencepiece vocabulary + <pad>
    tiny_models.build_marian(
        hf_dir, d_model=512, layers=6, heads=8, ffn=2048, max_positions=512, extra_vocab=extra, seed=0
    )
    ct2_dir = convert_model(str(hf_dir), work / "opus-mt-arch-ct2-int8", quantization="int8")
    return hf_dir, ct2_dir


def _inputs(n: int, vocab_size: int, seed: int = 0) -> list[list[int]]:
    rng = random.Random(seed)
    return [[rng.randrange(2, vocab_size - 1) for _ in range(SRC_TOKENS)] for _ in range(n)]


def _rss_mb() -> float:
    """Peak RSS of this process (VmHWM): unlike getrusage's maxrss it is not inherited over exec."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker_hf(model_dir: str, quick: bool, threads: int) -> dict[str, object]:
    t0 = time.perf_counter()
    import torch
    from transformers import MarianMTModel

    torch.set_num_threads(threads)
    model = MarianMTModel.from_pretrained(model_dir).eval()
    with torch.inference_mode():
        model.generate(input_ids=torch.tensor(_inputs(1, model.config.vocab_size)), max_new_tokens=OUT_TOKENS)
    load = time.perf_counter() - t0
    startup_rss = _rss_mb()
    results = {}
    for beam, batch in CONFIGS:
        n_batches = 1 if (quick or batch > 1) else 2
        data = _inputs(batch * n_batches, model.config.vocab_size)
        ids = torch.tensor(data[:batch])
        with torch.inference_mode():  # warm-up
            model.generate(input_ids=ids[:1], num_beams=beam, min_new_tokens=4, max_new_tokens=4)
        start = time.perf_counter()
        for b in range(n_batches):
            ids = torch.tensor(data[b * batch : (b + 1) * batch])
            with torch.inference_mode():
                out = model.generate(
                    input_ids=ids,
                    num_beams=beam,
                    do_sample=False,
                    min_new_tokens=OUT_TOKENS,
                    max_new_tokens=OUT_TOKENS,
                    forced_eos_token_id=None,
                )
            assert out.shape[1] == OUT_TOKENS + 1, out.shape  # start token + 30
        seconds = time.perf_counter() - start
        results[f"beam{beam}/batch{batch}"] = batch * n_batches * OUT_TOKENS / seconds
    return {
        "load_seconds": load,
        "tokens_per_second": results,
        "startup_rss_mb": startup_rss,
        "peak_rss_mb": _rss_mb(),
    }


def worker_ct2(model_dir: str, quick: bool) -> dict[str, object]:
    t0 = time.perf_counter()
    import ctranslate2

    translator = ctranslate2.Translator(
        model_dir, device="cpu", compute_type="int8", intra_threads=1, inter_threads=2
    )
    vocab = json.loads((Path(model_dir) / "shared_vocabulary.json").read_text(encoding="utf-8"))
    first = [[vocab[i] for i in row] + ["</s>"] for row in _inputs(1, len(vocab))]
    translator.translate_batch(first, beam_size=1, max_decoding_length=OUT_TOKENS)
    load = time.perf_counter() - t0
    startup_rss = _rss_mb()
    results = {}
    for beam, batch in CONFIGS:
        n_batches = 2 if quick else 4
        data = [[vocab[i] for i in row] + ["</s>"] for row in _inputs(batch * n_batches, len(vocab))]
        translator.translate_batch(data[:1], beam_size=beam, max_decoding_length=4)  # warm-up
        start = time.perf_counter()
        # two batches in flight: translate_iterable posts the next batch while one is running
        outs = list(
            translator.translate_iterable(
                iter(data),
                max_batch_size=batch,
                batch_type="examples",
                beam_size=beam,
                min_decoding_length=OUT_TOKENS,
                max_decoding_length=OUT_TOKENS,
            )
        )
        seconds = time.perf_counter() - start
        assert all(len(r.hypotheses[0]) == OUT_TOKENS for r in outs)
        results[f"beam{beam}/batch{batch}"] = len(data) * OUT_TOKENS / seconds
    return {
        "load_seconds": load,
        "tokens_per_second": results,
        "startup_rss_mb": startup_rss,
        "peak_rss_mb": _rss_mb(),
    }


def run_worker(kind: str, model_dir: Path, quick: bool) -> dict[str, object]:
    cmd = [sys.executable, __file__, "--worker", kind, str(model_dir), *(["--quick"] if quick else [])]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"{kind} worker failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker", nargs=2, metavar=("ENGINE", "DIR"), help=argparse.SUPPRESS)
    parser.add_argument("--quick", action="store_true", help="fewer batches per configuration")
    args = parser.parse_args()
    if args.worker:
        kind, model_dir = args.worker
        if kind.startswith("hf"):
            result = worker_hf(model_dir, args.quick, threads=int(kind[2:]))
        else:
            result = worker_ct2(model_dir, args.quick)
        print(json.dumps(result))
        return
    with tempfile.TemporaryDirectory(prefix="bench-engines-") as tmp:
        t0 = time.perf_counter()
        hf_dir, ct2_dir = build(Path(tmp))
        print(
            f"built OPUS-MT architecture (random weights) and int8 conversion in {time.perf_counter() - t0:.0f} s"
        )
        ct2 = run_worker("ct2", ct2_dir, args.quick)
        hf_by_threads = {t: run_worker(f"hf{t}", hf_dir, args.quick) for t in (1, 2)}
    print(
        f"\ntarget tokens/s, {OUT_TOKENS} output tokens per sentence, {SRC_TOKENS} input tokens; load average {_load()}"
    )
    print(f"{'config':<16}{'hf fp32 1 thr':>15}{'hf fp32 2 thr':>15}{'ct2 int8 1x2':>15}{'ratio':>8}")
    for key in ct2["tokens_per_second"]:  # type: ignore[union-attr]
        one = hf_by_threads[1]["tokens_per_second"][key]  # type: ignore[index]
        two = hf_by_threads[2]["tokens_per_second"][key]  # type: ignore[index]
        b = ct2["tokens_per_second"][key]  # type: ignore[index]
        print(f"{key:<16}{one:>15.0f}{two:>15.0f}{b:>15.0f}{b / max(one, two):>7.1f}x")
    print(f"\n{'engine':<22}{'load s':>8}{'startup RSS MB':>16}{'peak RSS MB':>13}")
    rows = [(f"transformers fp32 {t}t", r) for t, r in hf_by_threads.items()] + [("ctranslate2 int8", ct2)]
    for name, r in rows:
        print(f"{name:<22}{r['load_seconds']:>8.2f}{r['startup_rss_mb']:>16.0f}{r['peak_rss_mb']:>13.0f}")


def _load() -> str:
    import os

    return ", ".join(f"{x:.1f}" for x in os.getloadavg())


if __name__ == "__main__":
    main()
