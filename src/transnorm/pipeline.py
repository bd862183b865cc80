"""The runner: documents in, documents out, through the stages named in the config.

A stage is a callable `Document -> Document`; a stage that needs to see many documents at once (the
translate stage batches across documents) also has `pipe(docs) -> docs`. The runner is a loop over
`(name, stage)` pairs that chains generators, so documents stream through with bounded memory and
come out in input order. A stage that raises on one document turns into an error on that document's
record; the others go on.
"""

from __future__ import annotations

import importlib
import logging
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import cached_property
from typing import Any

from transnorm._version import __version__
from transnorm.config import PipelineConfig
from transnorm.document import UNDETERMINED, Document, replace_surrogates
from transnorm.errors import E_BAD_RECORD, E_EMPTY, E_STAGE_CRASHED, E_TOO_LARGE, ConfigError, TransnormError

log = logging.getLogger(__name__)

Stage = Callable[[Document], Document]

# Stage name -> "module:factory". Factories take (config, resources) and return a stage.
_STAGES = {
    "detect": "transnorm.pipeline:DetectStage",
    "segment": "transnorm.pipeline:SegmentStage",
    "translate": "transnorm.translate.stage:TranslateStage",
    "normalise": "transnorm.normalise.stage:NormaliseStage",
}


class Resources:
    """Objects that several stages share and that are costly to build (built on first use)."""

    def __init__(self, config: PipelineConfig) -> None:
        self.config = config

    @cached_property
    def detector(self) -> Any:
        from transnorm.detect import DetectorConfig, LanguageDetector

        opts = self.config.detect
        try:
            return LanguageDetector(
                DetectorConfig(
                    seed=opts.seed,
                    min_letters=opts.min_letters,
                    allowed=opts.allowed,
                    priors=dict(opts.priors) or None,
                    max_chars=opts.max_chars,
                    mask_names=opts.mask_names,
                    name_glossaries=tuple(self.config.normalise.glossaries),
                    min_confidence=opts.min_confidence,
                    fallback=opts.fallback or None,
                )
            )
        except (ValueError, ImportError) as exc:  # e.g. `allowed` names a language it cannot tell
            raise ConfigError(str(exc).replace("DetectorConfig.", "detect.")) from None


class DetectStage:
    """Label each document with its language and the detector's confidence.

    Below `detect.min_confidence` the document gets `detect.fallback` instead, and a warning that
    names the detector's own guess: a headline of names is translated (or passed through) rather
    than failing on a language no engine covers.
    """

    name = "detect"

    def __init__(self, config: PipelineConfig, resources: Resources) -> None:
        self.forced = config.source_lang
        self.resources = resources
        if not self.forced:
            _ = resources.detector  # built now: a detector setting it cannot honour stops the run here

    def __call__(self, doc: Document) -> Document:
        if self.forced:
            doc.lang, doc.lang_confidence = self.forced, 1.0
            return doc
        found = self.resources.detector.detect(doc.text)
        doc.lang, doc.lang_confidence = found.lang, found.confidence
        if found.unsure:
            doc.warnings.append(
                f"language detection unsure: {found.unsure!r} at confidence {found.confidence:.2f}, below "
                f"detect.min_confidence; using detect.fallback {found.lang!r} (pass --from to set it)"
            )
        return doc


class SegmentStage:
    """Split each document into sentences with offsets, and label each sentence's language.

    The document's language is the prior of its segments (`detect.segment_prior`) and their fallback
    below `detect.min_confidence`: a short sentence of an English article stays English unless the
    detector is clearly surer of another language.
    """

    name = "segment"

    def __init__(self, config: PipelineConfig, resources: Resources) -> None:
        self.config = config
        self.resources = resources
        if config.detect.per_segment and not config.source_lang:
            _ = resources.detector  # built now, as in DetectStage

    def __call__(self, doc: Document) -> Document:
        from transnorm.document import Segment
        from transnorm.segment import split_sentences

        lang = None if doc.lang == UNDETERMINED else doc.lang
        spans = split_sentences(doc.text, lang, max_chars=self.config.segment.max_chars)
        doc.segments = [
            Segment(
                index=i, start=s.start, end=s.end, source=doc.text[s.start : s.end], paragraph=s.paragraph
            )
            for i, s in enumerate(spans)
        ]
        self._label(doc)
        return doc

    def _label(self, doc: Document) -> None:
        opts = self.config.detect
        forced = self.config.source_lang
        for seg in doc.segments:
            letters = sum(ch.isalpha() for ch in seg.source)
            if forced or not opts.per_segment or letters < opts.segment_min_letters:
                seg.lang, seg.lang_confidence = doc.lang, doc.lang_confidence
            else:
                known = doc.lang != UNDETERMINED
                found = self.resources.detector.detect(
                    seg.source[: opts.segment_max_chars],
                    priors={doc.lang: opts.segment_prior} if known else None,
                    fallback=doc.lang if known else None,
                )
                seg.lang, seg.lang_confidence = found.lang, found.confidence


