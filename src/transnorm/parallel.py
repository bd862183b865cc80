"""Running the CPU stages in worker processes, in order, with bounded memory.

`--workers N`: detect and segment (the stages before translate) and normalise (after it) run in N
processes on chunks of documents, while the translate stage stays in the main process and batches for
its engine. Chunks are submitted a bounded number ahead and collected first-in first-out, so output
order and content are the same as with one process, and memory does not grow with the input.

Workers end when the process that started them dies, even by `kill -9` (which runs no clean-up): on
Linux the kernel sends them SIGKILL (`prctl(PR_SET_PDEATHSIG)`), and everywhere a watchdog thread
exits the worker once its parent process is gone. Otherwise orphaned workers would run on, holding
memory and the output lock they inherited.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from typing import Any

from transnorm.document import Document

CHUNK_DOCS = 128
_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
_WATCHDOG_SECONDS = 0.5

_worker_pipeline: Any = None


def _init_worker(build: Callable[[], Any], owner: int) -> None:
    global _worker_pipeline
    _die_with(owner)
    _worker_pipeline = build()


def _die_with(owner: int) -> None:
    """End this worker when `owner` (the process running the pool) dies (see the module docstring)."""
    parent = os.getppid()
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if not _alive(owner):  # it died before the request took effect
        os._exit(1)
    threading.Thread(
        target=_watch, args=(owner, parent), name="transnorm-owner-watchdog", daemon=True
    ).start()


def _watch(owner: int, parent: int) -> None:
    while os.getppid() == parent and _alive(owner):
        time.sleep(_WATCHDOG_SECONDS)
    os._exit(1)  # orphaned: re-parented to init or a subreaper


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else (the pid was reused): treat as gone
        return False
    return True


def _run_chunk(docs: list[Document]) -> list[Document]:
    return _worker_pipeline.run(docs)


def run_in_processes(
    docs: Iterable[Document],
    build: Callable[[], Any],
    workers: int,
    *,
    chunk_docs: int = CHUNK_DOCS,
) -> Iterator[Document]:
    """Run the pipeline that `build()` makes (in each worker: a picklable module-level callable)
    over `docs` in `workers` processes; yields documents in input order."""
    it = iter(docs)
    ahead = workers * 3
    with ProcessPoolExecutor(
        max_workers=workers, initializer=_init_worker, initargs=(build, os.getpid())
    ) as pool:
        pending: deque[Future[list[Document]]] = deque()
        while True:
            while len(pending) < ahead and (chunk := list(islice(it, chunk_docs))):
                pending.append(pool.submit(_run_chunk, chunk))
            if not pending:
                return
            yield from pending.popleft().result()
