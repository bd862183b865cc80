"""Keeping the engine busy: a streaming scheduler for the translate stage.

Documents flow in, their segments become units of work for an (engine, source, target) group, and
units are cut into batches that go to the engine's threads while more documents are read. There is no
window barrier: a batch is submitted as soon as a thread would otherwise idle, the next batches wait
queued behind the running ones, and a document is handed on the moment its last segment is back, in
input order. Memory is bounded by `window_docs`: at most that many documents are held between being
read and being handed on.

Batch choice balances three things:

- the engine never idles while there is work (an idle thread gets a partial batch once its oldest
  segment has waited `batch_wait_ms`; that is also why the first record appears after one batch, not
  after a window);
- batches hold inputs of similar length (they are cut from the length-sorted buffer), so little padding
  is computed;
- the oldest documents are served first: units are cut into buckets in arrival order, and an idle
  thread gets the oldest units; within a bucket the longest batches go first, so that no long batch
  runs alone at the end.

Each unit is tokenised once: engines that offer `encode` / `translate_encoded` get their own token
sequences back, and the token count that sized the batch is the length of that same sequence.
"""

from __future__ import annotations

import itertools
import logging
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from transnorm.document import Document, Segment
from transnorm.errors import E_ENGINE_FAILED, E_STAGE_CRASHED, EngineError, MissingDependencyError
from transnorm.translate.base import ModelInfo, TranslationEngine
from transnorm.translate.chunking import fit_to_tokens, join_translated

if TYPE_CHECKING:
    from transnorm.translate.stage import TranslateStage

log = logging.getLogger(__name__)
STAGE = "translate"

# Units are sorted and cut into batches a bucket at a time. Buckets start at one batch's worth, so that
# the first documents come out after a batch or two, and double up to 16 batches' worth (CTranslate2's
# `translate_iterable` reads 16 batches ahead): the bigger the bucket, the closer the lengths in a batch.
FIRST_BUCKET_BATCHES = 1
MAX_BUCKET_BATCHES = 16
# Finished texts remembered per document of the window, for repeats (datelines, boilerplate).
RECENT_PER_DOC = 32

GroupKey = tuple[str, str, str]  # (engine name, source language, target language)
Failure = tuple[str, str]  # (error code, message)


@dataclass(eq=False)
class _Unit:
    """A piece of text the engine translates in one go (a segment, or part of a too-long one)."""

    text: str
    length: int  # tokens, as the engine counts them (characters / 4 + 1 without a tokenizer)
    encoded: Any  # the engine's own token sequence, or None
    seq: int  # arrival order: lower is older
    owner: _Text
    arrived: float
    result: str | None = None


@dataclass(eq=False)
class _Text:
    """One distinct text of a group (deduplicated across documents): its units and who waits for it."""

    key: GroupKey
    text: str
    waiters: list[_SegmentTask] = field(default_factory=list)
    units: list[_Unit] = field(default_factory=list)
    pending: int = 0
    result: str | None = None
    failure: Failure | None = None


@dataclass(eq=False)
class _SegmentTask:
    """One segment of one document, translated as the concatenation of its texts."""

    state: _DocState
    segment: Segment
    key: GroupKey
    texts: list[_Text]
    pending: int = 0


@dataclass(eq=False)
class _DocState:
    doc: Document
    pending: int = 0  # segment tasks not finished yet


@dataclass
class _Group:
    """Per (engine, pair): the model info, token hooks, and the units waiting for a batch."""

    key: GroupKey
    engine: TranslationEngine
    info: ModelInfo
    limit: int | None
    encode: Callable[[list[str]], list[Any]] | None
    count: Callable[[list[str]], list[int]] | None
    buffer: list[_Unit] = field(default_factory=list)  # units not yet in a batch, in arrival order