def build_stage(name: str, config: PipelineConfig, resources: Resources) -> Stage:
    """Build the stage registered under `name`."""
    module_name, _, attr = _STAGES[name].partition(":")
    factory = getattr(importlib.import_module(module_name), attr)
    return factory(config, resources)


class Pipeline:
    """detect -> segment -> translate -> normalise, as configured.

    >>> pipe = Pipeline(PipelineConfig(target_lang="en"))
    >>> for doc in pipe.stream(documents): ...
    """

    def __init__(
        self, config: PipelineConfig | None = None, *, stages: dict[str, Stage] | None = None
    ) -> None:
        self.config = config or PipelineConfig()
        self.resources = Resources(self.config)
        given = stages or {}
        self._given = set(given)
        self.timings: dict[str, float] = {}
        self.stages: list[tuple[str, Stage]] = [
            (name, given[name] if name in given else build_stage(name, self.config, self.resources))
            for name in self.config.stages
        ]
        self.signature: dict[str, Any] = {
            "transnorm": __version__,
            "config": self.config.fingerprint(),
            "target_lang": self.config.target_lang,
        }
        for _, stage in self.stages:  # e.g. the glossary version from the normalise stage
            contribution = getattr(stage, "signature", None)
            if isinstance(contribution, Mapping):
                self.signature.update(contribution)

    def stage(self, name: str) -> Stage:
        for stage_name, stage in self.stages:
            if stage_name == name:
                return stage
        raise KeyError(name)

    def stream(
        self, docs: Iterable[Document | Mapping[str, Any] | str], *, workers: int = 1
    ) -> Iterator[Document]:
        """Process documents lazily; yields each one, in input order, once every stage has seen it.

        Each item is a `Document`, a dict (`Document.from_dict`: `id`, `text`, other keys kept as
        metadata) or a plain string (its id is its position in the input, `"0"`, `"1"`, ...).

        With `workers > 1`, runs of consecutive CPU stages (all but translate) that were built from
        the config run in that many processes (`transnorm.parallel`); the output is the same.
        """
        workers = self._useful_workers(workers)
        stream: Iterator[Document] = self._admit(docs)
        for names, stages in self._groups(workers):
            if workers > 1 and len(names) and names[0] != "translate" and not self._given.intersection(names):
                from functools import partial

                from transnorm.parallel import run_in_processes

                stream = _timed(
                    "+".join(names),
                    self.timings,
                    lambda up, n=names: run_in_processes(
                        up, partial(_worker_pipeline, self.config.to_dict(), n), workers
                    ),
                    stream,
                )
                continue
            for name, stage in zip(names, stages, strict=True):
                pipe = getattr(stage, "pipe", None)
                if pipe is not None:
                    stream = _timed(name, self.timings, pipe, stream)
                else:
                    stream = _apply(name, stage, stream, self.timings)
        return stream

    def _useful_workers(self, workers: int) -> int:
        """`workers`, or 1 when a model engine translates: it keeps the cores busy itself, and worker
        processes would only add memory and hold documents back in chunks (said once, on stderr)."""
        if workers <= 1:
            return workers
        for name, stage in self.stages:
            busy = getattr(stage, "model_engines", None)
            engines = busy() if busy is not None and name == "translate" else []
            if engines:
                log.warning(
                    "--workers %d: not started, translation with %s keeps the cores busy; worker "
                    "processes help the other stages when translation is cheap (passthrough, "
                    "normalise-only runs)",
                    workers,
                    "/".join(engines),
                )
                return 1
        return workers

    def _groups(self, workers: int) -> list[tuple[tuple[str, ...], list[Stage]]]:
        """Stages grouped into runs that can share a worker process (translate stands alone)."""
        if workers <= 1:
            return [((name,), [stage]) for name, stage in self.stages]
        groups: list[tuple[tuple[str, ...], list[Stage]]] = []
        for name, stage in self.stages:
            if groups and name != "translate" and groups[-1][0][-1] != "translate":
                names, stages = groups[-1]
                groups[-1] = ((*names, name), [*stages, stage])
            else:
                groups.append(((name,), [stage]))
        return groups

    def run(self, docs: Iterable[Document | Mapping[str, Any] | str]) -> list[Document]:
        """Process documents (or dicts, or strings) and return them all (use `stream` for large inputs)."""
        return list(self.stream(docs))

    def __call__(self, text: str, id: str = "doc", **metadata: Any) -> Document:
        """Process one text."""
        return self.run([Document(id=id, text=text, metadata=metadata)])[0]

    def close(self) -> None:
        for _, stage in self.stages:
            close = getattr(stage, "close", None)
            if close is not None:
                close()

    def __enter__(self) -> Pipeline:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _admit(self, docs: Iterable[Document | Mapping[str, Any] | str]) -> Iterator[Document]:
        limit = self.config.max_document_chars
        for position, item in enumerate(docs):
            doc = as_document(item, position)
            doc.signature = {**self.signature, **doc.signature}
            doc.target_lang = self.config.target_lang
            if doc.stopped:
                pass
            else:  # text that cannot be written as UTF-8 is repaired, and the record says so
                doc.text, replaced = replace_surrogates(doc.text)
                if replaced:
                    doc.warnings.append("lone surrogate code points in the text were replaced by U+FFFD")
            if doc.stopped:
                pass
            elif not doc.text.strip():
                doc.add_error("read", E_EMPTY, "document is empty or contains only whitespace")
            elif len(doc.text) > limit:
                doc.add_error(
                    "read",
                    E_TOO_LARGE,
                    f"document has {len(doc.text):,} characters, more than max_document_chars={limit:,}; "
                    "split it or raise the limit in the config",
                )
            yield doc


