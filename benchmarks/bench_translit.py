"""Benchmark transnorm.translit: Wikidata recall per scheme, attested-spelling pass rate, speed.

Run: .venv/bin/python benchmarks/bench_translit.py

Recall: the share of Wikidata English/Russian label pairs (translit/wikidata_en_ru_names.tsv, found
by benchmarks/_data.py: 26k pairs, lower case) whose English label is one of the spellings
generate_variants() makes from the Russian label (case-insensitive), per scheme and for all schemes
together, unweighted and weighted by the pair's count. Most pairs are foreign names written in
Russian (уильям -> william), which no romanisation of Russian recovers, so recall is also shown on
the subset whose Russian label has a Russian surname or patronymic ending (-ов, -ева, -ский, -вич,
...), chosen from the Russian side only.

Floors (unit tests until the test suite had to run without the corpus): recall of all schemes
together >= 42% of all pairs; 10,000 two-word names expanded in under 8 s of CPU. Exit code 1 when
one fails.
"""

from __future__ import annotations

import csv
import itertools
import sys
import time
from pathlib import Path

from _data import data_file
from transnorm import translit
from transnorm.translit import SCHEMES, generate_variants

ROOT = Path(__file__).resolve().parents[1]
RECALL_FLOOR, SPEED_FLOOR_S = 0.42, 8.0
CASES = ROOT / "tests" / "cases" / "translit"
RUSSIAN_ENDINGS = (
    "ов", "ова", "ев", "ева", "ёв", "ёва", "ин", "ина", "ын", "ына", "ский", "ская", "цкий", "цкая",
    "вич", "вна", "ий", "ый", "ой",
)  # fmt: skip


def _rows() -> list[dict[str, str]]:
    with data_file("translit/wikidata_en_ru_names.tsv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def _recall_table(rows: list[dict[str, str]]) -> float:
    """Print recall per scheme; return that of all schemes together over all pairs."""
    russian = [row["ru"].endswith(RUSSIAN_ENDINGS) for row in rows]
    labels = ["all pairs", "weighted by count", "Russian-ending subset"]
    print(f"{'scheme':<12}" + "".join(f"{label:>24}" for label in labels))
    counts = [int(row["count"]) for row in rows]
    union: list[set[str]] = [set() for _ in rows]
    for scheme in (*SCHEMES, "union"):
        if scheme == "union":
            spellings = union
        else:
            spellings = [
                {v.text.casefold() for v in generate_variants(row["ru"], schemes=[scheme])} for row in rows
            ]
            for merged, own in zip(union, spellings, strict=True):
                merged |= own
        hits = [row["en"] in own for row, own in zip(rows, spellings, strict=True)]
        all_share = sum(hits) / len(rows)
        weighted = sum(c for c, h in zip(counts, hits, strict=True) if h) / sum(counts)
        subset = [h for h, r in zip(hits, russian, strict=True) if r]
        print(f"{scheme:<12}{all_share:>24.1%}{weighted:>24.1%}{sum(subset) / len(subset):>24.1%}")
    print(f"({len(rows)} pairs, {sum(russian)} in the Russian-ending subset)")
    return all_share


def _attested_pass_rate() -> None:
    total = passed = 0
    for path in sorted(CASES.glob("attested_*.tsv")):
        lang = path.stem.rsplit("_", 1)[1]
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            cyrillic, scheme, expected = line.split("\t")[:3]
            schemes = None if scheme == "*" else [scheme]
            texts = {v.text for v in generate_variants(cyrillic, source_lang=lang, schemes=schemes)}
            total += 1
            passed += expected in texts
    print(f"attested spellings generated: {passed}/{total} = {passed / total:.1%}")


def _speed(rows: list[dict[str, str]]) -> float:
    """Print the time to expand 10,000 two-word names; return its CPU seconds."""
    pairs = itertools.pairwise(rows[:10_001])
    names = [f"{a['ru'].title()} {b['ru'].title()}" for a, b in pairs]
    translit._lower_forms.cache_clear()
    translit._word_options.cache_clear()
    wall, cpu = time.perf_counter(), time.process_time()
    count = sum(len(generate_variants(name)) for name in names)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(
        f"expanded {len(names)} two-word names (cold caches): {cpu:.2f} s CPU, {wall:.2f} s wall, "
        f"{count / len(names):.1f} variants per name"
    )
    return cpu


def main() -> int:
    rows = _rows()
    _attested_pass_rate()
    cpu = _speed(rows)
    recall = _recall_table(rows)
    ok = recall >= RECALL_FLOOR and cpu < SPEED_FLOOR_S
    print(
        f"floors: recall {recall:.1%} (>= {RECALL_FLOOR:.0%}), 10k names {cpu:.2f} s CPU (< {SPEED_FLOOR_S:.0f} s): "
        + ("held" if ok else "FAILED")
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
