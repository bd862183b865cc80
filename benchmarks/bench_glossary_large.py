"""A very large user glossary: compile time, peak memory, cache size and cached load time.

    .venv/bin/python benchmarks/bench_glossary_large.py [--rows 500000] [--lang de] [--repeat 3]
        [--baseline ../main/src]

Generates a TSV glossary of `--rows` rows of invented names (no data files needed), one entity per
row (the worst case: 500,000 rows make 500,000 entities and a million patterns). Each measurement
runs in a fresh Python process, so that its peak resident memory (`VmHWM` from /proc/self/status)
is its own and not the parent's. Measured `--repeat` times, medians printed (wall and CPU seconds;
CPU time is the steadier figure on a shared machine):

- compile: load the TSV and build the matcher (no cache), then write the cache file;
- cached load: read that cache file back (checksums verified, automata rebuilt);
- the cache file's size.

Target (issue 9): peak resident memory of a compile below 1 GB. The two matchers (compiled and
cached) must find the same mentions in the same text, which the benchmark checks on a sample.
`--baseline` measures another checkout's `src/` the same way in the same run (on main before the
cache redesign: about 2 GB peak and a 243 MB pickle for 500,000 rows).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from _names import SYLLABLES as _SYLLABLES  # noqa: E402

TARGET_PEAK_MB = 1024

_LETTERS = str.maketrans("0123456789abcdef", "bdghklmnprstvwxz")

_CHILD = r"""
import json, os, sys, time
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from transnorm.normalise.matcher import load_matcher

mode, glossary, cache_dir, lang, probe = sys.argv[2:7]
t, c = time.perf_counter(), time.process_time()
matcher = load_matcher([glossary], lang, cache=True, cache_dir=cache_dir)
seconds, cpu = time.perf_counter() - t, time.process_time() - c
peak = 0
with open("/proc/self/status") as fh:
    for line in fh:
        if line.startswith("VmHWM:"):
            peak = int(line.split()[1]) // 1024
text = Path(probe).read_text(encoding="utf-8")
found = [(m.start, m.end, m.kind, m.rule, [matcher.entries[e].id for e in m.entries]) for m in matcher.find(text)]
print(json.dumps({"seconds": seconds, "cpu": cpu, "peak_mb": peak, "patterns": matcher.patterns,
                  "entries": len(matcher.entries), "found": found}))
"""


def _name(rng: random.Random, i: int) -> str:
    given = "".join(rng.choice(_SYLLABLES) for _ in range(2)).capitalize()
    surname = "".join(rng.choice(_SYLLABLES) for _ in range(2)).capitalize() + f"{i:x}".translate(_LETTERS)
    return f"{given} {surname}"


def write_glossary(rows: int, path: Path, per_entity: int = 1, seed: int = 11) -> list[str]:
    """A TSV of `rows` rows (variant, canonical); returns the variants written, for the probe text."""
    rng = random.Random(seed)
    variants = []
    written = i = 0
    with path.open("w", encoding="utf-8") as fh:
        fh.write("variant\tcanonical\n")
        while written < rows:
            canonical = _name(rng, i)
            given, surname = canonical.split(" ")
            spellings = [f"{given} {surname}ow", f"{given[:-1]}y {surname}", f"{given} {surname}off"]
            for variant in spellings[: 1 + i % per_entity]:
                if written == rows:
                    break
                fh.write(f"{variant}\t{canonical}\n")
                variants.append(variant)
                written += 1
            i += 1
    return variants


def _run(src: Path, mode: str, glossary: Path, cache_dir: Path, lang: str, probe: Path) -> dict:
    args = [str(src), mode, str(glossary), str(cache_dir), lang, str(probe)]
    out = subprocess.run([sys.executable, "-c", _CHILD, *args], check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def _median(runs: list[dict], field: str) -> float:
    return statistics.median(r[field] for r in runs)


def measure(src: Path, glossary: Path, lang: str, probe: Path, repeat: int, tmp: Path) -> dict:
    """Compile (cache written) then cached load, `repeat` times, each in a fresh process."""
    compiles, loads, sizes = [], [], []
    for n in range(repeat):
        cache_dir = tmp / f"cache-{abs(hash(str(src)))}-{n}"
        cold = _run(src, "compile", glossary, cache_dir, lang, probe)
        sizes.append(sum(p.stat().st_size for p in cache_dir.iterdir()))
        warm = _run(src, "load", glossary, cache_dir, lang, probe)
        if cold["found"] != warm["found"]:
            sys.exit(f"FAIL ({src}): the cached matcher finds other mentions than the compiled one")
        compiles.append(cold)
        loads.append(warm)
    return {"compiles": compiles, "loads": loads, "size": statistics.median(sizes)}


def report(name: str, result: dict) -> None:
    compiles, loads = result["compiles"], result["loads"]
    peak = _median(compiles, "peak_mb")
    verdict = "ok" if peak < TARGET_PEAK_MB else "MISSED"
    print(f"[{name}]")
    print(
        f"  compile:     {_median(compiles, 'seconds'):6.1f} s wall, {_median(compiles, 'cpu'):6.1f} s CPU, "
        f"peak RSS {peak:5.0f} MB (target < {TARGET_PEAK_MB} MB: {verdict})"
    )
    print(
        f"  cached load: {_median(loads, 'seconds'):6.1f} s wall, {_median(loads, 'cpu'):6.1f} s CPU, "
        f"peak RSS {_median(loads, 'peak_mb'):5.0f} MB"
    )
    print(f"  cache file:  {result['size'] / 1e6:6.1f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=500_000)
    parser.add_argument("--lang", default="de")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--baseline", type=Path, help="the src/ folder of another checkout, measured side by side (e.g. main)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        glossary = tmp / "large.tsv"
        t = time.perf_counter()
        variants = write_glossary(args.rows, glossary)
        print(
            f"glossary: {args.rows} rows, {glossary.stat().st_size / 1e6:.1f} MB, "
            f"written in {time.perf_counter() - t:.1f} s"
        )
        rng = random.Random(3)
        probe = tmp / "probe.txt"
        sample = rng.sample(variants, 2000)
        probe.write_text(
            " ".join(f"Gestern sagte {v}s Sprecher, {v} sei nicht da." for v in sample), encoding="utf-8"
        )
        results = {"this checkout": measure(ROOT / "src", glossary, args.lang, probe, args.repeat, tmp)}
        if args.baseline:
            results[f"baseline {args.baseline}"] = measure(
                args.baseline, glossary, args.lang, probe, args.repeat, tmp
            )
        first = results["this checkout"]["compiles"][0]
        print(f"matcher: {first['entries']} entities, {first['patterns']} patterns, lang {args.lang}")
        print(f"probe: {len(first['found'])} mentions found in 2000 sentences (compiled == cached)")
        if args.baseline and first["found"] != results[f"baseline {args.baseline}"]["compiles"][0]["found"]:
            print("NOTE: the baseline finds other mentions in the probe text")
        for name, result in results.items():
            report(name, result)


if __name__ == "__main__":
    main()
