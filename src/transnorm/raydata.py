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
    try:
        import ray  # noqa: F401
    except ImportError:
        raise missing_dependency("ray[data]", "ray", "Running on Ray Data") from None
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
