"""Keeping the engine busy: a streaming scheduler for the translate stage.

Documents flow in, their segments become units of work for an (engine, source, target) group, and
units are cut into batches that go to the engine's threads while more documents are read. There is no
window barrier: a batch is submitted as soon as a thread would otherwise idle, the next batches wait
queued behind the running ones, and a document is handed on the moment its last segment is back, in
input order. Memory is bounded by `window_docs`: at most that many documents are held between being
read and being handed on.

Batches are cut when an engine can take work, not when units arrive. Each engine has one batch queued
beyond its threads, so a thread that finishes starts the next batch without waiting for this one; when
that slot frees and no cut batch is left, the next *bucket* is cut: every buffered unit, up to 16
batches' worth in the first bucket and 128 (4,096 segments at the default batch size) in the others,
sorted longest first and cut into batches. Cutting late is what makes the buckets big, and big buckets
pad little: the batches hold inputs of nearly the same length (NTREX through bench_stream's tokenizer,
in batches of 32: 11% padding in CTranslate2's own 512-segment read-ahead, 3.5% in 2,048-segment
buckets, 2% in 4,096). The first document goes into the first batch, so that it is done after one
batch however big the first bucket: the first record comes early. Besides:

- the engine never idles while there is work: a thread with nothing to run gets a partial batch once
  the oldest waiting segment has waited `batch_wait_ms`, or at once when no more input can come now
  (end of input, or the window is full); that is also why the first record appears after one batch;
- otherwise batches are whole: a bucket is cut in whole batches; when the token budget shortens some,
  its last batch is filled from the buffer, and if it is still short, its units wait for the next
  bucket (once: a unit is never held back twice);
- the last bucket, at the end of input, is cut into evenly filled batches, as many for each engine
  thread, so that the threads finish together;
- the oldest documents are served first: buckets are cut in arrival order, the group with the oldest
  waiting unit is served first, and within a bucket the batch holding the oldest unit goes first, so
  that documents finish one after another (a progress bar moves) rather than all at the bucket's end;
  the last bucket keeps its shortest batches, two per engine thread, for the very end, so that no long
  batch runs alone there.

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

# Units are sorted and cut into batches a bucket at a time: at most 16 batches' worth in the first (what
# CTranslate2's `translate_iterable` reads ahead), so that the engine starts soon, then up to 128: the
# bigger the bucket, the closer the lengths in a batch. A small input, read before the engine asks, is
# one bucket.
FIRST_BUCKET_BATCHES = 16
MAX_BUCKET_BATCHES = 128
# Batches queued per engine beyond its threads: a thread that finishes one starts the next at once.
LOOKAHEAD_BATCHES = 1
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
    held_back: bool = False  # left out of a short last batch once; never again


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
    ready: deque[list[_Unit]] = field(default_factory=deque)  # batches cut, not yet submitted


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
                if not exhausted and len(self.pending) < self.window:
                    doc = next(it, None)
                    if doc is None:
                        exhausted = True
                    else:
                        self._admit_guarded(doc)
                stalled = exhausted or len(self.pending) >= self.window  # no more input can come now
                self._collect([f for f in self.inflight if f.done()])
                self._feed(exhausted=exhausted, stalled=stalled)
                self._collect([f for f in self.inflight if f.done()])  # an inline engine's batch
                yield from self._emit_ready(started)
                if exhausted and not self.pending:
                    return
                if not (exhausted or len(self.pending) >= self.window):
                    continue  # read the next document
                if self.inflight:
                    done, _ = wait(list(self.inflight), return_when=FIRST_COMPLETED)
                    self._collect(done)
                elif self.pending and not any(g.buffer or g.ready for g in self._live_groups()):
                    yield from self._release_stuck()  # a bug: nothing left that could finish them
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

    # -- batches ------------------------------------------------------------------------------------
    @staticmethod
    def _workers(engine: TranslationEngine) -> int:
        return max(1, int(getattr(engine, "concurrent_batches", 1)))

    def _slots(self, engine: TranslationEngine) -> int:
        """Batches the engine may have submitted at once: its threads, and the lookahead for a threaded one."""
        return self._workers(engine) + (0 if engine.inline else LOOKAHEAD_BATCHES)

    def _live_groups(self) -> list[_Group]:
        return [g for g in self.groups.values() if isinstance(g, _Group)]

    def _feed(self, *, exhausted: bool, stalled: bool) -> None:
        """Submit batches while an engine has a free slot: cut ones first, else the next bucket.

        Groups sharing an engine are served oldest waiting unit first. An engine called in this thread
        (`inline`) runs one batch per call, so that finished documents are handed on between batches.
        """
        groups = self._live_groups()
        if len(groups) > 1:
            groups.sort(key=_oldest_waiting)
        for group in groups:
            engine = group.engine
            while self.busy.get(engine.name, 0) < self._slots(engine):
                if not group.ready and not self._cut(group, exhausted=exhausted, stalled=stalled):
                    break
                self._send(group, group.ready.popleft())
                if engine.inline:
                    break

    def _cut(self, group: _Group, *, exhausted: bool, stalled: bool) -> bool:
        """Cut the next bucket of `group` into batches (see the module docstring); False if none is due.

        A partial batch is cut only when waiting cannot fill it: at the end of input, or when a thread
        of the engine has nothing to run and either no more input can come now or the oldest unit has
        waited `batch_wait_ms`.
        """
        buffer = group.buffer
        if not buffer:
            return False
        size = max(1, self.options.batch_size)
        n = min(len(buffer), self.bucket_units)
        idle = self.busy.get(group.engine.name, 0) < self._workers(group.engine)
        waited = time.perf_counter() - buffer[0].arrived >= self.wait
        partial = exhausted or (idle and (stalled or waited))
        if not partial:
            if n < self.bucket_units and not (stalled or waited):
                return False  # a bigger bucket pads less: wait for it while the engine has work
            n -= n % size
            if n == 0:
                return False
        per = size
        if exhausted:  # the last bucket: as many batches per thread, evenly filled, so none idles long
            workers = self._workers(group.engine)
            count = -(-n // size)
            count = -(-count // workers) * workers
            per = -(-n // count)
        batches = self._batches(buffer[:n], per)
        del buffer[:n]
        self.buckets += 1
        tail = batches[-1]
        if not exhausted and len(tail) < size:
            self._fill(tail, buffer)
        if not exhausted and len(batches) > 1 and len(tail) < size and not any(u.held_back for u in tail):
            # still a short last batch: its units join the next bucket (once)
            batches.pop()
            for unit in tail:
                unit.held_back = True
            buffer[:0] = sorted(tail, key=lambda u: u.seq)
        # the batch holding the oldest unit first, so that documents finish one after another rather than
        # all at the bucket's end; in the last bucket the shortest batches are kept for the very end
        keep = 2 * self._workers(group.engine) if exhausted else 0
        head, tail = (batches[:-keep], batches[-keep:]) if 0 < keep < len(batches) else (batches, [])
        head.sort(key=lambda b: min(u.seq for u in b))
        group.ready.extend(head + tail)
        return True

    def _fill(self, batch: list[_Unit], buffer: list[_Unit]) -> None:
        """Move into a short `batch` the oldest buffered units that keep it within the token budget."""
        size, budget = self.options.batch_size, self.options.max_batch_tokens
        longest = max((u.length for u in batch), default=0)
        keep = []
        for unit in buffer:
            if len(batch) < size and max(longest, unit.length, 1) * (len(batch) + 1) <= budget:
                batch.append(unit)
                longest = max(longest, unit.length)
            else:
                keep.append(unit)
        buffer[:] = keep

    @property
    def bucket_units(self) -> int:
        """Most units in the next bucket: the first is smaller, so that the engine starts soon."""
        batches = FIRST_BUCKET_BATCHES if self.buckets == 0 else MAX_BUCKET_BATCHES
        return max(1, self.options.batch_size) * batches

    def _batches(self, units: list[_Unit], size: int) -> list[list[_Unit]]:
        """`units` cut into batches by count and padded-token budget, sorted longest first; in the first
        bucket, the first document's batch goes before them.

        The first document's units go together, so that the first record comes after one batch however
        big the bucket (`_oldest_document_batch` says what fills that batch); later buckets are sorted
        alone, which pads least. `_cut` decides the order they run in.
        """
        first = self._oldest_document_batch(units, size) if self.buckets == 0 else []
        if first:
            chosen = {id(u) for u in first}
            units = [u for u in units if id(u) not in chosen]
        units.sort(key=lambda u: (-u.length, u.seq))
        budget = self.options.max_batch_tokens
        batches: list[list[_Unit]] = [first] if first else []
        batch: list[_Unit] = []
        for unit in units:
            longest = batch[0].length if batch else 0  # sorted: the first unit is the longest
            if batch and (len(batch) >= size or max(longest, unit.length, 1) * (len(batch) + 1) > budget):
                batches.append(batch)
                batch = []
            batch.append(unit)
        if batch:
            batches.append(batch)
        return batches

    def _oldest_document_batch(self, units: list[_Unit], size: int) -> list[_Unit]:
        """The units of the oldest document among `units`, filled to a whole batch; empty when that
        document has no unit waiting or more than a batch holds.

        Fillers are the longest units no longer than the document's own longest (they pad nothing
        more), then, if room is left, the shortest longer ones: a fuller batch saves a call.
        """
        if not units:
            return []
        waiters = min(units, key=lambda u: u.seq).owner.waiters
        if not waiters:
            return []
        state = waiters[0].state
        batch = [u for u in units if any(task.state is state for task in u.owner.waiters)]
        longest = max(max(u.length for u in batch), 1)
        budget = self.options.max_batch_tokens
        if len(batch) > min(size, budget // longest):
            return []
        mine = {id(u) for u in batch}
        others = [u for u in units if id(u) not in mine]
        below = sorted((u for u in others if u.length <= longest), key=lambda u: (-u.length, u.seq))
        above = sorted((u for u in others if u.length > longest), key=lambda u: (u.length, u.seq))
        for unit in below + above:
            if len(batch) >= size or max(longest, unit.length) * (len(batch) + 1) > budget:
                break
            batch.append(unit)
            longest = max(longest, unit.length)
        return batch

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


def _oldest_waiting(group: _Group) -> int:
    """Arrival number of the oldest unit a group has not submitted (cut batches and buffer)."""
    seqs = [min(u.seq for u in batch) for batch in group.ready]
    if group.buffer:
        seqs.append(group.buffer[0].seq)
    return min(seqs, default=1 << 62)
