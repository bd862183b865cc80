"""Language identification of headlines and short sentences: plain langdetect vs LanguageDetector.

Sets (NTREX-128, the 9 languages shipped in full in ``ntrex128/``):

- **headlines**: the first line of every document (123 documents x 9 languages);
- **short sentences**: every other line of at most 60 characters, detected alone;
- **short, as segments**: the same sentences labelled as the pipeline's segment stage does with
  the default config: their document's detected language as prior (``detect.segment_prior``) and
  as fallback below ``detect.min_confidence``; sentences under ``detect.segment_min_letters``
  letters inherit it.

Lines that are identical in two or more languages at the same position ("Elite League: Dundee
Stars 5-3 Belfast Giants", a French quote left untranslated in every language) have no language of
their own; their count and the accuracy without them are printed too.

Also printed: the weak pairs (sr/mk, ca/es, cs/sk, no/da) on the 100-sentence-per-language
langid sample, all sentences and those of at most 60 characters: accuracy per language and the
share given the partner's label; and sentences per second (CPU time) of each detector on the
short sentences. Columns: ``langdetect`` = plain seeded langdetect (global factory);
``no-mask`` = LanguageDetector with ``mask_names=False, function_words=False`` (script rules and
narrowed langdetect only); ``no-words`` = LanguageDetector with ``function_words=False`` (names
masked: before the function-word evidence); ``transnorm`` = LanguageDetector with its defaults
(names masked and function words). No fallback is applied (``fallback=None``): the raw detection
is scored.

Run: ``.venv/bin/python benchmarks/bench_detect_short.py`` (data found by ``benchmarks/_data.py``).
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _data import data_file, ntrex_dir
from bench_detect import LANGDETECT_GOLD, plain_langdetect
from transnorm.config import DetectOptions
from transnorm.detect import DetectorConfig, LanguageDetector

ROOT = Path(__file__).resolve().parents[1]
SHORT_CHARS = 60
WEAK_PAIRS = (("sr", "mk"), ("ca", "es"), ("cs", "sk"), ("no", "da"))
# langid-sample codes of the weak pairs' languages (Serbian in Cyrillic: the Latin one has no label).
PAIR_CODES = {
    "srp-Cyrl": "sr",
    "mkd": "mk",
    "cat": "ca",
    "spa": "es",
    "ces": "cs",
    "slk": "sk",
    "nob": "no",
    "dan": "da",
}


def ntrex_lines(
    folder: Path,
) -> tuple[list[tuple[str, str, str]], list[tuple[str, str, str]], set[tuple[int, str]]]:
    """(gold, text, document text) of headlines and of short lines; and the shared (index, text) pairs."""
    doc_ids = (folder / "DOCUMENT_IDS.tsv").read_text(encoding="utf-8").split()
    by_lang: dict[str, list[str]] = {}
    for path in sorted(folder.glob("newstest2019-*.txt")):
        code = path.stem.split(".", 1)[1].split("-", 1)[0]
        by_lang[LANGDETECT_GOLD[code]] = path.read_text(encoding="utf-8").splitlines()
    seen: dict[tuple[int, str], int] = defaultdict(int)
    for lines in by_lang.values():
        for i, line in enumerate(lines):
            seen[(i, line)] += 1
    shared = {key for key, n in seen.items() if n > 1}
    heads, shorts = [], []
    for gold, lines in by_lang.items():
        docs: dict[str, list[str]] = defaultdict(list)
        for doc_id, line in zip(doc_ids, lines, strict=True):
            docs[doc_id].append(line)
        previous = None
        for i, (doc_id, line) in enumerate(zip(doc_ids, lines, strict=True)):
            document = "\n".join(docs[doc_id])
            if doc_id != previous:
                heads.append((gold, line, document, (i, line) in shared))
            elif len(line) <= SHORT_CHARS:
                shorts.append((gold, line, document, (i, line) in shared))
            previous = doc_id
    return heads, shorts, shared


def timed(detect: Callable[[str], str], texts: list[str]) -> tuple[list[str], float]:
    """Labels and texts per CPU second (the machine is shared; wall time is noisy)."""
    detect(texts[0])  # build profiles outside the timing
    start = time.process_time()
    labels = [detect(t) for t in texts]
    return labels, len(texts) / max(time.process_time() - start, 1e-9)


def accuracy(gold: list[str], labels: list[str], keep: list[bool] | None = None) -> float:
    pairs = [(g, x) for i, (g, x) in enumerate(zip(gold, labels, strict=True)) if keep is None or keep[i]]
    return sum(g == x for g, x in pairs) / len(pairs)


def report(title: str, rows: list[tuple], systems: dict[str, list[str]]) -> None:
    gold = [r[0] for r in rows]
    own = [not r[3] for r in rows]
    print(f"\n== {title}: {len(rows)} texts ({len(rows) - sum(own)} shared by several languages)")
    print(f"{'lang':10}{'n':>5}" + "".join(f"{n:>12}" for n in systems))
    for lang in sorted(set(gold)):
        idx = [i for i, g in enumerate(gold) if g == lang]
        cells = [sum(labels[i] == lang for i in idx) / len(idx) for labels in systems.values()]
        print(f"{lang:10}{len(idx):5d}" + "".join(f"{c:12.1%}" for c in cells))
    print(f"{'overall':15}" + "".join(f"{accuracy(gold, x):12.2%}" for x in systems.values()))
    print(f"{'own lines':15}" + "".join(f"{accuracy(gold, x, own):12.2%}" for x in systems.values()))


def weak_pairs(path: Path, systems: dict[str, Callable[[str], str]]) -> None:
    with path.open(encoding="utf-8", newline="") as f:
        rows = [
            r
            for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
            if r["lang_code"] in PAIR_CODES
        ]
    for label, limit in (("all sentences", 10**9), (f"sentences <= {SHORT_CHARS} chars", SHORT_CHARS)):
        print(f"\n== weak pairs, langid sample, {label}: accuracy (share labelled as the partner)")
        print(f"{'lang':10}{'n':>5}" + "".join(f"{n:>20}" for n in systems))
        for pair in WEAK_PAIRS:
            for lang, partner in (pair, pair[::-1]):
                texts = [
                    r["text"] for r in rows if PAIR_CODES[r["lang_code"]] == lang and len(r["text"]) <= limit
                ]
                if not texts:
                    print(f"{lang:10}{0:5d}")
                    continue
                cells = []
                for detect in systems.values():
                    labels = [detect(t) for t in texts]
                    right = sum(x == lang for x in labels) / len(texts)
                    wrong = sum(x == partner for x in labels) / len(texts)
                    cells.append(f"{right:.1%} ({wrong:.1%})")
                print(f"{lang + '/' + partner:10}{len(texts):5d}" + "".join(f"{c:>20}" for c in cells))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args(argv)
    ntrex, langid = ntrex_dir(), data_file("langid/ntrex128_lid_sample.tsv")  # exit 2 naming what is missing
    heads, shorts, _ = ntrex_lines(ntrex)
    plain = plain_langdetect()
    no_mask = LanguageDetector(DetectorConfig(mask_names=False, function_words=False))
    no_words = LanguageDetector(DetectorConfig(function_words=False))
    ours = LanguageDetector(DetectorConfig())
    detectors: dict[str, Callable[[str], str]] = {
        "langdetect": plain,
        "no-mask": lambda t: no_mask.detect(t).lang,
        "no-words": lambda t: no_words.detect(t).lang,
        "transnorm": lambda t: ours.detect(t).lang,
    }
    speeds: dict[str, float] = {}
    for title, rows in (("headlines", heads), (f"short sentences (<= {SHORT_CHARS} chars)", shorts)):
        labels = {}
        for name, detect in detectors.items():
            labels[name], rate = timed(detect, [r[1] for r in rows])
            if rows is shorts:
                speeds[name] = rate
        report(title, rows, labels)

    defaults = DetectOptions()

    def as_segment(segments: LanguageDetector, doc_lang: dict[str, str], row: tuple) -> str:
        """What SegmentStage labels a sentence with, under the default config."""
        lang = doc_lang[row[2]]
        if sum(ch.isalpha() for ch in row[1]) < defaults.segment_min_letters:
            return lang  # too short to detect alone: inherits the document's language
        return segments.detect(row[1], priors={lang: defaults.segment_prior}, fallback=lang).lang

    labels = {"langdetect": [plain(r[1]) for r in shorts]}
    for name, words in (("no-words", False), ("transnorm", True)):
        config = DetectorConfig(min_confidence=defaults.min_confidence, function_words=words)
        segments = LanguageDetector(config)
        doc_lang = {doc: segments.detect(doc).lang for doc in {r[2] for r in shorts}}
        labels[name] = [as_segment(segments, doc_lang, r) for r in shorts]
    title = "short sentences as segments (SegmentStage with the default config: document language as prior and fallback)"
    report(title, shorts, labels)

    print("\n== speed on the short sentences, sentences per CPU second")
    for name, rate in speeds.items():
        print(f"{name:12}{rate:10.0f}")
    weak_pairs(langid, detectors)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