def _worker_pipeline(config_dict: dict[str, Any], stages: tuple[str, ...]) -> Pipeline:
    """The pipeline of `stages` that a worker process runs (`transnorm.parallel`), from the config."""
    from transnorm.config import config_from_dict

    return Pipeline(config_from_dict({**config_dict, "stages": list(stages)}))


def as_document(item: Document | Mapping[str, Any] | str, position: int) -> Document:
    """`item` as a Document: dicts through `Document.from_dict`, strings get their position as id.

    Anything else becomes a document carrying error E106, so that it still yields one record.
    """
    if isinstance(item, Document):
        return item
    if isinstance(item, str):
        return Document(id=str(position), text=item)
    if isinstance(item, Mapping):
        return Document.from_dict(item, default_id=str(position))
    doc = Document(id=str(position), text="")
    doc.add_error("read", E_BAD_RECORD, f"expected a Document, a dict or a string, got {type(item).__name__}")
    return doc


def _apply(
    name: str, stage: Stage, docs: Iterable[Document], timings: dict[str, float]
) -> Iterator[Document]:
    timings.setdefault(name, 0.0)
    for doc in docs:
        if not doc.stopped:
            started = time.perf_counter()
            _call_guarded(name, stage, doc)
            timings[name] += time.perf_counter() - started
        yield doc


def _timed(
    name: str,
    timings: dict[str, float],
    pipe: Callable[[Iterable[Document]], Iterator[Document]],
    upstream: Iterator[Document],
) -> Iterator[Document]:
    """Run a batching stage, charging it the time spent in it but not in the stages upstream."""
    upstream_time = [0.0]

    def measured_upstream() -> Iterator[Document]:
        while True:
            started = time.perf_counter()
            try:
                doc = next(upstream)
            except StopIteration:
                upstream_time[0] += time.perf_counter() - started
                return
            upstream_time[0] += time.perf_counter() - started
            yield doc

    timings.setdefault(name, 0.0)
    out = pipe(measured_upstream())
    while True:
        started, before = time.perf_counter(), upstream_time[0]
        try:
            doc = next(out)
        except StopIteration:
            timings[name] += (time.perf_counter() - started) - (upstream_time[0] - before)
            return
        timings[name] += (time.perf_counter() - started) - (upstream_time[0] - before)
        yield doc


def _call_guarded(name: str, stage: Stage, doc: Document) -> None:
    try:
        result = stage(doc)
    except TransnormError as exc:
        doc.add_error(name, exc.code, str(exc))
        return
    except Exception as exc:  # a bug in a stage must not lose the document: record it, go on
        log.exception("stage %r crashed on document %r", name, doc.id)
        doc.add_error(name, E_STAGE_CRASHED, f"stage {name!r} crashed: {type(exc).__name__}: {exc}")
        return
    if result is not doc:
        raise TypeError(
            f"stage {name!r} returned {type(result).__name__} instead of the Document it was given; "
            "a stage must modify the document and return it"
        )