class Scheduler:
    """Runs one stream of documents through a `TranslateStage`'s engines; see the module docstring."""

    def __init__(self, stage: TranslateStage) -> None:
        self.stage = stage
        self.options = stage.options
        self.window = max(1, self.options.window_docs)
        self.wait = max(0, self.options.batch_wait_ms) / 1000
        self.buckets = 0  # buckets submitted so far: the next one is bigger, up to the maximum
        self.pending: deque[_DocState] = deque()
        self.groups: dict[GroupKey, _Group | Failure] = {}
        self.texts: dict[tuple[GroupKey, str], _Text] = {}  # texts buffered or in flight
        # texts finished lately, so that a repeat in nearby documents is neither re-translated nor a
        # cache lookup; bounded like the window
        self.recent: OrderedDict[tuple[GroupKey, str], _Text] = OrderedDict()
        self.recent_max = self.window * RECENT_PER_DOC
        self.inflight: dict[Future[list[str]], tuple[_Group, list[_Unit]]] = {}
        self.pools: dict[str, ThreadPoolExecutor] = {}
        self.busy: dict[str, int] = {}  # engine name -> batches submitted and not yet collected
        self.seq = itertools.count()

    # -- the loop ----------------------------------------------------------------------------------
    def run(self, docs: Iterable[Document]) -> Iterator[Document]:
        """Yield every document, translated or carrying its error, in input order."""
        started = time.perf_counter()
        it = iter(docs)
        exhausted = False
        try:
            while True:
                while not exhausted and len(self.pending) < self.window:
                    doc = next(it, None)
                    if doc is None:
                        exhausted = True
                        break
                    self._admit_guarded(doc)
                    if self._submit_buckets():
                        break  # an engine in this thread translated a bucket: hand its documents on
                    if self._idle_engine_with_work():
                        break  # feed the idle engine now rather than after more reading
                stalled = exhausted or len(self.pending) >= self.window
                self._submit_partial(everything=stalled)
                self._collect([f for f in self.inflight if f.done()])
                yield from self._emit_ready(started)
                if exhausted and not self.pending:
                    return
                stalled = exhausted or len(self.pending) >= self.window  # documents may have gone on
                if self.inflight and stalled:
                    done, _ = wait(list(self.inflight), return_when=FIRST_COMPLETED)
                    self._collect(done)
                elif stalled and self.pending and not any(g.buffer for g in self._live_groups()):
                    yield from self._release_stuck()  # a bug: nothing left that could finish them
                else:
                    self._collect([f for f in self.inflight if f.done()])
        finally:
            self.close()

    def _release_stuck(self) -> Iterator[Document]:
        """Hand on the oldest waiting document with an error when no batch is left to finish it."""
        state = self.pending.popleft()
        log.error("translate scheduler: document %r waits on no batch", state.doc.id)
        state.doc.add_error(STAGE, E_STAGE_CRASHED, "translate stage crashed: a segment was never scheduled")
        self.stage.sign(state.doc)
        yield state.doc

    def close(self) -> None:
        """Cancel queued batches and wait for running ones (idempotent; the stage calls it too)."""
        pools, self.pools = self.pools, {}
        for pool in pools.values():
            pool.shutdown(wait=True, cancel_futures=True)

    # -- admission: plan a document's segments into units -------------------------------------------
    def _admit_guarded(self, doc: Document) -> None:
        state = _DocState(doc)
        self.pending.append(state)
        try:
            self._admit(state)
        except Exception as exc:  # a bug must not lose the document: it carries the error, the run goes on
            log.exception("translate stage crashed on document %r", doc.id)
            doc.add_error(STAGE, E_STAGE_CRASHED, f"translate stage crashed: {type(exc).__name__}: {exc}")
            state.pending = 0

    def _admit(self, state: _DocState) -> None:
        doc = state.doc
        if doc.stopped:
            return
        doc.target_lang = self.stage.target
        planned: list[tuple[_Group, Segment, list[str]]] = []
        for key, segment, pieces in self.stage.plan(doc):
            group = self._group(key)
            if not isinstance(group, _Group):  # the pair cannot be served: one error, plan no further
                self.stage.fail_segment(doc, segment, group)
                break
            planned.append((group, segment, pieces))
        by_group: dict[GroupKey, list[str]] = {}
        for group, _, pieces in planned:
            by_group.setdefault(group.key, []).extend(pieces)
        texts: dict[tuple[GroupKey, str], _Text] = {}
        for key, pieces in by_group.items():  # the document's new texts, tokenised in one call per group
            group = self.groups[key]
            assert isinstance(group, _Group)
            texts.update(self._texts_for(group, pieces))
        ready: list[_SegmentTask] = []
        for group, segment, pieces in planned:
            task = _SegmentTask(state, segment, group.key, [texts[(group.key, p)] for p in pieces])
            state.pending += 1
            for text in dict.fromkeys(task.texts):  # a text twice in one segment is waited for once
                if text.result is None and text.failure is None:
                    text.waiters.append(task)
                    task.pending += 1
            if task.pending == 0:
                ready.append(task)
        for task in ready:
            self._finish_task(task)

    def _group(self, key: GroupKey) -> _Group | Failure:
        """The group of a pair, built once; a pair whose model cannot be described fails once."""
        group = self.groups.get(key)
        if group is None:
            engine_name, source, target = key
            engine = self.stage.engine(engine_name)
            try:
                info = engine.model_info(source, target)
                group = _Group(key, engine, info, *_token_hooks(engine, source, target))
            except (EngineError, MissingDependencyError) as exc:
                group = (_code(exc), str(exc))
            self.groups[key] = group
        return group

    def _texts_for(self, group: _Group, pieces: list[str]) -> dict[tuple[GroupKey, str], _Text]:
        """The `_Text` of each piece: in flight, recently done, from the cache, or new units in the buffer."""
        found: dict[tuple[GroupKey, str], _Text] = {}
        new = []
        for piece in dict.fromkeys(pieces):
            known = self.texts.get((group.key, piece)) or self.recent.get((group.key, piece))
            if known is not None:
                found[(group.key, piece)] = known
            else:
                new.append(piece)
        if not new:
            return found
        cached = self.stage.cached(group.engine, group.info, group.key, new)
        todo = []
        for piece in new:
            text = _Text(group.key, piece)
            found[(group.key, piece)] = text
            if piece in cached:
                text.result = cached[piece]
                self._remember(text)
            else:
                self.texts[(group.key, piece)] = text
                todo.append(text)
        if not todo:
            return found
        arrived = time.perf_counter()
        for text, units in zip(todo, self._units(group, [t.text for t in todo]), strict=True):
            for unit_text, encoded, length in units:
                unit = _Unit(unit_text, length, encoded, next(self.seq), text, arrived)
                text.units.append(unit)
                group.buffer.append(unit)
            text.pending = len(text.units)
            if len(text.units) > 1:
                self.stage.stats["pieces_split_by_tokens"] += len(text.units)
        return found

    @staticmethod
    def _units(group: _Group, pieces: list[str]) -> list[list[tuple[str, Any, int]]]:
        """Each piece as units that fit the model, each unit with its encoding and token length."""
        if group.count is None:  # no tokenizer to ask: characters / 4 is a usual tokens-per-char estimate
            return [[(p, None, len(p) // 4 + 1)] for p in pieces]
        if group.encode is not None:
            encoded: list[Any] = group.encode(pieces)
            lengths = [len(e) for e in encoded]
        else:
            encoded, lengths = [None] * len(pieces), group.count(pieces)
        out = []
        for piece, enc, length in zip(pieces, encoded, lengths, strict=True):
            if group.limit is None or length <= group.limit:
                out.append([(piece, enc, length)])
                continue
            parts = fit_to_tokens(piece, group.count, group.limit)
            if group.encode is not None:
                out.append([(p, e, len(e)) for p, e in zip(parts, group.encode(parts), strict=True)])
            else:
                out.append([(p, None, n) for p, n in zip(parts, group.count(parts), strict=True)])
        return out

    @property
    def bucket_units(self) -> int:
        """Units in the next bucket: one batch's worth at first, doubling per bucket up to the maximum."""
        batches = min(MAX_BUCKET_BATCHES, FIRST_BUCKET_BATCHES << min(self.buckets, 8))
        return max(1, self.options.batch_size) * batches

    # -- batches ------------------------------------------------------------------------------------
    @staticmethod
    def _workers(engine: TranslationEngine) -> int:
        return max(1, int(getattr(engine, "concurrent_batches", 1)))

    def _live_groups(self) -> list[_Group]:
        return [g for g in self.groups.values() if isinstance(g, _Group)]

    def _idle(self, group: _Group) -> bool:
        """Whether an engine thread would idle while this group's buffer waits (past the short delay)."""
        return (
            bool(group.buffer)
            and self.busy.get(group.engine.name, 0) < self._workers(group.engine)
            and time.perf_counter() - group.buffer[0].arrived >= self.wait
        )

    def _idle_engine_with_work(self) -> bool:
        return any(self._idle(g) for g in self._live_groups())

    def _submit_buckets(self) -> bool:
        """Submit every full bucket: its units sorted longest first and cut into batches. True when an
        engine that runs in this thread (`inline`) has translated one."""
        inline = False
        for group in self._live_groups():
            while len(group.buffer) >= self.bucket_units:
                bucket, group.buffer = group.buffer[: self.bucket_units], group.buffer[self.bucket_units :]
                self.buckets += 1
                self._submit_units(group, bucket)
                inline = inline or group.engine.inline
        return inline

    def _submit_partial(self, *, everything: bool) -> None:
        """Submit what is buffered.

        When no more input can come in now: everything, a bucket at a time in arrival order (so the
        oldest documents finish first); an engine called in this thread (`inline`) gets one bucket per
        call, so that finished documents are handed on between its buckets. Otherwise one batch of the
        oldest units per idle engine thread: an idle thread is never kept waiting for a full bucket.
        """
        for group in self._live_groups():
            if everything:
                while group.buffer:
                    bucket = group.buffer[: self.bucket_units]
                    del group.buffer[: self.bucket_units]
                    self.buckets += 1
                    self._submit_units(group, bucket)
                    if group.engine.inline:
                        break
                continue
            while self._idle(group):
                batch = self._oldest_batch(group)
                self._submit_units(group, batch)

    def _oldest_batch(self, group: _Group) -> list[_Unit]:
        """Take from the buffer the oldest units that make one batch (count and token budget)."""
        size, budget = self.options.batch_size, self.options.max_batch_tokens
        taken, longest = 0, 0
        for unit in group.buffer:
            longest_with = max(longest, unit.length, 1)
            if taken and (taken >= size or longest_with * (taken + 1) > budget):
                break
            taken, longest = taken + 1, longest_with
        batch = group.buffer[:taken]
        del group.buffer[:taken]
        return batch

    def _submit_units(self, group: _Group, units: list[_Unit]) -> None:
        """Sort units longest first, cut them by count and padded-token budget, submit the batches.

        Longest first: the batches submitted last, which may run alone at the end, are the short ones.
        """
        units.sort(key=lambda u: (-u.length, u.seq))
        size, budget = self.options.batch_size, self.options.max_batch_tokens
        batch: list[_Unit] = []
        for unit in units:
            longest = batch[0].length if batch else 0  # sorted: the first unit is the longest
            if batch and (len(batch) >= size or max(longest, unit.length, 1) * (len(batch) + 1) > budget):
                self._send(group, batch)
                batch = []
            batch.append(unit)
        if batch:
            self._send(group, batch)

    def _send(self, group: _Group, batch: list[_Unit]) -> None:
        engine = group.engine
        _, source, target = group.key
        texts = [u.text for u in batch]
        encoded = [u.encoded for u in batch]
        translate_encoded = getattr(engine, "translate_encoded", None)
        if translate_encoded is not None and all(e is not None for e in encoded):

            def call() -> list[str]:
                return translate_encoded(encoded, texts, source, target)

        else:

            def call() -> list[str]:
                return engine.translate_batch(texts, source, target)

        self.busy[engine.name] = self.busy.get(engine.name, 0) + 1
        if engine.inline:  # nothing to wait for (passthrough): run it here
            future: Future[list[str]] = Future()
            try:
                future.set_result(call())
            except Exception as exc:  # delivered to _collect like a thread's exception
                future.set_exception(exc)
        else:
            pool = self.pools.get(engine.name)
            if pool is None:
                pool = ThreadPoolExecutor(
                    self._workers(engine), thread_name_prefix=f"translate-{engine.name}"
                )
                self.pools[engine.name] = pool
            future = pool.submit(call)
        self.inflight[future] = (group, batch)

    # -- results ------------------------------------------------------------------------------------
    def _collect(self, futures: Iterable[Future[list[str]]]) -> None:
        for future in list(futures):
            group, batch = self.inflight.pop(future)
            self.busy[group.engine.name] -= 1
            outputs, failure = _outcome(future, group.engine.name, len(batch))
            if failure is None:
                self.stage.stats["engine_calls"] += 1
                self.stage.stats["segments_translated"] += len(batch)
            new: dict[str, str] = {}
            for i, unit in enumerate(batch):
                text = unit.owner
                if failure is not None:
                    text.failure = text.failure or failure
                else:
                    unit.result = outputs[i]
                text.pending -= 1
                if text.pending == 0:
                    if text.failure is None:
                        parts = [u.result or "" for u in text.units]
                        text.result = parts[0] if len(parts) == 1 else join_translated(parts)
                        new[text.text] = text.result
                    self._finish_text(text)
            if new:
                self.stage.store(group.engine, group.info, group.key, new)

    def _finish_text(self, text: _Text) -> None:
        del self.texts[(text.key, text.text)]
        self._remember(text)
        waiters, text.waiters = text.waiters, []
        for task in waiters:
            task.pending -= 1
            if task.pending == 0:
                self._finish_task(task)

    def _remember(self, text: _Text) -> None:
        self.recent[(text.key, text.text)] = text
        if len(self.recent) > self.recent_max:
            self.recent.popitem(last=False)

    def _finish_task(self, task: _SegmentTask) -> None:
        group = self.groups[task.key]
        assert isinstance(group, _Group)
        failures = [t.failure for t in task.texts if t.failure is not None]
        if failures:
            self.stage.fail_segment(task.state.doc, task.segment, failures[0])
        else:
            parts = [t.result or "" for t in task.texts]
            result = parts[0] if len(parts) == 1 else join_translated(parts)
            self.stage.finish_segment(task.segment, result, group.info, task.key)
        task.state.pending -= 1

    def _emit_ready(self, started: float) -> Iterator[Document]:
        while self.pending and self.pending[0].pending == 0:
            doc = self.pending.popleft().doc
            self.stage.sign(doc)
            if "first_document_ms" not in self.stage.stats:
                self.stage.stats["first_document_ms"] = int((time.perf_counter() - started) * 1000)
            yield doc


def _token_hooks(
    engine: TranslationEngine, source: str, target: str
) -> tuple[int | None, Callable[[list[str]], list[Any]] | None, Callable[[list[str]], list[int]] | None]:
    """The engine's input limit, encoder and token counter for a pair (None when it has none)."""
    encode_hook = getattr(engine, "encode", None)
    if encode_hook is not None:

        def encode(xs: list[str]) -> list[Any]:
            return encode_hook(xs, source, target)

        def count(xs: list[str]) -> list[int]:
            return [len(e) for e in encode(xs)]

        return engine.max_input_tokens(source, target), encode, count  # type: ignore[attr-defined]
    count_hook = getattr(engine, "count_tokens", None)
    if count_hook is None:
        return None, None, None
    limit_hook = getattr(engine, "max_input_tokens", None)
    limit = limit_hook(source, target) if limit_hook is not None else None
    return limit, None, lambda xs: count_hook(xs, source, target)


def _outcome(future: Future[list[str]], engine: str, expected: int) -> tuple[list[str], Failure | None]:
    """A batch's outputs, or why it failed."""
    try:
        outputs = future.result()
    except (EngineError, MissingDependencyError) as exc:
        return [], (_code(exc), str(exc))
    except Exception as exc:  # a broken engine fails its batch, not the run
        log.error("engine %r crashed on a batch", engine, exc_info=exc)
        return [], (E_ENGINE_FAILED, f"engine {engine!r} crashed: {type(exc).__name__}: {exc}")
    if len(outputs) != expected:
        return [], (
            E_ENGINE_FAILED,
            f"engine {engine!r} returned {len(outputs)} translations for {expected} segments",
        )
    return outputs, None


def _code(exc: EngineError | MissingDependencyError) -> str:
    """The engine's own error code when it has a specific one (E303 missing model), else E302."""
    return E_ENGINE_FAILED if exc.code == EngineError.code else exc.code
