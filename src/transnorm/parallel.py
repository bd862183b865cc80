"""Running the CPU stages in worker processes, in order, with bounded memory.

`--workers N`: detect and segment (the stages before translate) and normalise (after it) run in N
processes on chunks of documents, while the translate stage stays in the main process and batches for
its engine. Chunks are submitted a bounded number ahead and collected first-in first-out, so output
order and content are the same as with one process, and memory does not grow with the input.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from typing import Any

from transnorm.document import Document

CHUNK_DOCS = 128

_worker_pipeline: Any = None


def _init_worker(config_dict: dict[str, Any], stages: tuple[str, ...]) -> None:
    global _worker_pipeline
    from transnorm.config import config_from_dict
    from transnorm.pipeline import Pipeline

    config = config_from_dict({**config_dict, "stages": list(stages)})
    _worker_pipeline = Pipeline(config)


def _run_chunk(docs: list[Document]) -> list[Document]:
    return _worker_pipeline.run(docs)


def run_in_processes(
    docs: Iterable[Document],
    config_dict: dict[str, Any],
    stages: tuple[str, ...],
    workers: int,
    *,
    chunk_docs: int = CHUNK_DOCS,
) -> Iterator[Document]:
    """Run `stages` over `docs` in `workers` processes; yields documents in input order."""
    it = iter(docs)
    ahead = workers * 3
    with ProcessPoolExecutor(
        max_workers=workers, initializer=_init_worker, initargs=(config_dict, stages)
    ) as pool:
        pending: deque[Future[list[Document]]] = deque()
        while True:
            while len(pending) < ahead and (chunk := list(islice(it, chunk_docs))):
                pending.append(pool.submit(_run_chunk, chunk))
            if not pending:
                return
            yield from pending.popleft().result()
