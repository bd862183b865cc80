"""The translate stage: routes each document's segments to an engine and translates them in batches.

The stage decides *what* to translate: the source language of each segment, the engine for the pair
(passthrough when source and target agree), the pieces of a segment longer than the engine takes
(split and rejoined, never truncated), cache lookups, quality flags, and the errors a document carries
when a pair cannot be served (each reported once per document). *When* to translate is the
scheduler's job (`transnorm.translate.scheduler`): it batches segments across documents, keeps every
engine thread busy and hands documents on, in input order, as soon as they are done.

Engines may offer optional hooks, used when present: `encode(texts, src, tgt)` with
`translate_encoded(encoded, texts, src, tgt)` (tokenise once), `count_tokens(texts, src, tgt)`,
`max_input_tokens(src, tgt)`, `concurrent_batches` (int), `inline` (no thread needed),
`why_unsupported(src, tgt)` and the class attribute `routed` (receives the shared routing options
`models`, `model_pattern`, ...).
"""

from __future__ import annotations

import logging
import weakref
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from transnorm.config import PipelineConfig, TranslateOptions
from transnorm.document import UNDETERMINED, Document, Segment
from transnorm.errors import (
    E_MODEL_UNAVAILABLE,
    E_NO_ENGINE,
    E_NO_SOURCE_LANG,
    EngineError,
)
from transnorm.langcodes import normalise_lang
from transnorm.translate.base import ModelInfo, TranslationEngine
from transnorm.translate.chunking import split_long_text
from transnorm.translate.hub import offline_mode
from transnorm.translate.registry import (
    check_engine_config,
    create_engine,
    default_chain,
    engine_class,
    install_hint,
)
from transnorm.translate.routed import RoutedEngine

if TYPE_CHECKING:
    from transnorm.stages import Resources

STAGE = "translate"
log = logging.getLogger(__name__)
_UNCACHED_ENGINES = frozenset({"passthrough"})


