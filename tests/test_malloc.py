"""glibc malloc tuning: freed memory is reused by the next allocation instead of being faulted in again.

Each case runs in a fresh interpreter, since the settings are process-wide and the pattern is the
engine's: two threads, each allocating big blocks (as a batch's activations), writing them, freeing them.
"""

from __future__ import annotations

import platform
import subprocess
import sys

import pytest

pytestmark = pytest.mark.skipif(
    platform.system() != "Linux" or platform.libc_ver()[0] != "glibc", reason="the settings are glibc's"
)

PAGE_FAULTS = """
import ctypes, resource, sys, threading
from transnorm import _malloc
if sys.argv[1] == "tuned":
    assert _malloc.tune_malloc() and _malloc.tune_malloc() and _malloc.malloc_tuned()
else:
    assert not _malloc.malloc_tuned()
libc = ctypes.CDLL(None)
libc.malloc.restype, libc.malloc.argtypes = ctypes.c_void_p, (ctypes.c_size_t,)
libc.free.argtypes = (ctypes.c_void_p,)

def batches():
    for k in range(20):
        for size in ((48 + k % 3 * 8) << 20, 8 << 20):  # encoder-sized blocks of varying size, then a smaller one
            block = libc.malloc(size)
            ctypes.memset(block, 1, size)
            libc.free(block)

threads = [threading.Thread(target=batches) for _ in range(2)]
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for t in threads:
    t.start()
for t in threads:
    t.join()
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


def _page_faults(mode: str) -> int:
    run = subprocess.run(
        [sys.executable, "-c", PAGE_FAULTS, mode], capture_output=True, text=True, timeout=120, check=True
    )
    return int(run.stdout)


def test_tuned_malloc_reuses_freed_blocks_instead_of_faulting_them_in_again() -> None:
    default, tuned = _page_faults("default"), _page_faults("tuned")
    # 40 blocks of 48-64 MiB per thread: about 580,000 faults by default (each block mapped afresh),
    # about 45,000 tuned (each thread's first blocks only)
    assert default > 300_000
    assert tuned * 4 < default
