"""Shared fixtures, and the guard that keeps every test inside the repository.

A user's clone has no `../shared` (the project's full corpora): tests read the slices in tests/data/
(tests/corpora.py), and any attempt to open or list something under `../shared` fails the test.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
FORBIDDEN = str(ROOT.parent / "shared")
_GUARDED_EVENTS = frozenset({"open", "os.listdir", "os.scandir", "glob.glob", "shutil.copyfile"})


class SharedDataRead(AssertionError):
    """A test read `../shared`, which a user's clone does not have."""


def _forbidden(path: object) -> bool:
    if isinstance(path, bytes):
        path = os.fsdecode(path)
    if not isinstance(path, (str, os.PathLike)):
        return False  # a file descriptor
    text = os.fspath(path)
    if "shared" not in text:  # cheap test first: this hook sees every open of the process
        return False
    full = os.path.abspath(text)
    return full == FORBIDDEN or full.startswith(FORBIDDEN + os.sep)


def _guard(event: str, args: tuple) -> None:
    if event in _GUARDED_EVENTS and args and _forbidden(args[0]):
        raise SharedDataRead(
            f"a test read {args[0]!r}: tests must not read ../shared (a user's clone has none); "
            "copy the slice it needs into tests/data/ (benchmarks/make_test_slices.py) or generate it"
        )


sys.addaudithook(_guard)  # audit hooks cannot be removed: it guards this whole test process


@pytest.fixture(scope="session")
def examples_dir() -> Path:
    return EXAMPLES


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep every test's caches out of the user's home, and tests off the network.

    Offline mode keeps a run whose model is missing from trying the real hub; the download tests
    lift it in the subprocesses they point at their local stand-in of the hub.
    """
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
    monkeypatch.delenv("HF_HOME", raising=False)
    monkeypatch.delenv("HF_HUB_CACHE", raising=False)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
