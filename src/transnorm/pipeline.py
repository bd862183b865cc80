"""The runner: documents in, documents out, through the stages named in the config.

A stage is a callable `Document -> Document`; a stage that needs to see many documents at once (the
translate stage batches across documents) also has `pipe(docs) -> docs`. The runner is a loop over
`(name, stage)` pairs that chains generators, so documents stream through with bounded memory and
come out in input order. A stage that raises on one document turns into an error on that document's
record; the others go on.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import partial
from typing import Any

from transnorm._version import __version__
from transnorm.config import PipelineConfig
from transnorm.document import Document, replace_surrogates
from transnorm.errors import E_BAD_RECORD, E_EMPTY, E_STAGE_CRASHED, E_TOO_LARGE, TransnormError
from transnorm.signature import Signature
from transnorm.stages import (
    Resources,
    Stage,
    build_stage,
    is_batching,
    is_process_safe,
    model_engines_of,
    statistics_of,
)

log = logging.getLogger(__name__)


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
        self.signature = Signature.of_run(__version__, self.config.fingerprint(), self.config.target_lang)
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

        With `workers > 1`, runs of consecutive stages that are safe in worker processes and were
        built from the config run in that many processes (`transnorm.parallel`); the output is the same.
        """
        workers = self._useful_workers(workers)
        stream: Iterator[Document] = self._admit(docs)
        for names, stages in self._groups(workers):
            if len(names) > 1 or (workers > 1 and self._in_processes(names, stages)):
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
            name, stage = names[0], stages[0]
            if is_batching(stage):
                stream = _timed(name, self.timings, stage.pipe, stream)  # type: ignore[attr-defined]
            else:
                stream = _apply(name, stage, stream, self.timings)
        return stream

    def statistics(self) -> dict[str, dict[str, int]]:
        """The counters of every stage that keeps some (the translate stage's cache hits, ...), by stage."""
        found = {name: statistics_of(stage) for name, stage in self.stages}
        return {name: stats for name, stats in found.items() if stats is not None}

    def _in_processes(self, names: tuple[str, ...], stages: list[Stage]) -> bool:
        """Whether these stages can run in worker processes: each says it is safe there, and each was
        built from the config (a stage passed in ready-made cannot be rebuilt in another process)."""
        return all(is_process_safe(s) for s in stages) and not self._given.intersection(names)

    def _useful_workers(self, workers: int) -> int:
        """`workers`, or 1 when a stage runs a model engine: it keeps the cores busy itself, and worker
        processes would only add memory and hold documents back in chunks (said once, on stderr)."""
        if workers <= 1:
            return workers
        for _, stage in self.stages:
            engines = model_engines_of(stage)
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
        """Stages grouped into runs that can share a worker process: consecutive stages that may run
        there; any other stage stands alone."""
        groups: list[tuple[tuple[str, ...], list[Stage]]] = []
        for name, stage in self.stages:
            shareable = workers > 1 and self._in_processes((name,), [stage])
            if shareable and groups and self._in_processes(*groups[-1]):
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
            doc.signature = Signature({**self.signature, **doc.signature})
            doc.target_lang = self.config.target_lang
            if doc.stopped:
                yield doc
                continue
            doc.text, replaced = replace_surrogates(doc.text)  # text that cannot be written as UTF-8
            if replaced:  # is repaired, and the record says so
                doc.warnings.append("lone surrogate code points in the text were replaced by U+FFFD")
            if not doc.text.strip():
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
