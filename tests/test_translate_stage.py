"""The translate stage with a small deterministic engine: order, batching, splitting, cache, errors, flags.

`WordReverser` is a real engine (it implements the engine interface and the stage's optional hooks:
token counts, an input limit, concurrent batches), whose output is easy to predict, so these tests
check the stage's bookkeeping exactly. Engines on real (tiny) models are in test_translate_engines.py.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

import pytest

from transnorm.config import PipelineConfig
from transnorm.document import Document, Segment
from transnorm.errors import E_ENGINE_FAILED, E_MODEL_UNAVAILABLE, EngineError
from transnorm.translate.base import ModelInfo, TranslationEngine
from transnorm.translate.stage import TranslateStage


class WordReverser(TranslationEngine):
    """Reverses the word order; one token per word plus one for </s>; at most `limit` tokens."""

    name = "reverser"

    def __init__(self, limit: int = 12, fail_on: str | None = None, blank_on: str | None = None) -> None:
        super().__init__()
        self.limit = limit
        self.fail_on = fail_on
        self.blank_on = blank_on
        self.batches: list[list[str]] = []
        self.concurrent_batches = 2
        self._lock = threading.Lock()

    def supports(self, source_lang: str, target_lang: str) -> bool:
        return source_lang == "de" and target_lang == "en"

    def model_info(self, source_lang: str, target_lang: str) -> ModelInfo:
        return ModelInfo(engine=self.name, model="reverse-words", revision="1")

    def count_tokens(self, texts: Sequence[str], source_lang: str, target_lang: str) -> list[int]:
        return [len(t.split()) + 1 for t in texts]

    def max_input_tokens(self, source_lang: str, target_lang: str) -> int:
        return self.limit

    def translate_batch(self, texts: Sequence[str], source_lang: str, target_lang: str) -> list[str]:
        with self._lock:
            self.batches.append(list(texts))
        for t in texts:
            if len(t.split()) + 1 > self.limit:
                raise AssertionError(f"engine got {len(t.split()) + 1} tokens, more than {self.limit}")
            if self.fail_on and self.fail_on in t:
                raise EngineError(f"cannot translate {t!r}")
        return ["" if self.blank_on and self.blank_on in t else " ".join(reversed(t.split())) for t in texts]


def reverse(text: str) -> str:
    return " ".join(reversed(text.split()))


def make_doc(doc_id: str, sentences: list[str], lang: str = "de") -> Document:
    text = " ".join(sentences)
    segments, pos = [], 0
    for i, s in enumerate(sentences):
        segments.append(Segment(index=i, start=pos, end=pos + len(s), source=s))
        pos += len(s) + 1
    return Document(id=doc_id, text=text, lang=lang, segments=segments)


SENTENCES = [
    "Der Minister sagte am Dienstag etwas Wichtiges.",
    "Kurz.",
    "Die Gespräche mit dem Rat gehen nächste Woche in Brüssel weiter.",
    "Der Kremlsprecher wies den Bericht zurück.",
    "Ja.",
    "Tausende Menschen versammelten sich auf dem Platz.",
]


def stage_for(engine: WordReverser, tmp_path: Path, **translate: object) -> TranslateStage:
    opts = {"engine": "reverser", "batch_size": 2, "cache_path": str(tmp_path / "cache.sqlite"), **translate}
    cfg = PipelineConfig().with_overrides(translate=opts)
    return TranslateStage(cfg, engines={"reverser": engine})


def test_order_restored_after_length_sorting(tmp_path: Path) -> None:
    engine = WordReverser()
    docs = [make_doc(f"d{i}", SENTENCES[i:] + SENTENCES[:i]) for i in range(3)]
    out = list(stage_for(engine, tmp_path, max_batch_tokens=24).pipe(docs))
    assert [d.id for d in out] == ["d0", "d1", "d2"]
    for doc in out:
        assert not doc.errors
        assert [s.target for s in doc.segments] == [reverse(s.source) for s in doc.segments]
        assert all(s.engine == "reverser" and s.model == "reverse-words" for s in doc.segments)
    # duplicates across documents were translated once; batches were cut by count and token budget
    sent = [t for b in engine.batches for t in b]
    assert sorted(sent) == sorted(set(SENTENCES))
    for batch in engine.batches:
        sizes = [len(t.split()) + 1 for t in batch]
        assert len(batch) <= 2
        assert len(batch) == 1 or max(sizes) * len(batch) <= 24
    # batches were formed from length-sorted inputs: every batch's lengths are within the sorted order
    all_sizes = sorted(len(t.split()) + 1 for t in sent)
    batch_ranges = sorted((min(s), max(s)) for s in ([len(t.split()) + 1 for t in b] for b in engine.batches))
    assert [r[0] for r in batch_ranges] == sorted(r[0] for r in batch_ranges)
    assert batch_ranges[0][0] == all_sizes[0]


def test_long_segment_is_split_by_tokens_not_truncated(tmp_path: Path) -> None:
    long = (
        "Der Minister sagte am Dienstag, dass die Gespräche mit dem Rat, anders als erwartet, "
        "nächste Woche weitergehen würden; der Sprecher des Kreml wies den Bericht zurück, "
        "und die Opposition verlangte eine Erklärung vor dem Parlament noch in dieser Woche."
    )
    engine = WordReverser(limit=8)
    stage = stage_for(engine, tmp_path)
    doc = stage(make_doc("long", [long]))
    assert not doc.errors
    pieces = [t for b in engine.batches for t in b]
    assert len(pieces) > 3
    assert all(len(p.split()) + 1 <= 8 for p in pieces)
    # every word arrives in the output: nothing cut off
    assert sorted(doc.segments[0].target.split()) == sorted(long.split())
    assert stage.stats["pieces_split_by_tokens"] == len(pieces)


def test_rerun_hits_the_cache_and_calls_the_engine_no_more(tmp_path: Path) -> None:
    first_engine = WordReverser()
    first = stage_for(first_engine, tmp_path)
    docs1 = list(first.pipe([make_doc("a", SENTENCES), make_doc("b", SENTENCES[:2])]))
    first.close()
    assert first_engine.batches
    assert first.stats["cache_misses"] == len(SENTENCES)
    assert first.stats["cache_hits"] == 0

    second_engine = WordReverser()
    second = stage_for(second_engine, tmp_path)
    docs2 = list(second.pipe([make_doc("a", SENTENCES), make_doc("b", SENTENCES[:2])]))
    assert second_engine.batches == []
    assert second.stats["cache_hits"] == len(SENTENCES)
    assert second.stats["cache_misses"] == 0
    assert second.stats["engine_calls"] == 0
    assert [[s.target for s in d.segments] for d in docs2] == [[s.target for s in d.segments] for d in docs1]

    uncached_engine = WordReverser()
    list(stage_for(uncached_engine, tmp_path, cache=False).pipe([make_doc("a", SENTENCES)]))
    assert len([t for b in uncached_engine.batches for t in b]) == len(SENTENCES)


def test_a_failing_batch_fails_only_its_documents(tmp_path: Path) -> None:
    engine = WordReverser(fail_on="Kurz")
    docs = [make_doc("bad", ["Kurz."]), make_doc("good", ["Der Minister sagte am Dienstag etwas."])]
    out = list(stage_for(engine, tmp_path, batch_size=1).pipe(docs))
    bad, good = out
    assert [e.code for e in bad.errors] == [E_ENGINE_FAILED]
    assert "Kurz" in bad.errors[0].message
    assert not bad.stopped and bad.failed  # the document goes on, with its error recorded
    assert not good.errors
    assert good.segments[0].target == "etwas. Dienstag am sagte Minister Der"


def test_quality_flags_are_recorded_and_counted(tmp_path: Path) -> None:
    engine = WordReverser(blank_on="Kremlsprecher")
    stage = stage_for(engine, tmp_path)
    doc = stage(make_doc("d", SENTENCES))
    flagged = {s.source: s.flags for s in doc.segments if s.flags}
    assert flagged == {"Der Kremlsprecher wies den Bericht zurück.": ["empty_output"]}
    assert stage.stats["flag_empty_output"] == 1


class Unavailable(WordReverser):
    def supports(self, source_lang: str, target_lang: str) -> bool:
        return False

    def why_unsupported(self, source_lang: str, target_lang: str) -> str:
        return f"model 'x/opus-mt-{source_lang}-{target_lang}' is not on this machine"


def test_missing_model_error_names_the_model(tmp_path: Path) -> None:
    cfg = PipelineConfig().with_overrides(translate={"engine": "reverser", "cache": False})
    stage = TranslateStage(cfg, engines={"reverser": Unavailable()})
    doc = stage(make_doc("d", ["Hallo Welt, wie geht es?"]))
    assert [e.code for e in doc.errors] == [E_MODEL_UNAVAILABLE]
    assert "x/opus-mt-de-en" in doc.errors[0].message


class MissingModel(WordReverser):
    """Covers the pair but fails every batch with E303, as an engine whose model is absent does."""

    def translate_batch(self, texts: Sequence[str], source_lang: str, target_lang: str) -> list[str]:
        raise EngineError("model 'x/opus-mt-de-en' is not on this machine", code=E_MODEL_UNAVAILABLE)


def test_a_missing_model_is_reported_once_per_document(tmp_path: Path) -> None:
    cfg = PipelineConfig().with_overrides(translate={"engine": "reverser", "cache": False, "batch_size": 2})
    stage = TranslateStage(cfg, engines={"reverser": MissingModel()})
    sentences = [f"Satz Nummer {i} ist hier." for i in range(9)]
    docs = list(stage.pipe([make_doc("a", sentences), make_doc("b", sentences[:1])]))
    (error,) = docs[0].errors
    assert error.code == E_MODEL_UNAVAILABLE and error.segment == 0
    assert error.message.endswith("(segments 0, 1, 2, 3, 4, 5, 6, 7, 8)")
    (single,) = docs[1].errors
    assert single.message == "model 'x/opus-mt-de-en' is not on this machine"


def test_invalid_token_budget_is_a_config_error() -> None:
    from transnorm.errors import ConfigError

    with pytest.raises(ConfigError, match="max_batch_tokens"):  # when the config is built
        PipelineConfig().with_overrides(translate={"max_batch_tokens": 0})