class TranslateStage:
    """Translate every segment of every document into the configured target language."""

    name = STAGE
    process_safe = False  # it batches for its engines in the main process

    def __init__(
        self,
        config: PipelineConfig,
        resources: Resources | None = None,
        *,
        engines: dict[str, TranslationEngine] | None = None,
    ) -> None:
        self.config = config
        self.options = config.translate
        self.target = normalise_lang(config.target_lang) or config.target_lang
        self.resources = resources
        self.offline = offline_mode(self.options.offline)
        self._engines: dict[str, TranslationEngine] = dict(engines or {})
        check_engine_config(self.options, given=self._engines)  # before any document is read
        self._cache: Any = None
        self._checker: Any = None
        self.stats: dict[str, int] = defaultdict(int)
        self._schedulers: weakref.WeakSet[Any] = weakref.WeakSet()  # streams in progress
        self._failed_segments: dict[tuple[int, str, str], list[int]] = {}  # (doc, code, message) -> segments

    # -- routing -------------------------------------------------------------------------------
    def engine(self, name: str) -> TranslationEngine:
        """The engine `name`, built on first use with its configured options."""
        if name not in self._engines:
            self._engines[name] = configured_engine(name, self.options, offline=self.offline)
        return self._engines[name]

    def choose_engine(self, source: str, target: str) -> str:
        """Name of the engine that translates source -> target, or `EngineError` naming the pair.

        `auto` tries `translate.engines` in order (default: every installed engine); with `--model`
        alone, only the engines that load models, so the model picks its engine.
        """
        if source == target:
            return "passthrough"
        if self.options.engine != "auto":
            candidates: Sequence[str] = (self.options.engine,)
        else:
            candidates = self.options.engines or default_chain()
            if self.options.model:
                candidates = [n for n in candidates if getattr(engine_class(n), "routed", False)]
        reasons: list[tuple[str, bool]] = []  # (why not, from an engine that can fetch models)
        installs = []
        for name in candidates:
            hint = install_hint(name) if self.options.engine == "auto" else ""
            if hint:  # listed but not installed: say how to install it, try the next one
                installs.append(f"{name} is not installed ({hint})")
                continue
            engine = self.engine(name)
            if engine.supports(source, target):
                return name
            why = getattr(engine, "why_unsupported", None)
            if why is not None:
                reasons.append((why(source, target), bool(getattr(engine, "fetches", False))))
        if any(fetches for _, fetches in reasons):
            # the engine that fetches models has the advice that works; the others (ctranslate2,
            # taken only where its conversion is present) would only repeat it in other words
            reasons = [r for r in reasons if r[1]]
        raise EngineError(
            _no_engine_message(source, target, candidates, [r for r, _ in reasons], installs),
            code=E_MODEL_UNAVAILABLE if reasons else E_NO_ENGINE,
        )

    def model_engines(self) -> list[str]:
        """The engines this stage may use that run a model: with any of them translating, the cores
        are busy and worker processes for the other stages would only add memory."""
        names = (
            (self.options.engines or default_chain())
            if self.options.engine == "auto"
            else (self.options.engine,)
        )
        return [n for n in names if getattr(self._engines.get(n) or engine_class(n), "runs_model", True)]

    def statistics(self) -> dict[str, int]:
        """Counters of this stage's work so far (segments, cache hits, engine calls, flags ...)."""
        return dict(self.stats)

    # -- the stage -----------------------------------------------------------------------------
    def __call__(self, doc: Document) -> Document:
        for _ in self.pipe([doc]):
            pass
        return doc

    def pipe(self, docs: Iterable[Document]) -> Iterator[Document]:
        """Translate a stream of documents, yielding each as soon as it is done, in input order."""
        from transnorm.translate.scheduler import Scheduler

        scheduler = Scheduler(self)
        self._schedulers.add(scheduler)
        return scheduler.run(docs)

    def close(self) -> None:
        """Release engines and the cache, after every batch still running has finished (an engine's
        model must not be freed under a batch: native engines crash on it)."""
        for scheduler in list(self._schedulers):
            scheduler.close()
        for engine in self._engines.values():
            engine.close()
        if self._cache is not None:
            self._cache.close()
            self._cache = None

    # -- what the scheduler asks of the stage ----------------------------------------------------
    def plan(self, doc: Document) -> Iterator[tuple[tuple[str, str, str], Segment, list[str]]]:
        """Each segment's (engine, source, target) and its pieces; a document that cannot be routed
        gets its error (once) and plans no further."""
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
                engine_name = self.choose_engine(source, self.target)
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
            yield (engine_name, source, self.target), seg, pieces

    def cached(
        self, engine: TranslationEngine, info: ModelInfo, key: tuple[str, str, str], texts: list[str]
    ) -> dict[str, str]:
        """Translations of `texts` already in the translation cache."""
        cache = self._translation_cache(engine)
        if cache is None:
            return {}
        found = cache.get_many(info, key[1], key[2], texts)
        self.stats["cache_hits"] += len(found)
        self.stats["cache_misses"] += len(texts) - len(found)
        return found

    def store(
        self, engine: TranslationEngine, info: ModelInfo, key: tuple[str, str, str], new: dict[str, str]
    ) -> None:
        """Keep fresh translations in the cache."""
        cache = self._translation_cache(engine)
        if cache is not None:
            cache.put_many(info, key[1], key[2], new)

    def fail_segment(self, doc: Document, segment: Segment, failure: tuple[str, str]) -> None:
        """Record a segment's failure. A cause shared by several segments (a missing model fails them
        all alike) is one error per document, naming its first segment and listing them all."""
        code, message = failure
        key = (id(doc), code, message)
        segments = self._failed_segments.setdefault(key, [])
        segments.append(segment.index)
        if len(segments) == 1:
            doc.add_error(STAGE, code, message, segment=segment.index, fatal=False)
            return
        for err in doc.errors:
            if err.stage == STAGE and err.code == code and err.segment in segments:
                err.segment = min(segments)
                err.message = f"{message} (segments {', '.join(map(str, sorted(segments)))})"
                return

    def finish_segment(
        self, segment: Segment, target: str, info: ModelInfo, key: tuple[str, str, str]
    ) -> None:
        """Set a segment's translation and its quality flags."""
        segment.target = target
        segment.engine = info.engine
        segment.model = info.model
        checker = self._quality_checker() if key[0] not in _UNCACHED_ENGINES else None
        if checker is not None:
            flags = checker.check(segment.source, target, key[1], key[2])
            segment.flags = [f for f in segment.flags if f not in flags] + flags
            for flag in flags:
                self.stats["flag_" + flag.split(":", 1)[0]] += 1

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

    def sign(self, doc: Document) -> None:
        """The engines and models that translated the document, into its signature (the scheduler
        calls it once the document is done)."""
        for key in [k for k in self._failed_segments if k[0] == id(doc)]:
            del self._failed_segments[key]
        doc.signature.sign_translation(
            {s.engine for s in doc.segments if s.engine}, {s.model for s in doc.segments if s.model}
        )


def configured_engine(name: str, options: TranslateOptions, *, offline: bool) -> TranslationEngine:
    """The engine `name` built with its options from `translate.engine_options`; an engine that picks
    a model per pair also gets the shared routing options (`translate.models`, `model_pattern`, ...)
    and, unless `offline`, may fetch a missing model. The translate stage and `align` build engines so."""
    opts = dict(options.engine_options.get(name, {}))
    cls = engine_class(name)
    if issubclass(cls, RoutedEngine):  # may fetch a missing model, unless offline
        opts.setdefault("download", not offline)
    if getattr(cls, "routed", False):  # engines that pick a model per pair
        opts.setdefault("models", dict(options.models))
        opts.setdefault("model_pattern", options.model_pattern)
        opts.setdefault("multilingual_model", options.multilingual_model)
        opts.setdefault("pivot_lang", options.pivot_lang)
        if options.model is not None:
            opts.setdefault("model", options.model)
    return create_engine(name, opts)


def _no_engine_message(
    source: str, target: str, tried: Sequence[str], reasons: list[str], installs: list[str]
) -> str:
    """E303 (a model is missing): what to run. E301 (no engine for the pair): what to install."""
    tried_text = f"tried: {', '.join(tried) or 'no installed engine'}"
    if reasons:
        return f"{'; '.join(reasons)} ({tried_text})"
    detail = "; ".join(installs) or "engines for every pair: pip install 'transnorm[mt]'"
    return (
        f"no translation engine covers {source}->{target} ({tried_text}); {detail}. Or configure an "
        "engine or model for this pair in translate.engines / translate.models, or pass --engine/--model"
    )
