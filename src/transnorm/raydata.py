"""Running transnorm on a Ray cluster with Ray Data (`pip install 'transnorm[ray]'`).

`process_dataset` takes a `ray.data.Dataset` of documents (columns `id`, `text`, any others are
metadata) and returns a Dataset of records. It uses `map_batches` with a pool of actors: each actor
builds the pipeline once (loading models once) and then processes batch after batch, so the cost of
loading a model is paid per actor, not per batch. The translate stage still batches across the
documents of each Ray batch.

Each output row has `id`, `has_errors` and `record`: the JSON record exactly as `transnorm run` writes
it (a JSON string keeps the schema stable across rows whose metadata differ). See the README section
"Running on a cluster" for reading from and writing to object storage and for GPU actors.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from transnorm.config import PipelineConfig
from transnorm.errors import missing_dependency

if TYPE_CHECKING:  # pragma: no cover
    import ray.data

RESERVED_COLUMNS = ("id", "text")


class PipelineActor:
    """A Ray actor's state: one pipeline, built once, applied to many batches."""

    def __init__(self, config: Mapping[str, Any]) -> None:
        from transnorm.config import config_from_dict
        from transnorm.pipeline import Pipeline

        self.pipeline = Pipeline(config_from_dict(config))

    def __call__(self, batch: Mapping[str, Any]) -> dict[str, list[Any]]:
        from transnorm.read import document_from_json

        columns = {name: _to_list(values) for name, values in batch.items()}
        n = len(next(iter(columns.values()))) if columns else 0
        rows = [{name: values[i] for name, values in columns.items()} for i in range(n)]
        docs = [document_from_json(row, where=f"row:{row.get('id')}") for row in rows]
        out = self.pipeline.run(docs)
        return {
            "id": [d.id for d in out],
            "has_errors": [bool(d.errors) for d in out],
            "record": [json.dumps(d.to_record(), ensure_ascii=False) for d in out],
        }


def process_dataset(
    dataset: ray.data.Dataset,
    config: PipelineConfig | None = None,
    *,
    actors: int | tuple[int, int] = 2,
    batch_size: int = 64,
    num_cpus: float = 1,
    num_gpus: float = 0,
) -> ray.data.Dataset:
    """Documents in, records out, on Ray Data with a pool of `actors` pipeline actors.

    `actors` is a fixed pool size or a (min, max) range for autoscaling; `num_gpus=1` places each
    actor on a GPU (use it with the transformers or ctranslate2 engine configured for `cuda`).
    """
    _require_ray()
    cfg = config or PipelineConfig()
    return dataset.map_batches(
        PipelineActor,
        fn_constructor_kwargs={"config": cfg.to_dict()},
        batch_size=batch_size,
        batch_format="numpy",
        concurrency=actors,
        num_cpus=num_cpus,
        num_gpus=num_gpus or None,
    )


def iter_records(dataset: ray.data.Dataset) -> Iterator[dict[str, Any]]:
    """The records of a processed dataset, parsed (for small results or tests)."""
    for row in dataset.iter_rows():
        yield json.loads(row["record"])


def _to_list(values: Any) -> list[Any]:
    tolist = getattr(values, "tolist", None)
    return tolist() if tolist is not None else list(values)


# ------------------------------------------------------------------------------ check-names


