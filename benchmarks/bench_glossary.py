"""Glossary matching: build time, cached load time and throughput, bundled vs a 100k-entity synthetic
glossary; and precision/recall of rewriting on the NTREX German, French and Polish references.

    .venv/bin/python benchmarks/bench_glossary.py [--entities 100000] [--repeat 4]

Throughput is measured on NTREX text (English source, German/Polish/Russian references) repeated
`--repeat` times, one segment (line) at a time through find + resolve + rewrite, as the stage runs.
Rewriting quality: each reference line is normalised to the English canonical spellings (with the
reference language's case endings); for every glossary entity that the English source line mentions,
recall counts lines whose normalised reference then contains the English source's spelling of the
surname; precision counts rewrites whose entity the English source line mentions.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from _data import data_file, ntrex_dir  # noqa: E402
from _names import SYLLABLES as _SYLLABLES  # noqa: E402
from transnorm.normalise.matcher import SURNAME, load_matcher, split_name  # noqa: E402
from transnorm.normalise.stage import normalise_text, rewrite  # noqa: E402

FILES = {
    "en": "newstest2019-src.eng.txt",
    "de": "newstest2019-ref.deu.txt",
    "fr": "newstest2019-ref.fra.txt",
    "pl": "newstest2019-ref.pol.txt",
    "ru": "newstest2019-ref.rus.txt",
}

_CYR = [
    "ка",
    "ло",
    "ми",
    "не",
    "ро",
    "са",
    "ти",
    "ва",
    "де",
    "бо",
    "гу",
    "ри",
    "ан",
    "ел",
    "ор",
    "ус",
    "ин",
    "ек",
]


def _lines(lang: str) -> list[str]:
    return data_file(f"ntrex128/{FILES[lang]}").read_text(encoding="utf-8").splitlines()


def _synthetic_yaml(n: int, path: Path, seed: int = 7) -> list[str]:
    """A glossary of `n` invented people (10% with a Russian native form); returns some of their names."""
    rng = random.Random(seed)
    names = []
    with path.open("w", encoding="utf-8") as fh:
        fh.write('version: "2026.1.1"\ndescription: synthetic benchmark glossary\nentries:\n')
        for i in range(n):
            given = "".join(rng.choice(_SYLLABLES) for _ in range(2)).capitalize()
            surname = "".join(rng.choice(_SYLLABLES) for _ in range(3)).capitalize() + f"{i:x}".translate(
                str.maketrans("0123456789abcdef", "abdegiklmnoprstu")
            )
            full = f"{given} {surname}"
            names.append(full)
            fh.write(f"  - id: p{i}\n    type: person\n    gender: m\n    canonical: {{en: {full}}}\n")
            fh.write(f"    variants: [{given} {surname}ov]\n    surname_unambiguous: false\n")
            if i % 10 == 0:
                unique = f"{i:x}".translate(str.maketrans("0123456789abcdef", "бвгдзклмнпрстфхш"))
                native = (
                    "".join(rng.choice(_CYR) for _ in range(2)).capitalize()
                    + " "
                    + "".join(rng.choice(_CYR) for _ in range(2)).capitalize()
                    + unique
                    + "ов"
                )
                fh.write(f"    native: {{ru: {native}}}\n")
    return names


def _throughput(matcher, lines: list[str], lang: str, repeat: int) -> float:
    for line in lines[:50]:  # warm-up: builds the fold table and the first caches outside the timing
        matcher.find(line)
    data = lines * repeat
    size = sum(len(s.encode()) + 1 for s in data)
    start = time.perf_counter()
    for line in data:
        chosen = matcher.resolve([matcher.find(line)])[0]
        rewrite(matcher, line, chosen, lang, 0)
    return size / (time.perf_counter() - start) / 1e6


def _build(specs: list[str], lang: str, cache_dir: Path) -> tuple[float, float, object]:
    t = time.perf_counter()
    load_matcher(specs, lang, cache_dir=cache_dir)
    cold = time.perf_counter() - t
    t = time.perf_counter()
    matcher = load_matcher(specs, lang, cache_dir=cache_dir)
    warm = time.perf_counter() - t
    return cold, warm, matcher


def bench_speed(entities: int, repeat: int) -> None:
    print("== build and throughput ==")
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "cache"
        cold, warm, bundled = _build(["bundled"], "en", cache)
        print(
            f"bundled: {len(bundled.entries)} entities, {bundled.patterns} patterns; "
            f"compile {cold:.2f} s, cached load {warm:.3f} s"
        )
        synth_path = Path(tmp) / "synthetic.yaml"
        t = time.perf_counter()
        names = _synthetic_yaml(entities, synth_path)
        print(f"synthetic: wrote {entities} entities in {time.perf_counter() - t:.1f} s")
        s_cold, s_warm, synth = _build([str(synth_path)], "en", cache)
        print(
            f"synthetic: {len(synth.entries)} entities, {synth.patterns} patterns; "
            f"compile {s_cold:.2f} s, cached load {s_warm:.3f} s (target <= 5 s)"
        )
        en = _lines("en")
        rng = random.Random(1)
        sprinkled = [f"{line} {rng.choice(names)} said." if i % 5 == 0 else line for i, line in enumerate(en)]
        for lang in ("en", "de", "pl", "ru"):
            lines = _lines(lang)
            m = bundled if lang == "en" else load_matcher(["bundled"], lang, cache_dir=cache)
            print(f"bundled   {lang}: {_throughput(m, lines, lang, repeat):6.1f} MB/s")
        print(f"synthetic en: {_throughput(synth, en, 'en', repeat):6.1f} MB/s (plain NTREX)")
        print(
            f"synthetic en: {_throughput(synth, sprinkled, 'en', repeat):6.1f} MB/s (a synthetic name in 1 of 5 lines)"
        )
        from transnorm.normalise.fold import boundary_text, fold_text

        folded = " " + boundary_text(fold_text("\n".join(en * repeat)))
        t = time.perf_counter()
        for _ in bundled.automaton.iter(folded):
            pass
        floor = len(folded.encode()) / (time.perf_counter() - t) / 1e6
        print(f"reference: bare pyahocorasick iteration over the same folded en text {floor:6.1f} MB/s")
        whole = "\n".join(en * repeat)
        t = time.perf_counter()
        normalise_text(whole, bundled, "en")
        print(f"bundled   en as one text: {len(whole.encode()) / (time.perf_counter() - t) / 1e6:6.1f} MB/s")


def bench_quality() -> None:
    print("== rewriting NTREX references to the English source's spellings ==")
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "cache"
        en_matcher = load_matcher(["bundled"], "en", cache_dir=cache)
        src = _lines("en")
        src_mentions = []
        for line in src:
            chosen = en_matcher.resolve([en_matcher.find(line)])[0]
            spell = {}
            for m, idx in chosen:
                written = line[m.start : m.stem_end]
                entry = en_matcher.entries[idx]
                if entry.type == "person" and m.kind != SURNAME and m.given_start < 0:
                    written = split_name(written)[1]
                spell[entry.id] = written
            src_mentions.append(spell)
        pairs = sum(len(s) for s in src_mentions)
        print(
            f"English source: {pairs} (line, entity) mentions of {len({k for s in src_mentions for k in s})} entities"
        )
        for lang in ("de", "fr", "pl"):
            matcher = load_matcher(["bundled"], lang, cache_dir=cache)
            ref = _lines(lang)
            hit_before = hit_after = edits_total = edits_ok = 0
            for line, spell in zip(ref, src_mentions, strict=True):
                new, edits = normalise_text(line, matcher, "en")
                edits_total += len(edits)
                edits_ok += sum(e.entity in spell for e in edits)
                for written in spell.values():
                    hit_before += written in line
                    hit_after += written in new
            precision = edits_ok / edits_total if edits_total else float("nan")
            print(
                f"{lang}: recall {hit_after / pairs:.3f} (unnormalised reference {hit_before / pairs:.3f}); "
                f"precision {precision:.3f} over {edits_total} rewrites"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entities", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=4)
    parser.add_argument("--skip-speed", action="store_true")
    args = parser.parse_args()
    ntrex_dir(*FILES)  # every file present, or say which is missing before any work
    if not args.skip_speed:
        bench_speed(args.entities, args.repeat)
    bench_quality()


if __name__ == "__main__":
    main()
