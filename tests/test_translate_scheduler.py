"""The translate stage's scheduler: early first record, bounded window, busy threads, tokenise once.

The engine here is a real engine (the interface and the stage's hooks) whose batches take a fixed
time, so the order of events is visible: which batches had started when the first document came out,
how many documents were held at once, what order the batches of the last bucket ran in.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from transnorm.config import PipelineConfig
from transnorm.document import Document, Segment
from transnorm.errors import E_MODEL_UNAVAILABLE
from transnorm.translate.base import ModelInfo, TranslationEngine
from transnorm.translate.stage import TranslateStage


class SlowReverser(TranslationEngine):
    """Reverses words; each batch takes `seconds`; two batches at once; one token per word."""

    name = "slow"

    def __init__(self, seconds: float = 0.02) -> None:
        super().__init__()
        self.seconds = seconds
        self.concurrent_batches = 2
        self.started: list[list[str]] = []
        self._lock = threading.Lock()

    def supports(self, source_lang: str, target_lang: str) -> bool:
        return source_lang != target_lang

    def model_info(self, source_lang: str, target_lang: str) -> ModelInfo:
        return ModelInfo(engine=self.name, model="reverse", revision="1")

    def count_tokens(self, texts: Sequence[str], source_lang: str, target_lang: str) -> list[int]:
        return [len(t.split()) + 1 for t in texts]

    def translate_batch(self, texts: Sequence[str], source_lang: str, target_lang: str) -> list[str]:
        with self._lock:
            self.started.append(list(texts))
        time.sleep(self.seconds)
        return [" ".join(reversed(t.split())) for t in texts]


def _doc(i: int, n: int = 4) -> Document:
    return _document(i, [f"Satz {k} von Dokument {i} mit {'vielen ' * (k % 5)}Wörtern." for k in range(n)])


def _document(i: int, sentences: list[str]) -> Document:
    """Document `d{i}`: the sentences joined by spaces, already segmented."""
    text, segments, pos = " ".join(sentences), [], 0
    for k, s in enumerate(sentences):
        segments.append(Segment(index=k, start=pos, end=pos + len(s), source=s))
        pos += len(s) + 1
    return Document(id=f"d{i}", text=text, lang="de", segments=segments)


def _stage(engine: TranslationEngine, **translate: object) -> TranslateStage:
    opts = {"engine": engine.name, "cache": False, "batch_size": 8, **translate}
    return TranslateStage(PipelineConfig().with_overrides(translate=opts), engines={engine.name: engine})


def test_first_document_comes_out_after_a_few_batches_not_after_the_run() -> None:
    engine = SlowReverser(seconds=0.03)
    stage = _stage(engine, batch_wait_ms=0, window_docs=64)
    out = stage.pipe(_doc(i) for i in range(60))
    first = next(out)
    started_at_first = len(engine.started)
    rest = list(out)
    assert first.id == "d0" and [d.id for d in rest] == [f"d{i}" for i in range(1, 60)]
    # the first document's segments went together in the first batch (of a bigger bucket)
    assert {s.source for s in first.segments} <= set(engine.started[0])
    total = len(engine.started)
    assert total >= 20  # 240 segments in batches of at most 8 (the first ones partial)
    assert started_at_first <= 4 < total
    assert stage.stats["first_document_ms"] < 1000 * 0.03 * total / 2


def test_an_engine_called_in_the_stage_thread_hands_documents_on_between_buckets() -> None:
    from transnorm.testing import UppercaseEngine

    engine = UppercaseEngine()  # `inline`: translated in the scheduler's own thread
    stage = _stage(engine, batch_wait_ms=60_000, batch_size=4, window_docs=200)
    out = stage.pipe(_doc(i, n=4) for i in range(60))
    first = next(out)
    calls_at_first = len(engine.calls)
    rest = list(out)
    assert first.id == "d0" and len(rest) == 59
    assert calls_at_first <= 2 < len(engine.calls) == 60


class TimedReverser(SlowReverser):
    """A `SlowReverser` that also records when each batch started (seconds since creation)."""

    def __init__(self, seconds: float) -> None:
        super().__init__(seconds)
        self.origin = time.perf_counter()
        self.starts: list[float] = []

    def translate_batch(self, texts: Sequence[str], source_lang: str, target_lang: str) -> list[str]:
        self.starts.append(time.perf_counter() - self.origin)
        return super().translate_batch(texts, source_lang, target_lang)


def _varied_doc(i: int, rng: random.Random, n: int = 8) -> Document:
    """A document whose sentences have 1 to 30 words: batches cut in arrival order pad a lot."""
    return _document(
        i, [" ".join(f"w{i}x{k}y{j}" for j in range(rng.randint(1, 30))) + "." for k in range(n)]
    )


def _padding(batches: list[list[str]]) -> float:
    """Padded tokens over real tokens, minus one (tokens as the engine counts them: words + 1)."""
    real = sum(len(t.split()) + 1 for b in batches for t in b)
    padded = sum(len(b) * max(len(t.split()) + 1 for t in b) for b in batches)
    return padded / real - 1


def test_buckets_grow_and_pad_less_than_a_fixed_read_ahead() -> None:
    rng = random.Random(7)
    docs = [_varied_doc(i, rng) for i in range(100)]  # 800 segments
    engine = SlowReverser(seconds=0.002)
    engine.concurrent_batches = 1
    stage = _stage(engine, batch_wait_ms=60_000, batch_size=4, window_docs=400)
    out = list(stage.pipe(docs))
    assert [d.id for d in out] == [d.id for d in docs]
    assert all(s.target == " ".join(reversed(s.source.split())) for d in out for s in d.segments)
    started = engine.started
    # every batch is whole (no latency partials with this wait, no token budget reached)
    assert [len(b) for b in started] == [4] * 200
    # CTranslate2's translate_iterable sorts 16 batches ahead; the buckets here grow past that
    sources = [s.source for d in docs for s in d.segments]
    read_ahead = [
        chunk[j : j + 4]
        for i in range(0, len(sources), 64)
        for chunk in [sorted(sources[i : i + 64], key=lambda t: len(t.split()))]
        for j in range(0, len(chunk), 4)
    ]
    assert _padding(started) < 0.8 * _padding(read_ahead)


def test_documents_come_out_one_after_another_within_a_big_bucket() -> None:
    rng = random.Random(3)
    docs = [_varied_doc(i, rng) for i in range(150)]  # 1,200 segments in 300 batches
    engine = SlowReverser(seconds=0.002)
    engine.concurrent_batches = 1
    # a window of 70 documents: buckets of up to 560 segments are cut while input is still coming
    stage = _stage(engine, batch_wait_ms=60_000, batch_size=4, window_docs=70)
    moments = [len(engine.started) for _ in stage.pipe(docs)]  # batches started when each came out
    # sorted by length alone, a bucket's documents would all come out at its end (17 moments here);
    # oldest batch first, they come out along the way (113), as a progress bar should show
    assert len(set(moments)) >= 60


def test_the_last_bucket_gives_every_engine_thread_as_many_batches() -> None:
    engine = SlowReverser(seconds=0.0)  # two threads
    stage = _stage(engine, batch_wait_ms=60_000, batch_size=8)
    docs = list(stage.pipe([_doc(i, n=7) for i in range(3)]))  # 21 segments, all read before any cut
    assert all(not d.errors for d in docs)
    sizes = sorted(len(b) for b in engine.started)
    # three batches of at most 8 would leave one thread idle for the third: four of at most 6
    assert len(sizes) == 4 and sum(sizes) == 21 and max(sizes) <= 6


def test_a_finished_thread_starts_the_queued_batch_while_the_stage_reads() -> None:
    engine = TimedReverser(seconds=0.05)
    engine.concurrent_batches = 1
    stage = _stage(engine, batch_wait_ms=0, batch_size=4, window_docs=10)

    def slow_source() -> Iterator[Document]:
        for i in range(3):
            yield _doc(i)
            if i == 1:
                time.sleep(0.5)  # the stage's thread is busy elsewhere (reading, detecting)

    docs = list(stage.pipe(slow_source()))
    assert [d.id for d in docs] == ["d0", "d1", "d2"]
    # the second batch was submitted behind the first, so it started when the first ended, not
    # after the stage came back from reading
    assert engine.starts[1] - engine.starts[0] < 0.3


def test_a_short_last_batch_left_by_the_token_budget_waits_for_the_next_bucket_once() -> None:
    engine = SlowReverser(seconds=0.002)
    engine.concurrent_batches = 1
    # 12 tokens a segment at most, budget 36: three to a batch although the batch size is 4
    stage = _stage(engine, batch_wait_ms=60_000, batch_size=4, max_batch_tokens=36, window_docs=400)
    docs = [_doc(i, n=4) for i in range(100)]  # 400 segments
    out = list(stage.pipe(docs))
    assert [d.id for d in out] == [d.id for d in docs] and all(not d.errors for d in out)
    sizes = [len(b) for b in engine.started]
    assert sum(sizes) == 400
    # without holding back, each of the 7 buckets (1, 2, 4 ... 64 batches) would end in a short batch
    assert sizes.count(1) + sizes.count(2) <= 2


def test_documents_held_at_once_never_exceed_the_window() -> None:
    engine = SlowReverser(seconds=0.005)
    stage = _stage(engine, window_docs=5, batch_wait_ms=0)
    pulled = [0]
    held: list[int] = []

    def source() -> Iterator[Document]:
        for i in range(40):
            pulled[0] += 1
            yield _doc(i)

    emitted = 0
    for doc in stage.pipe(source()):
        emitted += 1
        held.append(pulled[0] - emitted + 1)
        assert doc.segments[0].target == " ".join(reversed(doc.segments[0].source.split()))
    assert emitted == 40
    assert max(held) <= 5


def test_the_last_bucket_ends_with_its_shortest_batches() -> None:
    engine = SlowReverser(seconds=0.0)
    engine.concurrent_batches = 1  # batches start in the order they were queued; two kept for the end
    # one bucket (the input ends before the engine asks); a small token budget cuts it in several
    stage = _stage(engine, batch_wait_ms=60_000, batch_size=32, max_batch_tokens=40)
    docs = list(stage.pipe([_doc(i, n=10) for i in range(3)]))  # 30 segments
    assert all(not d.errors for d in docs)
    longest = [max(len(t.split()) for t in batch) for batch in engine.started]
    head, tail = longest[:-2], longest[-2:]
    # no long batch runs alone at the end: the last two are the shortest, longest of them first
    assert len(head) >= 3 and tail == sorted(tail, reverse=True) and max(tail) <= min(head)


def test_segments_repeated_across_documents_are_translated_once() -> None:
    engine = SlowReverser(seconds=0.0)
    stage = _stage(engine, batch_wait_ms=0)
    docs = list(stage.pipe([_doc(1), _doc(1), _doc(1)]))
    assert [d.segments[2].target for d in docs] == [docs[0].segments[2].target] * 3
    assert sum(len(b) for b in engine.started) == 4


class MissingModel(TranslationEngine):
    name = "missing"

    def supports(self, source_lang: str, target_lang: str) -> bool:
        return True

    def model_info(self, source_lang: str, target_lang: str) -> ModelInfo:
        return ModelInfo(engine=self.name, model="m")

    def translate_batch(self, texts: Sequence[str], source_lang: str, target_lang: str) -> list[str]:
        from transnorm.errors import EngineError

        raise EngineError("model 'm' is not on this machine", code=E_MODEL_UNAVAILABLE)


def test_an_engine_failure_is_reported_once_per_document() -> None:
    stage = _stage(MissingModel(), batch_size=2)
    docs = list(stage.pipe([_doc(i, n=9) for i in range(3)]))
    for doc in docs:
        assert [e.code for e in doc.errors] == [E_MODEL_UNAVAILABLE]
        assert all(s.target is None for s in doc.segments)


@pytest.mark.ct2
def test_each_segment_is_tokenised_once(tmp_path: Path) -> None:
    pytest.importorskip("ctranslate2")
    import tiny_models
    from transnorm.translate.ct2 import CTranslate2Engine
    from transnorm.translate.models import convert_model

    hf = tiny_models.build_marian(tmp_path / "hf")
    ct2_dir = convert_model(str(hf), tmp_path / "ct2", quantization="float32")
    engine = CTranslate2Engine(model=str(ct2_dir), compute_type="float32", beam_size=1)
    model = engine._model(str(ct2_dir))
    encoded: list[str] = []
    sp = model.sp_source

    class CountingProcessor:
        def encode(self, text: str, **kw: object) -> object:
            encoded.append(text)
            return sp.encode(text, **kw)

    model.sp_source = CountingProcessor()
    docs = [_doc(i, n=5) for i in range(3)]
    out = list(_stage(engine, batch_size=4).pipe(docs))
    assert all(not d.errors and all(s.target is not None for s in d.segments) for d in out)
    sources = [s.source for d in docs for s in d.segments]
    assert sorted(encoded) == sorted(sources)