class NamesActor:
    """A Ray actor's state for `check_names_dataset`: glossary matchers and the name collector, built once."""

    def __init__(self, config: Mapping[str, Any], lang: str | None, side: str) -> None:
        from transnorm.config import config_from_dict
        from transnorm.normalise.matcher import MatcherCache
        from transnorm.normalise.near import NearVariantIndex
        from transnorm.normalise.people import NameCollector

        matcher_for = MatcherCache.from_options(config_from_dict(config).normalise)
        indexes: dict[str | None, Any] = {}

        def index_for(text_lang: str | None) -> Any:
            if text_lang not in indexes:
                indexes[text_lang] = NearVariantIndex(matcher_for(text_lang))
            return indexes[text_lang]

        self.collector = NameCollector(matcher_for, side=side, lang=lang)
        self.index_for = index_for

    def __call__(self, batch: Mapping[str, Any]) -> dict[str, list[Any]]:
        from transnorm.normalise.people import as_record, doc_row
        from transnorm.read import document_from_json

        columns = {name: _to_list(values) for name, values in batch.items()}
        n = len(next(iter(columns.values()))) if columns else 0
        keys: list[str] = []
        payloads: list[str] = []
        for i in range(n):
            row = {name: values[i] for name, values in columns.items()}
            data = json.loads(row["record"]) if "record" in row else row
            doc = as_record(document_from_json(data, where=f"row:{data.get('id')}"))
            if doc.stopped and not doc.segments:
                continue  # as the local command: a document that cannot be read is skipped
            names = self.collector(doc)
            for text_lang, words, _ in names.near:
                index = self.index_for(text_lang)
                for word in [w for w in words if not index.may_suggest(w)]:
                    del words[word]
            for spelling in names.spellings:
                keys.append("s:" + json.dumps(spelling.key, ensure_ascii=False))
                payloads.append(json.dumps(spelling.to_row(), ensure_ascii=False))
            keys.append("d:" + doc.id)
            payloads.append(json.dumps(doc_row(names), ensure_ascii=False))
        return {"key": keys, "payload": payloads}


def _merge_spellings(group: Mapping[str, Any]) -> dict[str, list[Any]]:
    """One group of rows with one key: spellings are added up, a document row passes through."""
    from transnorm.normalise.cluster import Spelling

    keys = _to_list(group["key"])
    payloads = _to_list(group["payload"])
    if not keys[0].startswith("s:"):
        return {"key": keys, "payload": payloads}
    merged = Spelling.from_row(json.loads(payloads[0]))
    for payload in payloads[1:]:
        merged.merge(Spelling.from_row(json.loads(payload)))
    return {"key": [keys[0]], "payload": [json.dumps(merged.to_row(), ensure_ascii=False)]}


def check_names_dataset(
    dataset: ray.data.Dataset,
    config: PipelineConfig | None = None,
    *,
    lang: str | None = None,
    side: str = "target",
    min_score: float | None = None,
    discover: bool | None = None,
    scheme: str | None = None,
    actors: int | tuple[int, int] = 2,
    batch_size: int = 256,
) -> dict[str, Any]:
    """The `check-names` report of a Dataset, computed on Ray: the same report as `check_names`.

    Rows are documents (`id`, `text`, metadata) or records: a `record` column holding the JSON that
    `process_dataset` (or `transnorm run`) writes. Actors map documents to their names; the spellings
    are grouped by key and added up on the cluster (`groupby(...).map_groups`); the driver reads the
    grouped rows and clusters them (a list of distinct spellings, small next to the corpus).
    """
    _require_ray()
    from transnorm.normalise.cluster import Spelling
    from transnorm.normalise.matcher import MatcherCache
    from transnorm.normalise.near import DEFAULT_MIN_SCORE
    from transnorm.normalise.people import doc_from_row
    from transnorm.normalise.report import NameReducer

    cfg = config or PipelineConfig()
    mapped = dataset.map_batches(
        NamesActor,
        fn_constructor_kwargs={"config": cfg.to_dict(), "lang": lang, "side": side},
        batch_size=batch_size,
        batch_format="numpy",
        concurrency=actors,
    )
    grouped = mapped.groupby("key").map_groups(_merge_spellings, batch_format="numpy")
    reducer = NameReducer()
    for row in grouped.iter_rows():
        payload = json.loads(row["payload"])
        if row["key"].startswith("s:"):
            reducer.add_spellings([Spelling.from_row(payload)])
        else:
            reducer.add(doc_from_row(payload))
    opts = cfg.normalise
    return reducer.report(
        MatcherCache.from_options(opts),
        lang=lang,
        min_score=DEFAULT_MIN_SCORE if min_score is None else min_score,
        discover=opts.discover if discover is None else discover,
        scheme=scheme or opts.scheme,
    )


def _require_ray() -> None:
    """`MissingDependencyError` with the pip line, unless Ray is installed."""
    try:
        import ray  # noqa: F401
    except ImportError:
        raise missing_dependency("ray[data]", "ray", "Running on Ray Data") from None
