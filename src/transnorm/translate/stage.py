"""The translate stage: routes each document to an engine and batches segments across documents.

Documents arrive as a stream; the stage holds a bounded window of them (`translate.window_docs`),
gathers the segments that need translating, groups them by (engine, source, target), deduplicates,
looks them up in the translation cache, and translates the rest: sorted by token length, cut into
batches by count and token budget, several batches in flight when the engine wants it. Segments
longer than the model takes are split and rejoined, never truncated. Each result gets quality flags,
and the documents go on in input order. A failure of one engine call fails only the documents in it.

Engines may offer optional hooks, used when present: `count_tokens(texts, src, tgt)`,
`max_input_tokens(src, tgt)`, `concurrent_batches` (int), `why_unsupported(src, tgt)` and the class
attribute `routed` (receives the shared routing options `models`, `model_pattern`, ...).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from transnorm.config import PipelineConfig
from transnorm.document import UNDETERMINED, Document, Segment
from transnorm.errors import (
    E_ENGINE_FAILED,
    E_MODEL_UNAVAILABLE,
    E_NO_ENGINE,
    E_NO_SOURCE_LANG,
    E_STAGE_CRASHED,
    ConfigError,
    EngineError,
    MissingDependencyError,
)
from transnorm.langcodes import normalise_lang
from transnorm.translate.base import ModelInfo, TranslationEngine
from transnorm.translate.chunking import fit_to_tokens, join_translated, plan_batches, split_long_text
from transnorm.translate.registry import create_engine, engine_class

STAGE = "translate"
log = logging.getLogger(__name__)
_UNCACHED_ENGINES = frozenset({"passthrough"})


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
        if self.options.max_batch_tokens < 1:
            raise ConfigError("translate.max_batch_tokens: must be >= 1")
        self.target = normalise_lang(config.target_lang) or config.target_lang
        self.resources = resources
        self._engines: dict[str, TranslationEngine] = dict(engines or {})
        self._cache: Any = None
        self._checker: Any = None
        self.stats: dict[str, int] = defaultdict(int)

    # -- routing -------------------------------------------------------------------------------
    def engine(self, name: str) -> TranslationEngine:
        """The engine `name`, built on first use with its configured options."""
        if name not in self._engines:
            opts = dict(self.options.engine_options.get(name, {}))
            if getattr(engine_class(name), "routed", False):  # engines that pick a model per pair
                opts.setdefault("models", dict(self.options.models))
                opts.setdefault("model_pattern", self.options.model_pattern)
                opts.setdefault("multilingual_model", self.options.multilingual_model)
                opts.setdefault("pivot_lang", self.options.pivot_lang)
                if self.options.model is not None:
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
        reasons = []
        for name in candidates:
            engine = self.engine(name)
            if engine.supports(source, target):
                return name
            why = getattr(engine, "why_unsupported", None)
            if why is not None:
                reasons.append(why(source, target))
        tried = ", ".join(candidates) or "none configured"
        detail = ("; ".join(reasons) + ". ") if reasons else ""
        raise EngineError(
            f"no translation engine covers {source}->{target} (tried: {tried}). {detail}Configure an "
            f"engine or model for this pair in translate.engines / translate.models, or pass --engine/--model",
            code=E_MODEL_UNAVAILABLE if reasons else E_NO_ENGINE,
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
        if self._cache is not None:
            self._cache.close()
            self._cache = None

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
                if doc_source != self.target:
                    doc.add_error(STAGE, exc.code, str(exc), fatal=False)
                    return
                # The document is in the target language: a segment detected as another one that no
                # engine covers is kept as it is, so that it is still written and normalised.
                doc.warnings.append(
                    f"segment {seg.index} was detected as {source!r} but is kept untranslated as the "
                    f"document's language {doc_source!r}: {exc} ({exc.code})"
                )
                source, engine_name = doc_source, "passthrough"
            limit = self.engine(engine_name).max_input_chars(source, self.target)
            pieces = split_long_text(seg.source, limit) if limit else [seg.source]
            self.stats["segments"] += 1
            if len(pieces) > 1:
                self.stats["segments_split"] += 1
            yield (engine_name, source, self.target), _Job(doc, seg, pieces)

    # -- one (engine, source, target) group ------------------------------------------------------
    def _run_group(self, engine_name: str, source: str, target: str, jobs: list[_Job]) -> None:
        engine = self.engine(engine_name)
        texts = list(dict.fromkeys(p for job in jobs for p in job.pieces))
        failed: dict[str, tuple[str, str]] = {}  # text -> (error code, message)
        try:
            info = engine.model_info(source, target)
            done = self._translate_texts(engine, info, source, target, texts, failed)
        except (EngineError, MissingDependencyError) as exc:
            info, done = ModelInfo(engine=engine_name, model="?"), {}
            failed.update(dict.fromkeys(texts, (_code(exc), str(exc))))
        checker = self._quality_checker() if engine_name not in _UNCACHED_ENGINES else None
        for job in jobs:
            errs = [
                failed.get(p, (E_ENGINE_FAILED, "no translation returned"))
                for p in job.pieces
                if p not in done
            ]
            if errs:
                code, message = errs[0]
                job.doc.add_error(STAGE, code, message, segment=job.segment.index, fatal=False)
                continue
            outputs = [done[p] for p in job.pieces]
            job.segment.target = outputs[0] if len(outputs) == 1 else join_translated(outputs)
            job.segment.engine = info.engine
            job.segment.model = info.model
            if checker is not None:
                flags = checker.check(job.segment.source, job.segment.target, source, target)
                job.segment.flags = [f for f in job.segment.flags if f not in flags] + flags
                for flag in flags:
                    self.stats["flag_" + flag.split(":", 1)[0]] += 1

    def _translate_texts(
        self,
        engine: TranslationEngine,
        info: ModelInfo,
        source: str,
        target: str,
        texts: list[str],
        failed: dict[str, tuple[str, str]],
    ) -> dict[str, str]:
        """Translations of `texts`: cached ones, then the rest through the engine (failures in `failed`)."""
        cache = self._translation_cache(engine)
        done: dict[str, str] = {}
        if cache is not None:
            done.update(cache.get_many(info, source, target, texts))
            self.stats["cache_hits"] += len(done)
            self.stats["cache_misses"] += len(texts) - len(done)
        todo = [t for t in texts if t not in done]
        if not todo:
            return done
        parts, lengths = self._fit(engine, source, target, todo)
        units = list(dict.fromkeys(u for us in parts.values() for u in us))
        translated = self._run_batches(engine, source, target, units, [lengths[u] for u in units], failed)
        new: dict[str, str] = dict(translated)
        for text, us in parts.items():
            errs = [failed[u] for u in us if u in failed]
            if errs:
                failed[text] = errs[0]
            elif len(us) > 1:
                new[text] = join_translated([translated[u] for u in us])
        done.update((t, new[t]) for t in todo if t in new)
        if cache is not None and new:
            cache.put_many(info, source, target, new)
        return done

    def _fit(
        self, engine: TranslationEngine, source: str, target: str, texts: list[str]
    ) -> tuple[dict[str, list[str]], dict[str, int]]:
        """Each text -> the pieces that fit the model's input limit, and every piece's token length."""
        count: Callable[[list[str]], list[int]] | None = None
        limit = None
        if hasattr(engine, "count_tokens"):
            count = lambda xs: engine.count_tokens(xs, source, target)  # noqa: E731
            limit = getattr(engine, "max_input_tokens", lambda s, t: None)(source, target)
        if count is None:  # no tokenizer to ask: characters / 4 is a usual tokens-per-char estimate
            return {t: [t] for t in texts}, {t: len(t) // 4 + 1 for t in texts}
        sizes = dict(zip(texts, count(texts), strict=True))
        parts: dict[str, list[str]] = {}
        for text in texts:
            if limit is not None and sizes[text] > limit:
                parts[text] = fit_to_tokens(text, count, limit)
                self.stats["pieces_split_by_tokens"] += len(parts[text])
                sizes.update(zip(parts[text], count(parts[text]), strict=True))
            else:
                parts[text] = [text]
        return parts, sizes

    def _run_batches(
        self,
        engine: TranslationEngine,
        source: str,
        target: str,
        units: list[str],
        lengths: list[int],
        failed: dict[str, tuple[str, str]],
    ) -> dict[str, str]:
        """Translate `units` in length-sorted, token-budgeted batches, several at once if the engine wants."""
        batches = [
            [units[i] for i in idx]
            for idx in plan_batches(lengths, self.options.batch_size, self.options.max_batch_tokens)
        ]

        def one(batch: list[str]) -> list[str] | tuple[str, str]:
            try:
                outputs = engine.translate_batch(batch, source, target)
            except (EngineError, MissingDependencyError) as exc:
                return (_code(exc), str(exc))
            if len(outputs) != len(batch):
                msg = f"engine {engine.name!r} returned {len(outputs)} translations for {len(batch)} segments"
                return (E_ENGINE_FAILED, msg)
            return outputs

        workers = max(1, int(getattr(engine, "concurrent_batches", 1)))
        if workers > 1 and len(batches) > 1:
            with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="translate") as pool:
                results = list(pool.map(one, batches))
        else:
            results = [one(b) for b in batches]
        translated: dict[str, str] = {}
        for batch, result in zip(batches, results, strict=True):
            if isinstance(result, tuple):
                failed.update(dict.fromkeys(batch, result))
                continue
            translated.update(zip(batch, result, strict=True))
            self.stats["engine_calls"] += 1
            self.stats["segments_translated"] += len(batch)
        return translated

    def _translation_cache(self, engine: TranslationEngine) -> Any:
        if not self.options.cache or engine.name in _UNCACHED_ENGINES:
            return None
        if self._cache is None:
            from transnorm.translate.cache import TranslationCache

            self._cache = TranslationCache(self.options.cache_path)
        return self._cache

    def _quality_checker(self) -> Any:
        if not self.options.quality_checks:
            return None
        if self._checker is None:
            from transnorm.translate.quality import QualityChecker

            self._checker = QualityChecker(detector=getattr(self.resources, "detector", None))
        return self._checker

    def _sign(self, doc: Document) -> None:
        engines = sorted({s.engine for s in doc.segments if s.engine})
        models = sorted({s.model for s in doc.segments if s.model})
        doc.signature["engine"] = "+".join(engines) if engines else None
        doc.signature["model"] = "+".join(models) if models else None


def _code(exc: EngineError | MissingDependencyError) -> str:
    """The engine's own error code when it has a specific one (E303 missing model), else E302."""
    return E_ENGINE_FAILED if exc.code == EngineError.code else exc.code
