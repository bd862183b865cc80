"""Normalising and checking earlier output: records of `run` or `align` keep their segments.

`transnorm normalise` and `transnorm check-names` read plain documents and records alike. A record's
translations are what they work on (target side, language from the record); a plain document goes
through detect/segment/normalise on its text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from typing import Any

from transnorm.config import PipelineConfig
from transnorm.document import Document
from transnorm.normalise.people import as_record
from transnorm.pipeline import Pipeline


def names_config(
    config: PipelineConfig, *, stages: tuple[str, ...], lang: str | None = None, cache: bool = True
) -> PipelineConfig:
    """`config` set up to normalise or check source texts: in `lang` when given, else detected."""
    normalise: dict[str, Any] = {"side": "source"}
    if lang:
        normalise["lang"] = lang
    if not cache:
        normalise["cache"] = False
    overrides: dict[str, Any] = {"normalise": normalise, "stages": stages}
    if lang:
        overrides["source_lang"] = lang
        overrides["target_lang"] = lang
    return config.with_overrides(**overrides)


class RecordAwarePipeline:
    """The normalise pipeline, except that records (`run`/`align` output) keep their segments.

    A record's translations are normalised (target side, language from the record); a plain document
    goes through detect/segment/normalise on its text as before.
    """

    def __init__(self, config: PipelineConfig) -> None:
        self.inner = Pipeline(config)
        self._target_cfg = replace(config, normalise=replace(config.normalise, side="target"))
        self._stage: Any = None

    @property
    def stage_for_records(self) -> Any:
        if self._stage is None:
            from transnorm.normalise.stage import NormaliseStage

            self._stage = NormaliseStage(self._target_cfg)
        return self._stage

    def stream(self, docs: Iterable[Document], *, workers: int = 1) -> Iterator[Document]:
        for doc in docs:
            rec = as_record(doc)
            if rec is doc:
                yield from self.inner.stream([doc])
            else:
                yield self._normalise_record(rec)

    def _normalise_record(self, doc: Document) -> Document:
        if any(seg.target for seg in doc.segments):
            return self.stage_for_records(doc)
        return self.inner.stage("normalise")(doc)  # a record without translations: its sources

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def checkable_documents(
    pipe: Pipeline, docs: Iterable[Document], on_skip: Callable[[Document], None]
) -> Iterator[Document]:
    """Records as they are, plain documents through `pipe`; a document that stopped goes to `on_skip`."""
    for doc in docs:
        rec = as_record(doc)
        for item in [rec] if rec is not doc else pipe.stream([doc]):
            if item.stopped:
                on_skip(item)
            else:
                yield item


def check_corpus(
    docs: Iterable[Document],
    config: PipelineConfig,
    *,
    lang: str | None = None,
    side: str = "target",
    min_score: float | None = None,
    discover: bool | None = None,
    scheme: str | None = None,
    on_skip: Callable[[Document], None] | None = None,
) -> dict[str, Any]:
    """The `check-names` report over plain documents and records (see `normalise.report.check_names`).

    The glossaries of `config` are compiled before the first document is read, so a broken glossary
    fails at once. Plain documents go through `config`'s stages (detect) first; a document that
    cannot be read or detected is passed to `on_skip` and left out of the report.
    """
    from transnorm.normalise.matcher import MatcherCache
    from transnorm.normalise.report import DEFAULT_MIN_SCORE, check_names

    opts = config.normalise
    matcher_for = MatcherCache.from_options(opts)
    matcher_for(lang)
    with Pipeline(config) as pipe:
        return check_names(
            checkable_documents(pipe, docs, on_skip or (lambda doc: None)),
            matcher_for,
            lang=lang,
            min_score=DEFAULT_MIN_SCORE if min_score is None else min_score,
            side=side,
            discover=opts.discover if discover is None else discover,
            scheme=scheme or opts.scheme,
        )
