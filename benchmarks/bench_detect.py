"""Language identification: plain seeded langdetect vs transnorm's LanguageDetector, side by side.

Data: ``../shared/data/langid/ntrex128_lid_sample.tsv`` (12,900 NTREX-128 sentences, 129 language
variants). Accuracy is measured on the languages langdetect has a profile for (gold codes mapped
to ISO 639-1 below); ``zh-cn``/``zh-tw`` both count as ``zh``. Also printed: the languages only
LanguageDetector's script rules can name; how often each detector gives a (wrong) label to a
language neither can name; the precision of some labels; sentences per second (CPU time, as the
machine is shared); and accuracy on the full NTREX-128 documents of ``../shared/data/ntrex128``
(123 documents x 9 languages).

Backends: the same LanguageDetector with ``backend="langdetect"`` (pure Python) and
``backend="langdetect_rs"`` (Rust port), side by side in the same run: sentences/s and
documents/s (CPU time), the speed-up, and whether every Detection (label and confidence, compared
exactly) is the same. ``--backends-only`` runs just that part.

Run: ``.venv/bin/python benchmarks/bench_detect.py [--no-docs] [--limit-per-lang N] [--backends-only]``
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import os
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

from transnorm.detect import UNDETERMINED, DetectorConfig, LanguageDetector

SHARED_DATA = Path(
    os.environ.get("TRANSNORM_SHARED_DATA") or Path(__file__).resolve().parents[1].parent / "shared" / "data"
)
DATA = SHARED_DATA / "langid" / "ntrex128_lid_sample.tsv"
NTREX = SHARED_DATA / "ntrex128"

# NTREX gold code (before any "-Script"/"-REGION"/"#ref" suffix) -> ISO 639-1, for the languages
# langdetect has a profile for. Dari (prs) is Persian (fa) in ISO 639-1; Nynorsk has its own code
# (nn), which langdetect's single Norwegian profile ("no") cannot give, so it is left out.
LANGDETECT_GOLD = {
    "afr": "af",
    "arb": "ar",
    "ben": "bn",
    "bul": "bg",
    "cat": "ca",
    "ces": "cs",
    "cym": "cy",
    "dan": "da",
    "deu": "de",
    "ell": "el",
    "eng": "en",
    "est": "et",
    "fas": "fa",
    "prs": "fa",
    "fil": "tl",
    "fin": "fi",
    "fra": "fr",
    "guj": "gu",
    "heb": "he",
    "hin": "hi",
    "hrv": "hr",
    "hun": "hu",
    "ind": "id",
    "ita": "it",
    "jpn": "ja",
    "kan": "kn",
    "kor": "ko",
    "lav": "lv",
    "lit": "lt",
    "mal": "ml",
    "mar": "mr",
    "mkd": "mk",
    "nep": "ne",
    "nld": "nl",
    "nob": "no",
    "pan": "pa",
    "pol": "pl",
    "por": "pt",
    "ron": "ro",
    "rus": "ru",
    "slk": "sk",
    "slv": "sl",
    "som": "so",
    "spa": "es",
    "sqi": "sq",
    "swa": "sw",
    "swe": "sv",
    "tam": "ta",
    "tel": "te",
    "tha": "th",
    "tur": "tr",
    "ukr": "uk",
    "urd": "ur",
    "vie": "vi",
    "zho": "zh",
}
# Languages that only LanguageDetector's rules can name (no langdetect profile).
RULE_GOLD = {
    "bel": "be",
    "div": "dv",
    "hye": "hy",
    "kat": "ka",
    "khm": "km",
    "lao": "lo",
    "mya": "my",
    "sin": "si",
    "srp-Cyrl": "sr",
    "yue": "zh",
}


# Labels whose precision is printed: where letters and scripts decide, or langdetect confuses.
PRECISION_LABELS = ("ru", "uk", "bg", "mk", "zh", "ja", "ko", "ar", "fa", "ur", "tr", "id", "sw")


def gold_of(code: str) -> tuple[str, str] | None:
    """(group, ISO gold) of an NTREX code, or None for a language neither detector can name."""
    code = code.split("#", 1)[0]
    if code in RULE_GOLD:
        return "rule", RULE_GOLD[code]
    base = code.split("-", 1)[0]
    if base in LANGDETECT_GOLD and code not in ("srp-Latn",):
        return "langdetect", LANGDETECT_GOLD[base]
    return None


def ntrex_documents() -> tuple[list[str], list[str]]:
    """(gold ISO, text) of every NTREX-128 document in the 9 languages shipped in full."""
    doc_ids = NTREX.joinpath("DOCUMENT_IDS.tsv").read_text(encoding="utf-8").split()
    gold, texts = [], []
    for path in sorted(NTREX.glob("newstest2019-*.txt")):
        code = path.stem.split(".", 1)[1]
        lines = path.read_text(encoding="utf-8").splitlines()
        docs: dict[str, list[str]] = defaultdict(list)
        for doc_id, line in zip(doc_ids, lines, strict=True):
            docs[doc_id].append(line)
        for lines_of_doc in docs.values():
            gold.append(LANGDETECT_GOLD[code.split("-", 1)[0]])
            texts.append("\n".join(lines_of_doc))
    return gold, texts


def plain_langdetect() -> Callable[[str], str]:
    """langdetect as most code calls it: the global factory with ``DetectorFactory.seed = 0``."""
    import langdetect
    from langdetect.lang_detect_exception import LangDetectException

    langdetect.DetectorFactory.seed = 0

    def detect(text: str) -> str:
        try:
            lang = langdetect.detect(text)
        except LangDetectException:
            return UNDETERMINED
        return {"zh-cn": "zh", "zh-tw": "zh"}.get(lang, lang)

    return detect


def run(detect: Callable[[str], str], texts: list[str]) -> tuple[list[str], float]:
    """Labels and CPU seconds (process time: the machine is shared, wall time is noisy)."""
    detect(texts[0])  # load profiles outside the timing
    start = time.process_time()
    labels = [detect(t) for t in texts]
    return labels, time.process_time() - start


def accuracy_table(gold: list[str], systems: dict[str, list[str]]) -> list[tuple[str, int, list[float]]]:
    per: dict[str, list[int]] = defaultdict(list)
    for i, g in enumerate(gold):
        per[g].append(i)
    rows = []
    for lang in sorted(per):
        idx = per[lang]
        rows.append(
            (lang, len(idx), [sum(labels[i] == lang for i in idx) / len(idx) for labels in systems.values()])
        )
    return rows


def overall(gold: list[str], labels: list[str]) -> float:
    return sum(g == p for g, p in zip(gold, labels, strict=True)) / len(gold)


def report(title: str, gold: list[str], systems: dict[str, list[str]], per_lang: bool) -> None:
    names = list(systems)
    print(f"\n== {title}: {len(gold)} texts, {len(set(gold))} languages")
    if per_lang:
        print(f"{'lang':6}{'n':>5}" + "".join(f"{n:>14}" for n in names))
        for lang, n, accs in accuracy_table(gold, systems):
            print(f"{lang:6}{n:5d}" + "".join(f"{a:14.1%}" for a in accs))
    print(f"{'overall':11}" + "".join(f"{overall(gold, systems[n]):14.2%}" for n in names))


def compare_backends(kinds: dict[str, list[str]]) -> None:
    """Throughput of each backend on each kind of text, and whether their Detections are identical."""
    backends = [b for b in ("langdetect", "langdetect_rs") if importlib.util.find_spec(b)]
    if len(backends) < 2:
        print(f"\n== backends: only {backends} installed; need langdetect and langdetect_rs to compare")
        return
    print("\n== backends of LanguageDetector (same texts, same run; CPU time)")
    print(
        f"{'texts':11}{'n':>6}{'mean chars':>11}"
        + "".join(f"{b + '/s':>16}" for b in backends)
        + "  speed-up  identical"
    )
    for kind, texts in kinds.items():
        if not texts:
            continue
        results, rates = {}, {}
        for backend in backends:
            detector = LanguageDetector(DetectorConfig(backend=backend))
            detector.detect_many(texts[:20])  # build the factories outside the timing
            start = time.process_time()
            results[backend] = detector.detect_many(texts)
            rates[backend] = len(texts) / (time.process_time() - start)
        same = sum(a == b for a, b in zip(*results.values(), strict=True))
        print(
            f"{kind:11}{len(texts):6d}{sum(map(len, texts)) // len(texts):11d}"
            + "".join(f"{rates[b]:16.0f}" for b in backends)
            + f"{rates['langdetect_rs'] / rates['langdetect']:9.1f}x  {same}/{len(texts)}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-docs", action="store_true", help="skip the document-level run")
    parser.add_argument("--limit-per-lang", type=int, default=0, help="use at most N sentences per variant")
    parser.add_argument(
        "--backends-only", action="store_true", help="only compare langdetect and langdetect_rs"
    )
    args = parser.parse_args(argv)
    if not DATA.exists():
        print(f"missing {DATA}: the shared data folder must sit next to the repository")
        return 1

    with DATA.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    if args.limit_per_lang:
        seen: Counter[str] = Counter()
        rows = [
            r for r in rows if (seen.update([r["lang_code"]]) or seen[r["lang_code"]]) <= args.limit_per_lang
        ]

    if args.backends_only:
        docs = [] if args.no_docs else ntrex_documents()[1]
        compare_backends({"sentences": [r["text"] for r in rows], "documents": docs})
        return 0

    ours = LanguageDetector()
    systems: dict[str, Callable[[str], str]] = {
        "langdetect": plain_langdetect(),
        "transnorm": lambda t: ours.detect(t).lang,
    }
    groups: dict[str, list[tuple[str, str]]] = defaultdict(list)  # group -> [(gold, text)]
    for r in rows:
        g = gold_of(r["lang_code"])
        groups[g[0] if g else "none"].append((g[1] if g else UNDETERMINED, r["text"]))

    main_texts = [t for _, t in groups["langdetect"]]
    main_gold = [g for g, _ in groups["langdetect"]]
    labels, speeds = {}, {}
    for name, fn in systems.items():
        labels[name], secs = run(fn, main_texts)
        speeds[name] = len(main_texts) / secs
    report("sentences, languages langdetect supports", main_gold, labels, per_lang=True)
    print(
        f"{'sent/s cpu':11}"
        + "".join(f"{speeds[n]:14.0f}" for n in systems)
        + f"   (speed-up {speeds['transnorm'] / speeds['langdetect']:.2f}x)"
    )

    rule = groups["rule"]
    rule_labels = {name: run(fn, [t for _, t in rule])[0] for name, fn in systems.items()}
    report("sentences, languages only the script/letter rules name", [g for g, _ in rule], rule_labels, True)

    none = [t for _, t in groups["none"]]
    none_labels = {name: run(fn, none)[0] for name, fn in systems.items()}
    print(f"\n== {len(none)} sentences in languages neither can name: share given a language label (wrong)")
    for name in systems:
        print(f"{name:11}{sum(x != UNDETERMINED for x in none_labels[name]) / len(none):14.1%}")

    # Precision over all sentences: how often a label is right when given.
    gold_all = main_gold + [g for g, _ in rule] + ["?"] * len(none)
    print("\n== precision of a label over all sentences (languages where rules matter)")
    print(f"{'label':11}" + "".join(f"{n:>14}" for n in systems))
    for lang in PRECISION_LABELS:
        cells = []
        for name in systems:
            given = labels[name] + rule_labels[name] + none_labels[name]
            hits = [g == lang for g, x in zip(gold_all, given, strict=True) if x == lang]
            cells.append(f"{sum(hits) / len(hits):9.1%} ({len(hits):4d})" if hits else f"{'-':>14}")
        print(f"{lang:11}" + "".join(f"{c:>14}" for c in cells))

    if not args.no_docs:
        doc_gold, doc_texts = ntrex_documents()
        if doc_texts:
            doc_labels = {name: run(fn, doc_texts)[0] for name, fn in systems.items()}
            title = f"documents (full NTREX-128 documents, mean {sum(map(len, doc_texts)) // len(doc_texts)} chars)"
            report(title, doc_gold, doc_labels, per_lang=True)
    docs = [] if args.no_docs else ntrex_documents()[1]
    compare_backends({"sentences": [r["text"] for r in rows], "documents": docs})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
